"""The outage log: start, end, record after the fact, edit and list platform and Desk outages.

Each change is one unit of work with its audit entry. The rules (times, overlap, who may edit
what) are :mod:`desk.core.outages`; this module reads and writes the rows.
"""

from __future__ import annotations

import builtins
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desk.core.errors import InvalidInput, NotFound
from desk.core.outages import (
    Outage,
    check_actions,
    check_may_edit,
    check_no_overlap,
    check_paper_cases,
    check_times,
    ongoing_first,
    parse_platform,
)
from desk.core.roles import Action
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.store.tables import PlatformOutage


def outages_overlapping(
    s: Session, start: datetime | None, end: datetime | None, limit: int = 500
) -> list[Outage]:
    """The outages overlapping ``start``–``end`` (ongoing ones reach to the end of time)."""
    query = select(PlatformOutage).order_by(PlatformOutage.starts_at.desc()).limit(limit)
    if end is not None:
        query = query.where(PlatformOutage.starts_at < end)
    if start is not None:
        query = query.where(or_(PlatformOutage.ends_at.is_(None), PlatformOutage.ends_at > start))
    return ongoing_first(_view(r) for r in s.scalars(query))


def ongoing_outages(s: Session) -> list[Outage]:
    """The outages not ended yet, oldest first."""
    rows = s.scalars(
        select(PlatformOutage)
        .where(PlatformOutage.ends_at.is_(None))
        .order_by(PlatformOutage.starts_at)
    )
    return [_view(r) for r in rows]


def _same_platform(s: Session, platform: str) -> list[Outage]:
    rows = s.scalars(select(PlatformOutage).where(PlatformOutage.platform == platform))
    return [_view(r) for r in rows]


