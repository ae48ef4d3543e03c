"""Shift patterns in UK local time: across midnight, across the clock changes, typed wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desk.core.errors import InvalidInput
from desk.core.handover import (
    HandoverReport,
    PriorityGroup,
    render_html,
    render_text,
    report_from_json,
    report_to_json,
)
from desk.core.shifts import (
    DEFAULT_PATTERN,
    format_pattern,
    next_shift,
    parse_moment,
    parse_pattern,
    previous_shift,
    shift_containing,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_the_night_shift_crosses_midnight_in_winter() -> None:
    shift = shift_containing(DEFAULT_PATTERN, utc(2026, 11, 25, 2, 30))
    assert (shift.start, shift.end) == (utc(2026, 11, 24, 23), utc(2026, 11, 25, 7))
    assert shift.label() == "23:00–07:00 Tue 24 Nov 2026"
    assert shift_containing(DEFAULT_PATTERN, utc(2026, 11, 24, 23)) == shift  # start included
    assert shift_containing(DEFAULT_PATTERN, utc(2026, 11, 25, 7)).start == utc(2026, 11, 25, 7)


def test_in_summer_shifts_start_an_hour_earlier_in_utc() -> None:
    shift = shift_containing(DEFAULT_PATTERN, utc(2026, 7, 1, 14, 30))  # 15:30 BST
    assert (shift.start, shift.end) == (utc(2026, 7, 1, 14), utc(2026, 7, 1, 22))
    assert shift.label() == "15:00–23:00 Wed 1 Jul 2026"


def test_night_shifts_across_the_clock_changes_last_seven_and_nine_hours() -> None:
    # clocks go forward at 01:00 UTC on Sunday 29 March 2026
    spring = shift_containing(DEFAULT_PATTERN, utc(2026, 3, 29, 3))
    assert (spring.start, spring.end) == (utc(2026, 3, 28, 23), utc(2026, 3, 29, 6))
    assert spring.end - spring.start == timedelta(hours=7)
    # clocks go back at 01:00 UTC on Sunday 25 October 2026
    autumn = shift_containing(DEFAULT_PATTERN, utc(2026, 10, 25, 1, 30))
    assert (autumn.start, autumn.end) == (utc(2026, 10, 24, 22), utc(2026, 10, 25, 7))
    assert autumn.end - autumn.start == timedelta(hours=9)


def test_previous_and_next_shifts() -> None:
    shift = shift_containing(DEFAULT_PATTERN, utc(2026, 11, 25, 10))
    assert previous_shift(DEFAULT_PATTERN, shift).start == utc(2026, 11, 24, 23)
    assert next_shift(DEFAULT_PATTERN, shift).start == utc(2026, 11, 25, 15)


def test_a_pattern_is_read_in_any_order_and_written_back() -> None:
    pattern = parse_pattern(" 20:00-08:00 ; 8:00-20:00")
    assert format_pattern(pattern) == "08:00-20:00, 20:00-08:00"
    shift = shift_containing(pattern, utc(2026, 11, 25, 21))
    assert (shift.start, shift.end) == (utc(2026, 11, 25, 20), utc(2026, 11, 26, 8))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "none given"),
        ("07:00-15:00, lunch", "'lunch' is not a shift: write HH:MM-HH:MM"),
        ("07:00-25:00, 25:00-07:00", "25:00 in '07:00-25:00' is not a time of day"),
        ("07:00-07:00", "starts and ends at the same time"),
        ("07:00-15:00, 16:00-07:00", "one ends at 15:00 but the next starts at 16:00"),
        ("07:00-15:00, 14:00-07:00", "one ends at 15:00 but the next starts at 14:00"),
    ],
)
def test_pattern_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_pattern(text)
    assert message in caught.value.message


def test_times_typed_without_a_zone_are_uk_local() -> None:
    assert parse_moment("2026-07-01T15:30") == utc(2026, 7, 1, 14, 30)
    assert parse_moment("2026-07-01T15:30Z") == utc(2026, 7, 1, 15, 30)
    with pytest.raises(InvalidInput, match="not an ISO date and time"):
        parse_moment("yesterday teatime")


def test_a_report_survives_json_and_renders() -> None:
    shift = shift_containing(DEFAULT_PATTERN, utc(2026, 11, 24, 20))
    report = HandoverReport(
        shift.start,
        shift.end,
        utc(2026, 11, 24, 22, 55),
        "North <desk>",
        [PriorityGroup(1, 0, []), PriorityGroup(2, 3, [])],
        0,
        [],
        2,
        [],
        [],
        {"hide": 2},
        [],
        [],
        {"failure": 3},
        [],
        [],
    )
    again = report_from_json(report_to_json(report))
    assert again == report
    text = render_text(report)
    assert "Handover · 15:00–23:00 Tue 24 Nov 2026" in text
    assert "Open cases: 3 open at 22:55 · P1 0 · P2 3" in text
    assert "Not signed off yet." in text
    assert "North &lt;desk&gt;" in render_html(report)
