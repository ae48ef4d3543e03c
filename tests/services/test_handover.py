"""The shift handover: compiled from a prepared desk, signed off, read-only, anchored."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from desk.core.errors import Conflict, InvalidInput, PermissionDenied
from desk.core.handover import render_text
from desk.store.tables import AuditEntry
from tests.conftest import Staffed
from tests.services.handover_helpers import SHIFT_END, SHIFT_START, Prepared, prepare


@pytest.fixture
def prepared(staffed: Staffed) -> Prepared:
    """A desk during the 07:00-15:00 shift with one of each thing the handover reports."""
    return prepare(staffed)


def test_the_compiled_handover_has_each_part(prepared: Prepared) -> None:
    d = prepared.staffed.desk
    now = prepared.staffed.clock.now()
    assert SHIFT_START <= now < SHIFT_END
    report = d.handover.compile(prepared.sue_token, now)
    assert (report.shift_start, report.shift_end) == (SHIFT_START, SHIFT_END)
    assert report.open_total == 14
    p1 = next(g for g in report.open_cases if g.priority == 1)
    assert p1.count == 1 and p1.oldest[0].case_id == prepared.self_harm_case
    assert report.targets_missed >= 1
    assert prepared.self_harm_case in [m.case_id for m in report.missed]
    assert report.escalations_waiting == 1
    assert report.escalations[0].target == "Force control room"
    assert report.escalations[0].overdue  # its 15 minutes passed long ago
    assert report.moderation == {"hide": 1}
    assert [(n.case_id, n.reason) for n in report.notable] == [
        (prepared.road_case, "Missing person appeal: replies need watching")
    ]
    assert [c.reason for c in report.coverage] == ["platform_outage"]
    assert report.signin_counts["failure"] == 10
    assert report.signin_counts["lock"] == 1
    assert [n.text for n in report.notes] == ["Quiet morning; watch the road closure thread."]
    assert [(s.platform, s.arrivals) for s in report.surges if s.platform == "all"] == [("all", 12)]
    text = render_text(report)
    expected = (
        "Escalations awaiting acknowledgement: 1 awaiting acknowledgement at 13:02, 1 overdue"
    )
    assert expected in text
    assert "OVERDUE" in text


def test_unflagging_takes_a_case_off_the_handover(prepared: Prepared) -> None:
    d = prepared.staffed.desk
    d.handover.unflag_notable(prepared.jo_token, prepared.road_case)
    assert d.handover.compile(prepared.sue_token, prepared.staffed.clock.now()).notable == []
    with pytest.raises(Conflict, match="is not flagged"):
        d.handover.unflag_notable(prepared.jo_token, prepared.road_case)
    with pytest.raises(InvalidInput, match="reason cannot be empty"):
        d.handover.flag_notable(prepared.jo_token, prepared.road_case, "  ")


def test_operators_may_not_sign_off(prepared: Prepared) -> None:
    with pytest.raises(PermissionDenied):
        prepared.staffed.desk.handover.sign_off(prepared.jo_token, SHIFT_START)


def test_sign_off_anchors_its_own_audit_entry_and_freezes_the_handover(
    prepared: Prepared,
) -> None:
    d, clock = prepared.staffed.desk, prepared.staffed.clock
    clock.advance(hours=3)  # 15:xx: the incoming supervisor signs the morning off
    signed = d.handover.sign_off(prepared.sue_token, SHIFT_START + timedelta(hours=1))
    sig = signed.signature
    assert sig is not None and sig.signed_by == "sgreen"
    newest = d.audit.entries(prepared.staffed.admin_token, limit=1)[0]
    assert (newest.seq, newest.action) == (sig.audit_seq, "handover.sign_off")
    with d.ctx.db.read() as s:
        row = s.get(AuditEntry, sig.audit_seq)
        assert row is not None and row.hash == sig.audit_hash
    # read-only from now on
    with pytest.raises(Conflict, match="signed off by sgreen: it is read-only"):
        d.handover.add_note(prepared.jo_token, SHIFT_START, "one more thing")
    with pytest.raises(Conflict, match="already signed off"):
        d.handover.sign_off(prepared.sue_token, SHIFT_START)
    # the stored report stays as signed, whatever happens on the desk afterwards
    d.handover.unflag_notable(prepared.jo_token, prepared.road_case)
    again = d.handover.get(prepared.sue_token, SHIFT_START)
    assert again == signed
    assert [h.signed_by for h in d.handover.list(prepared.sue_token)] == ["sgreen"]
    assert d.handover.search(prepared.sue_token, "MISSING PERSON")[0].audit_seq == sig.audit_seq
    assert d.handover.search(prepared.sue_token, "no such words") == []
    assert d.handover.verify_anchors(prepared.staffed.admin_token).intact


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_a_cut_audit_tail_is_detected_by_the_anchor(prepared: Prepared) -> None:
    d, clock = prepared.staffed.desk, prepared.staffed.clock
    clock.advance(hours=3)
    sig = d.handover.sign_off(prepared.sue_token, SHIFT_START).signature
    assert sig is not None
    admin = prepared.staffed.admin_token
    assert d.audit.verify(admin).intact
    conn = sqlite3.connect(d.profile.db_path)
    try:
        conn.execute("DROP TRIGGER audit_log_no_delete")
        conn.execute("DELETE FROM audit_log WHERE seq >= ?", (sig.audit_seq,))
        conn.commit()
    finally:
        conn.close()
    assert d.audit.verify(admin).intact  # the chain alone cannot see a cut tail...
    anchors = d.handover.verify_anchors(admin)  # ...the anchor can
    assert not anchors.intact
    assert f"audit entry #{sig.audit_seq}, which no longer exists" in anchors.problems[0]


def test_coverage_needs_an_end_after_the_start_and_a_risk(prepared: Prepared) -> None:
    d, sue = prepared.staffed.desk, prepared.sue_token
    start = SHIFT_START
    with pytest.raises(InvalidInput, match="must end after it starts"):
        d.coverage.record(sue, start, start, "system_outage", None, "risk")
    with pytest.raises(InvalidInput, match="Unknown reason 'lunch'"):
        d.coverage.record(sue, start, start + timedelta(hours=1), "lunch", None, "risk")
    with pytest.raises(InvalidInput, match="what risk was accepted"):
        d.coverage.record(sue, start, start + timedelta(hours=1), "no_one_on_shift", None, " ")
    with pytest.raises(PermissionDenied):
        d.coverage.record(
            prepared.jo_token, start, start + timedelta(hours=1), "no_one_on_shift", None, "r"
        )
    assert len(d.coverage.list(sue)) == 1
    entries = d.audit.entries(prepared.staffed.admin_token, action_prefix="coverage.")
    assert [e.action for e in entries] == ["coverage.record"]
