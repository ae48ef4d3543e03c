"""The desk at a glance: every figure is a grouped count done in SQL, never rows in Python.

Indexes used (see ``docs`` in the report): arrivals read ``ix_items_received`` (received_at,
platform) alone; cases in the period are found through ``ix_cases_queue`` (priority, opened_at)
by asking for the four priorities, so SQLite seeks one range per priority.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Float, Integer, String, and_, case, cast, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from desk.core.dashboard import (
    CoverageGap,
    DashboardData,
    EscalationFigures,
    Period,
    PeriodKind,
    ResponseFigures,
    bucket_hours,
    bucket_starts,
    median_from_histogram,
    parse_hour_key,
    period_for,
    rebucket,
    split_risk_counts,
)
from desk.core.risk import DEFAULT_TARGETS, Priority
from desk.core.roles import Action
from desk.core.subject_access import local_day
from desk.core.targets import parse_targets
from desk.services.account_register import overdue_reviews
from desk.services.context import DeskContext
from desk.services.coverage import periods_overlapping
from desk.services.outages import ongoing_outages, outages_overlapping
from desk.services.signin import SignInService
from desk.services.subject_access import requests_needing_attention
from desk.services.third_party_apps import overdue_apps
from desk.store.tables import Case, Escalation, Item

PRIORITIES = [p.value for p in Priority]


class DashboardService:
    """Figures for the dashboard window and ``desk-admin dashboard``."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    # --- SQL helpers that differ between SQLite and PostgreSQL ---------------------------

    def _hour_key(self, column: Any) -> ColumnElement[str]:
        """'YYYY-MM-DD HH' of a stored UTC time."""
        if self.ctx.db.is_sqlite:
            # stored as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC
            return func.substr(column, 1, 13, type_=String)
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24", type_=String)

    def _seconds(self, later: Any, earlier: Any) -> ColumnElement[float]:
        """Seconds from ``earlier`` to ``later``."""
        if self.ctx.db.is_sqlite:
            # julianday arithmetic is a float of days: round to whole seconds (600, not 599.99)
            return cast(
                func.round((func.julianday(later) - func.julianday(earlier)) * 86400.0), Float
            )
        return cast(func.extract("epoch", later - earlier), Float)

    def _minutes(self, seconds: ColumnElement[float]) -> ColumnElement[int]:
        """Whole minutes (rounded down) of a number of seconds."""
        if self.ctx.db.is_sqlite:
            return cast(seconds / 60.0, Integer)  # truncates: the same as floor for >= 0
        return cast(func.floor(seconds / 60.0), Integer)

    # --- the figures ---------------------------------------------------------------------

    def period(
        self,
        kind: PeriodKind | str,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> Period:
        """Return the chosen period ending at the desk clock's now."""
        return period_for(kind, self.ctx.clock.now(), start, end)

    def targets(self) -> dict[Priority, timedelta]:
        """The response targets per priority (the ``response_targets`` setting)."""
        text = self.ctx.setting("response_targets", None)
        return parse_targets(text) if text else dict(DEFAULT_TARGETS)

    def figures(
        self,
        token: str,
        kind: PeriodKind | str = PeriodKind.LAST_24H,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> DashboardData:
        """Return every dashboard figure for a period (supervisors, comms, administrators)."""
        self.signin.authorize(token, Action.VIEW_DASHBOARD)
        period = self.period(kind, start, end)
        targets = self.targets()
        began = time.perf_counter()
        width = bucket_hours(period)
        starts = bucket_starts(period, width)
        with self.ctx.db.read() as s:
            hourly = self._arrivals(s, period)
            response = self._response(s, period, targets)
            escalations = self._escalations(s, period)
            risks = self._risks(s, period)
            coverage = self._coverage(s, period)
            sar = requests_needing_attention(s, local_day(self.ctx.clock.now()))  # issue 13
            reviews = overdue_reviews(s, local_day(self.ctx.clock.now()))  # issue 14
            apps = overdue_apps(s, local_day(self.ctx.clock.now()))  # issue 14
            ongoing = ongoing_outages(s)  # issue 16: the outage log
            in_period = [
                o for o in outages_overlapping(s, period.start, period.end) if not o.ongoing
            ]
        return DashboardData(
            period=period,
            computed_at=self.ctx.clock.now(),
            bucket_hours=width,
            buckets=starts,
            arrivals=rebucket(hourly, starts, width),
            response=response,
            escalations=escalations,
            risks=risks,
            coverage=coverage,
            seconds=time.perf_counter() - began,
            extra={
                "subject_access": {"overdue": len(sar.overdue), "due_soon": len(sar.due_soon)},
                "account_reviews": {"overdue": len(reviews)},
                "third_party_apps": {"overdue": len(apps)},
                # desk.core.outages.Outage lists: ongoing now (oldest first), and those ended
                # that overlap the period (newest first)
                "outages": {"ongoing": ongoing, "in_period": in_period},
            },
        )

    def _arrivals(self, s: Session, period: Period) -> list[tuple[datetime, str, int]]:
        hour = self._hour_key(Item.received_at)
        rows = s.execute(
            select(hour.label("hour"), Item.platform, func.count())
            .where(Item.received_at >= period.start, Item.received_at < period.end)
            .group_by(hour, Item.platform)
        )
        return [(parse_hour_key(h, UTC), platform, int(n)) for h, platform, n in rows]

    def _in_period(self, period: Period) -> list[ColumnElement[bool]]:
        # naming every priority lets SQLite seek ix_cases_queue (priority, opened_at) by range
        return [
            Case.priority.in_(PRIORITIES),
            Case.opened_at >= period.start,
            Case.opened_at < period.end,
        ]

    def _response(
        self, s: Session, period: Period, targets: dict[Priority, timedelta]
    ) -> list[ResponseFigures]:
        seconds = self._seconds(Case.first_action_at, Case.opened_at)
        target_seconds = case(
            *((Case.priority == p.value, literal(t.total_seconds())) for p, t in targets.items()),
            else_=literal(0.0),
        )
        minute = self._minutes(seconds)
        acted = s.execute(
            select(
                Case.priority,
                minute.label("minute"),
                func.count(),
                func.sum(case((seconds <= target_seconds, 1), else_=0)),
            )
            .where(*self._in_period(period), Case.first_action_at.is_not(None))
            .group_by(Case.priority, minute)
        )
        histograms: dict[int, dict[int, int]] = defaultdict(dict)
        met: dict[int, int] = defaultdict(int)
        for priority, m, n, ok in acted:
            histograms[priority][max(int(m), 0)] = histograms[priority].get(max(int(m), 0), 0) + n
            met[priority] += int(ok or 0)
        now = self.ctx.clock.now()
        waiting: dict[int, tuple[int, int]] = {}
        for p, target in targets.items():
            # still waiting for a first action: past the target once opened before now - target
            row = s.execute(
                select(
                    func.count(),
                    func.sum(case((Case.opened_at < now - target, 1), else_=0)),
                ).where(
                    Case.priority == p.value,
                    Case.opened_at >= period.start,
                    Case.opened_at < period.end,
                    Case.first_action_at.is_(None),
                )
            ).one()
            waiting[p.value] = (int(row[0] or 0), int(row[1] or 0))
        figures = []
        for p, target in targets.items():
            hist = histograms.get(p.value, {})
            figures.append(
                ResponseFigures(
                    priority=p.value,
                    target_minutes=target.total_seconds() / 60,
                    acted=sum(hist.values()),
                    met=met.get(p.value, 0),
                    median_minutes=median_from_histogram(hist),
                    waiting=waiting[p.value][0],
                    waiting_past_target=waiting[p.value][1],
                )
            )
        return figures

    def _escalations(self, s: Session, period: Period) -> list[EscalationFigures]:
        seconds = self._seconds(Escalation.acknowledged_at, Escalation.created_at)
        minute = self._minutes(seconds)
        late = case(
            (
                and_(
                    Escalation.acknowledged_at.is_not(None),
                    Escalation.acknowledged_at > Escalation.deadline_at,
                ),
                1,
            ),
            (
                and_(
                    Escalation.acknowledged_at.is_(None),
                    Escalation.deadline_at < self.ctx.clock.now(),
                ),
                1,
            ),
            else_=0,
        )
        rows = s.execute(
            select(
                Escalation.kind,
                minute.label("minute"),
                func.count(),
                func.sum(late),
            )
            .where(Escalation.created_at >= period.start, Escalation.created_at < period.end)
            .group_by(Escalation.kind, minute)
        )
        by_kind: dict[str, dict[str, Any]] = {}
        for kind, m, n, n_late in rows:
            entry = by_kind.setdefault(kind, {"n": 0, "late": 0, "hist": {}})
            entry["n"] += int(n)
            entry["late"] += int(n_late or 0)
            if m is not None:  # acknowledged
                entry["hist"][max(int(m), 0)] = entry["hist"].get(max(int(m), 0), 0) + int(n)
        return [
            EscalationFigures(
                kind=kind,
                escalated=e["n"],
                acknowledged=sum(e["hist"].values()),
                median_ack_minutes=median_from_histogram(e["hist"]),
                late=e["late"],
            )
            for kind, e in sorted(by_kind.items(), key=lambda kv: (-kv[1]["n"], kv[0]))
        ]

    def _risks(self, s: Session, period: Period) -> dict[str, int]:
        rows = s.execute(
            select(Case.risk, func.count())
            .where(*self._in_period(period), Case.risk != "")
            .group_by(Case.risk)
        )
        return split_risk_counts((r, int(n)) for r, n in rows)

    def _coverage(self, s: Session, period: Period) -> list[CoverageGap]:
        rows = periods_overlapping(s, period.start, period.end, limit=500)
        return [
            CoverageGap(
                id=r.id,
                starts_at=r.starts_at,
                ends_at=r.ends_at,
                reason=r.reason,
                platform=r.platform,
                risk_accepted=r.risk_accepted,
                recorded_by=r.recorded_by,
            )
            for r in rows
        ]
