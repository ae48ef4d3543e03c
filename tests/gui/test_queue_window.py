"""The operator's screen driven from the keyboard: filters, claim, note, THRIVE, close, F1."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desk.core.cases import Outcome
from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from desk.core.roles import Role
from desk.gui.case_dialogs import ChoiceDialog, CloseDialog, TextEntryDialog
from desk.gui.case_pane import HIGHLIGHT_PROPERTY
from desk.gui.keys import shortcut_text
from desk.gui.labels import risk_label
from desk.gui.main_window import MainWindow
from desk.gui.queue_model import (
    COL_ACCOUNT,
    COL_OWNER,
    COL_PRIORITY,
    COL_RISK,
    COL_STATUS,
    COL_TEXT,
    ROW_ROLE,
)
from desk.gui.workers import Worker
from tests.conftest import Person, Staffed, next_code
from tests.gui.conftest import activate, settle, type_into
from tests.gui.queue_fixtures import (
    KNIFE,
    SELF_HARM,
    MakeWindow,
    cell,
    dismiss_call_for_service,
    fill_queue,
    wait_ready,
)
from tests.gui.test_main_window import unlock
from tests.services.helpers import item

THRIVE = {
    "threat": "Stated intent to end life tonight",
    "harm": "Serious",
    "risk": "High",
    "investigation": "None needed from the desk",
    "vulnerability": "Person in crisis",
    "engagement": "Replied with crisis line; call for service raised",
}


@pytest.fixture
def window(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> MainWindow:
    """The operator's window over six cases, ready for keys."""
    fill_queue(staffed)
    made, _token = make_window(staffed.operator)
    wait_ready(qtbot, made)
    activate(qtbot, made)
    made.queue.focus_queue()
    return made


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier):
    """Press a key where the keyboard focus is, as a person would (once the window is active)."""
    front = QApplication.activeModalWidget() or window
    activate(qtbot, front)
    target = QApplication.focusWidget() or front
    qtbot.keyClick(target, key, modifier)


def boxes(window: MainWindow) -> list[str]:
    return [b.text() for b in window.findChildren(QMessageBox) if b.isVisible()]


def texts(window: MainWindow) -> list[str]:
    model = window.queue.model
    return [cell(window, r, COL_TEXT) for r in range(model.rowCount())]


def wait_case(qtbot: QtBot, window: MainWindow, check) -> None:
    """Wait until the case pane's fresh detail satisfies ``check``."""
    qtbot.waitUntil(
        lambda: window.ui.casePane.detail is not None and check(window.ui.casePane.detail),
        timeout=10_000,
    )


def claim_first(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, Qt.Key.Key_Return)
    wait_case(qtbot, window, lambda d: d.row.status == "triage")


def test_the_queue_opens_on_the_riskiest_oldest_case(window: MainWindow) -> None:
    assert texts(window)[0] == SELF_HARM
    assert cell(window, 0, COL_PRIORITY) == "P1"
    assert window.queue.case_id == window.queue.model.case_id_at(0)
    pane = window.ui.casePane
    assert pane.ui.caseHeaderLabel.text().startswith("P1 · SELF-HARM · X @cat · ")
    assert pane.ui.caseHeaderLabel.text().endswith("min ago")
    assert pane.ui.authorLabel.text() == "Author on this desk: 0 earlier items, 0 other cases"
    assert "self-harm" in pane.ui.matchedLabel.text()
    assert pane.ui.threadLabel.text().startswith("Thread: on “Road closures this weekend”")
    assert "NEEDED" in pane.ui.thriveStatusLabel.text()
    assert window.ui.queueFooterLabel.text() == "6 cases open · P1 first, then oldest"


def test_the_status_bar_counts_new_mine_and_past_target(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.queue.counts is not None)
    assert "New 6 · Mine 0 · Past target 0" in window.status_text
    claim_first(qtbot, window)
    qtbot.waitUntil(lambda: "New 5 · Mine 1 · " in window.status_text)


