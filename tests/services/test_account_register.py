"""The official accounts register: fields, opening and closing on approval, security reviews,
investigations accounts kept apart, overdue reviews on the dashboard and in the handover."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from desk.core.account_register import (
    CHECKLIST,
    CheckResult,
    InvestigationsAccount,
    Purpose,
    RequestState,
    ReviewCheck,
)
from desk.core.cases import Outcome
from desk.core.errors import Conflict, InvalidInput, PermissionDenied
from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from desk.core.roles import Role
from desk.services.account_register import refuse_investigations_items
from desk.services.official_accounts import RegisterDetails
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services.helpers import item

ALL_PASS = {c: CheckResult.PASS for c in CHECKLIST}


@dataclass
class Estate:
    """A staffed desk with a communications officer and the operator signed in."""

    staffed: Staffed
    comms: str
    jo: str
    sue: str
    comms_seed: str
    supervisor: Person

    @property
    def desk(self):  # type: ignore[no-untyped-def]
        return self.staffed.desk

    @property
    def admin(self) -> str:
        return self.staffed.admin_token

    def audit_actions(self) -> list[str]:
        return [e.action for e in self.desk.audit.entries(self.admin)]


@pytest.fixture
def estate(staffed: Staffed) -> Estate:
    d = staffed.desk
    cat = d.accounts.add_user(
        staffed.admin_token, "cjones", "Cat Jones", Role.COMMUNICATIONS, USER_PASSWORD
    )
    comms = staffed.sign_in(Person("cjones", USER_PASSWORD, cat.seed, Role.COMMUNICATIONS))
    sup = d.accounts.add_user(
        staffed.admin_token, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD
    )
    supervisor = Person("sgreen", USER_PASSWORD, sup.seed, Role.SUPERVISOR)
    return Estate(
        staffed,
        comms,
        staffed.sign_in(staffed.operator),
        staffed.sign_in(supervisor),
        cat.seed,
        supervisor,
    )


DETAILS = RegisterDetails(
    link="https://x.com/ExampleshirePolice",
    owning_team="Corporate Communications",
    administrators=("admin", "Pat Lee (digital media)"),
    verified=True,
    two_factor=True,
    login_alerts=True,
    managed=True,
    credentials_location="Force password manager, vault Corporate Comms",
)


def test_an_account_opens_only_when_communications_approve(estate: Estate) -> None:
    d = estate.desk
    asked = d.account_requests.request_open(
        estate.admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police", DETAILS,
        "The force-wide account for news and appeals",
    )  # fmt: skip
    assert asked.state is RequestState.PENDING and asked.reference == f"ACR-{asked.id}"
    # nothing is on the desk yet
    assert d.official_accounts.list(estate.admin) == []
    with pytest.raises(PermissionDenied, match="may not approve account changes"):
        d.account_requests.approve(estate.admin, asked.id)

    estate.staffed.clock.advance(hours=2)
    done = d.account_requests.approve(estate.comms, asked.id, "Agreed at comms meeting")
    assert done.state is RequestState.APPROVED and done.decided_by == "cjones"
    (entry,) = d.official_accounts.register(estate.comms)
    assert (entry.handle, entry.owning_team, entry.administrators) == (
        "@ExampleshirePolice", "Corporate Communications", ("admin", "Pat Lee (digital media)"),
    )  # fmt: skip
    assert entry.opened_on == date(2026, 11, 26) and entry.active
    assert entry.review_due_on == date(2026, 11, 26) + timedelta(days=90)
    assert entry.purpose is Purpose.ENGAGEMENT and entry.area_label == "force-wide"
    assert done.account_id == entry.id
    with pytest.raises(Conflict, match="already approved by cjones"):
        d.account_requests.approve(estate.comms, asked.id)
    actions = estate.audit_actions()
    assert "account_request.open" in actions and "account_request.approve_open" in actions


def test_a_refusal_is_kept_with_its_reason_and_opens_nothing(estate: Estate) -> None:
    d = estate.desk
    asked = d.account_requests.request_open(
        estate.admin, Platform.TIKTOK, "@exampleshirecops", "", RegisterDetails(), "Reach"
    )
    with pytest.raises(InvalidInput, match="Give the reason for refusing"):
        d.account_requests.refuse(estate.comms, asked.id, "  ")
    refused = d.account_requests.refuse(estate.comms, asked.id, "No one to staff it")
    assert refused.state is RequestState.REFUSED and refused.decision_note == "No one to staff it"
    assert d.official_accounts.list(estate.admin) == []
    assert "account_request.refuse_open" in estate.audit_actions()
    assert [r.id for r in d.account_requests.list(estate.comms, pending_only=True)] == []


def test_closing_goes_through_approval_and_closes_on_the_day(estate: Estate) -> None:
    d = estate.desk
    view = d.official_accounts.add(estate.admin, Platform.FACEBOOK, "Exampleshire Police")
    with pytest.raises(PermissionDenied):
        d.account_requests.request_close(estate.jo, view.id, "Not used")
    asked = d.account_requests.request_close(estate.admin, view.id, "Merged into the main page")
    with pytest.raises(Conflict, match="already waits"):
        d.account_requests.request_close(estate.admin, view.id, "again")
    assert d.official_accounts.entry(estate.comms, view.id).active  # still open until approved
    d.account_requests.approve(estate.comms, asked.id)
    entry = d.official_accounts.entry(estate.comms, view.id)
    assert not entry.active and entry.closed_on == date(2026, 11, 26)
    assert not entry.review_overdue  # a closed account has no review due


def test_the_register_refuses_a_password_where_its_location_belongs(estate: Estate) -> None:
    d = estate.desk
    view = d.official_accounts.add(estate.admin, Platform.X, "@ExampleshirePolice")
    for secret in ("password: Summer2026!", "Vault Comms, Tr0ub4dor&3xyz", "JBSWY3DPEHPK3PXPJBSW"):
        with pytest.raises(InvalidInput, match="never stores the credentials"):
            d.official_accounts.update(estate.admin, view.id, {"credentials_location": secret})
    entry = d.official_accounts.update(
        estate.admin, view.id, {"credentials_location": "Force password manager, vault Comms"}
    )
    assert entry.credentials_location == "Force password manager, vault Comms"


def test_register_changes_are_checked_and_audited_with_before_and_after(estate: Estate) -> None:
    d = estate.desk
    view = d.official_accounts.add(estate.admin, Platform.X, "@ExampleshirePolice")
    with pytest.raises(InvalidInput, match="is not a web address"):
        d.official_accounts.update(estate.admin, view.id, {"link": "javascript:alert(1)"})
    with pytest.raises(InvalidInput, match="Unknown purpose"):
        d.official_accounts.update(estate.admin, view.id, {"purpose": "covert"})
    with pytest.raises(PermissionDenied):
        d.official_accounts.update(estate.comms, view.id, {"area": "Teignbridge"})
    entry = d.official_accounts.update(
        estate.admin, view.id, {"area": "Teignbridge", "two_factor": True, "administrators": "jsmith, Pat"}
    )  # fmt: skip
    assert (entry.area, entry.two_factor, entry.administrators) == (
        "Teignbridge", True, ("jsmith", "Pat"),
    )  # fmt: skip
    (audit,) = [e for e in d.audit.entries(estate.admin) if e.action == "official_account.update"]
    details = json.loads(audit.details)
    assert details["after"]["area"] == "Teignbridge" and details["before"]["area"] == ""
    # operators may list accounts but not read the register
    with pytest.raises(PermissionDenied, match="may not read the official accounts register"):
        d.official_accounts.register(estate.jo)
    assert d.official_accounts.list(estate.jo)[0].area == "Teignbridge"


def test_a_leaver_still_named_as_administrator_shows(estate: Estate) -> None:
    d = estate.desk
    view = d.official_accounts.add(
        estate.admin, Platform.X, "@Police", details=RegisterDetails(administrators=("jsmith",))
    )
    d.accounts.disable(estate.admin, "jsmith")
    assert d.official_accounts.entry(estate.comms, view.id).administrators_disabled == ("jsmith",)


# --- security reviews ----------------------------------------------------------------------


def test_a_review_records_the_checklist_and_sets_the_next_due(estate: Estate) -> None:
    d = estate.desk
    view = d.official_accounts.add(estate.admin, Platform.X, "@ExampleshirePolice")
    results = dict(ALL_PASS, apps_checked=CheckResult.FAIL)
    results = {ReviewCheck(k): v for k, v in results.items()}
    with pytest.raises(InvalidInput, match="apps_checked failed: say what will be done"):
        d.account_reviews.record(estate.comms, view.id, results, findings="Old scheduler app")
    missing = {c: r for c, r in ALL_PASS.items() if c is not ReviewCheck.ADMINS_RIGHT}
    with pytest.raises(InvalidInput, match="admins_right not answered"):
        d.account_reviews.record(estate.comms, view.id, missing)
    with pytest.raises(PermissionDenied):
        d.account_reviews.record(estate.jo, view.id, ALL_PASS)

    review = d.account_reviews.record(
        estate.comms, view.id, results, "Old scheduler app still connected", "Revoke it today"
    )
    assert review.failed == (ReviewCheck.APPS_CHECKED,)
    assert review.next_due_on == date(2026, 11, 26) + timedelta(days=90)
    entry = d.official_accounts.entry(estate.comms, view.id)
    assert entry.last_review_on == date(2026, 11, 26) and entry.review_due_on == review.next_due_on
    assert entry.two_factor and entry.login_alerts  # what the reviewer found
    (kept,) = d.account_reviews.history(estate.admin, view.id)
    assert kept.results[ReviewCheck.APPS_CHECKED] is CheckResult.FAIL
    assert kept.findings == "Old scheduler app still connected"
    assert "official_account.review" in estate.audit_actions()


def test_overdue_reviews_show_on_the_dashboard_and_in_the_handover(estate: Estate) -> None:
    d, clock, staffed = estate.desk, estate.staffed, estate.staffed
    view = d.official_accounts.add(estate.admin, Platform.X, "@ExampleshirePolice")
    d.official_accounts.add(estate.admin, Platform.FACEBOOK, "Exampleshire Police")
    assert d.account_reviews.overdue(estate.admin) == []
    clock.clock.advance(days=30)
    cat = Person("cjones", USER_PASSWORD, estate.comms_seed, Role.COMMUNICATIONS)
    d.account_reviews.record(staffed.sign_in(cat), view.id, ALL_PASS)
    clock.clock.advance(days=61)  # the never-reviewed page is one interval past its entry
    admin = staffed.sign_in(staffed.admin)
    (late,) = d.account_reviews.overdue(admin)
    assert (late.handle, late.due_on) == ("Exampleshire Police", date(2027, 2, 24))
    figures = d.dashboard.figures(admin)
    assert figures.extra["account_reviews"] == {"overdue": 1}
    sue = staffed.sign_in(estate.supervisor)
    notes = d.handover.compile(sue, clock.clock.now()).notes
    assert any(
        "security review of official account Exampleshire Police on facebook is OVERDUE: it was "
        "due 24 Feb 2027." in n.text
        for n in notes
    )


def test_the_review_interval_is_a_setting(estate: Estate) -> None:
    d = estate.desk
    with pytest.raises(InvalidInput, match="between 7 and 366 days"):
        d.settings.set(estate.admin, "account_review_days", "3")
    d.settings.set(estate.admin, "account_review_days", "30")
    view = d.official_accounts.add(estate.admin, Platform.X, "@Police")
    review = d.account_reviews.record(estate.comms, view.id, ALL_PASS)
    assert review.next_due_on == date(2026, 12, 26)


# --- investigations accounts ---------------------------------------------------------------


@pytest.fixture
def on_investigations(estate: Estate) -> tuple[Estate, int]:
    d = estate.desk
    view = d.official_accounts.add(estate.admin, Platform.X, "@ExampleshirePolice")
    d.importer.store(estate.admin, [item("1", "What time does the road reopen?")], "test")
    d.official_accounts.update(estate.admin, view.id, {"purpose": "investigations"})
    (row,) = d.queue.page(estate.admin, QueueFilter())
    return estate, row.case_id


def test_an_investigations_accounts_items_cannot_be_claimed_or_answered(
    on_investigations: tuple[Estate, int],
) -> None:
    estate, case_id = on_investigations
    d = estate.desk
    with pytest.raises(InvestigationsAccount) as refused:
        d.cases.claim(estate.jo, case_id)
    assert refused.value.message.startswith(
        "@ExampleshirePolice on x is an account used for investigations: Desk does not work "
        "its items."
    )
    with pytest.raises(InvestigationsAccount):
        d.replies.reply(estate.comms, case_id, "We will look into it")
    # it can still be cleared from the queue (a group close claims and closes it)
    d.cases.close_many(estate.sue, [case_id], Outcome.NO_ACTION, "investigations account")
    assert [r.status for r in d.queue.page(estate.sue, QueueFilter())] == ["closed"]


def test_the_import_hook_refuses_items_for_an_investigations_account(estate: Estate) -> None:
    d = estate.desk
    view = d.official_accounts.add(
        estate.admin, Platform.X, "@ExampleshirePolice",
        details=RegisterDetails(purpose=Purpose.INVESTIGATIONS),
    )  # fmt: skip
    d.official_accounts.add(estate.admin, Platform.X, "@Other")
    with d.ctx.db.write() as s:
        refuse_investigations_items(s, None, None)  # nothing imported: nothing to refuse
    d.official_accounts.update(estate.admin, view.id, {"purpose": "engagement"})
    d.importer.store(estate.admin, [item("1", "hello"), item("2", "hi", account="@Other")], "test")
    d.official_accounts.update(estate.admin, view.id, {"purpose": "investigations"})
    with d.ctx.db.read() as s, pytest.raises(InvestigationsAccount, match="Desk does not import"):
        refuse_investigations_items(s, 1, 2)
    with d.ctx.db.read() as s:
        refuse_investigations_items(s, 2, 2)  # only @Other's item


def test_an_import_onto_an_investigations_account_is_refused(estate: Estate) -> None:
    d = estate.desk
    d.official_accounts.add(
        estate.admin, Platform.X, "@ExampleshirePolice",
        details=RegisterDetails(purpose=Purpose.INVESTIGATIONS),
    )  # fmt: skip
    with pytest.raises(InvestigationsAccount, match="Desk does not import"):
        d.importer.store(estate.admin, [item("1", "hello")], "test")
