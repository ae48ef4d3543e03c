"""The desk at a glance: periods, time buckets and the arithmetic over grouped counts.

The services count in SQL (``GROUP BY``) and hand the grouped rows here; nothing in this module
sees a single item or case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from desk.core.errors import InvalidInput

HOUR = timedelta(hours=1)
MAX_PERIOD = timedelta(days=366)


class PeriodKind(StrEnum):
    """The periods a person can choose."""

    TODAY = "today"
    LAST_24H = "24h"
    LAST_7D = "7d"
    LAST_30D = "30d"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    """A half-open span of time ``[start, end)`` the dashboard reports on."""

    kind: PeriodKind
    start: datetime
    end: datetime

    @property
    def length(self) -> timedelta:
        """How long the period is."""
        return self.end - self.start


def _floor_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def period_for(
    kind: PeriodKind | str,
    now: datetime,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Period:
    """Return the period of ``kind`` ending now (or ``start``..``end`` for a custom one).

    "Today" starts at midnight in ``now``'s own time zone, so pass a local time for a local day.

    Raises:
        InvalidInput: an unknown kind, a custom period without both ends, ends in the wrong
            order, or a period longer than a year.
    """
    try:
        chosen = PeriodKind(kind)
    except ValueError:
        names = ", ".join(k.value for k in PeriodKind)
        raise InvalidInput(f"Unknown period {kind!r}: use one of {names}.") from None
    if now.tzinfo is None:
        raise InvalidInput("The dashboard needs timezone-aware times.")
    if chosen is PeriodKind.CUSTOM:
        if start is None or end is None:
            raise InvalidInput("A custom period needs both a start and an end.")
        if start.tzinfo is None or end.tzinfo is None:
            raise InvalidInput("The dashboard needs timezone-aware times.")
        if end <= start:
            raise InvalidInput("The period's end must come after its start.")
        if end - start > MAX_PERIOD:
            raise InvalidInput("A dashboard period can be at most a year long.")
        return Period(chosen, start, end)
    if chosen is PeriodKind.TODAY:
        return Period(chosen, now.replace(hour=0, minute=0, second=0, microsecond=0), now)
    days = {PeriodKind.LAST_24H: 1, PeriodKind.LAST_7D: 7, PeriodKind.LAST_30D: 30}[chosen]
    return Period(chosen, now - timedelta(days=days), now)


def bucket_hours(period: Period) -> int:
    """Return how many hours one bar of the arrivals chart covers, so that bars stay readable."""
    hours = period.length / HOUR
    if hours <= 48:
        return 1
    if hours <= 8 * 24:
        return 6
    return 24


def bucket_starts(period: Period, width_hours: int) -> list[datetime]:
    """Return the start of each bucket covering the period (UTC hours, aligned to the width)."""
    step = timedelta(hours=width_hours)
    first = _floor_hour(period.start)
    if width_hours > 1:
        first -= timedelta(hours=first.hour % width_hours)
    starts = []
    moment = first
    while moment < period.end:
        starts.append(moment)
        moment += step
    return starts


def parse_hour_key(key: str, tz: Any) -> datetime:
    """Read the SQL hour key 'YYYY-MM-DD HH' (UTC) into an aware datetime."""
    return datetime.strptime(key, "%Y-%m-%d %H").replace(tzinfo=tz)


def rebucket(
    hourly: Iterable[tuple[datetime, str, int]], starts: list[datetime], width_hours: int
) -> dict[str, list[int]]:
    """Merge hourly counts per platform into the chart's buckets: ``{platform: [n, ...]}``."""
    index = {start: i for i, start in enumerate(starts)}
    out: dict[str, list[int]] = {}
    for hour, platform, count in hourly:
        bucket = hour - timedelta(hours=hour.hour % width_hours) if width_hours > 1 else hour
        i = index.get(bucket)
        if i is None:
            continue
        out.setdefault(platform, [0] * len(starts))[i] += count
    return dict(sorted(out.items()))


def median_from_histogram(histogram: Mapping[int, int]) -> float | None:
    """Return the median of values given as ``{value: how many}`` (None when empty)."""
    total = sum(histogram.values())
    if total == 0:
        return None
    values = sorted(histogram)
    low_rank, high_rank = (total - 1) // 2, total // 2
    seen = 0
    low = high = None
    for value in values:
        seen += histogram[value]
        if low is None and seen > low_rank:
            low = value
        if seen > high_rank:
            high = value
            break
    assert low is not None and high is not None
    return (low + high) / 2


def split_risk_counts(grouped: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Count cases per risk category from counts per stored risk text (',a,b,')."""
    counts: dict[str, int] = {}
    for text, n in grouped:
        for category in filter(None, (text or "").split(",")):
            counts[category] = counts.get(category, 0) + n
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def share(part: int, whole: int) -> float | None:
    """Return ``part / whole`` (None when there is nothing to divide)."""
    return part / whole if whole else None


@dataclass(frozen=True)
class ResponseFigures:
    """Time to first action for one priority, against its target."""

    priority: int
    target_minutes: float
    acted: int
    met: int
    median_minutes: float | None
    waiting: int
    waiting_past_target: int

    @property
    def decided(self) -> int:
        """Cases whose target is settled: acted on, or still waiting past the target."""
        return self.acted + self.waiting_past_target

    @property
    def met_share(self) -> float | None:
        """The share of decided cases that met the target."""
        return share(self.met, self.decided)


@dataclass(frozen=True)
class EscalationFigures:
    """Escalations to one kind of target and how quickly they were acknowledged."""

    kind: str
    escalated: int
    acknowledged: int
    median_ack_minutes: float | None
    late: int


@dataclass(frozen=True)
class CoverageGap:
    """A period the desk was not monitored, as recorded by a supervisor."""

    id: int
    starts_at: datetime
    ends_at: datetime
    reason: str
    platform: str | None
    risk_accepted: str
    recorded_by: str


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows for one period."""

    period: Period
    computed_at: datetime
    bucket_hours: int
    buckets: list[datetime]
    arrivals: dict[str, list[int]]
    response: list[ResponseFigures]
    escalations: list[EscalationFigures]
    risks: dict[str, int]
    coverage: list[CoverageGap]
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def total_arrivals(self) -> int:
        """All items that arrived in the period."""
        return sum(sum(v) for v in self.arrivals.values())

    @property
    def targets_met(self) -> int:
        """Cases (all priorities) that met their target."""
        return sum(r.met for r in self.response)

    @property
    def targets_decided(self) -> int:
        """Cases (all priorities) whose target is settled."""
        return sum(r.decided for r in self.response)

    @property
    def met_share(self) -> float | None:
        """The share of settled targets that were met."""
        return share(self.targets_met, self.targets_decided)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def to_json(data: DashboardData) -> dict[str, Any]:
    """Return the dashboard as plain JSON-ready data (times in ISO 8601)."""
    plain = asdict(data)
    plain["period"]["kind"] = data.period.kind.value
    plain["totals"] = {
        "arrivals": data.total_arrivals,
        "targets_met": data.targets_met,
        "targets_decided": data.targets_decided,
        "met_share": data.met_share,
    }
    for row, fig in zip(plain["response"], data.response, strict=True):
        row["met_share"] = fig.met_share
    plain.pop("extra")
    return dict(_jsonable(plain))