def test_j_and_k_move_and_enter_claims_into_the_row_and_timeline(
    qtbot: QtBot, window: MainWindow
) -> None:
    press(qtbot, window, Qt.Key.Key_J)
    assert window.ui.queueTable.currentIndex().row() == 1
    press(qtbot, window, Qt.Key.Key_Down)
    assert window.ui.queueTable.currentIndex().row() == 2
    press(qtbot, window, Qt.Key.Key_K)
    press(qtbot, window, Qt.Key.Key_Up)
    assert window.ui.queueTable.currentIndex().row() == 0
    wait_case(qtbot, window, lambda d: d.row.summary == SELF_HARM)

    claim_first(qtbot, window)
    qtbot.waitUntil(lambda: cell(window, 0, COL_STATUS) == "In triage")
    assert cell(window, 0, COL_OWNER) == "jsmith (you)"
    assert window.ui.casePane.timeline_texts()[-1].endswith("jsmith · claimed")
    assert window.notice_text == f"You claimed case #{window.queue.case_id}."
    assert window.ui.casePane.ui.presenceLabel.text() == "Owner: you (jsmith)"


def test_a_second_sessions_claim_is_refused_naming_the_owner(
    qtbot: QtBot, window: MainWindow, staffed: Staffed
) -> None:
    d = staffed.desk
    other = d.accounts.add_user(
        staffed.admin_token, "rpatel", "R. Patel", Role.OPERATOR, "a long pass phrase 2026"
    )
    rpatel = staffed.sign_in(Person("rpatel", "a long pass phrase 2026", other.seed, Role.OPERATOR))
    case_id = window.queue.case_id
    assert case_id is not None and cell(window, 0, COL_OWNER) == ""  # the window has not seen
    d.cases.claim(rpatel, case_id)

    press(qtbot, window, Qt.Key.Key_Return)
    settle(qtbot, window)
    (message,) = boxes(window)
    assert message.startswith(f"Case #{case_id} is already owned by rpatel (claimed ")
    assert window.notice_text == message
    qtbot.waitUntil(lambda: cell(window, 0, COL_OWNER) == "rpatel")  # the row is fresh again
    assert d.queue.detail(staffed.admin_token, case_id).row.owner == "rpatel"


def test_typing_in_search_filters_after_a_pause(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, Qt.Key.Key_Slash)
    search = window.ui.filterBar.ui.searchEdit
    assert search.hasFocus()
    qtbot.keyClicks(search, "knife")
    assert window.queue.model.rowCount() == 6  # not yet: it waits for typing to pause
    qtbot.waitUntil(lambda: texts(window) == [KNIFE])
    assert (
        window.ui.queueFooterLabel.text()
        == "1 case matches · P1 first, then oldest · 1 filter on (Esc clears)"
    )
    wait_case(qtbot, window, lambda d: d.row.summary == KNIFE)

    press(qtbot, window, Qt.Key.Key_Return)  # Enter in the search box: to the queue, no claim
    assert window.ui.queueTable.hasFocus()
    assert window.queue.selected_row().status == "new"  # type: ignore[union-attr]

    press(qtbot, window, Qt.Key.Key_Escape)  # clears every filter
    qtbot.waitUntil(lambda: len(texts(window)) == 6)
    assert search.text() == ""


