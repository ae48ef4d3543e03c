"""Admin → Retention periods…: the force's own values set in a table, refused naming the class
when wrong (nothing changed), saved as one audited change; and the information manager's
window: the Records menu, records work on, case work off."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desk.core.retention import EndAction, RecordClass
from desk.core.roles import Role
from desk.gui.main_window import MainWindow
from desk.gui.retention_rules_dialog import CLASS, MONTH, RetentionRulesDialog
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.gui.conftest import settle, type_into
from tests.gui.queue_fixtures import MakeWindow, fill_queue, wait_ready


def open_rules(qtbot: QtBot, window: MainWindow) -> RetentionRulesDialog:
    action = window.retention_rules.action
    assert action.isEnabled() and action in window.ui.menuAdmin.actions()
    action.trigger()
    settle(qtbot, window)
    dialog = window.retention_rules.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def test_an_administrator_sets_the_periods_in_one_audited_change(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.admin)
    dialog = open_rules(qtbot, window)
    table = dialog.ui.rulesTable
    assert [table.item(r, CLASS).text() for r in range(table.rowCount())] == [
        c.value for c in RecordClass
    ]
    unactioned = dialog.periods[RecordClass.UNACTIONED]
    assert (unactioned.count.value(), unactioned.unit.currentText()) == (90, "days")
    assert not dialog.save_button.isEnabled()  # nothing changed yet

    unactioned.count.setValue(30)
    replies = dialog.periods[RecordClass.REPLIES]
    replies.count.setValue(18)
    replies.unit.setCurrentIndex(replies.unit.findData(MONTH))
    end = dialog.ends[RecordClass.REPLIES]
    end.setCurrentIndex(end.findData(EndAction.DELETE))
    assert table.item(0, CLASS).font().bold()  # a changed row says so
    click(qtbot, dialog.save_button)
    settle(qtbot, window)

    rules = staffed.desk.retention.rules()
    assert rules[RecordClass.UNACTIONED].days == 30
    assert (rules[RecordClass.REPLIES].days, rules[RecordClass.REPLIES].action) == (
        18 * 30,
        EndAction.DELETE,
    )
    assert rules[RecordClass.ESCALATED].days == 6 * 365  # untouched
    assert dialog.ui.messageLabel.text() == "Saved."
    assert "Retention periods saved (unactioned, replies)." in window.notice_text
    assert not dialog.save_button.isEnabled()
    changes = staffed.desk.audit.entries(staffed.admin_token, 5, "setting.change")
    assert [c.object for c in changes] == ["setting:retention_rules"]


def test_a_wrong_period_is_refused_naming_the_class_and_changes_nothing(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    before = staffed.desk.retention.rules()
    window, _token = make_window(staffed.admin)
    dialog = open_rules(qtbot, window)
    moderation = dialog.periods[RecordClass.MODERATION]
    moderation.unit.setCurrentIndex(0)  # days
    moderation.count.setValue(30)
    click(qtbot, dialog.save_button)
    settle(qtbot, window)
    message = dialog.ui.messageLabel
    assert message.isVisible() and "moderation must be kept at least 91d" in message.text()
    assert dialog.ui.rulesTable.currentRow() == list(RecordClass).index(RecordClass.MODERATION)
    assert moderation.days == 30  # what was set stays, to correct it
    assert staffed.desk.retention.rules() == before
    assert staffed.desk.audit.entries(staffed.admin_token, 5, "setting.change") == []


def test_delete_only_classes_offer_no_anonymising_and_defaults_come_back(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    staffed.desk.settings.set(staffed.admin_token, "retention_rules", "unactioned=30d delete")
    window, _token = make_window(staffed.admin)
    dialog = open_rules(qtbot, window)
    backups = dialog.ends[RecordClass.BACKUPS]
    assert backups.count() == 1 and not backups.isEnabled()
    assert "can only be deleted" in backups.toolTip()
    assert not dialog.ends[RecordClass.AUDIT].isEnabled()  # the audit chain is never anonymised
    assert dialog.ends[RecordClass.ACTIONED].isEnabled()
    assert dialog.periods[RecordClass.UNACTIONED].days == 30
    click(qtbot, dialog.defaults_button)
    assert dialog.periods[RecordClass.UNACTIONED].days == 90
    assert dialog.changes() == {RecordClass.UNACTIONED: (90, EndAction.DELETE)}
    assert "press Save periods" in dialog.ui.messageLabel.text()
    assert window.shell.unsaved() == ["Retention periods changed and not saved"]
    assert staffed.desk.retention.rules()[RecordClass.UNACTIONED].days == 30  # not yet saved
    dialog.ui.rulesTable.setCurrentCell(2, 0)
    assert "escalated" in dialog.ui.detailLabel.text()
    assert "MoPI" in dialog.ui.detailLabel.text()


def test_an_operator_cannot_open_the_periods(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    settle(qtbot, window)
    action = window.retention_rules.action
    assert not action.isEnabled()
    assert "does not include this" in action.toolTip()


def test_an_information_manager_has_a_records_menu_and_no_case_work(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    fill_queue(staffed)
    made = staffed.desk.accounts.add_user(
        staffed.admin_token, "ines", "Ines Info", Role.INFORMATION_MANAGER, USER_PASSWORD
    )
    window, _token = make_window(Person("ines", USER_PASSWORD, made.seed, Role.INFORMATION_MANAGER))
    wait_ready(qtbot, window)
    assert window.ui.menuSupervisor.title() == "&Records"
    allowed = [
        window.retention.action,
        window.subject_access.action,
        window.audit_log.action,
        window.people.action_review,
        window.oversight.dashboard_action,
        window.evidence.action_bundle,
    ]
    assert [a.objectName() for a in allowed if not a.isEnabled()] == []
    refused = [
        window.ui.actionClaim,
        window.ui.actionImport,
        window.replies.action_free,
        window.oversight.quality_action,
        window.settings_menu.action,
        window.retention_rules.action,
        window.people.action_people,
    ]
    assert [a.objectName() for a in refused if a.isEnabled()] == []
    assert window.queue.model.rowCount() > 0  # reads the queue to find a case
    window.retention.action.trigger()
    settle(qtbot, window)
    assert window.retention.window is not None and window.retention.window.isVisible()


def test_an_administrator_adds_an_information_manager_in_the_window(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.admin)
    window.people.open_people()
    settle(qtbot, window)
    step = window.people.add_person()
    combo = step.role_combo
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "Information manager" in labels
    combo.setCurrentIndex(combo.findData(Role.INFORMATION_MANAGER))
    type_into(qtbot, step.username_edit, "ines")
    type_into(qtbot, step.name_edit, "Ines Info")
    type_into(qtbot, step.password_edit, USER_PASSWORD)
    type_into(qtbot, step.confirm_edit, USER_PASSWORD)
    click(qtbot, step.ok_button)
    settle(qtbot, window)
    people = {p.username: p.role for p in staffed.desk.people.access_review(staffed.admin_token)}
    assert people["ines"] is Role.INFORMATION_MANAGER


def test_an_administrator_moves_someone_to_information_manager_in_the_window(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.admin)
    rows = staffed.desk.people.access_review(staffed.admin_token)
    jo = next(r for r in rows if r.username == "jsmith")
    step = window.people.change_role(jo)
    step.role_combo.setCurrentIndex(step.role_combo.findData(Role.INFORMATION_MANAGER))
    click(qtbot, step.ok_button)
    settle(qtbot, window)
    rows = staffed.desk.people.access_review(staffed.admin_token)
    assert next(r for r in rows if r.username == "jsmith").role is Role.INFORMATION_MANAGER
