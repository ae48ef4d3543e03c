"""Shift patterns: the desk's working day cut into shifts, in UK local time (GMT/BST).

A pattern is written ``07:00-15:00, 15:00-23:00, 23:00-07:00``: each shift ends where the next
one starts and together they cover the whole day. Shifts are found by their local start times,
so a night shift across the change to or from summer time lasts 7 or 9 hours of real time.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from desk.core.errors import InvalidInput

LOCAL = ZoneInfo("Europe/London")
DEFAULT_PATTERN_TEXT = "07:00-15:00, 15:00-23:00, 23:00-07:00"
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class ShiftPattern:
    """The local start times of the day's shifts, in order (each ends at the next start)."""

    starts: tuple[time, ...]

    def spans(self) -> list[tuple[time, time]]:
        """Return each shift as (local start, local end)."""
        ends = self.starts[1:] + self.starts[:1]
        return list(zip(self.starts, ends, strict=True))


@dataclass(frozen=True)
class Shift:
    """One shift on one day: its start and end as aware UTC times."""

    start: datetime
    end: datetime

    @property
    def local_start(self) -> datetime:
        """The start in UK local time."""
        return self.start.astimezone(LOCAL)

    @property
    def local_end(self) -> datetime:
        """The end in UK local time."""
        return self.end.astimezone(LOCAL)

    def label(self) -> str:
        """Return e.g. ``15:00–23:00 Tue 24 Nov 2026`` (local times, the day it starts)."""
        a, b = self.local_start, self.local_end
        return f"{a:%H:%M}–{b:%H:%M} {a:%a} {a.day} {a:%b %Y}"

    def contains(self, moment: datetime) -> bool:
        """Tell whether ``moment`` falls in this shift (start included, end excluded)."""
        return self.start <= moment < self.end


def _clock_time(hours: str, minutes: str, span: str) -> time:
    h, m = int(hours), int(minutes)
    if h > 23 or m > 59:
        raise InvalidInput(f"{hours}:{minutes} in {span!r} is not a time of day (00:00 to 23:59).")
    return time(h, m)


def parse_pattern(text: str) -> ShiftPattern:
    """Read ``07:00-15:00, 15:00-23:00, 23:00-07:00``; say exactly what is wrong otherwise."""
    parts = [p for p in re.split(r"[,;]", text) if p.strip()]
    if not parts:
        raise InvalidInput(
            f"Write the shifts as start-end times, e.g. {DEFAULT_PATTERN_TEXT!r} (none given)."
        )
    spans: list[tuple[time, time]] = []
    for part in parts:
        found = _SPAN.match(part)
        if not found:
            raise InvalidInput(
                f"{part.strip()!r} is not a shift: write HH:MM-HH:MM, e.g. '07:00-15:00'."
            )
        start = _clock_time(found.group(1), found.group(2), part.strip())
        end = _clock_time(found.group(3), found.group(4), part.strip())
        if start == end:
            raise InvalidInput(f"The shift {part.strip()!r} starts and ends at the same time.")
        spans.append((start, end))
    spans.sort()
    for (_start, end), (next_start, _end) in zip(spans, spans[1:] + spans[:1], strict=True):
        if end != next_start:
            raise InvalidInput(
                f"The shifts must cover the whole day with no gap or overlap: one ends at "
                f"{end:%H:%M} but the next starts at {next_start:%H:%M}."
            )
    return ShiftPattern(tuple(start for start, _end in spans))


def format_pattern(pattern: ShiftPattern) -> str:
    """Write a pattern the way ``parse_pattern`` reads it."""
    return ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in pattern.spans())


DEFAULT_PATTERN = parse_pattern(DEFAULT_PATTERN_TEXT)


def _starts_around(pattern: ShiftPattern, day: date) -> list[datetime]:
    """Return the UTC starts of every shift from the day before ``day`` to the day after."""
    found = []
    for offset in (-1, 0, 1, 2):
        d = day + timedelta(days=offset)
        for start in pattern.starts:
            found.append(datetime.combine(d, start, LOCAL).astimezone(UTC))
    return sorted(set(found))


def shift_containing(pattern: ShiftPattern, moment: datetime) -> Shift:
    """Return the shift that ``moment`` (an aware time) falls in."""
    if moment.tzinfo is None:
        raise InvalidInput("A time without a time zone cannot be placed in a shift.")
    moment = moment.astimezone(UTC)
    starts = _starts_around(pattern, moment.astimezone(LOCAL).date())
    for start, end in itertools.pairwise(starts):
        if start <= moment < end:
            return Shift(start, end)
    raise AssertionError("the shifts around a day always cover it")  # pragma: no cover


def previous_shift(pattern: ShiftPattern, shift: Shift) -> Shift:
    """Return the shift just before ``shift``."""
    return shift_containing(pattern, shift.start - timedelta(microseconds=1))


def next_shift(pattern: ShiftPattern, shift: Shift) -> Shift:
    """Return the shift just after ``shift``."""
    return shift_containing(pattern, shift.end)


def parse_moment(text: str) -> datetime:
    """Read an ISO date and time typed by a person; without a zone it is UK local time."""
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00") if value else "?")
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not an ISO date and time: write e.g. '2026-11-24T19:30' (UK local "
            "time) or '2026-11-24T19:30Z' (UTC)."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL)
    return moment.astimezone(UTC)