class OutageService:
    """Records platform and Desk outages (operators, communications, supervisors, admins)."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def start(
        self, token: str, platform: str, starts_at: datetime | None = None, actions: str = ""
    ) -> Outage:
        """Record that a platform (or Desk) is down now, or since ``starts_at``; audited."""
        actor = self.signin.authorize(token, Action.RECORD_OUTAGES)
        where = parse_platform(platform)
        now = self.ctx.clock.now()
        begin = starts_at or now
        check_times(begin, None, now)
        did = check_actions(actions, required=False)
        with self.ctx.db.write() as s:
            check_no_overlap(where, begin, None, _same_platform(s, where))
            row = PlatformOutage(
                platform=where,
                starts_at=begin,
                ends_at=None,
                actions=did,
                paper_cases=None,
                recorded_by=actor.username,
                recorded_at=now,
                after_the_fact=False,
            )
            s.add(row)
            s.flush()
            self.ctx.audit.record(
                s,
                actor.username,
                "outage.start",
                f"outage:{row.id}",
                platform=where,
                starts_at=begin.isoformat(),
                actions=did,
            )
            return _view(row)

    def end(
        self,
        token: str,
        outage_id: int,
        ends_at: datetime | None = None,
        actions: str | None = None,
        paper_cases: int | None = None,
    ) -> Outage:
        """End an ongoing outage now (or at ``ends_at``), saying what the desk did; audited."""
        actor = self.signin.authorize(token, Action.RECORD_OUTAGES)
        now = self.ctx.clock.now()
        finish = ends_at or now
        with self.ctx.db.write() as s:
            row = self._row(s, outage_id)
            if row.ends_at is not None:
                raise InvalidInput(
                    f"Outage #{outage_id} already ended at {row.ends_at:%Y-%m-%d %H:%M} UTC "
                    "(edit it to change the end)."
                )
            check_times(row.starts_at, finish, now)
            did = check_actions(row.actions if actions is None else actions, required=False)
            paper = check_paper_cases(row.platform, paper_cases)
            row.ends_at = finish
            row.actions = did
            if paper is not None:
                row.paper_cases = paper
            row.ended_by = actor.username
            self.ctx.audit.record(
                s,
                actor.username,
                "outage.end",
                f"outage:{row.id}",
                platform=row.platform,
                ends_at=finish.isoformat(),
                actions=did,
                paper_cases=row.paper_cases,
            )
            return _view(row)

    def record(
        self,
        token: str,
        platform: str,
        starts_at: datetime,
        ends_at: datetime,
        actions: str,
        paper_cases: int | None = None,
    ) -> Outage:
        """Record an outage that is over (after the fact), with what the desk did; audited.

        For Desk itself, ``actions`` says what was done on paper and ``paper_cases`` how many
        cases were handled that way.
        """
        actor = self.signin.authorize(token, Action.RECORD_OUTAGES)
        where = parse_platform(platform)
        now = self.ctx.clock.now()
        check_times(starts_at, ends_at, now)
        did = check_actions(actions, required=True)
        paper = check_paper_cases(where, paper_cases)
        with self.ctx.db.write() as s:
            check_no_overlap(where, starts_at, ends_at, _same_platform(s, where))
            row = PlatformOutage(
                platform=where,
                starts_at=starts_at,
                ends_at=ends_at,
                actions=did,
                paper_cases=paper,
                recorded_by=actor.username,
                recorded_at=now,
                after_the_fact=True,
                ended_by=actor.username,
            )
            s.add(row)
            s.flush()
            self.ctx.audit.record(
                s,
                actor.username,
                "outage.record",
                f"outage:{row.id}",
                platform=where,
                starts_at=starts_at.isoformat(),
                ends_at=ends_at.isoformat(),
                actions=did,
                paper_cases=paper,
                after_the_fact=True,
            )
            return _view(row)

    def edit(
        self,
        token: str,
        outage_id: int,
        *,
        starts_at: datetime | None = None,
        ends_at: datetime | None = None,
        actions: str | None = None,
        paper_cases: int | None = None,
    ) -> Outage:
        """Change an outage's times, what was done or the paper count; audited with before/after.

        The recorder may edit their own; supervisors and administrators anyone's. Only what is
        given changes (an ended outage stays ended: ``ends_at`` moves its end).
        """
        actor = self.signin.authorize(token, Action.RECORD_OUTAGES)
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            row = self._row(s, outage_id)
            before = _view(row)
            check_may_edit(actor.role, actor.username, before)
            if ends_at is not None and row.ends_at is None:
                raise InvalidInput(
                    f"Outage #{outage_id} is still ongoing: end it rather than edit its end."
                )
            begin = starts_at or row.starts_at
            finish = ends_at or row.ends_at
            check_times(begin, finish, now)
            did = check_actions(
                row.actions if actions is None else actions, required=row.after_the_fact
            )
            paper = (
                row.paper_cases
                if paper_cases is None
                else check_paper_cases(row.platform, paper_cases)
            )
            check_no_overlap(
                row.platform, begin, finish, _same_platform(s, row.platform), ignore=row.id
            )
            row.starts_at, row.ends_at, row.actions, row.paper_cases = begin, finish, did, paper
            after = _view(row)
            changed = {
                k: {"before": _plain(getattr(before, k)), "after": _plain(getattr(after, k))}
                for k in ("starts_at", "ends_at", "actions", "paper_cases")
                if getattr(before, k) != getattr(after, k)
            }
            if not changed:
                raise InvalidInput(f"Nothing to change on outage #{outage_id}.")
            self.ctx.audit.record(
                s, actor.username, "outage.edit", f"outage:{row.id}", changed=changed
            )
            return after

    def list(
        self,
        token: str,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 500,
    ) -> list[Outage]:
        """The outages overlapping ``start``–``end`` (all when not given): ongoing first."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            return outages_overlapping(s, start, end, limit)

    def ongoing(self, token: str) -> builtins.list[Outage]:
        """The outages not ended yet, oldest first."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            return ongoing_outages(s)

    def get(self, token: str, outage_id: int) -> Outage:
        """One outage."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            return _view(self._row(s, outage_id))

    @staticmethod
    def _row(s: Session, outage_id: int) -> PlatformOutage:
        row = s.get(PlatformOutage, outage_id)
        if row is None:
            raise NotFound(f"There is no outage #{outage_id} (desk-admin outage list shows them).")
        return row


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def _view(r: PlatformOutage) -> Outage:
    return Outage(
        id=r.id,
        platform=r.platform,
        starts_at=r.starts_at,
        ends_at=r.ends_at,
        actions=r.actions,
        paper_cases=r.paper_cases,
        recorded_by=r.recorded_by,
        recorded_at=r.recorded_at,
        after_the_fact=bool(r.after_the_fact),
        ended_by=r.ended_by,
    )
