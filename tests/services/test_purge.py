"""Purging content: deleted means gone from the items, the search index, the timeline and the
database file's bytes (write-ahead log included); anonymised keeps the rows for the counts."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from desk.core.errors import Conflict
from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from desk.core.retention import EndAction
from desk.services.purge import ANONYMISED, PURGE_ACTION, after_purge, purge_cases
from desk.store.tables import AuditEntry, Author, Case, CaseEvent, Item, LegalHold
from tests.conftest import Staffed
from tests.services.helpers import item

SECRET = "Quillowbrook Zephyrine"  # distinctive: appears nowhere else


@pytest.fixture
def worked(staffed: Staffed) -> Staffed:
    """Two cases: one by @secret quoting SECRET (with a note quoting it too), one by @other."""
    d, admin = staffed.desk, staffed.admin_token
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.importer.store(
        admin,
        [
            item("1", f"My neighbour {SECRET} keeps shouting", author="s1", handle="@secret"),
            item("2", "Thanks for the update", author="o1", handle="@other", thread="p2"),
        ],
        "test",
    )
    jo = staffed.sign_in(staffed.operator)
    d.cases.claim(jo, case_of(staffed, "1"))
    d.cases.add_note(jo, case_of(staffed, "1"), f"Spoke about {SECRET} on the phone")
    return staffed


def case_of(staffed: Staffed, platform_id: str) -> int:
    with staffed.desk.ctx.db.read() as s:
        found = s.scalar(select(Item.case_id).where(Item.platform_id == platform_id))
        assert found is not None
        return found


def file_bytes(staffed: Staffed) -> bytes:
    """The database file and its write-ahead log, as on disk."""
    path = staffed.desk.ctx.db.path
    assert path is not None
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def secret_in_file(staffed: Staffed) -> bool:
    data = file_bytes(staffed).lower()
    return any(w.lower().encode() in data for w in SECRET.split())


def purge(staffed: Staffed, case_id: int, mode: EndAction) -> None:
    ctx = staffed.desk.ctx
    with ctx.db.write() as s:
        purge_cases(s, ctx, [case_id], mode, actor="admin", why={"reason": "test"})
    assert after_purge(ctx)


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_a_deleted_case_leaves_no_trace_of_its_text_in_the_file(worked: Staffed) -> None:
    d = worked.desk
    case_id = case_of(worked, "1")
    assert secret_in_file(worked)  # the check can see the text while it is there
    found = d.queue.page(worked.admin_token, QueueFilter(search="Quillowbrook"))
    assert [r.case_id for r in found] == [case_id]

    purge(worked, case_id, EndAction.DELETE)

    assert not secret_in_file(worked)
    with d.ctx.db.read() as s:
        assert s.get(Case, case_id) is None
        assert s.scalar(select(func.count()).select_from(Item)) == 1
        assert s.scalar(select(Author.id).where(Author.handle == "@secret")) is None
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == PURGE_ACTION)).one()
    assert f'"cases":[{case_id}]' in entry.details.replace(" ", "")
    assert "Quillowbrook" not in entry.details
    assert d.queue.page(worked.admin_token, QueueFilter(search="Quillowbrook")) == []


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_an_anonymised_case_keeps_its_rows_but_not_its_text_or_author(worked: Staffed) -> None:
    d = worked.desk
    case_id = case_of(worked, "1")
    with d.ctx.db.write() as s:  # a moderation line's details carry the explanation
        s.add(
            CaseEvent(
                case_id=case_id,
                at=worked.clock.now(),
                actor="jsmith",
                kind="moderate",
                text="hidden",
                details=json.dumps({"explanation": f"quoted {SECRET}", "rule": "CG-2"}),
            )
        )
    purge(worked, case_id, EndAction.ANONYMISE)
    assert not secret_in_file(worked)
    with d.ctx.db.read() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.summary == ANONYMISED
        author = s.get(Author, case.author_id)
        assert author is not None and author.handle == ANONYMISED
        assert s.scalar(select(func.count()).select_from(Item)) == 2
        notes = list(s.scalars(select(CaseEvent.text).where(CaseEvent.case_id == case_id)))
        assert notes and all(t == "" for t in notes)
        details = list(s.scalars(select(CaseEvent.details).where(CaseEvent.kind == "moderate")))
        assert [json.loads(x) for x in details] == [{"rule": "CG-2"}]
        assert s.scalar(select(Author.id).where(Author.handle == "@secret")) is None


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_a_legal_hold_stops_the_purge_and_nothing_changes(worked: Staffed) -> None:
    d = worked.desk
    case_id = case_of(worked, "1")
    with d.ctx.db.write() as s:
        s.add(
            LegalHold(
                target="case",
                target_id=case_id,
                reason="court order",
                placed_by="admin",
                placed_at=worked.clock.now(),
            )
        )
    with pytest.raises(Conflict, match=f"legal hold stands on case #{case_id}"):
        purge(worked, case_id, EndAction.DELETE)
    with d.ctx.db.read() as s:
        assert s.get(Case, case_id) is not None
    assert secret_in_file(worked)
