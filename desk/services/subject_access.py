"""The subject access request register: record, extend, pause, restrict and close requests."""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.core.errors import Conflict, InvalidInput, NotFound
from desk.core.handover import HandoverNoteEntry
from desk.core.roles import Action
from desk.core.subject_access import (
    DueState,
    Ground,
    Outcome,
    Regime,
    check_extension,
    due_date,
    due_state,
    local_day,
    parse_ground,
    parse_outcome,
    parse_regime,
)
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.store.tables import SubjectAccessRequest

MAX_TEXT = 2_000
MAX_NAME = 200


@dataclass(frozen=True)
class Restriction:
    """Data withheld on a ground, with the reviewer's note."""

    ground: Ground
    note: str
    at: str
    by: str


@dataclass(frozen=True)
class RequestView:
    """One request in the register, with its due date worked out for today."""

    id: int
    requester: str
    subject: str
    regime: Regime
    received_on: date
    identity_checked_at: datetime | None
    identity_checked_by: str | None
    identity_how: str
    extension_months: int
    extension_notice: str
    paused_days: int
    paused_since: date | None
    pause_reason: str
    restrictions: tuple[Restriction, ...]
    outcome: Outcome | None
    outcome_note: str
    created_at: datetime
    created_by: str
    closed_at: datetime | None
    closed_by: str | None
    due_on: date
    state: DueState

    @property
    def reference(self) -> str:
        """The register's reference, e.g. SAR-7."""
        return f"SAR-{self.id}"


@dataclass(frozen=True)
class Attention:
    """Open requests past their due date, and those due within a week."""

    overdue: list[RequestView]
    due_soon: list[RequestView]


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def view_of(row: SubjectAccessRequest, today: date) -> RequestView:
    """A stored request as a view, its due date and state as of ``today``."""
    received = date.fromisoformat(row.received_on)
    paused = _date(row.paused_since)
    due = due_date(received, row.extension_months, row.paused_days, paused, today)
    closed = row.closed_at is not None
    return RequestView(
        id=row.id,
        requester=row.requester,
        subject=row.subject,
        regime=Regime(row.regime),
        received_on=received,
        identity_checked_at=row.identity_checked_at,
        identity_checked_by=row.identity_checked_by,
        identity_how=row.identity_how,
        extension_months=row.extension_months,
        extension_notice=row.extension_notice,
        paused_days=row.paused_days,
        paused_since=paused,
        pause_reason=row.pause_reason,
        restrictions=tuple(
            Restriction(Ground(r["ground"]), r["note"], r["at"], r["by"])
            for r in json.loads(row.restrictions or "[]")
        ),
        outcome=Outcome(row.outcome) if row.outcome else None,
        outcome_note=row.outcome_note,
        created_at=row.created_at,
        created_by=row.created_by,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
        due_on=due,
        state=due_state(due, today, closed, paused is not None),
    )


def requests_needing_attention(s: Session, today: date) -> Attention:
    """Open requests overdue or due within a week (for the dashboard and the handover)."""
    rows = s.scalars(
        select(SubjectAccessRequest)
        .where(SubjectAccessRequest.closed_at.is_(None))
        .order_by(SubjectAccessRequest.received_on, SubjectAccessRequest.id)
    )
    views = [view_of(r, today) for r in rows]
    return Attention(
        overdue=sorted((v for v in views if v.state is DueState.OVERDUE), key=lambda v: v.due_on),
        due_soon=sorted((v for v in views if v.state is DueState.DUE_SOON), key=lambda v: v.due_on),
    )