@pytest.mark.parametrize(
    ("combo", "choice", "expected"),
    [
        ("priorityCombo", "P1 only", {SELF_HARM, KNIFE}),
        ("riskCombo", "Self-harm", {SELF_HARM}),
        ("riskCombo", "Any risk matched", {SELF_HARM, KNIFE}),
        ("platformCombo", "Facebook", {"Lovely community event"}),
        ("accountCombo", "Exampleshire Police (Facebook)", {"Lovely community event"}),
        ("kindCombo", "Mention", {"Great work today officers"}),
        ("statusCombo", "Closed", set()),
        ("ownerCombo", "Mine", set()),
        ("ownerCombo", "Unassigned", None),  # all six
    ],
)
def test_each_filter_narrows_the_queue(
    qtbot: QtBot, window: MainWindow, combo: str, choice: str, expected: set[str] | None
) -> None:
    bar = window.ui.filterBar
    bar.choose(getattr(bar.ui, combo), choice)
    everything = set(texts(window))
    if expected is None:
        qtbot.waitUntil(lambda: not window.queue.model.loading)
        assert len(everything) == 6
        return
    qtbot.waitUntil(lambda: set(texts(window)) == expected)
    if not expected:
        assert window.ui.casePane.ui.emptyLabel.text() == (
            "No cases match these filters. Esc clears them."
        )


def test_filters_combine(qtbot: QtBot, window: MainWindow) -> None:
    bar = window.ui.filterBar
    bar.choose(bar.ui.priorityCombo, "P1 only")
    bar.choose(bar.ui.platformCombo, "X")
    type_into(qtbot, bar.ui.searchEdit, "tonight")
    qtbot.waitUntil(lambda: texts(window) == [SELF_HARM])
    bar.choose(bar.ui.platformCombo, "Facebook")
    qtbot.waitUntil(lambda: texts(window) == [])
    assert bar.active_filters() == 3


