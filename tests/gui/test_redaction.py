"""Redaction from the case pane: select personal data in the item text, say why, it is gone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot

from desk.core.queue_filter import QueueFilter
from desk.core.roles import Role
from desk.gui.case_dialogs import RedactDialog
from desk.gui.case_pane import document_offsets
from desk.gui.keys import shortcut_text
from desk.gui.main_window import MainWindow
from desk.gui.queue_model import COL_TEXT
from desk.services.case_views import CaseDetail
from tests.conftest import Person, Staffed
from tests.gui.conftest import activate, settle
from tests.gui.queue_fixtures import (
    MakeWindow,
    add_accounts,
    cell,
    dismiss_call_for_service,
    wait_ready,
)
from tests.gui.test_queue_window import boxes, press, wait_case
from tests.services.helpers import item

PHONE = "07700 900123"
# a matched word highlighted before the number, an emoji (two UTF-16 units in the document)
# and a CR LF (one block break in the document): the pane's positions are not the text's
TEXT = f"There's a man with a knife 🔪 outside my flat\r\nCall me on {PHONE} if you need a witness"
SECOND = "He has gone towards the station now"
REDACTED_TEXT = TEXT.replace(PHONE, "[redacted]")
NO_SELECTION = "Select the personal data in the item text first."


def store_case(staffed: Staffed, first: str = TEXT) -> None:
    """One case of two items by the same author on the same thread."""
    staffed.clock.advance(minutes=10)
    add_accounts(staffed)
    staffed.desk.importer.store(
        staffed.admin_token,
        [
            item("r1", first, author="u7", handle="@wit", minutes=1),
            item("r2", SECOND, author="u7", handle="@wit", minutes=2),
        ],
        "test",
    )


def claim(qtbot: QtBot, window: MainWindow, immediate: bool = True) -> None:
    window.ui.actionClaim.trigger()
    wait_case(qtbot, window, lambda d: d.row.owner == "jsmith")
    if immediate:
        dismiss_call_for_service(qtbot, window)  # a knife: crime in progress


@pytest.fixture
def window(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> MainWindow:
    """The operator's window on the witness's case, claimed and shown in full."""
    store_case(staffed)
    made, _token = make_window(staffed.operator)
    wait_ready(qtbot, made)
    activate(qtbot, made)
    claim(qtbot, made)
    return made


def detail(window: MainWindow) -> CaseDetail:
    case_id = window.queue.case_id
    assert case_id is not None
    return window.desk.queue.detail(window.token, case_id)


def first_item_text(window: MainWindow) -> str:
    return detail(window).items[0].text


def select(window: MainWindow, start: str, end: str | None = None) -> None:
    """Select from the first ``start`` shown to the end of the next ``end`` (or of ``start``).

    Through the text view's own QTextCursor, as a person's mouse or Shift+arrows selection is.
    """
    view = window.ui.casePane.ui.itemTextView
    found = view.document().find(start)
    assert not found.isNull(), start
    if end is not None:
        last = view.document().find(end, found.selectionEnd())
        assert not last.isNull(), end
        found.setPosition(found.selectionStart())
        found.setPosition(last.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(found)


def redact_dialog(qtbot: QtBot, window: MainWindow) -> RedactDialog:
    window.queue.action_redact.trigger()
    dialog = window.queue.dialog
    assert isinstance(dialog, RedactDialog) and dialog.isVisible()
    activate(qtbot, dialog)
    return dialog


def test_the_action_is_in_the_case_menu_and_the_cheat_sheet(
    qtbot: QtBot, window: MainWindow
) -> None:
    action = window.queue.action_redact
    assert action in window.ui.menuCase.actions()
    assert action.text().replace("&", "") == "Redact selection…"
    assert shortcut_text(action) == "Ctrl+Shift+R"
    assert action.isEnabled()
    press(qtbot, window, Qt.Key.Key_F1)
    sheet = window.help.shortcuts_dialog
    assert sheet is not None
    lines = sheet.text().splitlines()
    assert lines[lines.index("Redact selection") + 1] == "Ctrl+Shift+R"


def test_the_item_text_can_be_selected_with_the_keyboard(window: MainWindow) -> None:
    view = window.ui.casePane.ui.itemTextView
    assert view.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert view.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard


def test_redacting_the_selected_phone_number(qtbot: QtBot, window: MainWindow) -> None:
    token = window.token
    search = QueueFilter(search=PHONE)
    assert window.desk.queue.count(token, search) == 1
    select(window, PHONE)

    dialog = redact_dialog(qtbot, window)
    assert dialog.selected_view.toPlainText() == PHONE
    assert "12 characters of item 1 of 2" in dialog.intro_label.text()
    assert not dialog.ok_button.isEnabled()  # a reason first
    dialog.choose("phone number")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert window.queue.dialog is None
    case_id = window.queue.case_id
    assert window.notice_text == f"Redacted 12 characters in case #{case_id}."

    pane = window.ui.casePane
    qtbot.waitUntil(lambda: "[redacted]" in pane.plain_text())
    assert "Call me on [redacted] if you need a witness" in pane.plain_text()
    assert PHONE not in pane.plain_text()
    # exactly the number went: what is before it (emoji, CR LF, highlight) is intact
    assert first_item_text(window) == REDACTED_TEXT
    assert "REDACTED" in pane.plain_text()  # the item's heading says so
    assert pane.timeline_texts()[-1].endswith("jsmith · redacted 12 characters: phone number")

    shown = detail(window)
    assert PHONE not in repr(shown) and "900123" not in repr(shown)
    assert window.desk.queue.count(token, search) == 0
    assert window.desk.queue.count(token, QueueFilter(search="900123")) == 0
    row = window.queue.model.row_of(case_id)  # type: ignore[arg-type]
    assert row is not None
    assert PHONE not in cell(window, row, COL_TEXT)


def test_the_reason_can_have_details_and_other_needs_them(qtbot: QtBot, window: MainWindow) -> None:
    select(window, PHONE)
    dialog = redact_dialog(qtbot, window)
    dialog.choose("other")
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.details_edit, f"witness's own {PHONE}")
    assert not dialog.ok_button.isEnabled()  # the reason would keep what is taken out
    assert dialog.message_label.text() == (
        "The details repeat the text being redacted: leave it out."
    )
    dialog.details_edit.clear()
    qtbot.keyClicks(dialog.details_edit, "witness's own mobile")
    assert dialog.message_label.isHidden()
    qtbot.keyClick(dialog.details_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert window.queue.dialog is None
    wait_case(qtbot, window, lambda d: d.timeline[-1].kind == "redact")
    assert detail(window).timeline[-1].text == "redacted 12 characters: witness's own mobile"


def test_without_a_selection_it_says_what_to_do(window: MainWindow) -> None:
    window.queue.action_redact.trigger()
    assert window.queue.dialog is None
    assert boxes(window) == [NO_SELECTION]
    assert window.notice_text == NO_SELECTION
    assert first_item_text(window) == TEXT


def test_cancel_changes_nothing(qtbot: QtBot, window: MainWindow) -> None:
    before = detail(window)
    select(window, PHONE)
    dialog = redact_dialog(qtbot, window)
    dialog.choose("phone number")
    cancel = dialog.button_box.button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.queue.dialog is None
    after = detail(window)
    assert after.items == before.items and after.timeline == before.timeline
    assert PHONE in window.ui.casePane.plain_text()


def test_a_selection_over_two_items_is_refused(window: MainWindow) -> None:
    select(window, "witness", "station")
    window.queue.action_redact.trigger()
    assert window.queue.dialog is None
    assert boxes(window) == [
        "The selection runs over more than one item. Select the personal data within one "
        "item's text."
    ]
    assert first_item_text(window) == TEXT


@pytest.mark.parametrize("start", ["Wit (@wit)", "open on X"])
def test_a_selection_outside_the_item_text_is_refused(window: MainWindow, start: str) -> None:
    select(window, start)  # the heading line: author, link
    window.queue.action_redact.trigger()
    assert window.queue.dialog is None
    assert boxes(window) == [
        "Select the personal data within an item's text, not its heading, link or media lines."
    ]


def test_a_selection_running_from_the_heading_into_the_text_is_refused(
    window: MainWindow,
) -> None:
    select(window, "open on X", "There's")
    window.queue.action_redact.trigger()
    assert window.queue.dialog is None
    assert len(boxes(window)) == 1


def test_keys_only_select_with_shift_arrows_and_redact_with_ctrl_shift_r(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.ui.casePane.ui.itemTextView
    caret = view.document().find(PHONE)
    caret.setPosition(caret.selectionStart())  # the caret just before the number
    view.setTextCursor(caret)
    view.setFocus(Qt.FocusReason.TabFocusReason)
    for _ in PHONE:
        press(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.textCursor().selectedText() == PHONE
    assert window.ui.queueTable.currentIndex().row() == 0  # the arrows did not move the queue
    press(
        qtbot,
        window,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.queue.dialog
    assert isinstance(dialog, RedactDialog)
    activate(qtbot, dialog)
    assert dialog.reason_combo.hasFocus()
    press(qtbot, window, Qt.Key.Key_Down)  # the first reason: phone number
    assert dialog.reason == "phone number"
    press(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_case(qtbot, window, lambda d: d.items[0].text == REDACTED_TEXT)


def test_someone_elses_case_gets_the_services_refusal(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    store_case(staffed)
    d = staffed.desk
    other = d.accounts.add_user(
        staffed.admin_token, "rpatel", "R. Patel", Role.OPERATOR, "a long pass phrase 2026"
    )
    rpatel = staffed.sign_in(Person("rpatel", "a long pass phrase 2026", other.seed, Role.OPERATOR))
    window, _token = make_window(staffed.operator)
    wait_ready(qtbot, window)
    case_id = window.queue.case_id
    assert case_id is not None
    d.cases.claim(rpatel, case_id)
    select(window, PHONE)
    dialog = redact_dialog(qtbot, window)
    dialog.choose("phone number")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert dialog.isVisible()  # kept open with the service's word
    assert dialog.message_label.text() == f"Case #{case_id} is owned by rpatel."
    said = [n.text for n in window.shell.notices.history]
    assert f"Case #{case_id} is owned by rpatel." in said
    assert first_item_text(window) == TEXT


def test_an_item_changed_since_selecting_is_not_redacted_at_stale_offsets(
    qtbot: QtBot, window: MainWindow, staffed: Staffed
) -> None:
    select(window, PHONE)
    dialog = redact_dialog(qtbot, window)
    item_id = detail(window).items[0].id
    window.desk.cases.redact(window.token, item_id, 0, 7, "name of a third party")  # "There's"
    dialog.choose("phone number")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert dialog.isVisible()
    assert dialog.message_label.text().startswith("The item's text changed after you selected")
    assert first_item_text(window) == "[redacted]" + TEXT[7:]  # the number is still there


def test_the_right_click_menu_offers_redaction(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.ui.casePane
    pane._text_menu(pane.ui.itemTextView.rect().center())
    menu = pane.text_menu
    assert menu is not None
    assert window.queue.action_redact in menu.actions()
    menu.close()


def test_document_offsets_follow_how_qt_lays_out_text() -> None:
    # CR LF is one position; an emoji is two (None between its halves)
    assert document_offsets("a\r\nb😀c", 10) == [11, 13, 14, None, 15, 16]
    assert document_offsets("\r\r\n", 0) == [1, 3]


def test_a_number_in_the_first_line_leaves_the_queue_row(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    store_case(staffed, first=f"Ring {PHONE} now please")
    window, _token = make_window(staffed.operator)
    wait_ready(qtbot, window)
    claim(qtbot, window, immediate=False)
    select(window, PHONE)
    dialog = redact_dialog(qtbot, window)
    dialog.choose("phone number")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_case(qtbot, window, lambda d: d.items[0].text == "Ring [redacted] now please")
    assert PHONE not in repr(detail(window))


def test_the_button_under_the_item_text_redacts_the_selection(
    qtbot: QtBot, window: MainWindow
) -> None:
    button = window.ui.casePane.findChild(QPushButton, "actionRedactButton")
    assert isinstance(button, QPushButton)
    assert button.text() == "Redact selection (Ctrl+Shift+R)"
    select(window, PHONE)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the focus leaves the text: it stays
    dialog = window.queue.dialog
    assert isinstance(dialog, RedactDialog)
    assert dialog.selected_view.toPlainText() == PHONE
    dialog.reject()
