"""Sign-in activity in words: reasons for supervisors, alerts and locks marked in text."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from pytestqt.qtbot import QtBot

from desk.core.errors import SignInFailed
from desk.core.roles import Role
from desk.gui.signin_activity import (
    COL_EVENT,
    SigninActivityDialog,
    SigninActivityModel,
    describe,
)
from desk.services.views import AuditView
from tests.conftest import Staffed, next_code
from tests.gui.conftest import settle, type_into


def entry(
    action: str, obj: str = "account:jsmith", actor: str = "jsmith", **details: object
) -> AuditView:
    return AuditView(7, "2026-11-26T09:00:05.000000Z", actor, action, obj, json.dumps(details))


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("code", "wrong or expired code"),
        ("password", "wrong password"),
        ("code_reused", "code already used"),
        ("unknown_user", "no such account"),
        ("locked", "account locked"),
    ],
)
def test_failure_reasons_are_put_into_words(reason: str, words: str) -> None:
    row = describe(entry("signin.failure", reason=reason, kind="gui", failures=2))
    assert row.event == "Sign-in failed"
    assert row.account == "jsmith"
    assert row.detail.startswith(words)
    assert "2 in a row" in row.detail
    assert "desk window" in row.detail
    assert not row.emphasised


def test_alerts_and_locks_are_marked_in_words_not_only_colour() -> None:
    alert = describe(entry("signin.alert", failures=4))
    lock = describe(entry("signin.lock", actor="system", failures=10))
    assert alert.event.startswith("ALERT")
    assert alert.detail == "4 failed attempts first; the person was warned"
    assert lock.event.startswith("LOCKED")
    assert "administrator must unlock" in lock.detail
    assert alert.emphasised and lock.emphasised


def test_success_and_unlock_read_plainly() -> None:
    ok = describe(entry("signin.success", kind="cli", failures_before=1))
    assert ok.event == "Signed in"
    assert ok.detail == "after 1 failed attempt; desk-admin"
    unlocked = describe(entry("signin.unlock", actor="admin", failures=10))
    assert unlocked.detail == "by admin; cleared 10 failed attempts"


def test_times_are_shown_in_local_time_not_raw_iso() -> None:
    row = describe(entry("signin.success"))
    assert "T" not in row.time and "Z" not in row.time
    assert "2026" in row.time


def test_the_model_is_a_well_behaved_table(qtmodeltester, qtbot: QtBot) -> None:
    model = SigninActivityModel()
    model.set_entries([entry("signin.alert", failures=3), entry("signin.failure", reason="code")])
    qtmodeltester.check(model)
    assert model.headerData(COL_EVENT, Qt.Orientation.Horizontal) == "Event"
    bold = model.data(model.index(0, COL_EVENT), Qt.ItemDataRole.FontRole)
    assert isinstance(bold, QFont) and bold.bold()
    assert model.data(model.index(1, COL_EVENT), Qt.ItemDataRole.FontRole) is None


def test_the_filter_box_narrows_the_rows(qtbot: QtBot, staffed: Staffed) -> None:
    desk, op = staffed.desk, staffed.operator
    with pytest.raises(SignInFailed):
        desk.signin.sign_in(op.username, "wrong guess 12345", next_code(op.seed, staffed.clock))
    with pytest.raises(SignInFailed):
        desk.signin.sign_in("ghost", "wrong guess 12345", "123456")
    dialog = SigninActivityDialog()
    qtbot.addWidget(dialog)
    dialog.set_entries(desk.audit.signin_activity(staffed.admin_token))
    dialog.show()
    everything = dialog.visible_rows()
    assert {r.account for r in everything} >= {"jsmith", "ghost", "admin"}
    assert dialog.ui.countLabel.text() == f"{len(everything)} events"

    type_into(qtbot, dialog.ui.filterEdit, "GHOST")
    rows = dialog.visible_rows()
    assert [(r.account, r.detail.split(";")[0]) for r in rows] == [("ghost", "no such account")]
    assert dialog.ui.countLabel.text() == f"1 of {len(everything)} events match the filter"


def test_refresh_shows_new_events(qtbot: QtBot, make_window, staffed: Staffed) -> None:
    window, _token = make_window(staffed.admin)
    window.ui.actionSigninActivity.trigger()
    settle(qtbot, window)
    dialog = window.activity_dialog
    assert dialog is not None
    before = len(dialog.visible_rows())
    staffed.desk.accounts.add_user(
        staffed.admin_token, "kim", "Kim", Role.OPERATOR, "kim pass phrase 77"
    )
    with pytest.raises(SignInFailed):
        staffed.desk.signin.sign_in("kim", "nope nope nope 1", "123456")
    qtbot.mouseClick(dialog.ui.refreshButton, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    rows = dialog.visible_rows()
    assert len(rows) == before + 1
    assert rows[0].account == "kim"
