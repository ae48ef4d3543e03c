"""The outage log: start, end, record after the fact, edit, list; refusals; audit; access."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from desk.core.errors import InvalidInput, NotFound, PermissionDenied
from desk.core.handover import render_text
from desk.core.outages import DESK, outage_line
from desk.core.roles import Role
from desk.store.tables import AuditEntry, PlatformOutage
from tests.conftest import USER_PASSWORD, Person, Staffed


def _person(staffed: Staffed, name: str, role: Role) -> tuple[Person, str]:
    enrol = staffed.desk.accounts.add_user(
        staffed.admin_token, name, name.title(), role, USER_PASSWORD
    )
    person = Person(name, USER_PASSWORD, enrol.seed, role)
    return person, staffed.sign_in(person)


def _audit(staffed: Staffed, action: str) -> list[AuditEntry]:
    with staffed.desk.ctx.db.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_an_operator_starts_and_ends_a_platform_outage_audited(staffed: Staffed) -> None:
    d = staffed.desk
    op = staffed.sign_in(staffed.operator)
    began = d.ctx.clock.now()
    outage = d.outages.start(op, "X", actions="Posted the holding statement on Facebook")
    assert outage.platform == "x" and outage.ongoing and not outage.after_the_fact
    assert [o.id for o in d.outages.ongoing(op)] == [outage.id]
    staffed.clock.advance(minutes=95)
    ended = d.outages.end(op, outage.id, actions="Holding statement; checked X by hand hourly")
    assert ended.ends_at == began + timedelta(minutes=95)
    assert ended.ended_by == "jsmith" and not ended.ongoing
    assert d.outages.ongoing(op) == []
    assert [e.object for e in _audit(staffed, "outage.start")] == [f"outage:{outage.id}"]
    assert [e.object for e in _audit(staffed, "outage.end")] == [f"outage:{outage.id}"]
    line = outage_line(ended, d.ctx.clock.now())
    assert line.startswith("X: ") and "checked X by hand hourly" in line


def test_a_second_open_outage_of_one_platform_is_refused_naming_the_first(
    staffed: Staffed,
) -> None:
    d = staffed.desk
    op = staffed.sign_in(staffed.operator)
    first = d.outages.start(op, "facebook")
    with pytest.raises(InvalidInput, match=f"outage #{first.id}.*still ongoing"):
        d.outages.start(op, "facebook")
    now = staffed.clock.advance(minutes=10)
    with pytest.raises(InvalidInput, match=f"outage #{first.id}"):
        d.outages.record(
            op, "facebook", now - timedelta(minutes=5), now - timedelta(minutes=1), "x"
        )
    other = d.outages.start(op, "x")  # another platform is fine
    assert other.id != first.id
    with d.ctx.db.read() as s:
        assert (
            s.scalar(select(PlatformOutage.id).where(PlatformOutage.platform == "tiktok")) is None
        )


def test_desk_outage_recorded_after_the_fact_with_what_was_done_on_paper(
    staffed: Staffed,
) -> None:
    d = staffed.desk
    op = staffed.sign_in(staffed.operator)
    now = d.ctx.clock.now()
    outage = d.outages.record(
        op,
        "desk",
        now - timedelta(hours=5),
        now - timedelta(hours=3),
        "Worked from the continuity pack; 7 messages answered by hand",
        paper_cases=7,
    )
    assert outage.platform == DESK and outage.after_the_fact and outage.paper_cases == 7
    line = outage_line(outage, now)
    assert line.startswith("Desk itself: ") and "7 cases on paper" in line
    assert "after the fact" in line and "on paper: Worked from the continuity pack" in line
    (entry,) = _audit(staffed, "outage.record")
    assert entry.object == f"outage:{outage.id}"


@pytest.mark.parametrize(
    ("start_h", "end_h", "actions", "paper", "platform", "message"),
    [
        (-1, -2, "x", None, "desk", "must end after it starts"),
        (-1, 1, "x", None, "desk", "cannot end in the future"),
        (1, 2, "x", None, "desk", "cannot start in the future"),
        (-2, -1, "   ", None, "desk", "Say what the desk did"),
        (-2, -1, "x", 3, "x", "only for an outage of Desk itself"),
        (-2, -1, "x", -1, "desk", "0 to"),
        (-2, -1, "x", None, "myspace", "Unknown platform 'myspace'"),
    ],
)
def test_bad_outages_are_refused_and_nothing_is_stored(
    staffed: Staffed,
    start_h: int,
    end_h: int,
    actions: str,
    paper: int | None,
    platform: str,
    message: str,
) -> None:
    d = staffed.desk
    op = staffed.sign_in(staffed.operator)
    now = d.ctx.clock.now()
    with pytest.raises(InvalidInput, match=message):
        d.outages.record(
            op,
            platform,
            now + timedelta(hours=start_h),
            now + timedelta(hours=end_h),
            actions,
            paper_cases=paper,
        )
    assert d.outages.list(op) == []
    assert _audit(staffed, "outage.record") == []


def test_edit_is_audited_with_before_and_after_and_limited_to_the_recorder_or_a_supervisor(
    staffed: Staffed,
) -> None:
    d = staffed.desk
    op = staffed.sign_in(staffed.operator)
    _other, other = _person(staffed, "kbrown", Role.OPERATOR)
    _sup, sup = _person(staffed, "sgreen", Role.SUPERVISOR)
    now = d.ctx.clock.now()
    outage = d.outages.record(
        op, "desk", now - timedelta(hours=4), now - timedelta(hours=3), "On paper", paper_cases=2
    )
    with pytest.raises(PermissionDenied, match="recorded by jsmith"):
        d.outages.edit(other, outage.id, paper_cases=3)
    edited = d.outages.edit(op, outage.id, paper_cases=3)
    assert edited.paper_cases == 3
    moved = d.outages.edit(sup, outage.id, ends_at=now - timedelta(hours=2))
    assert moved.ends_at == now - timedelta(hours=2)
    entries = _audit(staffed, "outage.edit")
    assert [e.actor for e in entries] == ["jsmith", "sgreen"]
    assert json.loads(entries[0].details)["changed"] == {"paper_cases": {"before": 2, "after": 3}}
    with pytest.raises(InvalidInput, match="Nothing to change"):
        d.outages.edit(op, outage.id, paper_cases=3)
    with pytest.raises(NotFound):
        d.outages.edit(op, 999, paper_cases=1)


def test_an_information_manager_cannot_record_outages_but_can_list_them(
    staffed: Staffed,
) -> None:
    d = staffed.desk
    _im, im = _person(staffed, "imgr", Role.INFORMATION_MANAGER)
    with pytest.raises(PermissionDenied):
        d.outages.start(im, "x")
    op = staffed.sign_in(staffed.operator)
    d.outages.start(op, "x")
    assert [o.platform for o in d.outages.list(im)] == ["x"]


def test_list_shows_ongoing_first_and_filters_by_period(staffed: Staffed) -> None:
    d = staffed.desk
    op = staffed.sign_in(staffed.operator)
    now = d.ctx.clock.now()
    old = d.outages.record(op, "x", now - timedelta(days=3), now - timedelta(days=2), "a")
    recent = d.outages.record(
        op, "facebook", now - timedelta(hours=3), now - timedelta(hours=2), "b"
    )
    ongoing = d.outages.start(op, "tiktok", starts_at=now - timedelta(days=5))
    assert [o.id for o in d.outages.list(op)] == [ongoing.id, recent.id, old.id]
    day = d.outages.list(op, now - timedelta(hours=24), now)
    assert [o.id for o in day] == [ongoing.id, recent.id]


def test_the_handover_lists_outages_during_the_shift_with_what_was_done(
    staffed: Staffed,
) -> None:
    d = staffed.desk
    op = staffed.sign_in(staffed.operator)
    _sup, sup = _person(staffed, "sgreen", Role.SUPERVISOR)
    now = d.ctx.clock.now()
    d.outages.record(
        op,
        "desk",
        now - timedelta(minutes=50),
        now - timedelta(minutes=20),
        "Worked from the printed pack",
        paper_cases=3,
    )
    d.outages.start(op, "x", actions="Signposting on Facebook")
    d.outages.record(op, "tiktok", now - timedelta(days=3), now - timedelta(days=2), "old")
    staffed.clock.advance(minutes=5)
    report = d.handover.compile(sup, now)
    text = render_text(report)
    assert "Outages: 2 outages · 1 ongoing" in text
    assert "Desk itself: " in text and "on paper: Worked from the printed pack" in text
    assert "3 cases on paper" in text and "X: since" in text
    assert "TikTok" not in text  # outside the shift
    # a report from before the outage log has no Outages section at all
    older = replace(report, extra={})
    assert "Outages" not in render_text(older)


def test_the_dashboard_carries_ongoing_outages_and_those_in_the_period(
    staffed: Staffed,
) -> None:
    d = staffed.desk
    op = staffed.sign_in(staffed.operator)
    now = d.ctx.clock.now()
    ongoing = d.outages.start(op, "x")
    ended = d.outages.record(
        op, "facebook", now - timedelta(hours=2), now - timedelta(hours=1), "a"
    )
    d.outages.record(op, "tiktok", now - timedelta(days=9), now - timedelta(days=8), "b")
    data = d.dashboard.figures(staffed.admin_token, "24h")
    found = data.extra["outages"]
    assert [o.id for o in found["ongoing"]] == [ongoing.id]
    assert [o.id for o in found["in_period"]] == [ended.id]
