"""Areas and neighbourhood teams: a scoped person sees and works only their areas' cases."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from desk.core.cases import Outcome
from desk.core.errors import Conflict, InvalidInput, PermissionDenied
from desk.core.escalation import TargetKind, Urgency
from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from desk.core.roles import Role
from desk.services.desk import Desk
from desk.services.official_accounts import RegisterDetails
from desk.store.tables import Account, AuditEntry, Case
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services.helpers import item


@dataclass
class Estate:
    """A desk with a North, an East and a force-wide account, one case on each."""

    staffed: Staffed
    north: int  # case ids
    east: int
    force: int
    scoped: str  # token: jsmith, an operator working North
    everyone: str  # token: kwong, an operator working the whole force

    @property
    def desk(self) -> Desk:
        """The open desk."""
        return self.staffed.desk


@pytest.fixture
def estate(staffed: Staffed) -> Estate:
    d, admin = staffed.desk, staffed.admin_token
    for handle, area in (("@NorthPolice", "North"), ("@EastPolice", "East"), ("@Force", "")):
        d.official_accounts.add(admin, Platform.X, handle, details=RegisterDetails(area=area))
    d.importer.store(
        admin,
        [
            item("1", "Noise on the high street", author="u1", account="@NorthPolice"),
            item("2", "Bins not collected", author="u2", account="@EastPolice", thread=None),
            item("3", "How do I report a lost dog", author="u3", account="@Force", thread="t3"),
        ],
        "test",
    )
    with d.ctx.db.read() as s:
        ids = {c.summary: c.id for c in s.scalars(select(Case))}
    d.areas.set_areas(admin, "jsmith", "North")
    seed = d.accounts.add_user(admin, "kwong", "Kim Wong", Role.OPERATOR, USER_PASSWORD).seed
    scoped = staffed.sign_in(staffed.operator)
    everyone = staffed.sign_in(Person("kwong", USER_PASSWORD, seed, Role.OPERATOR))
    return Estate(
        staffed,
        ids["Noise on the high street"],
        ids["Bins not collected"],
        ids["How do I report a lost dog"],
        scoped,
        everyone,
    )


def _queue(estate: Estate, token: str) -> list[int]:
    return [r.case_id for r in estate.desk.queue.page(token, QueueFilter())]


def test_a_scoped_operator_sees_only_their_areas_cases_in_the_queue_and_counts(
    estate: Estate,
) -> None:
    d = estate.desk
    assert _queue(estate, estate.scoped) == [estate.north]
    assert d.queue.count(estate.scoped, QueueFilter()) == 1
    assert d.queue.status_counts(estate.scoped)["new"] == 1
    # read backwards (the end of the queue) and by offset, the scope holds too
    assert [r.case_id for r in d.queue.page(estate.scoped, QueueFilter(), from_end=True)] == [
        estate.north
    ]
    assert d.queue.page(estate.scoped, QueueFilter(), offset=1) == []
    # searching finds nothing from another area
    assert d.queue.page(estate.scoped, QueueFilter(search="bins")) == []


def test_an_unscoped_operator_sees_every_case(estate: Estate) -> None:
    d = estate.desk
    assert sorted(_queue(estate, estate.everyone)) == sorted(
        [estate.north, estate.east, estate.force]
    )
    assert d.queue.count(estate.everyone, QueueFilter()) == 3
    assert d.queue.status_counts(estate.everyone)["new"] == 3
    d.cases.claim(estate.everyone, estate.east)
    assert d.queue.detail(estate.everyone, estate.east).row.owner == "kwong"


def test_a_scoped_operator_is_refused_another_areas_case_through_the_services(
    estate: Estate,
) -> None:
    d, token, east = estate.desk, estate.scoped, estate.east
    said = f"Case {east} belongs to the East area; you work North."
    for attempt in (
        lambda: d.cases.claim(token, east),
        lambda: d.queue.detail(token, east),
        lambda: d.replies.reply(token, east, "Thanks, we have passed this on."),
        lambda: d.cases.add_note(token, east, "a note"),
        lambda: d.cases.close(token, east, Outcome.NO_ACTION),
        lambda: d.escalations.escalate(token, east, TargetKind.COMMAND, Urgency.HOUR, "x"),
        lambda: d.escalations.case_state(token, east),
        lambda: d.moderation.actions_on_case(token, east),
        lambda: d.queue.items_for(token, [east]),
        lambda: d.surges.similar(token, east),
    ):
        with pytest.raises(PermissionDenied) as refused:
            attempt()
        assert refused.value.message == said
    with d.ctx.db.read() as s:
        case = s.get(Case, east)
        assert case is not None and case.owner_id is None and case.status == "new"
    # a force-wide account's case is outside an area's scope, and says so
    with pytest.raises(PermissionDenied, match="belongs to a force-wide account; you work North"):
        d.cases.claim(token, estate.force)


def test_a_scoped_operator_works_their_own_areas_case(estate: Estate) -> None:
    d, token = estate.desk, estate.scoped
    d.cases.claim(token, estate.north)
    d.cases.add_note(token, estate.north, "spoke to the beat manager")
    detail = d.queue.detail(token, estate.north)
    assert detail.row.owner == "jsmith"
    assert [t.text for t in detail.timeline if t.kind == "note"] == ["spoke to the beat manager"]


def test_areas_apply_at_once_and_clearing_them_gives_the_whole_force(estate: Estate) -> None:
    d, admin = estate.desk, estate.staffed.admin_token
    d.areas.set_areas(admin, "jsmith", "north, East")  # spelt as the accounts spell them
    assert d.areas.areas_of(admin, "jsmith").areas == ("North", "East")
    assert sorted(_queue(estate, estate.scoped)) == sorted([estate.north, estate.east])
    d.areas.clear_areas(admin, "jsmith")
    assert len(_queue(estate, estate.scoped)) == 3
    with estate.desk.ctx.db.read() as s:
        changes = [
            json.loads(e.details)
            for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "account.areas"))
        ]
    assert [(c["before"], c["after"]) for c in changes] == [
        ([], ["North"]),
        (["North"], ["North", "East"]),
        (["North", "East"], []),
    ]


def test_bad_areas_are_refused_and_change_nothing(estate: Estate) -> None:
    d, admin = estate.desk, estate.staffed.admin_token
    for text, said in (
        ("", "Name at least one area"),
        (" , ", "Name at least one area"),
        ("force-wide", "is not an area"),
        ("x" * 121, "at most 120 characters"),
    ):
        with pytest.raises(InvalidInput, match=said):
            d.areas.set_areas(admin, "jsmith", text)
    with pytest.raises(Conflict, match="'jsmith' already works North"):
        d.areas.set_areas(admin, "jsmith", "NORTH")
    with d.ctx.db.read() as s:
        acct = s.scalar(select(Account).where(Account.username == "jsmith"))
        assert acct is not None and json.loads(acct.areas) == ["North"]


def test_only_administrators_set_areas(estate: Estate) -> None:
    with pytest.raises(PermissionDenied, match="may not manage users"):
        estate.desk.areas.set_areas(estate.everyone, "kwong", "East")
    with pytest.raises(PermissionDenied):  # nor read someone else's
        estate.desk.areas.areas_of(estate.everyone, "jsmith")
    assert estate.desk.areas.areas_of(estate.scoped, "jsmith").areas == ("North",)


def test_an_area_no_account_has_is_kept_and_named(estate: Estate) -> None:
    view = estate.desk.areas.set_areas(estate.staffed.admin_token, "jsmith", "North, Westfield")
    assert view.areas == ("North", "Westfield")
    assert view.unmatched == ("Westfield",)
    assert estate.desk.areas.known(estate.scoped) == ("East", "North")


def test_a_case_is_not_reassigned_to_someone_outside_its_area(estate: Estate) -> None:
    d, admin = estate.desk, estate.staffed.admin_token
    seed = d.accounts.add_user(admin, "sgt", "Sam Sergeant", Role.SUPERVISOR, USER_PASSWORD).seed
    sgt = estate.staffed.sign_in(Person("sgt", USER_PASSWORD, seed, Role.SUPERVISOR))
    with pytest.raises(InvalidInput, match="belongs to the East area, and jsmith works North"):
        d.cases.reassign(sgt, estate.east, "jsmith")
    d.cases.reassign(sgt, estate.north, "jsmith")
    assert d.queue.detail(estate.scoped, estate.north).row.owner == "jsmith"


def test_a_neighbourhood_escalation_goes_to_the_cases_area_team(estate: Estate) -> None:
    d, token = estate.desk, estate.everyone
    # the shipped targets have neighbourhood teams for Central, North and South
    offered = d.escalations.targets(token, TargetKind.NEIGHBOURHOOD, case_id=estate.north)
    assert offered[0].area == "North"
    assert sorted(t.area for t in offered) == ["Central", "North", "South"]
    d.cases.claim(token, estate.north)
    sent = d.escalations.escalate(
        token, estate.north, TargetKind.NEIGHBOURHOOD, Urgency.TODAY, "repeat noise"
    )
    assert sent.target_name == offered[0].name
    assert "(North)" in sent.body
    # an area with no team of its own: the person still chooses (nothing is guessed)
    d.cases.claim(token, estate.east)
    with pytest.raises(InvalidInput, match="Choose the area for the neighbourhood target"):
        d.escalations.escalate(token, estate.east, TargetKind.NEIGHBOURHOOD, Urgency.TODAY, "x")


def test_a_scoped_person_sees_only_their_areas_escalations(estate: Estate) -> None:
    d, token = estate.desk, estate.everyone
    for case_id in (estate.north, estate.east):
        d.cases.claim(token, case_id)
        d.escalations.escalate(token, case_id, TargetKind.COMMAND, Urgency.HOUR, "look")
    assert {e.case_id for e in d.escalations.waiting(token)} == {estate.north, estate.east}
    assert [e.case_id for e in d.escalations.waiting(estate.scoped)] == [estate.north]
    assert [e.case_id for e in d.escalations.listing(estate.scoped)] == [estate.north]
    assert d.escalations.waiting_counts(estate.scoped) == (1, 0)
    estate.staffed.clock.advance(hours=2)
    assert d.escalations.overdue_cases(estate.scoped) == frozenset({estate.north})


def test_a_leavers_cases_are_not_reassigned_to_someone_outside_their_areas(
    estate: Estate,
) -> None:
    d, admin = estate.desk, estate.staffed.admin_token
    d.cases.claim(estate.everyone, estate.east)
    with pytest.raises(InvalidInput, match="belongs to the East area, and jsmith works North"):
        d.people.disable(admin, "kwong", cases="reassign", to="jsmith")
    with d.ctx.db.read() as s:  # nothing changed: kwong is still active and owns the case
        kim = s.scalar(select(Account).where(Account.username == "kwong"))
        assert kim is not None and kim.active
        case = s.get(Case, estate.east)
        assert case is not None and case.owner_id == kim.id
