"""The outage log: when a platform (or Desk itself) was down, and what the desk did meanwhile.

An outage runs from ``starts_at`` to ``ends_at`` (None while it is ongoing). One of Desk itself
is usually recorded after the fact, once Desk is back: with what was done on paper and how many
cases were handled that way. Two outages of one platform never overlap (an ongoing one reaches
to now and beyond), so a second report of the same outage is refused, naming the first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from desk.core.account_list import PLATFORM_NAMES
from desk.core.errors import InvalidInput, PermissionDenied
from desk.core.items import Platform
from desk.core.roles import Role
from desk.core.shifts import LOCAL

DESK = "desk"  # the "platform" value of an outage of Desk itself
MAX_ACTIONS = 4_000
MAX_PAPER_CASES = 100_000
# who may change an outage someone else recorded (anyone recording outages may change their own)
EDIT_ANY_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})


def outage_platforms() -> tuple[str, ...]:
    """Every value an outage's platform may take: Desk first, then the platforms."""
    return (DESK, *(p.value for p in Platform))


def parse_platform(text: str) -> str:
    """Return the platform named (``desk`` for Desk itself), or say which exist."""
    value = text.strip().lower()
    if value in outage_platforms():
        return value
    names = ", ".join(outage_platforms())
    raise InvalidInput(f"Unknown platform {text!r}: use one of {names}.")


@dataclass(frozen=True)
class Outage:
    """One recorded outage."""

    id: int
    platform: str  # a Platform value, or DESK
    starts_at: datetime
    ends_at: datetime | None  # None while ongoing
    actions: str  # what the desk did (for Desk: what was done on paper)
    paper_cases: int | None  # Desk outages: cases handled on paper (None: not counted)
    recorded_by: str
    recorded_at: datetime
    after_the_fact: bool  # recorded once it was over
    ended_by: str | None = None

    @property
    def ongoing(self) -> bool:
        """Tell whether the outage has not been ended yet."""
        return self.ends_at is None

    @property
    def is_desk(self) -> bool:
        """Tell whether this is an outage of Desk itself."""
        return self.platform == DESK

    def overlaps(self, start: datetime, end: datetime | None) -> bool:
        """Tell whether the outage overlaps ``start``–``end`` (``end`` None: open-ended)."""
        before_end = end is None or self.starts_at < end
        after_start = self.ends_at is None or self.ends_at > start
        return before_end and after_start


def check_times(starts_at: datetime, ends_at: datetime | None, now: datetime) -> None:
    """Refuse times without a zone, in the future, or an end not after the start."""
    if starts_at.tzinfo is None or (ends_at is not None and ends_at.tzinfo is None):
        raise InvalidInput("The outage's start and end need a time zone.")
    if starts_at > now:
        raise InvalidInput(
            f"The outage cannot start in the future ({starts_at:%Y-%m-%d %H:%M} UTC is after "
            f"now, {now:%Y-%m-%d %H:%M} UTC)."
        )
    if ends_at is None:
        return
    if ends_at <= starts_at:
        raise InvalidInput(
            f"The outage must end after it starts (it starts {starts_at:%Y-%m-%d %H:%M} UTC "
            f"and ends {ends_at:%Y-%m-%d %H:%M} UTC)."
        )
    if ends_at > now:
        raise InvalidInput(
            f"The outage cannot end in the future ({ends_at:%Y-%m-%d %H:%M} UTC is after now): "
            "leave it ongoing and end it when the platform is back."
        )


def check_actions(text: str, required: bool) -> str:
    """Return what the desk did, trimmed; refuse it too long, or empty when ``required``."""
    value = text.strip()
    if required and not value:
        raise InvalidInput(
            "Say what the desk did during the outage (for Desk itself: what was done on paper)."
        )
    if len(value) > MAX_ACTIONS:
        raise InvalidInput(f"What the desk did can be at most {MAX_ACTIONS:,} characters.")
    return value


def check_paper_cases(platform: str, count: int | None) -> int | None:
    """Return the count of cases handled on paper: only for Desk's own outages, 0 or more."""
    if count is None:
        return None
    if platform != DESK:
        raise InvalidInput(
            "Cases handled on paper are counted only for an outage of Desk itself "
            "(the platform 'desk')."
        )
    if not 0 <= count <= MAX_PAPER_CASES:
        raise InvalidInput(f"Cases handled on paper must be 0 to {MAX_PAPER_CASES:,}.")
    return count


