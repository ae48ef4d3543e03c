"""The audit viewer's reads: filters, keyset paging, exports, and signed anchors."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import datetime, timedelta

import pytest

from desk.core.audit_chain import AuditRecord, content_bytes, seal
from desk.core.audit_export import audit_json, write_audit_csv
from desk.core.audit_filter import AuditFilter
from desk.core.errors import InvalidInput, PermissionDenied
from tests.conftest import Staffed


def _record(staffed: Staffed, actor: str, action: str, obj: str, **details: object) -> int:
    ctx = staffed.desk.ctx
    with ctx.db.write() as s:
        seq = ctx.audit.record(s, actor, action, obj, **details)
    staffed.clock.advance(minutes=10)
    return seq


@pytest.fixture
def logged(staffed: Staffed) -> Staffed:
    """A log with case work by two people over a few hours."""
    staffed.clock.advance(hours=1)
    for n in range(30):
        case = 7 if n % 3 == 0 else 8
        actor = "jsmith" if n % 2 == 0 else "admin"
        action = "case.note" if n % 5 else "case.close"
        _record(staffed, actor, action, f"case:{case}", n=n)
    return staffed


def test_filters_by_case_person_action_and_period(logged: Staffed) -> None:
    audit = logged.desk.audit
    token = logged.admin_token
    case7 = audit.find(token, AuditFilter(case_id=7))
    assert len(case7) == 10 and {e.object for e in case7} == {"case:7"}
    assert [e.seq for e in case7] == sorted((e.seq for e in case7), reverse=True)

    mine = audit.find(token, AuditFilter(case_id=7, actor="jsmith", action_prefix="case.close"))
    assert [json.loads(e.details)["n"] for e in mine] == [0]  # n=0 only: 0 % 3, even, % 5 == 0

    everything = audit.find(token, AuditFilter(case_id=8), limit=1000)
    middle = everything[5]
    start = everything[9]
    since = AuditFilter(case_id=8, since=_moment(start.at), until=_moment(middle.at))
    assert [e.seq for e in audit.find(token, since)] == [e.seq for e in everything[6:10]]


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_keyset_pages_walk_the_whole_filter_newest_first(logged: Staffed) -> None:
    audit = logged.desk.audit
    where = AuditFilter(action_prefix="case.")
    seen: list[int] = []
    before = None
    while True:
        page = audit.find(logged.admin_token, where, limit=7, before_seq=before)
        if not page:
            break
        seen += [e.seq for e in page]
        before = page[-1].seq
    assert len(seen) == 30 and seen == sorted(seen, reverse=True)


def test_bad_filters_are_refused_by_name(logged: Staffed) -> None:
    now = logged.clock.now()
    with pytest.raises(InvalidInput, match="end must come after its start"):
        AuditFilter(since=now, until=now - timedelta(hours=1))
    with pytest.raises(InvalidInput, match="page holds 1 to 1000"):
        logged.desk.audit.find(logged.admin_token, AuditFilter(), limit=5000)


def test_an_operator_may_not_read_the_audit(logged: Staffed) -> None:
    token = logged.sign_in(logged.operator)
    with pytest.raises(PermissionDenied):
        logged.desk.audit.find(token, AuditFilter(case_id=7))


def test_export_holds_every_match_marked_and_is_audited(logged: Staffed) -> None:
    audit = logged.desk.audit
    _record(logged, "jsmith", "case.note", "case:7", text='=HYPERLINK("http://evil")')
    export = audit.export(logged.admin_token, AuditFilter(case_id=7))
    assert len(export.entries) == 11 and export.complete
    assert export.marking == "OFFICIAL-SENSITIVE"

    out = io.StringIO(newline="")
    write_audit_csv(out, export.entries, export.marking)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["OFFICIAL-SENSITIVE"] and rows[-1] == ["OFFICIAL-SENSITIVE"]
    assert rows[1][0] == "seq" and len(rows) == 11 + 3
    assert rows[2][4] == "case:7" and rows[2][5].startswith('{"text":"=HYPERLINK')

    data = audit_json(
        export.entries, export.marking, export.filters, export.exported_at, export.exported_by
    )
    assert (
        next(iter(data)) == "protective_marking"
        and data["protective_marking"] == "OFFICIAL-SENSITIVE"
    )
    assert data["filters"]["case"] == 7 and data["exported_by"] == "admin"
    assert len(data["entries"]) == 11 and data["entries"][0]["details"]["text"].startswith("=")

    last = audit.find(logged.admin_token, AuditFilter(action_prefix="audit.export"))[0]
    assert last.actor == "admin" and json.loads(last.details)["entries"] == 11


def test_export_carries_the_marking_an_administrator_set(logged: Staffed) -> None:
    logged.desk.settings.set(logged.admin_token, "protective_marking", "  OFFICIAL  ")
    export = logged.desk.audit.export(logged.admin_token, AuditFilter(case_id=7))
    assert export.marking == "OFFICIAL"
    changed = logged.desk.audit.find(logged.admin_token, AuditFilter(action_prefix="setting."))
    assert json.loads(changed[0].details) == {"after": "OFFICIAL", "before": "OFFICIAL-SENSITIVE"}
    with pytest.raises(InvalidInput, match="protective marking"):
        logged.desk.settings.set(logged.admin_token, "protective_marking", "=cmd|' /C calc'!A0")


# anchors --------------------------------------------------------------------------------


def _attacker(staffed: Staffed) -> sqlite3.Connection:
    """Open the file as someone holding it would, and drop the append-only triggers."""
    conn = sqlite3.connect(staffed.desk.ctx.profile.db_path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    return conn


def test_an_anchor_matches_an_untouched_log(logged: Staffed) -> None:
    doc = logged.desk.audit.anchor(logged.admin_token)
    _record(logged, "admin", "case.note", "case:9")  # later entries are fine
    check = logged.desk.audit.check_anchor(logged.admin_token, json.loads(json.dumps(doc)))
    assert check.intact, check.problems
    assert doc["protective_marking"] == "OFFICIAL-SENSITIVE"
    anchored = logged.desk.audit.find(logged.admin_token, AuditFilter(action_prefix="audit.anchor"))
    assert anchored[0].object == f"audit:{doc['head']['seq']}"


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_an_anchor_catches_entries_cut_from_the_end(logged: Staffed) -> None:
    doc = logged.desk.audit.anchor(logged.admin_token)
    head = doc["head"]["seq"]
    conn = _attacker(logged)
    with conn:
        conn.execute("DELETE FROM audit_log WHERE seq >= ?", (head - 2,))
    conn.close()
    assert logged.desk.audit.verify(logged.admin_token).intact  # the chain alone cannot tell
    check = logged.desk.audit.check_anchor(logged.admin_token, doc)
    assert not check.intact
    assert f"cut from the end: the log ends at entry {head - 3}" in check.problems[0]
    assert f"names entry {head}" in check.problems[0]


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_an_anchor_catches_a_rewritten_chain(logged: Staffed) -> None:
    doc = logged.desk.audit.anchor(logged.admin_token)
    head = doc["head"]["seq"]
    # an insider with the audit key rewrites entry 5 and reseals everything after it
    key = logged.desk.ctx.audit.key
    conn = _attacker(logged)
    with conn:
        rows = conn.execute(
            "SELECT seq, at, actor, action, object, details, prev_hash, hash FROM audit_log "
            "ORDER BY seq"
        ).fetchall()
        prev = None
        for row in rows:
            r = AuditRecord(*row)
            details = '{"forged":true}' if r.seq == 5 else r.details
            prev_hash = prev if prev is not None else r.prev_hash
            digest = seal(
                key, prev_hash, content_bytes(r.seq, r.at, r.actor, r.action, r.object, details)
            )
            conn.execute(
                "UPDATE audit_log SET details=?, prev_hash=?, hash=? WHERE seq=?",
                (details, prev_hash, digest, r.seq),
            )
            prev = digest
    conn.close()
    # resealed: the chain verifies on its own, but not against the head the keyring kept
    report = logged.desk.audit.verify(logged.admin_token)
    assert report.problem is not None
    assert report.problem.startswith("entries after #4 were removed or rewritten: entry #5 ")
    check = logged.desk.audit.check_anchor(logged.admin_token, doc)
    assert check.problems == [
        f"the chain was rewritten: entry {head} no longer has the hash anchored {doc['made_at']}"
    ]


def test_an_altered_anchor_is_refused(logged: Staffed) -> None:
    doc = logged.desk.audit.anchor(logged.admin_token)
    doc["head"]["seq"] = 3  # pretend the log was shorter when anchored
    check = logged.desk.audit.check_anchor(logged.admin_token, doc)
    assert check.problems == ["the anchor's signature does not match its content: it was altered"]
    with pytest.raises(InvalidInput, match="not a Desk audit anchor"):
        logged.desk.audit.check_anchor(logged.admin_token, {"kind": "something"})
