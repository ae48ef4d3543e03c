"""Erasure of one author: refused while a hold or open case stands, then gone from the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from desk.core.cases import Outcome
from desk.core.errors import Conflict, InvalidInput, PermissionDenied
from desk.core.retention import HoldTarget
from desk.store.tables import (
    AuditEntry,
    Author,
    Case,
    Item,
    ModerationAction,
    Reply,
    SubjectAccessRequest,
)
from tests.cli.conftest import Cli
from tests.conftest import Staffed
from tests.subject_data import (
    ESCALATION,
    HIDE,
    KIM_TEXT,
    NOTE,
    PAT_HANDLE,
    PAT_TEXTS,
    REPLY,
    THRIVE,
    Subject,
    worked_subject,
)


@pytest.fixture
def subject(staffed: Staffed) -> Subject:
    return worked_subject(staffed)


def _close_pat_case(subject: Subject) -> None:
    d = subject.staffed.desk
    (waiting,) = d.escalations.for_case(subject.jo, subject.pat_case)
    d.escalations.acknowledge(subject.jo, waiting.id, "Comms duty officer")
    d.cases.close(subject.jo, subject.pat_case, Outcome.REPLIED)


def _file_bytes(staffed: Staffed) -> bytes:
    data = b""
    for path in Path(staffed.desk.profile.db_path).parent.glob("desk.sqlite3*"):
        data += path.read_bytes()
    return data


def test_an_open_case_or_a_hold_refuses_erasure_and_nothing_changes(subject: Subject) -> None:
    staffed = subject.staffed
    d = staffed.desk
    sue = staffed.sign_in(subject.sue)
    with pytest.raises(Conflict, match=rf"open case\(s\) #{subject.pat_case}: close them"):
        d.erasure.erase(sue, f"x:{PAT_HANDLE}", "Art. 17 request")
    _close_pat_case(subject)
    with d.ctx.db.read() as s:
        author_id = s.scalars(select(Author.id).where(Author.handle == PAT_HANDLE)).one()
    hold = d.retention.add_hold(sue, HoldTarget.AUTHOR, author_id, "Civil claim pending")
    with pytest.raises(Conflict, match=f"legal hold stands on author {author_id}"):
        d.erasure.erase(sue, f"author:{author_id}", "Art. 17 request")
    d.retention.lift_hold(sue, hold.id, "Claim settled")
    with pytest.raises(InvalidInput, match="names the person"):
        d.erasure.erase(sue, f"author:{author_id}", "Patresident asked")
    with pytest.raises(PermissionDenied):
        d.erasure.erase(subject.jo, f"author:{author_id}", "Art. 17 request")
    with d.ctx.db.read() as s:
        assert len(list(s.scalars(select(Item).where(Item.author_id == author_id)))) == 3


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_erasure_from_the_command_line_leaves_no_trace_in_the_file(
    subject: Subject, cli: Cli
) -> None:
    staffed = subject.staffed
    d = staffed.desk
    sue = staffed.sign_in(subject.sue)
    request = d.subject_access.add(
        sue, "A requester", "uk_gdpr", staffed.clock.now().date(), subject="x:@patresident"
    )
    _close_pat_case(subject)
    from desk.services.signin import CLI as CLI_SESSION

    token = staffed.sign_in(subject.sue, CLI_SESSION)
    done = cli(
        "erase", "x:patresident", "--reason", "Art. 17 request", "--request", "SAR-1",
        "--json", session=token,
    )  # fmt: skip
    assert done.status == 0, done.err
    assert '"items": 3' in done.out
    assert '"mentions_replaced": ' in done.out
    with d.ctx.db.read() as s:
        assert s.scalars(select(Author).where(Author.handle == PAT_HANDLE)).first() is None
        assert s.get(Case, subject.pat_case) is None
        assert s.get(Case, subject.kim_case) is not None  # the neighbour's case stays
        assert s.scalars(select(Reply).where(Reply.text == REPLY)).first() is None
        assert s.scalars(select(ModerationAction)).first() is None
        row = s.get(SubjectAccessRequest, request.id)
        assert row is not None and row.subject == "author:1 (erased)"
        tomb = s.scalars(select(AuditEntry).where(AuditEntry.action == "author.erase")).one()
        assert tomb.object == "author:1"
        assert "Quillfield" not in tomb.details and "patresident" not in tomb.details
    d.close()  # let every connection go, as when the desk closes
    raw = _file_bytes(staffed)
    # the reply's words and the moderation explanation are gone too: their append-only audit
    # entries keep only a fingerprint (SHA-256 and length)
    for text in (*PAT_TEXTS, NOTE, ESCALATION, THRIVE["vulnerability"], REPLY, HIDE):
        assert text.encode() not in raw, text
    assert b"patresident" not in raw.lower()
    assert KIM_TEXT.encode() in raw