def check_no_overlap(
    platform: str,
    starts_at: datetime,
    ends_at: datetime | None,
    existing: Iterable[Outage],
    ignore: int | None = None,
) -> None:
    """Refuse an outage overlapping another of the same platform (naming it)."""
    for other in existing:
        if other.id == ignore or other.platform != platform:
            continue
        if other.overlaps(starts_at, ends_at):
            state = (
                "still ongoing"
                if other.ends_at is None
                else f"ended {other.ends_at:%Y-%m-%d %H:%M} UTC"
            )
            raise InvalidInput(
                f"{platform_text(platform)} already has outage #{other.id} from "
                f"{other.starts_at:%Y-%m-%d %H:%M} UTC ({state}), recorded by "
                f"{other.recorded_by}: end or edit that one instead."
            )


def check_may_edit(role: Role, username: str, outage: Outage) -> None:
    """Refuse changing someone else's outage unless a supervisor or administrator."""
    if outage.recorded_by != username and role not in EDIT_ANY_ROLES:
        raise PermissionDenied(
            f"Outage #{outage.id} was recorded by {outage.recorded_by}: only they, a supervisor "
            "or an administrator may change it."
        )


PLATFORM_TEXT = {DESK: "Desk itself"}


def platform_text(platform: str) -> str:
    """The platform as a sentence says it ('Desk itself' for Desk)."""
    if platform in PLATFORM_TEXT:
        return PLATFORM_TEXT[platform]
    return PLATFORM_NAMES.get(platform, platform)


def duration_text(length: timedelta) -> str:
    """'2 h 05 min', '40 min' or '3 d 4 h' for a non-negative length of time."""
    minutes = max(int(length.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins:02d} min"
    return f"{mins} min"


def outage_line(outage: Outage, now: datetime) -> str:
    """One line saying the outage: platform, when, how long, what the desk did, by whom.

    Times are shown in UK local time (``desk.core.shifts.LOCAL``).
    """
    start = outage.starts_at.astimezone(LOCAL)
    if outage.ends_at is None:
        when = f"since {start:%a %d %b %H:%M} (ongoing, {duration_text(now - outage.starts_at)})"
    else:
        end = outage.ends_at.astimezone(LOCAL)
        end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %d %b %H:%M}"
        when = (
            f"{start:%a %d %b %H:%M}–{end_text} "
            f"({duration_text(outage.ends_at - outage.starts_at)})"
        )
    parts = [f"{platform_text(outage.platform)}: {when}"]
    if outage.actions:
        label = "on paper" if outage.is_desk else "the desk"
        parts.append(f"{label}: {outage.actions}")
    if outage.paper_cases is not None:
        parts.append(f"{outage.paper_cases} case{'' if outage.paper_cases == 1 else 's'} on paper")
    who = f"recorded by {outage.recorded_by}"
    if outage.after_the_fact:
        who += " after the fact"
    parts.append(who)
    return " · ".join(parts)


def ongoing_first(outages: Iterable[Outage]) -> list[Outage]:
    """Ongoing outages first (oldest start first), then the ended ones, newest first."""
    items = list(outages)
    ongoing = sorted((o for o in items if o.ongoing), key=lambda o: o.starts_at)
    ended = sorted((o for o in items if not o.ongoing), key=lambda o: o.starts_at, reverse=True)
    return ongoing + ended


def outage_to_dict(outage: Outage) -> dict[str, object]:
    """The outage as JSON-ready data (times in ISO 8601)."""
    return {
        "id": outage.id,
        "platform": outage.platform,
        "starts_at": outage.starts_at.isoformat(),
        "ends_at": outage.ends_at.isoformat() if outage.ends_at else None,
        "actions": outage.actions,
        "paper_cases": outage.paper_cases,
        "recorded_by": outage.recorded_by,
        "recorded_at": outage.recorded_at.isoformat(),
        "after_the_fact": outage.after_the_fact,
        "ended_by": outage.ended_by,
    }


def outage_from_dict(data: dict[str, object]) -> Outage:
    """Rebuild an outage from :func:`outage_to_dict`'s data."""
    ends = data.get("ends_at")
    paper = data.get("paper_cases")
    ended_by = data.get("ended_by")
    return Outage(
        id=int(str(data["id"])),
        platform=str(data["platform"]),
        starts_at=datetime.fromisoformat(str(data["starts_at"])),
        ends_at=datetime.fromisoformat(str(ends)) if ends else None,
        actions=str(data.get("actions") or ""),
        paper_cases=int(str(paper)) if paper is not None else None,
        recorded_by=str(data["recorded_by"]),
        recorded_at=datetime.fromisoformat(str(data["recorded_at"])),
        after_the_fact=bool(data.get("after_the_fact")),
        ended_by=str(ended_by) if ended_by else None,
    )
