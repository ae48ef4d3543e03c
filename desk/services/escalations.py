"""Escalating cases to the people who act on risk, and recording their acknowledgement.

Targets (and their contact details) are kept by administrators. An escalation records the
hand-on document, the case's timeline line and the audit entry in one transaction and moves
the case to *escalated*; it then waits for acknowledgement within its urgency's deadline.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from desk.core.areas import area_key, preferred_first
from desk.core.cases import CaseStatus, next_status
from desk.core.disguised_text import neutralise
from desk.core.errors import Conflict, InvalidInput, NotFound
from desk.core.escalation import (
    DEFAULT_DEADLINES,
    ENGAGEMENT_NOTE,
    KIND_LABELS,
    HandOn,
    TargetKind,
    Urgency,
    deadline_for,
    format_deadlines,
    hand_on_text,
    is_immediate_risk,
    is_overdue,
    parse_deadlines,
    split_risk,
)
from desk.core.roles import Action
from desk.core.thrive import FACTOR_LABELS, FACTORS
from desk.resources import resource_path
from desk.services.areas import case_area, scoped_account_ids
from desk.services.case_work import load_case, must_own
from desk.services.context import DeskContext
from desk.services.settings import desk_heading, protective_marking
from desk.services.signin import SignInService
from desk.services.timeline import record_case_event
from desk.services.views import Actor
from desk.store.tables import (
    Author,
    Case,
    Escalation,
    EscalationTarget,
    Item,
    OfficialAccount,
    ThriveRecord,
)

DEADLINES_SETTING = "escalation_deadlines"
DEFAULT_DEADLINES_TEXT = format_deadlines(DEFAULT_DEADLINES)
_TARGET_FIELDS = ("name", "area", "email", "phone", "instructions")


@dataclass(frozen=True)
class TargetView:
    """An escalation target as people see it."""

    id: int
    kind: TargetKind
    name: str
    area: str
    email: str
    phone: str
    instructions: str
    active: bool

    @property
    def contact(self) -> str:
        """The email and phone, as one line."""
        return " · ".join(p for p in (self.email, self.phone) if p)


@dataclass(frozen=True)
class EscalationView:
    """One escalation and its acknowledgement state."""

    id: int
    case_id: int
    target_id: int
    target_name: str
    kind: TargetKind
    urgency: Urgency
    summary: str
    body: str
    created_at: datetime
    created_by: str
    deadline_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    ack_recorded_by: str | None
    ack_note: str
    overdue: bool
    email: str = ""


@dataclass(frozen=True)
class CaseEscalations:
    """What the case pane shows about escalation and immediate risk for one case."""

    case_id: int
    status: str
    opened_at: datetime
    first_escalated_at: datetime | None
    referred_at: datetime | None
    immediate: bool
    escalations: tuple[EscalationView, ...]

    @property
    def time_to_escalation(self) -> timedelta | None:
        """From arrival to the first escalation (None: not escalated yet)."""
        if self.first_escalated_at is None:
            return None
        return self.first_escalated_at - self.opened_at

    @property
    def waiting(self) -> tuple[EscalationView, ...]:
        """The escalations not yet acknowledged, soonest deadline first."""
        return tuple(
            sorted(
                (e for e in self.escalations if e.acknowledged_at is None),
                key=lambda e: e.deadline_at,
            )
        )


def _target_view(row: EscalationTarget) -> TargetView:
    return TargetView(
        row.id,
        TargetKind(row.kind),
        row.name,
        row.area,
        row.email,
        row.phone,
        row.instructions,
        row.active,
    )


def default_targets() -> list[dict[str, str]]:
    """Return the shipped default targets (resources/escalation_targets.toml)."""
    with resource_path("escalation_targets.toml").open("rb") as fh:
        document = tomllib.load(fh)
    targets: list[dict[str, str]] = []
    for number, entry in enumerate(document.get("target", []), start=1):
        kind = TargetKind(str(entry["kind"]))  # a bad shipped file fails loudly
        targets.append(
            {"kind": kind.value, **{f: str(entry.get(f, "")).strip() for f in _TARGET_FIELDS}}
        )
        if not targets[-1]["name"]:
            raise ValueError(f"escalation_targets.toml: target {number} has no name")
    return targets


def _clean(field: str, value: str) -> str:
    text = value.strip()
    limits = {"name": 200, "area": 100, "email": 320, "phone": 64, "instructions": 4000}
    if len(text) > limits[field]:
        raise InvalidInput(f"The target's {field} can be at most {limits[field]} characters.")
    if field == "email" and text and ("@" not in text or any(c.isspace() for c in text)):
        raise InvalidInput(f"{text!r} is not an email address (it needs an @ and no spaces).")
    return text


class EscalationService:
    """Targets, escalations, acknowledgements and referrals; every change is audited."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    # settings and defaults ---------------------------------------------------------------

    def deadlines(self) -> dict[Urgency, timedelta]:
        """Return the urgency deadlines (the ``escalation_deadlines`` setting)."""
        return parse_deadlines(str(self.ctx.setting(DEADLINES_SETTING, DEFAULT_DEADLINES_TEXT)))

    def install_defaults(self, s: Session, actor: str) -> int:
        """Add the shipped targets that are missing (by kind and area); return how many."""
        have = {(k, a) for k, a in s.execute(select(EscalationTarget.kind, EscalationTarget.area))}
        added = [t for t in default_targets() if (t["kind"], t["area"]) not in have]
        for target in added:
            s.add(EscalationTarget(active=True, **target))
        if added:
            s.flush()
            self.ctx.audit.record(
                s,
                actor,
                "escalation_target.defaults",
                "escalation_targets",
                added=len(added),
                kinds=sorted({t["kind"] for t in added}),
            )
        return len(added)

    # targets -----------------------------------------------------------------------------

    def targets(
        self,
        token: str,
        kind: TargetKind | None = None,
        include_inactive: bool = False,
        case_id: int | None = None,
    ) -> list[TargetView]:
        """Return the targets (of one kind), by kind then area.

        With ``case_id``, the targets of that case's area come first (the escalation form
        offers its neighbourhood team by default).
        """
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            if case_id is not None:
                area = case_area(s, self._case(s, case_id, actor))
                views = self._targets(s, kind, include_inactive)
                return [views[i] for i in preferred_first([v.area for v in views], area)]
            return self._targets(s, kind, include_inactive)

    def _targets(
        self, s: Session, kind: TargetKind | None, include_inactive: bool
    ) -> list[TargetView]:
        query = select(EscalationTarget).order_by(
            EscalationTarget.kind, EscalationTarget.area, EscalationTarget.id
        )
        if kind is not None:
            query = query.where(EscalationTarget.kind == kind.value)
        if not include_inactive:
            query = query.where(EscalationTarget.active.is_(True))
        return [_target_view(r) for r in s.scalars(query)]

    def add_target(self, token: str, kind: TargetKind, name: str, **fields: str) -> TargetView:
        """Add a target (administrators); a kind has one target per area."""
        actor = self.signin.authorize(token, Action.MANAGE_ESCALATION_TARGETS)
        values = {f: _clean(f, fields.get(f, "")) for f in _TARGET_FIELDS if f != "name"}
        values["name"] = _clean("name", name)
        if not values["name"]:
            raise InvalidInput("A target needs a name.")
        if kind is TargetKind.NEIGHBOURHOOD and not values["area"]:
            raise InvalidInput("A neighbourhood team needs its area (--area).")
        with self.ctx.db.write() as s:
            clash = s.scalar(
                select(EscalationTarget).where(
                    EscalationTarget.kind == kind.value, EscalationTarget.area == values["area"]
                )
            )
            if clash is not None:
                where = f" for area {values['area']!r}" if values["area"] else ""
                raise Conflict(
                    f"There is already a {kind.value} target{where} (#{clash.id}, "
                    f"{clash.name}): change it with 'escalation-target set {clash.id}'."
                )
            row = EscalationTarget(kind=kind.value, active=True, **values)
            s.add(row)
            s.flush()
            self.ctx.audit.record(
                s,
                actor.username,
                "escalation_target.add",
                f"escalation_target:{row.id}",
                kind=kind.value,
                **values,
            )
            return _target_view(row)

    def set_target(self, token: str, target_id: int, **fields: str | None) -> TargetView:
        """Change a target's name, area or contact details; give only what changes."""
        actor = self.signin.authorize(token, Action.MANAGE_ESCALATION_TARGETS)
        changes = {f: _clean(f, v) for f, v in fields.items() if v is not None}
        unknown = set(changes) - set(_TARGET_FIELDS)
        if unknown:
            raise InvalidInput(f"Targets have no field {', '.join(sorted(unknown))}.")
        if not changes:
            raise InvalidInput(
                "Say what to change: --name, --area, --email, --phone, --instructions."
            )
        if "name" in changes and not changes["name"]:
            raise InvalidInput("A target needs a name.")
        with self.ctx.db.write() as s:
            row = self._target(s, target_id)
            before = {f: getattr(row, f) for f in changes}
            for field, value in changes.items():
                setattr(row, field, value)
            if row.kind == TargetKind.NEIGHBOURHOOD.value and not row.area:
                raise InvalidInput("A neighbourhood team needs its area.")
            s.flush()
            self.ctx.audit.record(
                s,
                actor.username,
                "escalation_target.change",
                f"escalation_target:{row.id}",
                before=before,
                after=changes,
            )
            return _target_view(row)

    def set_active(self, token: str, target_id: int, active: bool) -> TargetView:
        """Disable a target (no longer offered) or enable it again."""
        actor = self.signin.authorize(token, Action.MANAGE_ESCALATION_TARGETS)
        with self.ctx.db.write() as s:
            row = self._target(s, target_id)
            if row.active == active:
                state = "active" if active else "disabled"
                raise Conflict(f"Target #{target_id} ({row.name}) is already {state}.")
            row.active = active
            self.ctx.audit.record(
                s,
                actor.username,
                "escalation_target.enable" if active else "escalation_target.disable",
                f"escalation_target:{row.id}",
                name=row.name,
            )
            return _target_view(row)

    def _target(self, s: Session, target_id: int) -> EscalationTarget:
        row = s.get(EscalationTarget, target_id)
        if row is None:
            raise NotFound(f"There is no escalation target #{target_id}.")
        return row

    def _choose_target(
        self, s: Session, kind: TargetKind, target_id: int | None, area: str, case_area: str = ""
    ) -> EscalationTarget:
        """The target given, else the kind's one for ``area``, else the case's area's one.

        Without an area said, a case on an area's account goes to that area's target of the
        kind (its neighbourhood team) when there is one.
        """
        if target_id is not None:
            row = self._target(s, target_id)
            if row.kind != kind.value:
                raise InvalidInput(
                    f"Target #{target_id} ({row.name}) is a {row.kind} target, not {kind.value}."
                )
        else:
            query = select(EscalationTarget).where(
                EscalationTarget.kind == kind.value, EscalationTarget.active.is_(True)
            )
            rows = list(s.scalars(query.order_by(EscalationTarget.area)))
            if area.strip():
                rows = [r for r in rows if area_key(r.area) == area_key(area)]
            elif case_area.strip() and len(rows) > 1:
                own = [r for r in rows if area_key(r.area) == area_key(case_area)]
                rows = own or rows
            if not rows:
                where = f" for area {area.strip()!r}" if area.strip() else ""
                raise NotFound(
                    f"There is no active {kind.value} target{where}: an administrator adds one "
                    "with 'desk-admin escalation-target add'."
                )
            if len(rows) > 1:
                areas = ", ".join(r.area or "(none)" for r in rows)
                raise InvalidInput(f"Choose the area for the {kind.value} target: {areas}.")
            row = rows[0]
        if not row.active:
            raise Conflict(f"Target #{row.id} ({row.name}) is disabled.")
        return row

    # the hand-on document ----------------------------------------------------------------

    def _hand_on(
        self,
        s: Session,
        case: Case,
        target: EscalationTarget,
        urgency: Urgency,
        summary: str,
        by: str,
        at: datetime,
        note: str = "",
    ) -> HandOn:
        first = s.scalar(
            select(Item).where(Item.case_id == case.id).order_by(Item.received_at, Item.id)
        )
        author = s.get(Author, case.author_id)
        account = s.get(OfficialAccount, case.official_account_id)
        thrive = s.scalar(
            select(ThriveRecord)
            .where(ThriveRecord.case_id == case.id)
            .order_by(ThriveRecord.version.desc())
        )
        items = list(
            s.scalars(select(Item).where(Item.case_id == case.id).order_by(Item.received_at))
        )
        who = ""
        if author is not None:
            who = author.handle
            if author.display_name and author.display_name != author.handle:
                who = f"{author.display_name} ({author.handle})"
        return HandOn(
            case_id=case.id,
            target_name=target.name,
            target_kind=TargetKind(target.kind),
            urgency=urgency,
            summary=summary,
            # disguising characters as tokens (issue 17): a hand-on never hides or reorders text
            item_text="\n\n".join(neutralise(i.text) for i in items) if items else "",
            link=(first.link or "") if first is not None else "",
            author=who,
            platform=case.platform,
            account=account.handle if account is not None else "",
            opened_at=case.opened_at,
            escalated_at=at,
            deadline_at=deadline_for(urgency, at, self.deadlines()),
            escalated_by=by,
            desk_name=desk_heading(self.ctx),
            marking=protective_marking(self.ctx),
            risk=split_risk(case.risk),
            grade=case.grade,
            thrive=tuple((FACTOR_LABELS[f], str(getattr(thrive, f))) for f in FACTORS)
            if thrive is not None
            else (),
            area=target.area,
            contact=" · ".join(p for p in (target.email, target.phone) if p),
            instructions=target.instructions,
            note=note,
        )

    def preview(
        self,
        token: str,
        case_id: int,
        kind: TargetKind,
        urgency: Urgency,
        summary: str,
        target_id: int | None = None,
        area: str = "",
    ) -> tuple[HandOn, str]:
        """Return the hand-on document as it would be sent now, and the target's email."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            case = self._case(s, case_id, actor)
            target = self._choose_target(s, kind, target_id, area, case_area(s, case))
            doc = self._hand_on(
                s,
                case,
                target,
                urgency,
                summary.strip() or case.summary,
                actor.username,
                self.ctx.clock.now(),
            )
            return doc, target.email

    # escalating --------------------------------------------------------------------------

    def _case(self, s: Session, case_id: int, actor: Actor) -> Case:
        return load_case(s, case_id, actor)  # refuses a case outside the actor's areas

    def _must_own(self, s: Session, actor: Actor, case: Case) -> None:
        """The same rule as case work: the owner, or someone who may reassign cases."""
        must_own(s, actor, case, "escalating")

    def _event(
        self, s: Session, case: Case, actor: str, kind: str, text: str, **details: Any
    ) -> None:
        """The timeline line and its audit entry (see :func:`record_case_event`)."""
        record_case_event(s, self.ctx, actor, case.id, kind, text, **details)

    def _escalate(
        self,
        s: Session,
        actor: Actor,
        case: Case,
        target: EscalationTarget,
        urgency: Urgency,
        summary: str,
        note: str = "",
    ) -> Escalation:
        self._must_own(s, actor, case)
        status = next_status("escalate", CaseStatus(case.status))
        now = self.ctx.clock.now()
        text = summary.strip() or case.summary
        if len(text) > 500:
            raise InvalidInput(f"The summary can be at most 500 characters (it has {len(text)}).")
        doc = self._hand_on(s, case, target, urgency, text, actor.username, now, note)
        row = Escalation(
            case_id=case.id,
            target_id=target.id,
            kind=target.kind,
            urgency=urgency.value,
            summary=text,
            body=hand_on_text(doc),
            created_at=now,
            created_by=actor.username,
            deadline_at=doc.deadline_at,
        )
        s.add(row)
        s.flush()
        case.status = status.value
        if case.first_escalated_at is None:
            case.first_escalated_at = now
        if case.first_action_at is None:
            case.first_action_at = now
        where = f" ({target.area})" if target.area else ""
        self._event(
            s,
            case,
            actor.username,
            "escalate",
            f"escalated to {target.name}{where} · {urgency.value}: {text}",
            audit_details={
                "escalation": row.id,
                "target": target.id,
                "kind": target.kind,
                "urgency": urgency.value,
                "deadline": doc.deadline_at.isoformat(),
            },
            escalation=row.id,
        )
        return row

    def escalate(
        self,
        token: str,
        case_id: int,
        kind: TargetKind,
        urgency: Urgency,
        summary: str,
        target_id: int | None = None,
        area: str = "",
    ) -> EscalationView:
        """Escalate a case: record it, move the case to escalated, audit it (one transaction)."""
        actor = self.signin.authorize(token, Action.WORK_CASES)
        if kind is TargetKind.INVESTIGATIONS:
            raise InvalidInput("Refer content for investigation with 'refer to investigations'.")
        with self.ctx.db.write() as s:
            case = self._case(s, case_id, actor)
            target = self._choose_target(s, kind, target_id, area, case_area(s, case))
            row = self._escalate(s, actor, case, target, urgency, summary)
            return self._view(s, row, target)

    def refer_to_investigations(self, token: str, case_id: int, reason: str) -> EscalationView:
        """Refer content that needs investigation; the case is marked referred."""
        actor = self.signin.authorize(token, Action.WORK_CASES)
        why = reason.strip()
        if not why:
            raise InvalidInput("Say why the content needs investigation.")
        with self.ctx.db.write() as s:
            case = self._case(s, case_id, actor)
            if case.referred_at is not None:
                raise Conflict(
                    f"Case #{case_id} was already referred to investigations "
                    f"({case.referred_at:%d %b %H:%M} UTC)."
                )
            target = self._choose_target(s, TargetKind.INVESTIGATIONS, None, "")
            row = self._escalate(s, actor, case, target, Urgency.TODAY, why, note=ENGAGEMENT_NOTE)
            case.referred_at = self.ctx.clock.now()
            self._event(s, case, actor.username, "refer", ENGAGEMENT_NOTE, escalation=row.id)
            return self._view(s, row, target)

    def acknowledge(
        self,
        token: str,
        escalation_id: int,
        acknowledged_by: str,
        note: str = "",
        at: datetime | None = None,
    ) -> EscalationView:
        """Record who at the target acknowledged, and when (default: now)."""
        actor = self.signin.authorize(token, Action.WORK_CASES)
        who = " ".join(acknowledged_by.split())
        if not who:
            raise InvalidInput("Say who acknowledged (name, and collar or staff number).")
        if len(who) > 200:
            raise InvalidInput("Who acknowledged can be at most 200 characters.")
        now = self.ctx.clock.now()
        when = at or now
        if when.tzinfo is None:
            raise InvalidInput("The acknowledgement time needs a time zone.")
        if when > now + timedelta(minutes=1):
            raise InvalidInput("The acknowledgement time cannot be in the future.")
        with self.ctx.db.write() as s:
            row = s.get(Escalation, escalation_id)
            if row is None:
                raise NotFound(f"There is no escalation #{escalation_id}.")
            if row.acknowledged_at is not None:
                raise Conflict(
                    f"Escalation #{escalation_id} was already acknowledged by "
                    f"{row.acknowledged_by} ({row.acknowledged_at:%d %b %H:%M} UTC)."
                )
            if when < row.created_at:
                raise InvalidInput(
                    f"The acknowledgement cannot be before the escalation "
                    f"({row.created_at:%d %b %H:%M} UTC)."
                )
            row.acknowledged_at = when
            row.acknowledged_by = who
            row.ack_recorded_by = actor.username
            row.ack_note = note.strip()
            case = self._case(s, row.case_id, actor)
            late = " (after its deadline)" if when > row.deadline_at else ""
            self._event(
                s,
                case,
                actor.username,
                "escalation_ack",
                f"escalation #{row.id} acknowledged by {who}{late}"
                + (f": {row.ack_note}" if row.ack_note else ""),
                audit_action="escalation.acknowledge",
                audit_object=f"escalation:{row.id}",
                audit_details={
                    "case": row.case_id,
                    "by": who,
                    "at": when.isoformat(),
                    "late": bool(late),
                },
                escalation=row.id,
            )
            return self._view(s, row, self._target(s, row.target_id))

    # reading -----------------------------------------------------------------------------

    def _view(
        self, s: Session, row: Escalation, target: EscalationTarget | None = None
    ) -> EscalationView:
        target = target or s.get(EscalationTarget, row.target_id)
        return EscalationView(
            id=row.id,
            case_id=row.case_id,
            target_id=row.target_id,
            target_name=target.name if target is not None else f"target #{row.target_id}",
            kind=TargetKind(row.kind),
            urgency=Urgency(row.urgency),
            summary=row.summary,
            body=row.body,
            created_at=row.created_at,
            created_by=row.created_by,
            deadline_at=row.deadline_at,
            acknowledged_at=row.acknowledged_at,
            acknowledged_by=row.acknowledged_by,
            ack_recorded_by=row.ack_recorded_by,
            ack_note=row.ack_note,
            overdue=is_overdue(row.deadline_at, row.acknowledged_at, self.ctx.clock.now()),
            email=target.email if target is not None else "",
        )

    @staticmethod
    def _scoped(s: Session, actor: Actor, query: Select[Any]) -> Select[Any]:
        """Keep only escalations of cases within the actor's areas (all for the whole force)."""
        ids = scoped_account_ids(s, actor.scope)
        if ids is None:
            return query
        return query.join(Case, Case.id == Escalation.case_id).where(
            Case.official_account_id.in_(ids)
        )

    def waiting(self, token: str) -> list[EscalationView]:
        """Return the unacknowledged escalations, soonest deadline first (overdue flagged)."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            query = select(Escalation).where(Escalation.acknowledged_at.is_(None))
            query = self._scoped(s, actor, query)
            rows = s.scalars(query.order_by(Escalation.deadline_at, Escalation.id))
            return [self._view(s, r) for r in rows]

    def listing(self, token: str, limit: int = 200) -> list[EscalationView]:
        """Return the latest escalations, newest first."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            query = self._scoped(s, actor, select(Escalation))
            rows = s.scalars(query.order_by(Escalation.id.desc()).limit(limit))
            return [self._view(s, r) for r in rows]

    def waiting_counts(self, token: str) -> tuple[int, int]:
        """Return (unacknowledged, of which overdue): the status bar's flag."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        now = self.ctx.clock.now()
        with self.ctx.db.read() as s:
            waiting = Escalation.acknowledged_at.is_(None)
            counting = self._scoped(s, actor, select(func.count()).select_from(Escalation))
            total = s.scalar(counting.where(waiting)) or 0
            late = s.scalar(counting.where(waiting, Escalation.deadline_at < now)) or 0
            return total, late

    def overdue_cases(self, token: str) -> frozenset[int]:
        """Return the cases with an escalation past its deadline and not acknowledged (⚑)."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        now = self.ctx.clock.now()
        with self.ctx.db.read() as s:
            query = select(Escalation.case_id).where(
                Escalation.acknowledged_at.is_(None), Escalation.deadline_at < now
            )
            rows = s.scalars(self._scoped(s, actor, query).distinct())
            return frozenset(rows)

    def for_case(self, token: str, case_id: int) -> list[EscalationView]:
        """Return a case's escalations, oldest first."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            self._case(s, case_id, actor)
            rows = s.scalars(
                select(Escalation).where(Escalation.case_id == case_id).order_by(Escalation.id)
            )
            return [self._view(s, r) for r in rows]

    def case_state(self, token: str, case_id: int) -> CaseEscalations:
        """Return the case pane's escalation facts: immediate risk, timings, escalations."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            case = self._case(s, case_id, actor)
            rows = s.scalars(
                select(Escalation).where(Escalation.case_id == case_id).order_by(Escalation.id)
            )
            return CaseEscalations(
                case_id=case.id,
                status=case.status,
                opened_at=case.opened_at,
                first_escalated_at=case.first_escalated_at,
                referred_at=case.referred_at,
                immediate=is_immediate_risk(case.grade, split_risk(case.risk)),
                escalations=tuple(self._view(s, r) for r in rows),
            )


def kind_label(kind: TargetKind) -> str:
    """Return a kind's label (for the command line)."""
    return KIND_LABELS[kind]
