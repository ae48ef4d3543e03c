"""Retention on the test clock: due batches by class, review before delete, runs that delete
and anonymise on time, legal holds that stop them, the force's own rules, public appeals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from desk.core.cases import Outcome
from desk.core.errors import Conflict, InvalidInput, PermissionDenied
from desk.core.items import Platform
from desk.core.retention import AppealDone, EndAction, RecordClass
from desk.core.roles import Role
from desk.services.purge import ANONYMISED
from desk.store.tables import Case, Item, RetentionBatch
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services.helpers import item

SECRET = "Marrowvane Thistlebury"


@dataclass
class Desked:
    """The desk, its supervisor, and the three cases: quiet (no action), replied, open."""

    staffed: Staffed
    sue: Person
    quiet: int
    replied: int
    still_open: int

    def sue_token(self) -> str:
        return self.staffed.sign_in(self.sue)


def case_of(staffed: Staffed, platform_id: str) -> int:
    with staffed.desk.ctx.db.read() as s:
        found = s.scalar(select(Item.case_id).where(Item.platform_id == platform_id))
        assert found is not None
        return found


@pytest.fixture
def desked(staffed: Staffed) -> Desked:
    d, admin = staffed.desk, staffed.admin_token
    sue_seed = d.accounts.add_user(admin, "sue", "Sue Super", Role.SUPERVISOR, USER_PASSWORD).seed
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.importer.store(
        admin,
        [
            item("1", f"{SECRET} says hello", author="q1", handle="@quiet", thread="p1"),
            item("2", "Where is the station?", author="r1", handle="@asker", thread="p2"),
            item("3", "Still waiting", author="w1", handle="@waiting", thread="p3"),
        ],
        "test",
    )
    jo = staffed.sign_in(staffed.operator)
    quiet, replied, still_open = (case_of(staffed, p) for p in ("1", "2", "3"))
    for case_id, outcome in ((quiet, Outcome.NO_ACTION), (replied, Outcome.REPLIED)):
        d.cases.claim(jo, case_id)
        d.cases.close(jo, case_id, outcome)
    return Desked(staffed, Person("sue", USER_PASSWORD, sue_seed, Role.SUPERVISOR), quiet,
                  replied, still_open)  # fmt: skip


def case(desked: Desked, case_id: int) -> Case | None:
    with desked.staffed.desk.ctx.db.read() as s:
        return s.get(Case, case_id)


def test_nothing_is_due_before_its_period(desked: Desked) -> None:
    desked.staffed.clock.advance(days=89)
    due = desked.staffed.desk.retention.due(desked.sue_token())
    assert due.total == 0
    assert due.of(RecordClass.UNACTIONED).ids == ()


def test_an_unactioned_case_is_deleted_after_approval_and_the_batch_says_who(
    desked: Desked,
) -> None:
    d, clock = desked.staffed.desk, desked.staffed.clock
    clock.advance(days=91)
    sue = desked.sue_token()
    due = d.retention.due(sue)
    unactioned = due.of(RecordClass.UNACTIONED)
    assert unactioned.ids == (desked.quiet,)
    assert unactioned.sample == (desked.quiet,)
    assert unactioned.oldest is not None
    assert due.of(RecordClass.ACTIONED).ids == ()  # two years for those
    with pytest.raises(Conflict, match="No approved retention batch waits"):
        d.retention.run(sue)
    assert case(desked, desked.quiet) is not None

    batch = d.retention.approve(sue, due)
    assert batch.approved_by == "sue" and batch.counts == {"unactioned": 1}
    dry = d.retention.run(sue, dry_run=True)
    assert dry.counts == {"unactioned": 1} and case(desked, desked.quiet) is not None

    report = d.retention.run(sue)
    assert report.counts == {"unactioned": 1} and report.wal_emptied
    assert case(desked, desked.quiet) is None
    assert case(desked, desked.replied) is not None and case(desked, desked.still_open) is not None
    path = d.ctx.db.path
    if d.ctx.db.is_sqlite:  # the words are gone from the file itself, not only from its rows
        assert path is not None
        raw = path.read_bytes() + path.with_name(path.name + "-wal").read_bytes()
        assert b"marrowvane" not in raw.lower() and b"thistlebury" not in raw.lower()
    with d.ctx.db.read() as s:
        row = s.scalars(select(RetentionBatch)).one()
        assert (row.approved_by, row.ran_by) == ("sue", "sue")
    assert d.retention.due(sue).total == 0


def test_an_actioned_case_is_anonymised_after_two_years(desked: Desked) -> None:
    d, clock = desked.staffed.desk, desked.staffed.clock
    clock.advance(days=2 * 365 + 1)
    sue = desked.sue_token()
    report = d.retention.run(sue, approve=True)
    assert report.counts["unactioned"] == 1 and report.counts["actioned"] == 1
    assert report.counts["signins"] == 2  # the sessions of the fixture, lapsed long ago
    kept = case(desked, desked.replied)
    assert kept is not None and kept.summary == ANONYMISED
    with d.ctx.db.read() as s:
        texts = list(s.scalars(select(Item.text).where(Item.case_id == desked.replied)))
    assert texts == [""]
    # anonymised once: not due again
    assert d.retention.due(sue).of(RecordClass.ACTIONED).ids == ()


def test_a_legal_hold_on_the_author_stops_deletion_until_lifted(desked: Desked) -> None:
    d, clock = desked.staffed.desk, desked.staffed.clock
    sue = desked.sue_token()
    quiet = case(desked, desked.quiet)
    assert quiet is not None
    hold = d.retention.add_hold(sue, "author", quiet.author_id, "Court order 12/2026")
    assert [h.id for h in d.retention.holds(sue)] == [hold.id]
    with pytest.raises(Conflict, match="already stands"):
        d.retention.add_hold(sue, "author", quiet.author_id, "again")
    clock.advance(days=91)
    sue = desked.sue_token()
    due = d.retention.due(sue)
    assert due.of(RecordClass.UNACTIONED).ids == ()
    assert due.of(RecordClass.UNACTIONED).held == 1
    with pytest.raises(Conflict, match="Nothing is due"):
        d.retention.run(sue, approve=True)
    assert case(desked, desked.quiet) is not None

    with pytest.raises(InvalidInput, match="Give a reason"):
        d.retention.lift_hold(sue, hold.id, "  ")
    d.retention.lift_hold(sue, hold.id, "Case concluded")
    assert d.retention.holds(sue) == []
    d.retention.run(sue, approve=True)
    assert case(desked, desked.quiet) is None


def test_a_case_held_back_at_review_stays(desked: Desked) -> None:
    d, clock = desked.staffed.desk, desked.staffed.clock
    clock.advance(days=91)
    sue = desked.sue_token()
    due = d.retention.due(sue)
    with pytest.raises(InvalidInput, match="not in this batch"):
        d.retention.approve(sue, due, hold_ids=[desked.still_open])
    with pytest.raises(Conflict, match="Nothing is due"):
        d.retention.approve(sue, due, hold_ids=[desked.quiet])
    assert case(desked, desked.quiet) is not None


def test_the_force_sets_its_own_periods(desked: Desked) -> None:
    d, clock, admin = desked.staffed.desk, desked.staffed.clock, desked.staffed.admin_token
    with pytest.raises(InvalidInput, match="moderation must be kept at least"):
        d.settings.set(admin, "retention_rules", "moderation=30d anonymise")
    with pytest.raises(InvalidInput, match="Unknown record class 'emails'"):
        d.settings.set(admin, "retention_rules", "emails=1y delete")
    d.settings.set(admin, "retention_rules", "unactioned=30d delete; actioned=60d delete")
    assert d.retention.rules()[RecordClass.ACTIONED].action is EndAction.DELETE
    clock.advance(days=61)
    sue = desked.sue_token()
    due = d.retention.due(sue)
    assert due.of(RecordClass.UNACTIONED).ids == (desked.quiet,)
    assert due.of(RecordClass.ACTIONED).ids == (desked.replied,)
    d.retention.run(sue, approve=True)
    assert case(desked, desked.replied) is None


def test_operators_cannot_review_retention_or_place_holds(desked: Desked) -> None:
    d = desked.staffed.desk
    jo = desked.staffed.sign_in(desked.staffed.operator)
    with pytest.raises(PermissionDenied):
        d.retention.due(jo)
    with pytest.raises(PermissionDenied):
        d.retention.add_hold(jo, "case", desked.quiet, "no")


def test_an_ended_appeal_is_listed_until_it_is_removed(desked: Desked) -> None:
    d, clock = desked.staffed.desk, desked.staffed.clock
    jo = desked.staffed.sign_in(desked.staffed.operator)
    ends = clock.now() + timedelta(days=7)
    appeal = d.retention.mark_appeal(jo, desked.still_open, ends)
    assert d.retention.appeals(jo, ended_only=True) == []
    clock.advance(days=8)
    jo = desked.staffed.sign_in(desked.staffed.operator)
    assert [a.id for a in d.retention.appeals(jo, ended_only=True)] == [appeal.id]
    done = d.retention.appeal_done(jo, appeal.id, "archived")
    assert done.done_how is AppealDone.ARCHIVED and done.done_by == "jsmith"
    assert d.retention.appeals(jo, ended_only=True) == []
    with pytest.raises(Conflict, match="already archived"):
        d.retention.appeal_done(jo, appeal.id, "removed")


def test_the_handover_reminds_the_desk_of_an_ended_appeal(desked: Desked) -> None:
    d, clock = desked.staffed.desk, desked.staffed.clock
    jo = desked.staffed.sign_in(desked.staffed.operator)
    appeal = d.retention.mark_appeal(jo, desked.still_open, clock.now() + timedelta(hours=1))
    clock.advance(hours=2)
    sue = desked.sue_token()
    notes = [n.text for n in d.handover.compile(sue, clock.now()).notes]
    assert any(f"Public appeal #{appeal.id} on case #{desked.still_open} ended" in n for n in notes)
    d.retention.appeal_done(desked.staffed.sign_in(desked.staffed.operator), appeal.id, "removed")
    assert d.handover.compile(sue, clock.now()).notes == []


def test_a_batch_is_removed_in_chunks(desked: Desked, monkeypatch: pytest.MonkeyPatch) -> None:
    from desk.services import retention as module

    monkeypatch.setattr(module, "CHUNK", 1)
    d, clock, admin = desked.staffed.desk, desked.staffed.clock, desked.staffed.admin_token
    d.settings.set(admin, "retention_rules", "actioned=30d delete; signins=30d")
    clock.advance(days=91)
    sue = desked.sue_token()
    report = d.retention.run(sue, approve=True)
    assert report.counts["unactioned"] == 1 and report.counts["actioned"] == 1
    assert report.counts["signins"] >= 2  # the sign-ins ended before (sessions expire)
    assert case(desked, desked.quiet) is None and case(desked, desked.replied) is None
