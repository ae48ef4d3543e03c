"""The third-party apps register: recorded with a named approver, reviewed, revoked, flagged
when overdue (dashboard, handover), and listed for revoking when an account closes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from desk.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from desk.core.items import Platform
from desk.core.roles import Role
from desk.core.third_party_apps import AppAccess
from desk.services.desk import Desk
from desk.services.third_party_apps import AppView, apps_for_account
from tests.conftest import USER_PASSWORD, Person, Staffed

WHY = "Schedules the overnight appeals when the desk is not staffed"


@dataclass
class Apps:
    """A staffed desk with two official accounts, a communications officer and a supervisor."""

    staffed: Staffed
    comms: Person
    supervisor: Person
    x: int
    facebook: int

    @property
    def desk(self) -> Desk:
        return self.staffed.desk

    @property
    def admin(self) -> str:
        return self.staffed.admin_token

    def audit(self, action: str, token: str | None = None) -> list[dict[str, object]]:
        """The details of every audit entry for ``action`` (read with ``token``)."""
        entries = self.desk.audit.entries(token or self.admin)
        return [json.loads(e.details) for e in entries if e.action == action]


@pytest.fixture
def apps(staffed: Staffed) -> Apps:
    d = staffed.desk
    cat = d.accounts.add_user(
        staffed.admin_token, "cjones", "Cat Jones", Role.COMMUNICATIONS, USER_PASSWORD
    )
    sue = d.accounts.add_user(
        staffed.admin_token, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD
    )
    x = d.official_accounts.add(staffed.admin_token, Platform.X, "@ExampleshirePolice")
    fb = d.official_accounts.add(staffed.admin_token, Platform.FACEBOOK, "Exampleshire Police")
    return Apps(
        staffed,
        Person("cjones", USER_PASSWORD, cat.seed, Role.COMMUNICATIONS),
        Person("sgreen", USER_PASSWORD, sue.seed, Role.SUPERVISOR),
        x.id,
        fb.id,
    )


def _scheduler(a: Apps, token: str | None = None, **kw: object) -> AppView:
    args: dict[str, object] = {
        "name": "Hootsuite",
        "account_ids": [a.x, a.facebook],
        "access": [AppAccess.READ, AppAccess.PUBLISH],
        "necessity": WHY,
        "approved_by": "cjones",
    } | kw
    return a.desk.third_party_apps.add(token or a.admin, **args)  # type: ignore[arg-type]


def test_an_app_is_recorded_with_its_accounts_access_reason_and_approver(apps: Apps) -> None:
    d = apps.desk
    view = d.third_party_apps.add(
        apps.admin, "  Hootsuite ", [apps.x, apps.facebook], ["publish", "read"], WHY, "cjones"
    )
    assert view.reference == f"APP-{view.id}" and view.name == "Hootsuite"
    assert [a.label for a in view.accounts] == [
        "Exampleshire Police on facebook",
        "@ExampleshirePolice on x",
    ]
    assert (
        view.access == (AppAccess.READ, AppAccess.PUBLISH) and view.access_text == "read, publish"
    )
    assert (view.approved_by, view.approved_by_name) == ("cjones", "Cat Jones")
    assert view.approved_on == date(2026, 11, 26) and view.recorded_by == "admin"
    assert view.review_due_on == date(2026, 11, 26) + timedelta(days=90)
    assert view.active and not view.review_overdue
    assert d.third_party_apps.list(apps.admin) == [view]
    (entry,) = apps.audit("third_party_app.add")
    assert entry["approved_by"] == "cjones" and entry["necessity"] == WHY
    assert entry["accounts"] == [apps.x, apps.facebook]


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"account_ids": []}, InvalidInput, "Name at least one official account"),
        ({"account_ids": [999]}, NotFound, "no official account #999"),
        ({"access": ["tweet"]}, InvalidInput, "Unknown access 'tweet'"),
        ({"access": []}, InvalidInput, "Say what access"),
        ({"necessity": "  "}, InvalidInput, "why the app is critically necessary"),
        ({"necessity": "useful"}, InvalidInput, "in a sentence"),
        ({"name": ""}, InvalidInput, "Give the app's name"),
        ({"approved_by": "admin"}, InvalidInput, "admin is a administrator: apps are approved"),
        ({"approved_by": "nobody"}, NotFound, "no one with the username 'nobody'"),
        ({"approved_on": date(2026, 12, 1)}, InvalidInput, "day still to come"),
        ({"review_due_on": date(2026, 11, 20)}, InvalidInput, "due after the approval"),
    ],
)
def test_bad_input_is_refused_naming_what_is_wrong_and_records_nothing(
    apps: Apps, change: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        _scheduler(apps, **change)
    assert apps.desk.third_party_apps.list(apps.admin, include_revoked=True) == []
    assert apps.audit("third_party_app.add") == []


def test_the_approver_must_be_on_the_desk_and_enabled(apps: Apps) -> None:
    d = apps.desk
    kept = _scheduler(apps)
    d.accounts.disable(apps.admin, "cjones")
    with pytest.raises(InvalidInput, match="cjones is disabled on the desk"):
        _scheduler(apps, name="Buffer")
    assert d.third_party_apps.approvers(apps.admin) == []
    # an approver who has since left stays on record when something else changes
    renamed = d.third_party_apps.update(
        apps.admin, kept.id, name="Hootsuite Enterprise", approved_by="cjones"
    )
    assert (renamed.name, renamed.approved_by) == ("Hootsuite Enterprise", "cjones")


def test_communications_record_and_may_name_themselves_operators_may_not(apps: Apps) -> None:
    d, staffed = apps.desk, apps.staffed
    comms = staffed.sign_in(apps.comms)
    view = _scheduler(apps, comms)
    assert view.recorded_by == "cjones"
    assert d.third_party_apps.approvers(comms) == [("cjones", "Cat Jones")]
    jo = staffed.sign_in(staffed.operator)
    with pytest.raises(PermissionDenied, match="may not manage third party apps"):
        _scheduler(apps, jo, name="Buffer")
    with pytest.raises(PermissionDenied, match="may not read the official accounts register"):
        d.third_party_apps.list(jo)
    with pytest.raises(PermissionDenied):
        d.third_party_apps.revoke(jo, view.id, "Not needed")


def test_the_same_app_cannot_be_recorded_twice(apps: Apps) -> None:
    first = _scheduler(apps)
    with pytest.raises(Conflict, match=r"HOOTSUITE|Hootsuite is already in the register \(APP-"):
        _scheduler(apps, name="HOOTSUITE")
    apps.desk.third_party_apps.revoke(apps.admin, first.id, "Replaced")
    again = _scheduler(apps)  # once revoked, it may be recorded afresh
    assert again.id != first.id


def test_changing_an_entry_audits_before_and_after(apps: Apps) -> None:
    d = apps.desk
    view = _scheduler(apps)
    changed = d.third_party_apps.update(
        apps.admin, view.id, account_ids=[apps.x], access=["read", "messages"]
    )
    assert [a.id for a in changed.accounts] == [apps.x]
    assert changed.access == (AppAccess.READ, AppAccess.MESSAGES)
    (entry,) = apps.audit("third_party_app.update")
    assert entry["before"] == {
        "accounts": [apps.x, apps.facebook],
        "access": ["read", "publish"],
    }
    assert entry["after"] == {"accounts": [apps.x], "access": ["read", "messages"]}
    # nothing different: nothing written
    d.third_party_apps.update(apps.admin, view.id, name="Hootsuite")
    assert len(apps.audit("third_party_app.update")) == 1
    with pytest.raises(InvalidInput, match="Name at least one thing"):
        d.third_party_apps.update(apps.admin, view.id)


def test_overdue_reviews_show_on_the_dashboard_and_in_the_handover(apps: Apps) -> None:
    d, staffed, clock = apps.desk, apps.staffed, apps.staffed.clock
    view = _scheduler(apps)
    _scheduler(apps, name="Sprout Social", review_due_on=date(2027, 6, 1))
    assert d.third_party_apps.overdue(apps.admin) == []
    clock.advance(days=91)  # one day past the 90-day review
    admin = staffed.sign_in(staffed.admin)
    (late,) = d.third_party_apps.overdue(admin)
    assert late.name == "Hootsuite" and late.review_overdue
    assert [v.review_overdue for v in d.third_party_apps.list(admin)] == [True, False]
    assert d.dashboard.figures(admin).extra["third_party_apps"] == {"overdue": 1}
    sue = staffed.sign_in(apps.supervisor)
    notes = [n.text for n in d.handover.compile(sue, clock.now()).notes]
    assert (
        f"The review of third-party app Hootsuite (APP-{late.id}) is OVERDUE: it was due "
        "24 Feb 2027." in notes
    )

    reviewed = d.third_party_apps.review(admin, view.id, "Still schedules overnight")
    assert reviewed.last_review_on == date(2027, 2, 25) and reviewed.last_reviewed_by == "admin"
    assert reviewed.review_due_on == date(2027, 2, 25) + timedelta(days=90)
    assert not reviewed.review_overdue and d.third_party_apps.overdue(admin) == []
    (entry,) = apps.audit("third_party_app.review", admin)
    assert entry["was_due"] == "2027-02-24" and entry["note"] == "Still schedules overnight"


def test_the_review_interval_is_a_setting(apps: Apps) -> None:
    d = apps.desk
    with pytest.raises(InvalidInput, match="between 7 and 366 days"):
        d.settings.set(apps.admin, "app_review_days", "400")
    d.settings.set(apps.admin, "app_review_days", "30")
    view = _scheduler(apps)
    assert view.review_due_on == date(2026, 12, 26)


def test_revoking_needs_a_reason_and_keeps_the_record(apps: Apps) -> None:
    d = apps.desk
    view = _scheduler(apps)
    with pytest.raises(InvalidInput, match="Give the reason"):
        d.third_party_apps.revoke(apps.admin, view.id, " ")
    assert d.third_party_apps.get(apps.admin, view.id).active
    gone = d.third_party_apps.revoke(apps.admin, view.id, "Replaced by the management platform")
    assert (gone.revoked_on, gone.revoked_by) == (date(2026, 11, 26), "admin")
    assert gone.revoked_reason == "Replaced by the management platform" and not gone.active
    assert d.third_party_apps.list(apps.admin) == []
    assert d.third_party_apps.list(apps.admin, include_revoked=True) == [gone]
    with pytest.raises(Conflict, match="was revoked on 26 Nov 2026 by admin"):
        d.third_party_apps.review(apps.admin, view.id)
    with pytest.raises(Conflict, match="was revoked"):
        d.third_party_apps.revoke(apps.admin, view.id, "again")
    (entry,) = apps.audit("third_party_app.revoke")
    assert entry["reason"] == "Replaced by the management platform"
    apps.staffed.clock.advance(days=200)  # a revoked app is never overdue
    assert d.third_party_apps.overdue(apps.staffed.sign_in(apps.staffed.admin)) == []


def test_closing_an_account_lists_the_apps_to_revoke(apps: Apps) -> None:
    d, staffed = apps.desk, apps.staffed
    hoot = _scheduler(apps)
    _scheduler(apps, name="Brandwatch", account_ids=[apps.facebook], access=["read"])
    old = _scheduler(apps, name="Old scheduler", account_ids=[apps.x])
    d.third_party_apps.revoke(apps.admin, old.id, "Unused")

    asked = d.account_requests.request_close(apps.admin, apps.x, "Merged into the force page")
    assert asked.apps_to_revoke == (f"Hootsuite (APP-{hoot.id})",)
    assert [a.name for a in d.third_party_apps.for_account(apps.admin, apps.x)] == ["Hootsuite"]
    with d.ctx.db.read() as s:
        assert [a.name for a in apps_for_account(s, apps.facebook)] == ["Brandwatch", "Hootsuite"]

    comms = staffed.sign_in(apps.comms)
    done = d.account_requests.approve(comms, asked.id)
    assert done.apps_to_revoke == (f"Hootsuite (APP-{hoot.id})",)
    # until it is revoked (or its access there removed), the handover says so
    sue = staffed.sign_in(apps.supervisor)
    notes = [n.text for n in d.handover.compile(sue, staffed.clock.now()).notes]
    line = (
        f"Third-party app Hootsuite (APP-{hoot.id}) still has access to the closed account "
        "@ExampleshirePolice on x: revoke it."
    )
    assert line in notes
    shown = d.third_party_apps.get(comms, hoot.id)
    assert [a.label for a in shown.closed_accounts] == ["@ExampleshirePolice on x (closed)"]
    # a closed account cannot be given to an app
    with pytest.raises(InvalidInput, match="is closed: an app cannot be given access"):
        d.third_party_apps.update(comms, hoot.id, account_ids=[apps.x])
    d.third_party_apps.update(comms, hoot.id, account_ids=[apps.facebook])
    notes = [n.text for n in d.handover.compile(sue, staffed.clock.now()).notes]
    assert line not in notes
