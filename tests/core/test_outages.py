"""The outage log's rules and the continuity pack's lists, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desk.core.continuity import format_signposts, parse_signposts
from desk.core.errors import InvalidInput, PermissionDenied
from desk.core.outages import (
    DESK,
    Outage,
    check_may_edit,
    check_no_overlap,
    duration_text,
    outage_from_dict,
    outage_to_dict,
    parse_platform,
)
from desk.core.roles import Role

T = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def _outage(i: int, start_h: float, end_h: float | None, platform: str = "x") -> Outage:
    end = None if end_h is None else T + timedelta(hours=end_h)
    return Outage(i, platform, T + timedelta(hours=start_h), end, "", None, "jo", T, False)


def test_back_to_back_outages_are_allowed_but_an_overlap_is_not() -> None:
    existing = [_outage(1, 0, 1)]
    check_no_overlap("x", T + timedelta(hours=1), T + timedelta(hours=2), existing)
    check_no_overlap("facebook", T, T + timedelta(hours=1), existing)
    with pytest.raises(InvalidInput, match="outage #1 from 2026-11-26 09:00 UTC"):
        check_no_overlap("x", T + timedelta(minutes=59), None, existing)
    check_no_overlap("x", T, T + timedelta(hours=1), existing, ignore=1)  # editing itself


def test_an_ongoing_outage_blocks_anything_after_its_start() -> None:
    existing = [_outage(7, 0, None)]
    with pytest.raises(InvalidInput, match="still ongoing"):
        check_no_overlap("x", T + timedelta(days=30), T + timedelta(days=31), existing)
    check_no_overlap("x", T - timedelta(hours=2), T, existing)  # wholly before it


def test_only_the_recorder_a_supervisor_or_an_administrator_may_edit() -> None:
    mine = _outage(1, 0, 1)
    check_may_edit(Role.OPERATOR, "jo", mine)
    check_may_edit(Role.SUPERVISOR, "sue", mine)
    check_may_edit(Role.ADMINISTRATOR, "ada", mine)
    with pytest.raises(PermissionDenied, match="recorded by jo"):
        check_may_edit(Role.OPERATOR, "kim", mine)


def test_platforms_durations_and_a_round_trip() -> None:
    assert parse_platform(" Desk ") == DESK and parse_platform("TikTok") == "tiktok"
    with pytest.raises(InvalidInput, match="use one of desk, "):
        parse_platform("fax")
    assert duration_text(timedelta(minutes=40)) == "40 min"
    assert duration_text(timedelta(hours=2, minutes=5)) == "2 h 05 min"
    assert duration_text(timedelta(days=3, hours=4)) == "3 d 4 h"
    original = Outage(3, DESK, T, T + timedelta(hours=2), "paper", 5, "jo", T, True, "jo")
    assert outage_from_dict(outage_to_dict(original)) == original


def test_signposts_are_read_and_written_the_way_they_are_typed() -> None:
    entries = parse_signposts(
        "Non-emergency = Call 101\nOnline=https://example.police.uk/report?a=1"
    )
    assert [(e.label, e.text) for e in entries] == [
        ("Non-emergency", "Call 101"),
        ("Online", "https://example.police.uk/report?a=1"),
    ]
    assert format_signposts(entries) == (
        "Non-emergency=Call 101; Online=https://example.police.uk/report?a=1"
    )
    assert parse_signposts("  ") == []
    with pytest.raises(InvalidInput, match="a label, '=', then what it says"):
        parse_signposts("=Call 101")
    with pytest.raises(InvalidInput, match="At most 30 entries"):
        parse_signposts("; ".join(f"L{i}=x" for i in range(31)))
