"""Surge arithmetic: arrivals in the last 15 minutes against the same period's baseline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=15)
BASELINE_DAYS = 7
DEFAULT_MULTIPLE = 3.0
MIN_ARRIVALS = 10  # a handful of items is never a surge, whatever the baseline


@dataclass(frozen=True)
class Surge:
    """A platform (or the whole desk) receiving far more than usual."""

    platform: str
    arrivals: int
    baseline: float
    multiple: float


def baseline_windows(now: datetime, days: int = BASELINE_DAYS) -> list[tuple[datetime, datetime]]:
    """Return the same 15 minutes on each of the previous ``days`` days."""
    return [(now - timedelta(days=d) - WINDOW, now - timedelta(days=d)) for d in range(1, days + 1)]


def assess_surge(
    platform: str,
    arrivals: int,
    earlier: list[int],
    multiple: float = DEFAULT_MULTIPLE,
) -> Surge | None:
    """Return a surge when ``arrivals`` pass ``multiple`` times the trailing average."""
    baseline = sum(earlier) / len(earlier) if earlier else 0.0
    if arrivals < MIN_ARRIVALS:
        return None
    ratio = arrivals / max(baseline, 1.0)
    if ratio < multiple:
        return None
    return Surge(platform, arrivals, baseline, round(ratio, 1))