def test_matched_words_are_highlighted_exactly(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.ui.casePane
    detail = pane.detail
    assert detail is not None and detail.row.summary == SELF_HARM
    (shown,) = pane.item_ranges
    (item_view,) = detail.items
    spans = sorted(span for m in item_view.matches for span in m.spans)
    assert spans
    assert pane.highlighted() == [(shown.start + a, shown.start + b) for a, b in spans]
    text = pane.plain_text()
    assert [text[a:b] for a, b in pane.highlighted()] == [SELF_HARM[a:b] for a, b in spans]
    # not colour alone: bold and underlined too
    document = pane.ui.itemTextView.document()
    block = document.findBlock(shown.start + spans[0][0])
    marked: QTextCharFormat | None = None
    it = block.begin()
    while not it.atEnd():
        if it.fragment().charFormat().boolProperty(HIGHLIGHT_PROPERTY):
            marked = it.fragment().charFormat()
        it += 1
    assert marked is not None
    assert marked.fontUnderline() and marked.fontWeight() >= 700
    assert marked.background().color().name() == "#ffd54a"


def test_note_thrive_and_close_through_the_dialogs(qtbot: QtBot, window: MainWindow) -> None:
    claim_first(qtbot, window)
    case_id = window.queue.case_id

    press(qtbot, window, Qt.Key.Key_N)
    note = window.queue.dialog
    assert isinstance(note, TextEntryDialog) and note.isVisible()
    activate(qtbot, note)
    qtbot.keyClicks(note.ui.textEdit, "Crisis line details sent by DM")
    qtbot.keyClick(note.ui.textEdit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.queue.dialog is None)
    wait_case(qtbot, window, lambda d: d.timeline[-1].text == "Crisis line details sent by DM")

    press(qtbot, window, Qt.Key.Key_T)
    pane = window.ui.casePane
    assert pane.ui.threatEdit.hasFocus()
    for factor, edit in pane.thrive_edits().items():
        type_into(qtbot, edit, THRIVE[factor])
    pane.ui.gradeCombo.setCurrentIndex(pane.ui.gradeCombo.findData("immediate"))
    press(qtbot, window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_case(qtbot, window, lambda d: d.row.grade == "immediate")
    assert pane.detail is not None and pane.detail.assessments[-1].factors == THRIVE
    assert "Assessed: version 1 by jsmith" in pane.ui.thriveStatusLabel.text()
    dismiss_call_for_service(qtbot, window)  # graded immediate: Desk opens call for service

    window.queue.focus_queue()
    press(qtbot, window, Qt.Key.Key_X)
    dialog = window.queue.dialog
    assert isinstance(dialog, CloseDialog) and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()  # an outcome must be chosen
    press(qtbot, window, Qt.Key.Key_Down)
    assert dialog.outcome is None  # the arrow only highlights
    press(qtbot, window, Qt.Key.Key_Space)
    assert dialog.outcome is Outcome.NO_ACTION
    for _ in range(5):
        press(qtbot, window, Qt.Key.Key_Down)
    assert dialog.outcome is Outcome.NO_ACTION  # moving on chooses nothing else
    press(qtbot, window, Qt.Key.Key_Space)
    assert dialog.outcome is Outcome.REFERRED_999
    type_into(qtbot, dialog.ui.noteEdit, "Passed to control room")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert window.queue.dialog is None
    assert window.notice_text == f"Case #{case_id} closed: Referred to 999."
    # the default view shows open cases: the closed one leaves, the next is selected
    qtbot.waitUntil(lambda: SELF_HARM not in texts(window))
    assert window.queue.case_id != case_id
    closed = window.desk.queue.detail(window.token, case_id)  # type: ignore[arg-type]
    assert closed.row.status == "closed" and closed.timeline[-1].text == "Passed to control room"


def test_a_risky_case_cannot_be_closed_until_thrive_is_saved(
    qtbot: QtBot, window: MainWindow
) -> None:
    claim_first(qtbot, window)
    press(qtbot, window, Qt.Key.Key_X)
    (message,) = boxes(window)
    assert "record a THRIVE assessment before closing it" in message
    assert window.queue.dialog is None
    pane = window.ui.casePane
    assert pane.ui.threatEdit.hasFocus()  # ready to fill in

    for box in window.findChildren(QMessageBox):
        box.close()
    for factor, edit in pane.thrive_edits().items():
        edit.setText(THRIVE[factor])
    pane.ui.gradeCombo.setCurrentIndex(pane.ui.gradeCombo.findData("priority"))
    window.ui.actionSaveAssessment.trigger()
    wait_case(qtbot, window, lambda d: d.row.grade == "priority")

    window.ui.actionCloseCase.trigger()
    dialog = window.queue.dialog
    assert isinstance(dialog, CloseDialog)
    window.queue.close_with(Outcome.REPLIED)
    settle(qtbot, window)
    assert window.queue.dialog is None
    assert window.desk.queue.count(window.token, QueueFilter(statuses=frozenset({"closed"}))) == 1


def test_an_incomplete_thrive_says_what_is_missing(qtbot: QtBot, window: MainWindow) -> None:
    claim_first(qtbot, window)
    pane = window.ui.casePane
    pane.ui.threatEdit.setText("Something")
    window.ui.actionSaveAssessment.trigger()
    settle(qtbot, window)
    assert pane.ui.thriveStatusLabel.text().startswith(
        "THRIVE is incomplete: write something for Harm"
    )
    assert pane.ui.threatEdit.text() == "Something"  # nothing typed is lost


def test_unsaved_thrive_text_survives_moving_to_another_case(
    qtbot: QtBot, window: MainWindow
) -> None:
    pane = window.ui.casePane
    first = window.queue.case_id
    press(qtbot, window, Qt.Key.Key_T)
    qtbot.keyClicks(pane.ui.threatEdit, "Half-typed threat")
    press(qtbot, window, Qt.Key.Key_Escape)  # back to the queue, not clearing filters
    assert window.ui.queueTable.hasFocus()
    press(qtbot, window, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: window.queue.case_id != first)
    assert pane.ui.threatEdit.text() == ""
    press(qtbot, window, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: window.queue.case_id == first)
    assert pane.ui.threatEdit.text() == "Half-typed threat"


def test_release_and_reopen(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, Qt.Key.Key_J)
    press(qtbot, window, Qt.Key.Key_J)  # a case with no risk
    qtbot.waitUntil(lambda: window.queue.selected_row() is not None)
    row = window.queue.selected_row()
    assert row is not None and not row.risk
    claim_first(qtbot, window)
    press(qtbot, window, Qt.Key.Key_R)
    wait_case(qtbot, window, lambda d: d.row.owner is None and d.row.status == "new")

    claim_first(qtbot, window)
    window.ui.actionCloseCase.trigger()
    window.queue.close_with(Outcome.NO_ACTION)
    bar = window.ui.filterBar
    bar.choose(bar.ui.statusCombo, "Closed")
    qtbot.waitUntil(lambda: window.queue.model.rowCount() == 1 and not window.queue.model.loading)
    wait_case(qtbot, window, lambda d: d.row.status == "closed")
    assert window.ui.actionReopen.isEnabled()
    press(qtbot, window, Qt.Key.Key_O)
    dialog = window.queue.dialog
    assert isinstance(dialog, TextEntryDialog)
    qtbot.keyClicks(dialog.ui.textEdit, "Author replied with more detail")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.queue.model.rowCount() == 0)  # no longer closed
    reopened = window.desk.queue.detail(window.token, row.case_id)
    assert reopened.row.status == "triage" and reopened.row.owner == "jsmith"


def test_assign_is_for_supervisors_only(
    qtbot: QtBot, window: MainWindow, make_window: MakeWindow, staffed: Staffed
) -> None:
    assert not window.ui.actionAssign.isEnabled()
    assert window.ui.actionAssign.toolTip() == "Your role (operator) does not include this."
    enrol = staffed.desk.accounts.add_user(
        staffed.admin_token, "sgt", "Sgt Evans", Role.SUPERVISOR, "a long pass phrase 2026"
    )
    supervisor, _token = make_window(
        Person("sgt", "a long pass phrase 2026", enrol.seed, Role.SUPERVISOR)
    )
    wait_ready(qtbot, supervisor)
    assert supervisor.ui.actionAssign.isEnabled()
    supervisor.ui.actionAssign.trigger()
    settle(qtbot, supervisor)
    dialog = supervisor.queue.dialog
    assert isinstance(dialog, ChoiceDialog)
    dialog.choose("jsmith — Jo Smith")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(supervisor, 0, COL_OWNER).startswith("jsmith"))
    settle(qtbot, supervisor)
    assert any("assigned to jsmith" in n.text for n in supervisor.shell.notices.history)


