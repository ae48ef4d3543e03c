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
from desk.gui.template_picker import TemplatePicker
from desk.store.tables import Template, TemplateVersion
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.gui.queue_fixtures import MakeWindow, fill_queue, wait_ready
from tests.gui.test_queue_window import press, wait_case


@pytest.fixture
def window(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> MainWindow:
    """The operator's window over six cases, on the Welsh one, claimed."""
    fill_queue(staffed)
    made, _token = make_window(staffed.operator)
    wait_ready(qtbot, made)
    made.activateWindow()
    qtbot.waitUntil(made.isActiveWindow)
    made.queue.focus_queue()
    model = made.queue.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).summary.startswith("Diolch"))
    made.queue._select(row)
    wait_case(qtbot, made, lambda d: d.row.summary.startswith("Diolch"))
    press(qtbot, made, Qt.Key.Key_Return)
    wait_case(qtbot, made, lambda d: d.row.owner == "jsmith")
    return made


def _picker(qtbot: QtBot, window: MainWindow) -> TemplatePicker:
    press(qtbot, window, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier)
    picker = window.replies.dialog
    assert isinstance(picker, TemplatePicker) and picker.isVisible()
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
    assert not picker.isVisible()
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
    picker = window.open_template_picker(case_id, "call-999-now")
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
    assert "waits for approval" in window.notice_text
    wait_case(qtbot, window, lambda d: "awaiting approval" in d.timeline[-1].text)

    sue = staffed.desk.accounts.add_user(
        staffed.admin_token, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD
    )
    boss, _token = make_window(Person("sgreen", USER_PASSWORD, sue.seed, Role.SUPERVISOR))
    wait_ready(qtbot, boss)
    approvals = boss.replies.open_approvals()
    assert isinstance(approvals, ApprovalsDialog)
    assert [r.text for r in approvals.replies] == ["Diolch, Dewi!"]
    qtbot.mouseClick(approvals.approve_button, Qt.MouseButton.LeftButton)
    assert approvals.replies == []
    assert QApplication.clipboard().text() == "Diolch, Dewi!"
    approvals.close()
