"""Admin → People: disabling a leaver with reassignment, re-enabling with a fresh enrolment,
the access review for supervisors, and sign-in alerts for lock-outs."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pyotp
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desk.core.errors import SignInFailed
from desk.core.roles import Role
from desk.gui.access_review import COL_APPROVED_BY, COL_STATUS, COL_USERNAME
from desk.gui.main_window import MainWindow
from desk.gui.people_dialog import PeopleDialog
from desk.gui.people_steps import DisableDialog, EnableDialog, EnrolmentDialog
from desk.gui.signin_alerts import SigninAlerts
from desk.gui.workers import Worker
from tests.conftest import Person, Staffed
from tests.gui.conftest import type_into
from tests.gui.queue_fixtures import MakeWindow, add_accounts
from tests.services.helpers import item

SGT_PASSWORD = "sergeant pass phrase 42"
FRESH_PASSWORD = "a brand new pass phrase 7"


def _sergeant(staffed: Staffed) -> Person:
    enrolment = staffed.desk.accounts.add_user(
        staffed.admin_token, "sgt", "Sgt Evans", Role.SUPERVISOR, SGT_PASSWORD
    )
    return Person("sgt", SGT_PASSWORD, enrolment.seed, Role.SUPERVISOR)


def _jsmith_owns_cases(staffed: Staffed) -> list[int]:
    add_accounts(staffed)
    staffed.desk.importer.store(
        staffed.admin_token,
        [item("1", "When does the road reopen?"), item("2", "Is the bus diverted?", author="u2")],
        "test",
    )
    with sqlite3.connect(staffed.desk.profile.db_path) as db:
        ids = [r[0] for r in db.execute("SELECT id FROM cases ORDER BY id")]
    token = staffed.sign_in(staffed.operator)
    for case_id in ids:
        staffed.desk.cases.claim(token, case_id)
    return ids


def _owners(staffed: Staffed) -> set[str | None]:
    with sqlite3.connect(staffed.desk.profile.db_path) as db:
        return {
            r[0]
            for r in db.execute(
                "SELECT a.username FROM cases c LEFT JOIN accounts a ON a.id = c.owner_id"
            )
        }


def _open_people(qtbot: QtBot, window: MainWindow, worker: Worker) -> PeopleDialog:
    window.people.action_people.trigger()
    dialog = window.people.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.review.model.rowCount() > 0, timeout=10_000)
    return dialog


def _step(qtbot: QtBot, kind: type) -> object:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind), timeout=10_000)
    return QApplication.activeModalWidget()


def test_an_administrator_disables_a_leaver_under_investigation_with_reassignment(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, worker: Worker
) -> None:
    _sergeant(staffed)
    ids = _jsmith_owns_cases(staffed)
    window, _token = make_window(staffed.admin)
    assert window.people.action_people.isEnabled()
    assert window.people.action_people in window.ui.menuAdmin.actions()
    assert window.ui.actionAdminPending not in window.ui.menuAdmin.actions()
    dialog = _open_people(qtbot, window, worker)
    assert [r.username for r in dialog.review.visible_rows()] == ["admin", "jsmith", "sgt"]
    assert not dialog.disable_button.isEnabled()  # nobody selected yet

    assert dialog.review.select("jsmith")
    qtbot.mouseClick(dialog.disable_button, Qt.MouseButton.LeftButton)
    step = _step(qtbot, DisableDialog)
    assert isinstance(step, DisableDialog)
    assert "They own 2 open cases." in step.intro_label.text()
    step.investigation_check.setChecked(True)  # a leaver under investigation
    assert step.reassign_radio.isChecked() and not step.release_radio.isEnabled()
    assert step.person_combo.currentData() == "sgt"  # the only other person working cases
    qtbot.mouseClick(step.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.people.step is None, timeout=10_000)  # closed
    qtbot.waitUntil(lambda: not worker.busy, timeout=10_000)

    assert _owners(staffed) == {"sgt"}
    assert f"Disabled jsmith; {len(ids)} open case(s) reassigned to sgt." in window.notice_text
    qtbot.waitUntil(
        lambda: not next(r for r in dialog.review.model.rows if r.username == "jsmith").active,
        timeout=10_000,
    )
    jsmith = next(r for r in dialog.review.model.rows if r.username == "jsmith")
    assert jsmith.under_investigation and jsmith.open_cases == 0
    with pytest.raises(SignInFailed):
        staffed.sign_in(staffed.operator)


def test_enable_shows_a_fresh_enrolment_that_signs_in(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, worker: Worker
) -> None:
    staffed.desk.people.disable(staffed.admin_token, "jsmith")
    window, _token = make_window(staffed.admin)
    dialog = _open_people(qtbot, window, worker)
    dialog.review.select("jsmith")
    assert dialog.enable_button.isEnabled() and not dialog.disable_button.isEnabled()
    qtbot.mouseClick(dialog.enable_button, Qt.MouseButton.LeftButton)
    step = _step(qtbot, EnableDialog)
    assert isinstance(step, EnableDialog)
    type_into(qtbot, step.password_edit, FRESH_PASSWORD)
    type_into(qtbot, step.confirm_edit, FRESH_PASSWORD)
    assert step.ok_button.isEnabled()
    qtbot.mouseClick(step.ok_button, Qt.MouseButton.LeftButton)
    shown = _step(qtbot, EnrolmentDialog)
    assert isinstance(shown, EnrolmentDialog)
    assert not shown.qr_label.pixmap().isNull()
    seed = shown.seed_label.text().replace(" ", "")
    assert f"secret={seed}" in shown.uri_edit.text()
    staffed.clock.advance(seconds=30)
    code = pyotp.TOTP(seed).at(staffed.clock.now())
    assert staffed.desk.signin.sign_in("jsmith", FRESH_PASSWORD, code).actor.username == "jsmith"
    shown.accept()


def test_a_supervisor_reads_the_access_review_and_exports_it(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, tmp_path: Path
) -> None:
    sgt = _sergeant(staffed)
    window, _token = make_window(sgt)
    assert not window.people.action_people.isEnabled()  # People… is for administrators
    assert window.people.action_review in window.ui.menuSupervisor.actions()
    window.people.action_review.trigger()
    review = window.people.review_dialog
    assert review is not None
    view = review.view
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=10_000)
    cells = {
        view.model.index(r, COL_USERNAME).data(): (
            view.model.index(r, COL_STATUS).data(),
            view.model.index(r, COL_APPROVED_BY).data(),
        )
        for r in range(view.model.rowCount())
    }
    assert cells == {
        "admin": ("Active", "setup"),
        "jsmith": ("Active", "admin"),
        "sgt": ("Active", "admin"),
    }
    assert "3 accounts: 3 active, 0 disabled" in view.count_label.text()
    out = tmp_path / "review.csv"
    view.export_to(out)
    with out.open(encoding="utf-8") as f:
        lines = list(csv.reader(f))
    assert lines[0] == lines[-1] == ["OFFICIAL-SENSITIVE"]  # the protective marking
    assert lines[1][:3] == ["Username", "Name", "Role"]
    assert [line[0] for line in lines[2:-1]] == ["admin", "jsmith", "sgt"]


def test_a_lock_out_is_shown_as_a_notification(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, worker: Worker
) -> None:
    sgt = _sergeant(staffed)
    window, _token = make_window(sgt)
    shown: list[tuple[str, str]] = []
    alerts = SigninAlerts(
        window.shell, window.ui, show=lambda title, text: shown.append((title, text))
    )
    assert alerts.uses_tray
    qtbot.waitUntil(lambda: alerts.last_seq is not None, timeout=10_000)
    for _ in range(10):
        staffed.clock.advance(minutes=10)
        with pytest.raises(SignInFailed):
            staffed.desk.signin.sign_in("jsmith", "not the password at all", "000000")
    alerts.poll()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    title, text = shown[0]
    assert title == "Desk: account locked"
    assert "jsmith: 3 failed sign-ins in a row." in text
    assert "jsmith is locked out after 10 failed sign-ins." in text
    alerts.stop()


def test_without_a_tray_alerts_go_to_the_status_bar_and_a_badge(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, worker: Worker
) -> None:
    sgt = _sergeant(staffed)
    window, _token = make_window(sgt)
    alerts = window.signin_alerts  # offscreen: no system tray
    assert not alerts.uses_tray and alerts.active
    qtbot.waitUntil(lambda: alerts.last_seq is not None, timeout=10_000)
    for _ in range(3):
        staffed.clock.advance(minutes=10)
        with pytest.raises(SignInFailed):
            staffed.desk.signin.sign_in("jsmith", "not the password at all", "000000")
    alerts.poll()
    qtbot.waitUntil(lambda: alerts.unseen == 1, timeout=10_000)
    assert "jsmith: 3 failed sign-ins in a row." in window.notice_text
    assert window.ui.actionSigninActivity.text().endswith("(1 new)")
    window.ui.actionSigninActivity.trigger()
    assert not window.ui.actionSigninActivity.text().endswith("new)")
    assert alerts.unseen == 0


def test_operators_get_no_alerts_and_no_people_menu(
    make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    assert not window.signin_alerts.active
    assert not window.people.action_people.isEnabled()
    assert not window.people.action_review.isEnabled()


def test_people_says_why_it_is_greyed_and_access_review_sits_in_one_menu(
    make_window: MakeWindow, staffed: Staffed
) -> None:
    sgt = _sergeant(staffed)
    window, _token = make_window(sgt)
    people = window.people.action_people
    assert not people.isEnabled()
    assert "Your role (supervisor) does not include this" in people.toolTip()
    assert people.statusTip() == people.toolTip()
    assert window.ui.menuAdmin.toolTipsVisible()  # the reason shows when pointed at
    review = window.people.action_review
    holders = [m for m in (window.ui.menuAdmin, window.ui.menuSupervisor) if review in m.actions()]
    assert holders == [window.ui.menuSupervisor]


def test_the_people_dialog_fits_a_1280_by_800_screen(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, worker: Worker
) -> None:
    window, _token = make_window(staffed.admin)
    window.resize(1280, 800)
    window.show()
    dialog = _open_people(qtbot, window, worker)
    assert dialog.width() <= 1280 and dialog.height() <= 800
    assert dialog.minimumSizeHint().width() <= 1280
    for button in (dialog.add_button, dialog.role_button, dialog.disable_button):
        assert button.width() >= button.sizeHint().width()
    window.people.open_review()
    review = window.people.review_dialog
    assert review is not None and review.width() <= 1280
