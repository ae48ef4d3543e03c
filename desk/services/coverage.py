"""The coverage log: periods the desk was not monitored, with the reason and the risk accepted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.core.errors import InvalidInput
from desk.core.handover import CoverageReason
from desk.core.items import Platform
from desk.core.roles import Action
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.store.tables import CoveragePeriod

MAX_RISK = 2_000


def periods_overlapping(
    s: Session,
    start: datetime | None,
    end: datetime | None,
    limit: int = 1000,
    newest_first: bool = False,
) -> list[CoveragePeriod]:
    """The coverage periods overlapping ``start``–``end`` (open-ended where None)."""
    order = CoveragePeriod.starts_at.desc() if newest_first else CoveragePeriod.starts_at
    query = select(CoveragePeriod).order_by(order).limit(limit)
    if end is not None:
        query = query.where(CoveragePeriod.starts_at < end)
    if start is not None:
        query = query.where(CoveragePeriod.ends_at > start)
    return list(s.scalars(query))


@dataclass(frozen=True)
class CoverageView:
    """One recorded period without monitoring."""

    id: int
    starts_at: datetime
    ends_at: datetime
    reason: CoverageReason
    platform: str | None
    risk_accepted: str
    recorded_at: datetime
    recorded_by: str


def parse_reason(text: str) -> CoverageReason:
    """Turn a typed reason into a ``CoverageReason``, or say which reasons exist."""
    try:
        return CoverageReason(text.strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in CoverageReason)
        raise InvalidInput(f"Unknown reason {text!r}: use one of {names}.") from None


class CoverageService:
    """Records and lists periods the desk was not monitored (supervisors)."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def record(
        self,
        token: str,
        starts_at: datetime,
        ends_at: datetime,
        reason: CoverageReason | str,
        platform: str | None,
        risk_accepted: str,
    ) -> CoverageView:
        """Record a period without monitoring; it shows in the handover and is audited."""
        actor = self.signin.authorize(token, Action.RECORD_COVERAGE)
        why = reason if isinstance(reason, CoverageReason) else parse_reason(reason)
        if starts_at.tzinfo is None or ends_at.tzinfo is None:
            raise InvalidInput("The start and end need a time zone.")
        if ends_at <= starts_at:
            raise InvalidInput(
                f"The period must end after it starts (it starts {starts_at:%Y-%m-%d %H:%M} "
                f"UTC and ends {ends_at:%Y-%m-%d %H:%M} UTC)."
            )
        risk = risk_accepted.strip()
        if not risk:
            raise InvalidInput("Say what risk was accepted while the desk was not monitored.")
        if len(risk) > MAX_RISK:
            raise InvalidInput(f"The risk accepted can be at most {MAX_RISK:,} characters.")
        where = (platform or "").strip().lower() or None
        if where is not None:
            known = {p.value for p in Platform}
            if where not in known:
                raise InvalidInput(
                    f"Unknown platform {platform!r}: use one of {', '.join(sorted(known))}."
                )
        elif why is CoverageReason.PLATFORM_OUTAGE:
            raise InvalidInput("A platform outage needs the platform that was out.")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            row = CoveragePeriod(
                starts_at=starts_at,
                ends_at=ends_at,
                reason=why.value,
                platform=where,
                risk_accepted=risk,
                recorded_at=now,
                recorded_by=actor.username,
            )
            s.add(row)
            s.flush()
            self.ctx.audit.record(
                s,
                actor.username,
                "coverage.record",
                f"coverage:{row.id}",
                starts_at=starts_at.isoformat(),
                ends_at=ends_at.isoformat(),
                reason=why.value,
                platform=where,
                risk_accepted=risk,
            )
            return _view(row)

    def list(
        self, token: str, start: datetime | None = None, end: datetime | None = None
    ) -> list[CoverageView]:
        """Return the periods overlapping ``start``–``end`` (all when not given), newest first."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            return [_view(r) for r in periods_overlapping(s, start, end, newest_first=True)]


def _view(r: CoveragePeriod) -> CoverageView:
    return CoverageView(
        r.id,
        r.starts_at,
        r.ends_at,
        CoverageReason(r.reason),
        r.platform,
        r.risk_accepted,
        r.recorded_at,
        r.recorded_by,
    )