def _text(value: str, what: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidInput(f"Give {what}.")
    if len(text) > limit:
        raise InvalidInput(f"{what[0].upper()}{what[1:]} can be at most {limit:,} characters.")
    return text


class SubjectAccessService:
    """The register of subject access requests (supervisors and administrators)."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def _today(self) -> date:
        return local_day(self.ctx.clock.now())

    def _row(self, s: Session, request_id: int) -> SubjectAccessRequest:
        row = s.get(SubjectAccessRequest, request_id)
        if row is None:
            raise NotFound(f"There is no subject access request SAR-{request_id}.")
        return row

    def _open_row(self, s: Session, request_id: int) -> SubjectAccessRequest:
        row = self._row(s, request_id)
        if row.closed_at is not None:
            raise Conflict(f"SAR-{request_id} is closed; it can no longer be changed.")
        return row

    def add(
        self,
        token: str,
        requester: str,
        regime: Regime | str,
        received_on: date,
        subject: str = "",
        identity_how: str = "",
    ) -> RequestView:
        """Record a new request; its due date is one month from the day received."""
        actor = self.signin.authorize(token, Action.MANAGE_SUBJECT_ACCESS)
        who = _text(requester, "the requester's name", limit=MAX_NAME)
        law = regime if isinstance(regime, Regime) else parse_regime(regime)
        today = self._today()
        if received_on > today:
            raise InvalidInput(
                f"The request cannot have been received in the future ({received_on:%Y-%m-%d})."
            )
        about = _text(subject, "the subject", required=False, limit=300)
        how = _text(identity_how, "how identity was checked", required=False)
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            row = SubjectAccessRequest(
                requester=who,
                subject=about,
                regime=law.value,
                received_on=received_on.isoformat(),
                identity_checked_at=now if how else None,
                identity_checked_by=actor.username if how else None,
                identity_how=how,
                restrictions="[]",
                created_at=now,
                created_by=actor.username,
            )
            s.add(row)
            s.flush()
            view = view_of(row, today)
            self.ctx.audit.record(
                s,
                actor.username,
                "sar.add",
                f"sar:{row.id}",
                regime=law.value,
                received_on=received_on.isoformat(),
                due_on=view.due_on.isoformat(),
                identity_checked=bool(how),
            )
            return view

    def check_identity(self, token: str, request_id: int, how: str) -> RequestView:
        """Record that the requester's identity was checked, and how."""
        actor = self.signin.authorize(token, Action.MANAGE_SUBJECT_ACCESS)
        text = _text(how, "how identity was checked")
        with self.ctx.db.write() as s:
            row = self._open_row(s, request_id)
            row.identity_checked_at = self.ctx.clock.now()
            row.identity_checked_by = actor.username
            row.identity_how = text
            self.ctx.audit.record(s, actor.username, "sar.identity", f"sar:{row.id}", how=text)
            return view_of(row, self._today())

    def extend(self, token: str, request_id: int, months: int, notice: str) -> RequestView:
        """Extend the time limit by whole months, recording the notice given to the requester."""
        actor = self.signin.authorize(token, Action.MANAGE_SUBJECT_ACCESS)
        said = _text(notice, "the notice given to the requester (when, how, and why)")
        with self.ctx.db.write() as s:
            row = self._open_row(s, request_id)
            check_extension(row.extension_months, months)
            row.extension_months += months
            row.extension_notice = (row.extension_notice + "\n" + said).strip()
            view = view_of(row, self._today())
            self.ctx.audit.record(
                s,
                actor.username,
                "sar.extend",
                f"sar:{row.id}",
                months=months,
                notice=said,
                due_on=view.due_on.isoformat(),
            )
            return view

    def pause(self, token: str, request_id: int, reason: str) -> RequestView:
        """Stop the clock while clarification is awaited from the requester."""
        actor = self.signin.authorize(token, Action.MANAGE_SUBJECT_ACCESS)
        why = _text(reason, "the clarification awaited")
        today = self._today()
        with self.ctx.db.write() as s:
            row = self._open_row(s, request_id)
            if row.paused_since is not None:
                raise Conflict(
                    f"SAR-{request_id}'s clock is already paused (since {row.paused_since})."
                )
            row.paused_since = today.isoformat()
            row.pause_reason = why
            self.ctx.audit.record(s, actor.username, "sar.pause", f"sar:{row.id}", reason=why)
            return view_of(row, today)

    def resume(self, token: str, request_id: int) -> RequestView:
        """Start the clock again; the days paused move the due date on."""
        actor = self.signin.authorize(token, Action.MANAGE_SUBJECT_ACCESS)
        today = self._today()
        with self.ctx.db.write() as s:
            row = self._open_row(s, request_id)
            since = _date(row.paused_since)
            if since is None:
                raise Conflict(f"SAR-{request_id}'s clock is not paused.")
            days = max(0, (today - since).days)
            row.paused_days += days
            row.paused_since = None
            view = view_of(row, today)
            self.ctx.audit.record(
                s,
                actor.username,
                "sar.resume",
                f"sar:{row.id}",
                days_paused=days,
                due_on=view.due_on.isoformat(),
            )
            return view

    def restrict(self, token: str, request_id: int, ground: Ground | str, note: str) -> RequestView:
        """Record a restriction (data withheld, or neither confirm nor deny) and its ground."""
        actor = self.signin.authorize(token, Action.MANAGE_SUBJECT_ACCESS)
        why = ground if isinstance(ground, Ground) else parse_ground(ground)
        text = _text(note, "what is withheld and why")
        with self.ctx.db.write() as s:
            row = self._open_row(s, request_id)
            kept = json.loads(row.restrictions or "[]")
            kept.append(
                {
                    "ground": why.value,
                    "note": text,
                    "at": self.ctx.clock.now().isoformat(),
                    "by": actor.username,
                }
            )
            row.restrictions = json.dumps(kept, ensure_ascii=False)
            self.ctx.audit.record(
                s, actor.username, "sar.restrict", f"sar:{row.id}", ground=why.value, note=text
            )
            return view_of(row, self._today())

    def close(
        self, token: str, request_id: int, outcome: Outcome | str, note: str = ""
    ) -> RequestView:
        """Close a request with its outcome (disclosure needs the identity checked first)."""
        actor = self.signin.authorize(token, Action.MANAGE_SUBJECT_ACCESS)
        result = outcome if isinstance(outcome, Outcome) else parse_outcome(outcome)
        text = _text(note, "a note", required=False)
        with self.ctx.db.write() as s:
            row = self._open_row(s, request_id)
            if (
                result in (Outcome.DISCLOSED, Outcome.DISCLOSED_IN_PART)
                and row.identity_checked_at is None
            ):
                raise Conflict(
                    f"SAR-{request_id} cannot be closed as {result.value}: the requester's "
                    "identity has not been checked (record it with 'sar identity')."
                )
            if result is Outcome.NEITHER_CONFIRM_NOR_DENY and not any(
                r["ground"] == Ground.NEITHER_CONFIRM_NOR_DENY.value
                for r in json.loads(row.restrictions or "[]")
            ):
                raise Conflict(
                    f"SAR-{request_id} cannot be closed as neither confirm nor deny without "
                    "recording that restriction and its reason first ('sar restrict')."
                )
            today = self._today()
            if row.paused_since is not None:  # closing ends any pause
                row.paused_days += max(0, (today - date.fromisoformat(row.paused_since)).days)
                row.paused_since = None
            row.outcome = result.value
            row.outcome_note = text
            row.closed_at = self.ctx.clock.now()
            row.closed_by = actor.username
            view = view_of(row, today)
            self.ctx.audit.record(
                s,
                actor.username,
                "sar.close",
                f"sar:{row.id}",
                outcome=result.value,
                due_on=view.due_on.isoformat(),
                late=today > view.due_on,
            )
            return view

    def get(self, token: str, request_id: int) -> RequestView:
        """One request."""
        self.signin.authorize(token, Action.MANAGE_SUBJECT_ACCESS)
        with self.ctx.db.read() as s:
            return view_of(self._row(s, request_id), self._today())

    def list(self, token: str, open_only: bool = False) -> builtins.list[RequestView]:
        """The register, newest first (only open requests when ``open_only``)."""
        self.signin.authorize(token, Action.MANAGE_SUBJECT_ACCESS)
        query = select(SubjectAccessRequest).order_by(
            SubjectAccessRequest.received_on.desc(), SubjectAccessRequest.id.desc()
        )
        if open_only:
            query = query.where(SubjectAccessRequest.closed_at.is_(None))
        today = self._today()
        with self.ctx.db.read() as s:
            return [view_of(r, today) for r in s.scalars(query)]

    def attention(self, token: str) -> Attention:
        """Open requests overdue or due within a week."""
        self.signin.authorize(token, Action.MANAGE_SUBJECT_ACCESS)
        with self.ctx.db.read() as s:
            return requests_needing_attention(s, self._today())


def handover_notes(s: Session, until: datetime) -> builtins.list[HandoverNoteEntry]:
    """Handover lines for the requests overdue or due within a week (references, no names)."""
    att = requests_needing_attention(s, local_day(until))
    lines = [
        HandoverNoteEntry(
            until,
            "Desk",
            f"Subject access request {v.reference} ({v.regime.label()}) is OVERDUE: it was due "
            f"{v.due_on:%d %b %Y}.",
        )
        for v in att.overdue
    ]
    lines += [
        HandoverNoteEntry(
            until,
            "Desk",
            f"Subject access request {v.reference} ({v.regime.label()}) is due "
            f"{v.due_on:%d %b %Y}.",
        )
        for v in att.due_soon
    ]
    return lines