def test_group_similar_closes_the_group_with_one_outcome(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    fill_queue(staffed)
    staffed.desk.importer.store(
        staffed.admin_token,
        [
            item(f"s{i}", "Is the M5 closed at junction 23 tonight?", author=f"s{i}", thread=None)
            for i in range(4)
        ],
        "similar",
    )
    window, _token = make_window(staffed.operator)
    wait_ready(qtbot, window)
    bar = window.ui.filterBar
    type_into(qtbot, bar.ui.searchEdit, "junction")
    qtbot.waitUntil(lambda: window.queue.model.rowCount() == 4)
    wait_case(qtbot, window, lambda d: "junction" in d.row.summary)
    window.ui.actionGroupSimilar.trigger()
    settle(qtbot, window)
    dialog = window.queue.dialog
    assert isinstance(dialog, CloseDialog)
    assert dialog.ui.casesList.count() == 4
    assert dialog.ok_button.text() == "Close 4 cases"
    window.queue.close_with(Outcome.REPLIED, "Replied to each with the closure notice")
    qtbot.waitUntil(lambda: window.queue.model.rowCount() == 0)
    assert window.notice_text == "4 cases closed together: Replied."


def test_a_surge_shows_the_banner(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> None:
    fill_queue(staffed)
    staffed.desk.importer.store(
        staffed.admin_token,
        [
            item(f"g{i}", f"Helicopter over the town {i}?", author=f"g{i}", minutes=5)
            for i in range(14)
        ],
        "surge",
    )
    window, _token = make_window(staffed.operator)
    qtbot.waitUntil(window.ui.surgeBanner.isVisible)
    assert window.ui.surgeLabel.text().startswith("⚠ Surge: ")
    assert "normal arrivals on X in the last 15 min" in window.ui.surgeLabel.text()
    assert window.ui.surgeGroupButton.text() == "Group similar (G)"


def test_f1_lists_every_case_menu_shortcut(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, Qt.Key.Key_F1)
    dialog = window.help.shortcuts_dialog
    assert dialog is not None and dialog.isVisible()
    sheet = dialog.text()
    case_actions = [a for a in window.ui.menuCase.actions() if not a.isSeparator()]
    # the 12 case moves, Flag as notable (for the handover), Evidence bundle, the
    # records' two: Mark as public appeal, Hold this author's records, and Add the author
    # as a suspected fake account
    assert len(case_actions) == 17
    assert "Flag as notable…" in [a.text().replace("&", "") for a in case_actions]
    lines = sheet.splitlines()
    for action in case_actions:
        keys = shortcut_text(action)
        assert keys, action.text()
        name = action.text().replace("&", "").rstrip("…")
        at = next(i for i, line in enumerate(lines) if line.startswith(name))
        assert lines[at + 1] == keys, (name, keys)
    assert "J, Down" in sheet and "Enter" in sheet and "Esc" in sheet and "Ctrl+I" in sheet


def test_every_case_action_is_in_the_menu_with_its_key(window: MainWindow) -> None:
    shown = {a.text().replace("&", ""): shortcut_text(a) for a in window.ui.menuCase.actions()}
    assert shown["Claim"] == "Enter"
    assert shown["Next case"] == "J, Down"
    assert shown["Previous case"] == "K, Up"
    assert shown["Close with outcome…"] == "X"
    assert shown["Group similar…"] == "G"


def test_the_whole_flow_needs_no_mouse(qtbot: QtBot, window: MainWindow) -> None:
    """Search, move, claim, note, close — keys only."""
    press(qtbot, window, Qt.Key.Key_Slash)
    qtbot.keyClicks(window.ui.filterBar.ui.searchEdit, "community")
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: texts(window) == ["Lovely community event"])
    wait_case(qtbot, window, lambda d: d.row.summary == "Lovely community event")
    claim_first(qtbot, window)
    press(qtbot, window, Qt.Key.Key_X)
    dialog = window.queue.dialog
    assert isinstance(dialog, CloseDialog)
    press(qtbot, window, Qt.Key.Key_Down)  # highlights the first outcome
    press(qtbot, window, Qt.Key.Key_Return)  # chooses it
    assert dialog.outcome is Outcome.NO_ACTION and dialog.isVisible()
    press(qtbot, window, Qt.Key.Key_Return)  # closes the case
    qtbot.waitUntil(lambda: texts(window) == [])
    assert window.notice_text.endswith("closed: No action needed.")
    press(qtbot, window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(texts(window)) == 5)


def test_an_administrator_sees_the_queue_but_cannot_work_it(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    fill_queue(staffed)
    window, _token = make_window(staffed.admin)
    wait_ready(qtbot, window)
    assert window.queue.model.rowCount() == 6
    assert not window.ui.actionClaim.isEnabled()
    assert window.ui.actionClaim.toolTip() == "Your role (administrator) does not include this."
    assert window.ui.actionImport.isEnabled()


def test_facebook_rows_say_facebook(window: MainWindow) -> None:
    model = window.queue.model
    platforms = {cell(window, r, COL_ACCOUNT).split(" · ")[-1] for r in range(model.rowCount())}
    assert platforms == {"X", "Facebook"}
    assert Platform.FACEBOOK.value == "facebook"


def test_letters_without_a_shortcut_do_not_jump_around_the_queue(
    qtbot: QtBot, window: MainWindow
) -> None:
    press(qtbot, window, Qt.Key.Key_J)
    press(qtbot, window, Qt.Key.Key_P)  # Qt's type-to-search would jump to the next "P…" row
    assert window.ui.queueTable.currentIndex().row() == 1


def test_locking_pauses_the_queue_and_unlocking_brings_it_back(
    qtbot: QtBot, window: MainWindow, staffed: Staffed, worker: Worker
) -> None:
    assert window.ui.actionClaim.isEnabled()
    window.lock()
    assert not window.ui.actionClaim.isEnabled()
    assert not window.queue.tick_timer.isActive()
    op = staffed.operator
    unlock(qtbot, window, worker, op.password, next_code(op.seed, staffed.clock))
    assert not window.locked
    assert window.ui.actionClaim.isEnabled()
    assert not window.ui.actionReopen.isEnabled()  # what makes no sense stays off
    assert window.queue.tick_timer.isActive()
    claim_first(qtbot, window)  # with the new session's token


def test_selecting_a_case_tells_others_who_is_viewing_it(
    qtbot: QtBot, window: MainWindow, staffed: Staffed
) -> None:
    first = window.queue.case_id
    assert first is not None
    viewers = staffed.desk.cases.viewers
    qtbot.waitUntil(lambda: viewers(staffed.admin_token, [first]) == {first: ["jsmith"]})
    press(qtbot, window, Qt.Key.Key_J)
    second = window.queue.model.case_id_at(1)
    assert second is not None
    qtbot.waitUntil(lambda: viewers(staffed.admin_token, [first, second]) == {second: ["jsmith"]})
    staffed.desk.cases.viewing(staffed.admin_token, second)
    window.queue.refresh_presence()
    qtbot.waitUntil(lambda: cell(window, 1, COL_OWNER) == "admin viewing")
    qtbot.waitUntil(lambda: "admin viewing now" in window.ui.casePane.ui.presenceLabel.text())


def test_shortcut_letters_still_work_from_the_read_only_text(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.ui.casePane.ui.itemTextView.setFocus()
    press(qtbot, window, Qt.Key.Key_J)
    assert window.ui.queueTable.currentIndex().row() == 1
    press(qtbot, window, Qt.Key.Key_Down)  # scrolls the text, does not move the queue
    assert window.ui.queueTable.currentIndex().row() == 1


def test_the_operator_says_what_risk_they_see_and_it_is_kept(
    qtbot: QtBot, window: MainWindow
) -> None:
    claim_first(qtbot, window)
    pane = window.ui.casePane
    row = window.queue.selected_row()
    assert row is not None and row.risk
    assert pane.risk_seen.seen() == list(row.risk)  # the rules' categories, to start with
    assert pane.ui.riskSeenButton.text() == ", ".join(risk_label(c) for c in row.risk)
    pane.risk_seen.actions["hate"].trigger()  # the operator sees hate too
    for factor, edit in pane.thrive_edits().items():
        edit.setText(THRIVE[factor])
    pane.ui.gradeCombo.setCurrentIndex(pane.ui.gradeCombo.findData("priority"))
    assert "hate" in pane.thrive_values()["risk_seen"].split(",")
    window.ui.actionSaveAssessment.trigger()
    wait_case(qtbot, window, lambda d: d.row.grade == "priority")
    detail = window.desk.queue.detail(window.token, row.case_id)  # type: ignore[arg-type]
    assert "hate" in detail.assessments[-1].risk_seen.split(",")


def test_a_case_no_rule_matched_reads_not_yet_assessed(window: MainWindow) -> None:
    model = window.ui.queueTable.model()
    risks = [model.index(r, COL_RISK).data() for r in range(model.rowCount())]
    rows = [model.index(r, COL_RISK).data(ROW_ROLE) for r in range(model.rowCount())]
    unmatched = [text for text, row in zip(risks, rows, strict=True) if not row.risk]
    assert unmatched and set(unmatched) == {"not yet assessed"}
