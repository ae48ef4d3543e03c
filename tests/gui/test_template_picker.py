"""Replying from the queue window: Shift+T, the picker, Copy and record, approvals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desk.core.roles import Role
from desk.core.templates import TemplateKind
from desk.gui.main_window import MainWindow
from desk.gui.reply_actions import ApprovalsDialog, FreeTextReplyDialog
from desk.gui.template_picker import CaseContext, TemplatePicker
from desk.store.tables import Template, TemplateVersion
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.gui.conftest import activate, settle
from tests.gui.queue_fixtures import MakeWindow, fill_queue, wait_ready
from tests.gui.test_queue_window import press, wait_case


@pytest.fixture
def window(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> MainWindow:
    """The operator's window over six cases, on the Welsh one, claimed."""
    fill_queue(staffed)
    staffed.desk.settings.set(staffed.admin_token, "force_name", "Exampleshire Police")
    made, _token = make_window(staffed.operator)
    wait_ready(qtbot, made)
    activate(qtbot, made)
    made.queue.focus_queue()
    model = made.queue.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).summary.startswith("Diolch"))
    made.queue.select(row)
    wait_case(qtbot, made, lambda d: d.row.summary.startswith("Diolch"))
    press(qtbot, made, Qt.Key.Key_Return)
    wait_case(qtbot, made, lambda d: d.row.owner == "jsmith")
    return made


def _picker(qtbot: QtBot, window: MainWindow) -> TemplatePicker:
    press(qtbot, window, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(window.replies.dialog, TemplatePicker), timeout=10_000)
    picker = window.replies.dialog
    assert isinstance(picker, TemplatePicker)
    qtbot.waitUntil(picker.isVisible)
    return picker


