"""The dashboard says when official accounts' security reviews are overdue (issue 14)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desk.core.items import Platform
from desk.core.roles import Role
from desk.core.third_party_apps import AppAccess
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.gui.queue_fixtures import MakeWindow


def test_the_dashboard_counts_overdue_account_reviews(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    d = staffed.desk
    d.official_accounts.add(staffed.admin_token, Platform.X, "@ExampleshirePolice")
    sup = d.accounts.add_user(
        staffed.admin_token, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD
    )
    staffed.clock.advance(days=91)  # never reviewed: due 90 days after it was entered
    window, _ = make_window(Person("sgreen", USER_PASSWORD, sup.seed, Role.SUPERVISOR))
    window.oversight.dashboard_action.trigger()
    dashboard = window.oversight.dashboard
    assert dashboard is not None
    with qtbot.waitSignal(dashboard.refreshed, timeout=10_000):
        pass
    assert "official account security reviews overdue: 1" in dashboard.summary.text()
    dashboard.close()


def test_the_dashboard_counts_overdue_app_reviews(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    d = staffed.desk
    account = d.official_accounts.add(staffed.admin_token, Platform.X, "@ExampleshirePolice")
    d.accounts.add_user(
        staffed.admin_token, "cjones", "Cat Jones", Role.COMMUNICATIONS, USER_PASSWORD
    )
    d.third_party_apps.add(
        staffed.admin_token,
        "Hootsuite",
        [account.id],
        [AppAccess.READ],
        "Schedules the overnight appeals when the desk is not staffed",
        "cjones",
    )
    sup = d.accounts.add_user(
        staffed.admin_token, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD
    )
    staffed.clock.advance(days=91)  # reviewed every 90 days by default
    window, _ = make_window(Person("sgreen", USER_PASSWORD, sup.seed, Role.SUPERVISOR))
    window.oversight.dashboard_action.trigger()
    dashboard = window.oversight.dashboard
    assert dashboard is not None
    with qtbot.waitSignal(dashboard.refreshed, timeout=10_000):
        pass
    assert "third-party app reviews overdue: 1" in dashboard.summary.text()
    dashboard.close()
