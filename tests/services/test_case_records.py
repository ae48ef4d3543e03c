"""Holds and appeals as a case shows them: an author held by handle, an appeal with its note,
both on the case detail; the note stays out of the audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from desk.core.errors import InvalidInput, NotFound, PermissionDenied
from desk.store.tables import AuditEntry
from tests.services.test_retention import Desked, case, desked  # noqa: F401  (fixture)

LINK = "https://x.example/ExampleshirePolice/status/991 missing Marla Quenby"


def test_an_author_is_held_by_handle_and_the_case_shows_it(desked: Desked) -> None:  # noqa: F811
    d = desked.staffed.desk
    sue = desked.sue_token()
    hold = d.retention.hold_author(sue, "x", "  @Quiet ", "Court order 12/2026")
    quiet = case(desked, desked.quiet)
    assert quiet is not None and hold.target_id == quiet.author_id
    listed = d.retention.holds(sue)
    assert [h.target_name for h in listed] == ["@quiet (x)"]

    detail = d.queue.detail(sue, desked.quiet)
    assert detail.author_id == quiet.author_id
    assert [(h.on_author, h.reason, h.placed_by) for h in detail.holds] == [
        (True, "Court order 12/2026", "sue")
    ]
    assert d.queue.detail(sue, desked.replied).holds == ()  # another author

    d.retention.lift_hold(sue, hold.id, "Order discharged")
    assert d.queue.detail(sue, desked.quiet).holds == ()
    d.retention.add_hold(sue, "case", desked.quiet, "IOPC request 2026/123")
    [on_case] = d.queue.detail(sue, desked.quiet).holds
    assert not on_case.on_author and on_case.reason == "IOPC request 2026/123"


def test_holding_an_unknown_handle_says_so_and_changes_nothing(desked: Desked) -> None:  # noqa: F811
    d = desked.staffed.desk
    sue = desked.sue_token()
    with pytest.raises(NotFound, match="No author @nobody on x"):
        d.retention.hold_author(sue, "x", "@nobody", "Court order")
    with pytest.raises(NotFound, match="No author @quiet on facebook"):
        d.retention.hold_author(sue, "facebook", "@quiet", "Court order")
    with pytest.raises(InvalidInput, match="handle"):
        d.retention.hold_author(sue, "x", " @ ", "Court order")
    with pytest.raises(InvalidInput, match="Give a reason"):
        d.retention.hold_author(sue, "x", "@quiet", " ")
    jo = desked.staffed.sign_in(desked.staffed.operator)
    with pytest.raises(PermissionDenied):
        d.retention.hold_author(jo, "x", "@quiet", "Court order")
    assert d.retention.holds(sue) == []


def test_an_appeal_keeps_its_note_on_the_case_not_in_the_audit(desked: Desked) -> None:  # noqa: F811
    d, clock = desked.staffed.desk, desked.staffed.clock
    jo = desked.staffed.sign_in(desked.staffed.operator)
    ends = clock.now() + timedelta(days=8)
    appeal = d.retention.mark_appeal(jo, desked.still_open, ends, note=f"  {LINK} ")
    assert appeal.note == LINK
    assert [a.note for a in d.retention.appeals(jo)] == [LINK]

    detail = d.queue.detail(jo, desked.still_open)
    assert [(a.appeal_id, a.ends_at, a.note, a.done_at) for a in detail.appeals] == [
        (appeal.id, ends, LINK, None)
    ]
    assert any(LINK in t.text for t in detail.timeline)
    with d.ctx.db.read() as s:
        audit = " ".join(s.scalars(select(AuditEntry.details)))
    assert "Marla" not in audit and "status/991" not in audit

    with pytest.raises(InvalidInput, match="at most 1000 characters"):
        d.retention.mark_appeal(jo, desked.still_open, ends, note="x" * 1001)
    assert len(d.retention.appeals(jo)) == 1