def test_shift_t_picks_a_template_in_welsh_and_copy_and_record_puts_it_on_the_case(
    qtbot: QtBot, window: MainWindow
) -> None:
    picker = _picker(qtbot, window)
    assert picker.welsh_radio.isChecked()  # the item was written in Welsh
    qtbot.keyClicks(picker.search_edit, "passed")
    assert picker.key == "public-reply-thanks"
    qtbot.waitUntil(picker.copy_button.isEnabled, timeout=10_000)
    assert picker.missing_label.text() == "Missing: none"
    assert picker.open_button.isEnabled()  # the item has a link
    text = picker.preview_edit.toPlainText()
    assert text.startswith("Diolch am eich neges, @dewi.") and "DD-0000" in text
    qtbot.mouseClick(picker.copy_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert window.replies.dialog is None  # recorded: the picker closed
    assert QApplication.clipboard().text() == text
    wait_case(qtbot, window, lambda d: text in d.timeline[-1].text)
    assert "public-reply-thanks v1, Cymraeg" in window.ui.casePane.detail.timeline[-1].text
    assert "Reply recorded on case" in window.notice_text


def test_a_template_that_cannot_be_filled_is_disabled_with_the_reason(
    qtbot: QtBot, window: MainWindow, staffed: Staffed
) -> None:
    d = staffed.desk
    with d.ctx.db.write() as s:  # written before {postcode} was dropped: Desk must refuse it
        t = Template(key="old-postcode", kind=TemplateKind.PUBLIC_REPLY.value, title="Old postcode")
        s.add(t)
        s.flush()
        s.add(
            TemplateVersion(
                template_id=t.id, version=1, status="approved", text_en="Hi {author} in {postcode}",
                text_cy="", created_at=datetime(2026, 1, 1, tzinfo=UTC), created_by="system",
            )
        )  # fmt: skip
    picker = _picker(qtbot, window)
    picker.set_language("en")
    assert picker.select("old-postcode")
    qtbot.waitUntil(
        lambda: "Missing:" in picker.missing_label.text() and picker.rendered is not None
    )
    assert "unknown variable {postcode}" in picker.missing_label.text()
    assert not picker.copy_button.isEnabled() and not picker.open_button.isEnabled()
    assert "{postcode}" in picker.copy_button.toolTip()

    assert picker.select("hide-notice")  # needs the guideline broken
    qtbot.waitUntil(
        lambda: picker.rendered is not None and picker.rendered.template.key == "hide-notice"
    )
    assert picker.rule_combo.isVisible()
    assert not picker.copy_button.isEnabled()
    assert "community guideline" in picker.missing_label.text()
    picker.choose_rule("CG-1")
    qtbot.waitUntil(picker.copy_button.isEnabled, timeout=10_000)
    assert "CG-1 (Abusive or threatening language)" in picker.preview_edit.toPlainText()
    picker.reject()


def test_the_call_999_script_can_be_preselected(qtbot: QtBot, window: MainWindow) -> None:
    case_id = window.queue.case_id
    assert case_id is not None
    window.open_template_picker(case_id, "call-999-now")
    settle(qtbot, window)
    picker = window.replies.dialog
    assert isinstance(picker, TemplatePicker) and picker.key == "call-999-now"
    picker.set_language("en")
    qtbot.waitUntil(picker.copy_button.isEnabled, timeout=10_000)
    assert picker.preview_edit.toPlainText().startswith(
        "If you or someone else is in immediate danger, call 999 now."
    )
    picker.reject()


def test_free_text_waits_for_a_supervisors_approval(
    qtbot: QtBot, window: MainWindow, make_window: MakeWindow, staffed: Staffed
) -> None:
    press(qtbot, window, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    dialog = window.replies.dialog
    assert isinstance(dialog, FreeTextReplyDialog)
    qtbot.keyClicks(dialog.text_edit, "Diolch, Dewi!")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert "waits for approval" in window.notice_text
    wait_case(qtbot, window, lambda d: "awaiting approval" in d.timeline[-1].text)

    sue = staffed.desk.accounts.add_user(
        staffed.admin_token, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD
    )
    boss, _token = make_window(Person("sgreen", USER_PASSWORD, sue.seed, Role.SUPERVISOR))
    wait_ready(qtbot, boss)
    approvals = boss.replies.open_approvals()
    assert isinstance(approvals, ApprovalsDialog)
    settle(qtbot, boss)
    assert [r.text for r in approvals.replies] == ["Diolch, Dewi!"]
    qtbot.mouseClick(approvals.approve_button, Qt.MouseButton.LeftButton)
    settle(qtbot, boss)
    assert approvals.replies == []
    assert QApplication.clipboard().text() == "Diolch, Dewi!"
    approvals.close()


def _case_picker(
    qtbot: QtBot, window: MainWindow, staffed: Staffed, case: CaseContext
) -> TemplatePicker:
    """A picker over the approved templates for a case with ``case``'s risk and platform."""
    token = staffed.sign_in(staffed.operator)
    case_id = window.queue.case_id
    assert case_id is not None
    picker = TemplatePicker(
        f"#{case_id}",
        staffed.desk.templates.list(token),
        staffed.desk.templates.guidelines(token),
        lambda key, lang, rule: staffed.desk.templates.render(token, case_id, key, lang, rule=rule),
        window.shell,
        case=case,
    )
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    return picker


def test_a_search_for_999_puts_the_999_signpost_first(qtbot: QtBot, window: MainWindow) -> None:
    picker = _picker(qtbot, window)
    qtbot.keyClicks(picker.search_edit, "999")
    assert picker.keys[0] == "call-999-now"  # "999" in its title, not only in its wording
    assert "report-101-online" in picker.keys  # mentions 999 in its wording: after it
    assert picker.key == "call-999-now"
    picker.reject()


def test_a_threat_to_life_case_suggests_the_999_signpost_first_not_an_appeal(
    qtbot: QtBot, window: MainWindow, staffed: Staffed
) -> None:
    picker = _case_picker(
        qtbot, window, staffed, CaseContext(risk=("threat_to_life",), platform="x")
    )
    assert picker.keys[0] == "call-999-now"
    assert picker.keys[-1] == "appeal-acknowledgement"
    hate = _case_picker(qtbot, window, staffed, CaseContext(risk=("hate",), platform="x"))
    assert hate.keys[0] == "hide-notice"
    dm = _case_picker(qtbot, window, staffed, CaseContext(platform="x", item_kind="direct_message"))
    assert dm.keys[0] == "private-reply-received"


def test_down_in_the_search_field_moves_through_the_list(qtbot: QtBot, window: MainWindow) -> None:
    picker = _picker(qtbot, window)
    assert picker.search_edit.hasFocus()
    first, second = picker.keys[0], picker.keys[1]
    assert picker.key == first
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Down)
    assert picker.key == second
    assert picker.search_edit.hasFocus()  # still typing: the list follows
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Up)
    assert picker.key == first
    picker.reject()


