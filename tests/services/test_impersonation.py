"""The impersonation watch through the services: flags in the queue and the case, the scan,
the suspected fake accounts register with its permissions, audit, reminders and handover."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from desk.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from desk.core.impersonation import Outcome
from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from desk.core.roles import Role
from desk.services.impersonation import flag_authors_added_after, flag_new_authors
from desk.store.tables import AuditEntry, Author, Item
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services.helpers import item

FAKE = "@Ex\u0430mpleshirePolice"  # a Cyrillic "а"


@dataclass
class Watched:
    """A desk with two official accounts, a supervisor, a communications officer and items
    from a look-alike author and an ordinary one."""

    staffed: Staffed
    sue: Person
    cat: Person
    fake_case: int
    plain_case: int
    fake_item: int

    def token(self, person: Person) -> str:
        return self.staffed.sign_in(person)


def _case_of(staffed: Staffed, platform_id: str) -> tuple[int, int]:
    with staffed.desk.ctx.db.read() as s:
        found = s.execute(select(Item.case_id, Item.id).where(Item.platform_id == platform_id))
        case_id, item_id = found.one()
        return case_id, item_id


@pytest.fixture
def watched(staffed: Staffed) -> Watched:
    d, admin = staffed.desk, staffed.admin_token
    sue = d.accounts.add_user(admin, "sue", "Sue Super", Role.SUPERVISOR, USER_PASSWORD).seed
    cat = d.accounts.add_user(admin, "cat", "Cat Comms", Role.COMMUNICATIONS, USER_PASSWORD).seed
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.settings.set(admin, "force_name", "Exampleshire Police")
    d.importer.store(
        admin,
        [
            item("1", "Follow us for updates", author="f1", handle=FAKE, thread="p1"),
            item("2", "Where is the station?", author="r1", handle="@resident", thread="p2"),
        ],
        "test",
    )
    fake_case, fake_item = _case_of(staffed, "1")
    plain_case, _ = _case_of(staffed, "2")
    return Watched(
        staffed,
        Person("sue", USER_PASSWORD, sue, Role.SUPERVISOR),
        Person("cat", USER_PASSWORD, cat, Role.COMMUNICATIONS),
        fake_case,
        plain_case,
        fake_item,
    )


def _rows(w: Watched) -> dict[int, str | None]:
    token = w.staffed.sign_in(w.staffed.operator)
    page = w.staffed.desk.queue.page(token, QueueFilter())
    return {r.case_id: r.impersonates for r in page}


def _audit(w: Watched, action: str) -> list[AuditEntry]:
    with w.staffed.desk.ctx.db.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_flagging_new_authors_shows_in_the_queue_and_the_case(watched: Watched) -> None:
    d = watched.staffed.desk
    rows = _rows(watched)  # the import flagged the look-alike on arrival
    assert rows[watched.fake_case] == (
        "resembles @ExampleshirePolice: Cyrillic look-alike ('\u0430' (U+0430) for 'a')"
    )
    assert rows[watched.plain_case] is None
    token = watched.staffed.sign_in(watched.staffed.operator)
    detail = d.queue.detail(token, watched.fake_case)
    assert detail.row.impersonates is not None and "@ExampleshirePolice" in detail.row.impersonates
    [entry] = _audit(watched, "impersonation.flag")
    assert entry.actor == "admin" and json.loads(entry.details)["why"] == "look_alike"
    with d.ctx.db.write() as s:  # flagging again finds nothing new
        ids = list(s.scalars(select(Author.id)))
        flag_new_authors(s, d.ctx, ids)
    assert len(_audit(watched, "impersonation.flag")) == 1


def test_the_import_hook_flags_only_the_authors_an_import_added(watched: Watched) -> None:
    d, admin = watched.staffed.desk, watched.staffed.admin_token
    with d.ctx.db.read() as s:
        floor = max(s.scalars(select(Author.id)))
    d.importer.store(
        admin,
        [
            item("3", "hi", author="n1", handle="@Exampleshire_Police", thread="p3"),
            item("4", "hi", author="n2", handle="@neighbour", thread="p4"),
        ],
        "test",
    )
    flagged = d.impersonation.flagged(admin)  # flagged on arrival, by the import itself
    assert {(f.handle, f.why.value) for f in flagged} == {
        (FAKE, "look_alike"),  # the fixture's import
        ("@Exampleshire_Police", "same_name"),
    }
    with d.ctx.db.write() as s:
        assert flag_authors_added_after(s, d.ctx, floor, "admin") == 0  # nothing left to flag
    rows = {r.author: r.impersonates for r in d.queue.page(admin, QueueFilter())}
    assert rows["@Exampleshire_Police"] == "resembles @ExampleshirePolice: the same name"
    assert rows["@neighbour"] is None


def test_scan_flags_authors_seen_before_an_account_was_added_and_clears_them(
    watched: Watched,
) -> None:
    d, admin = watched.staffed.desk, watched.staffed.admin_token
    d.importer.store(
        admin,
        [item("3", "hello", author="n1", handle="@NorthTownPolice_official", thread="p3")],
        "test",
    )
    report = d.impersonation.scan(admin)
    assert report.checked == 3 and report.flagged == 1
    d.official_accounts.add(admin, Platform.X, "@NorthTownPolice", "North Town Police")
    again = d.impersonation.scan(admin)
    assert again.flagged == 2 and len(again.newly_flagged) == 1
    flagged = {f.handle: f.impersonates for f in d.impersonation.flagged(admin)}
    assert flagged["@NorthTownPolice_official"] == (
        "resembles @NorthTownPolice: the same name with 'official' added"
    )
    [_first, second] = _audit(watched, "impersonation.scan")
    assert json.loads(second.details)["newly_flagged"] == list(again.newly_flagged)


def test_operators_may_not_scan(watched: Watched) -> None:
    with pytest.raises(PermissionDenied):
        watched.staffed.desk.impersonation.scan(watched.staffed.sign_in(watched.staffed.operator))


def test_check_says_what_a_handle_resembles_without_storing(watched: Watched) -> None:
    d = watched.staffed.desk
    token = watched.staffed.sign_in(watched.staffed.operator)
    assert d.impersonation.check(token, Platform.X, "@ExampIeshirePolice").startswith(
        "resembles @ExampleshirePolice: look-alike characters ('I' for 'l')"
    )
    assert d.impersonation.check(token, Platform.X, "@resident") == ""
    assert d.impersonation.check(token, Platform.X, "@jo", "Exampleshire Police") != ""
    assert [f.handle for f in d.impersonation.flagged(token)] == [FAKE]  # checks store nothing


def test_the_register_from_sighting_to_removal(watched: Watched) -> None:
    d, clock = watched.staffed.desk, watched.staffed.clock
    jo = watched.staffed.sign_in(watched.staffed.operator)
    added = d.impersonation.add_suspect(
        jo,
        Platform.X,
        FAKE,
        link="https://x.example/fake",
        links=["https://x.example/fake/status/1"],
        item_ids=[watched.fake_item],
        note="Posting fake road closures",
    )
    assert added.resembles == "@ExampleshirePolice"
    assert added.item_ids == (watched.fake_item,) and added.outcome is Outcome.PENDING
    assert added.author_id is not None and added.reported_at is None
    with pytest.raises(Conflict, match=f"already suspect #{added.id}"):
        d.impersonation.add_suspect(jo, Platform.X, FAKE.lower())
    with pytest.raises(PermissionDenied):
        d.impersonation.record_report(jo, added.id, "X-123")  # operators may not

    cat = watched.token(watched.cat)
    with pytest.raises(InvalidInput, match="not been reported"):
        d.impersonation.record_outcome(cat, added.id, Outcome.REMOVED)
    reported = d.impersonation.record_report(cat, added.id, "X-123")
    assert reported.report_reference == "X-123" and reported.reported_by == "cat"

    more = d.impersonation.add_evidence(jo, added.id, note="Now asking for donations")
    assert more.note == "Posting fake road closures\nNow asking for donations"

    clock.advance(days=15)
    sue = watched.token(watched.sue)
    [reminder] = d.impersonation.reminders(sue)
    assert reminder.suspect_id == added.id and reminder.days_waiting == 15
    assert d.impersonation.reminders(watched.staffed.sign_in(watched.staffed.operator)) == []
    assert d.impersonation.suspect(sue, added.id).overdue

    removed = d.impersonation.record_outcome(sue, added.id, Outcome.REMOVED)
    assert removed.outcome is Outcome.REMOVED and removed.outcome_by == "sue"
    assert d.impersonation.reminders(sue) == []
    assert d.impersonation.suspects(sue, open_only=True) == []
    actions = [e.action for e in _audit(watched, "impersonation.suspect_add")]
    actions += [e.action for e in _audit(watched, "impersonation.report")]
    actions += [e.action for e in _audit(watched, "impersonation.outcome")]
    actions += [e.action for e in _audit(watched, "impersonation.evidence")]
    assert sorted(actions) == sorted(
        [
            "impersonation.suspect_add",
            "impersonation.report",
            "impersonation.outcome",
            "impersonation.evidence",
        ]
    )


def test_a_suspect_can_be_added_from_the_author_of_a_case(watched: Watched) -> None:
    d = watched.staffed.desk
    jo = watched.staffed.sign_in(watched.staffed.operator)
    detail = d.queue.detail(jo, watched.fake_case)
    assert detail.author_id is not None
    with pytest.raises(InvalidInput, match="not facebook"):
        d.impersonation.add_suspect(jo, Platform.FACEBOOK, "", author_id=detail.author_id)
    added = d.impersonation.add_suspect(jo, Platform.X, "", author_id=detail.author_id)
    assert (added.handle, added.author_id) == (FAKE, detail.author_id)
    assert added.resembles == "@ExampleshirePolice"  # worked out even before any flag
    assert added.first_seen_at <= added.added_at  # from the author's first sighting


def test_bad_input_is_refused_and_changes_nothing(watched: Watched) -> None:
    d = watched.staffed.desk
    jo = watched.staffed.sign_in(watched.staffed.operator)
    with pytest.raises(InvalidInput, match="not a web link"):
        d.impersonation.add_suspect(jo, Platform.X, "@fake", links=["javascript:alert(1)"])
    with pytest.raises(NotFound, match="no item #999"):
        d.impersonation.add_suspect(jo, Platform.X, "@fake", item_ids=[999])
    with pytest.raises(InvalidInput, match="handle"):
        d.impersonation.add_suspect(jo, Platform.X, "  ")
    future = watched.staffed.clock.now() + timedelta(days=1)
    with pytest.raises(InvalidInput, match="future"):
        d.impersonation.add_suspect(jo, Platform.X, "@fake", first_seen_at=future)
    assert d.impersonation.suspects(jo) == []
    assert _audit(watched, "impersonation.suspect_add") == []
    added = d.impersonation.add_suspect(jo, Platform.X, "@fake")
    cat = watched.token(watched.cat)
    with pytest.raises(InvalidInput, match="reference"):
        d.impersonation.record_report(cat, added.id, " ")
    with pytest.raises(NotFound):
        d.impersonation.record_report(cat, 999, "X-1")
    assert d.impersonation.suspect(cat, added.id).reported_at is None


def test_the_handover_lists_unreported_and_overdue_suspects(watched: Watched) -> None:
    d, clock = watched.staffed.desk, watched.staffed.clock
    jo = watched.staffed.sign_in(watched.staffed.operator)
    waiting = d.impersonation.add_suspect(jo, Platform.X, "@NotReportedYet")
    chased = d.impersonation.add_suspect(jo, Platform.X, FAKE)
    d.impersonation.record_report(watched.token(watched.cat), chased.id, "X-777")
    clock.advance(days=20)
    sue = watched.token(watched.sue)
    notes = [n.text for n in d.handover.compile(sue, clock.now()).notes]
    assert any(f"(#{waiting.id}) is not reported" in n for n in notes), notes
    assert any(f"(#{chased.id}) was reported" in n and "X-777" in n for n in notes), notes
