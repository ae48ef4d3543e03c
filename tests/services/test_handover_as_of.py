"""A handover describes its shift as of the shift's end, and a running shift is signed off
only with a reason (issue 11, item 19)."""

from __future__ import annotations

import json

import pytest

from desk.core.cases import Outcome
from desk.core.errors import InvalidInput
from desk.core.handover import render_html, render_text
from desk.store.tables import Escalation
from tests.conftest import Staffed
from tests.services.handover_helpers import SHIFT_END, SHIFT_START, Prepared, prepare
from tests.services.helpers import item


@pytest.fixture
def prepared(staffed: Staffed) -> Prepared:
    """A desk during the 07:00-15:00 shift with one of each thing the handover reports."""
    return prepare(staffed)


def _group_of(report, case_id: int):  # type: ignore[no-untyped-def]
    return next(g for g in report.open_cases if case_id in [c.case_id for c in g.oldest])


def test_a_past_shift_is_described_as_at_its_end_not_as_the_desk_is_now(
    prepared: Prepared,
) -> None:
    d, clock, staffed = prepared.staffed.desk, prepared.staffed.clock, prepared.staffed
    before = d.handover.compile(prepared.sue_token, SHIFT_START)  # nothing changes until 15:00
    road_group = _group_of(before, prepared.road_case)
    clock.advance(hours=2, minutes=30)  # 15:32: the late shift runs
    assert clock.now() > SHIFT_END
    jo = staffed.sign_in(staffed.operator)
    sue = staffed.sign_in(prepared.sue)
    # after the shift: a new P1 arrives, the road case is claimed and closed, the
    # escalation is acknowledged
    d.importer.store(
        staffed.admin_token,
        [item("late", "I want to end it all, nobody cares", author="u9", minutes=392)],
        "test",
    )
    d.cases.claim(jo, prepared.road_case)
    d.cases.close(jo, prepared.road_case, Outcome.NO_ACTION, "answered elsewhere")
    with d.ctx.db.read() as s:
        escalation_id = s.query(Escalation.id).scalar()
    d.escalations.acknowledge(jo, escalation_id, "Insp 1234 Jones")
    clock.advance(minutes=50)  # 16:22: the incoming supervisor opens the morning's handover

    report = d.handover.compile(sue, SHIFT_START)
    assert report.as_of == SHIFT_END and not report.running
    assert report.open_total == before.open_total  # not the desk now
    p1 = next(g for g in report.open_cases if g.priority == 1)
    assert [c.case_id for c in p1.oldest] == [prepared.self_harm_case]  # not the late arrival
    assert p1.count == 1
    road = next(c for c in _group_of(report, prepared.road_case).oldest)
    assert road.case_id == prepared.road_case
    assert (road.status, road.owner) == ("new", None)  # as it was at 15:00
    assert _group_of(report, prepared.road_case).count == road_group.count
    assert report.escalations_waiting == 1  # acknowledged only after the shift
    text = render_text(report)
    assert f"Open cases: {before.open_total} open at 15:00" in text
    assert "Describes the desk at the shift's end, Thu 26 Nov 15:00" in text

    # signed off now, it freezes the shift as it ended
    signed = d.handover.sign_off(sue, SHIFT_START)
    assert signed.open_total == before.open_total and not signed.early_reason
    assert d.handover.get(sue, SHIFT_START) == signed


def test_a_running_shift_is_signed_off_only_with_a_reason_kept_and_audited(
    prepared: Prepared,
) -> None:
    d, sue = prepared.staffed.desk, prepared.sue_token
    with pytest.raises(InvalidInput, match=r"still running .* say why"):
        d.handover.sign_off(sue, SHIFT_START)
    with pytest.raises(InvalidInput, match="still running"):
        d.handover.sign_off(sue, SHIFT_START, "   ")
    assert d.handover.list(sue) == []  # nothing was signed
    signed = d.handover.sign_off(sue, SHIFT_START, "Desk closes at 13:00 for the fire drill")
    assert signed.running and signed.early_reason == "Desk closes at 13:00 for the fire drill"
    assert signed.as_of == prepared.staffed.clock.now()
    again = d.handover.get(sue, SHIFT_START)
    assert again.early_reason == signed.early_reason
    text = render_text(again)
    assert "the shift so far" in text
    assert (
        "Signed off before the shift ended, because: Desk closes at 13:00 for the fire drill"
        in (text)
    )
    assert "fire drill" in render_html(again)
    entry = d.audit.entries(prepared.staffed.admin_token, limit=1)[0]
    assert entry.action == "handover.sign_off"
    assert json.loads(entry.details)["early_reason"] == "Desk closes at 13:00 for the fire drill"


def test_each_priority_says_how_many_more_are_open_than_listed(prepared: Prepared) -> None:
    d = prepared.staffed.desk
    report = d.handover.compile(prepared.sue_token, SHIFT_START)
    busy = max(report.open_cases, key=lambda g: g.count)
    assert busy.count > len(busy.oldest) == 5
    text = render_text(report)
    assert f"P{busy.priority}: and {busy.count - 5} more open (the oldest 5 are listed)" in text


def test_a_case_closed_in_the_shift_and_reopened_after_it_counts_as_closed(
    prepared: Prepared,
) -> None:
    d, clock, staffed = prepared.staffed.desk, prepared.staffed.clock, prepared.staffed
    before = d.handover.compile(prepared.sue_token, SHIFT_START)
    jo = prepared.jo_token
    d.cases.claim(jo, prepared.road_case)
    d.cases.close(jo, prepared.road_case, Outcome.NO_ACTION, "answered")  # in the shift
    clock.advance(hours=2, minutes=30)  # 15:32
    jo = staffed.sign_in(staffed.operator)
    d.cases.reopen(jo, prepared.road_case, "they wrote again")  # after it
    report = d.handover.compile(staffed.sign_in(prepared.sue), SHIFT_START)
    assert report.open_total == before.open_total - 1
    listed = [c.case_id for g in report.open_cases for c in g.oldest]
    assert prepared.road_case not in listed