def test_the_reply_is_counted_against_the_platforms_limit(
    qtbot: QtBot, window: MainWindow, staffed: Staffed
) -> None:
    picker = _case_picker(qtbot, window, staffed, CaseContext(platform="x"))
    picker.set_language("en")
    assert picker.select("public-reply-thanks")
    qtbot.waitUntil(picker.copy_button.isEnabled, timeout=10_000)
    n = len(picker.preview_edit.toPlainText())
    assert picker.count_label.text() == f"{n} / 280"
    assert picker.count_label.property("kind") == ""
    tiktok = _case_picker(qtbot, window, staffed, CaseContext(platform="tiktok"))
    tiktok.set_language("en")
    assert tiktok.select("call-999-now")
    qtbot.waitUntil(tiktok.copy_button.isEnabled, timeout=10_000)
    n = len(tiktok.preview_edit.toPlainText())
    assert n > 150
    assert tiktok.count_label.text().startswith(f"{n} / 150: {n - 150} too many for TikTok")
    assert tiktok.count_label.property("kind") == "error"  # the warning colour, and words


def test_ctrl_enter_records_a_reply_as_it_saves_a_note(qtbot: QtBot, window: MainWindow) -> None:
    picker = _picker(qtbot, window)
    qtbot.keyClicks(picker.search_edit, "passed")
    qtbot.waitUntil(picker.copy_button.isEnabled, timeout=10_000)
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert window.replies.dialog is None
    wait_case(qtbot, window, lambda d: "public-reply-thanks" in d.timeline[-1].text)

    press(qtbot, window, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    dialog = window.replies.dialog
    assert isinstance(dialog, FreeTextReplyDialog)
    activate(qtbot, dialog)
    qtbot.keyClicks(dialog.text_edit, "Diolch, Dewi!")
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert window.replies.dialog is None
    assert "waits for approval" in window.notice_text


def test_a_supervisor_is_told_that_replies_await_approval(
    qtbot: QtBot, window: MainWindow, make_window: MakeWindow, staffed: Staffed
) -> None:
    sue = staffed.desk.accounts.add_user(
        staffed.admin_token, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD
    )
    boss, _token = make_window(Person("sgreen", USER_PASSWORD, sue.seed, Role.SUPERVISOR))
    wait_ready(qtbot, boss)
    settle(qtbot, boss)
    assert boss.replies.waiting == 0 and "approval" not in boss.notice_text

    case_id = window.queue.case_id
    assert case_id is not None
    staffed.desk.replies.reply(window.token, case_id, "Diolch, Dewi!", language="cy")
    boss.replies.approvals_poller.poll()  # its timer does this every minute
    settle(qtbot, boss)
    assert "1 reply waits for your approval" in boss.notice_text
    assert boss.notices.current is not None and boss.notices.current.to_do  # stays until Done
    assert "Replies awaiting approval 1" in boss.replies.status_text()
    assert boss.replies.action_approvals.text() == "Pending &approvals (1)…"  # in the menu

    # signing in with replies waiting says so at once
    later, _token = make_window(Person("sgreen", USER_PASSWORD, sue.seed, Role.SUPERVISOR))
    wait_ready(qtbot, later)
    settle(qtbot, later)
    assert "1 reply waits for your approval" in later.notice_text
    # an operator, who cannot approve, is not asked
    assert window.replies.waiting is None
