"""Working a case: claim, release, reassign, notes, THRIVE, redaction, close and re-open."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, delete, func, select, update
from sqlalchemy.orm import Session

from desk.core.areas import Scope, belongs_to, load_areas
from desk.core.cases import CaseStatus, Outcome, next_status
from desk.core.errors import Conflict, InvalidInput, NotFound
from desk.core.grouping import case_summary
from desk.core.roles import Action, Role, may
from desk.core.thrive import (
    DEFAULT_GRADES,
    FACTORS,
    Grade,
    check_assessment,
    format_risk_seen,
    needs_thrive,
    parse_grades,
)
from desk.services.account_register import ensure_engagement_account
from desk.services.areas import case_area
from desk.services.case_work import check_version, load_case, must_own, owner_name
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.services.timeline import record_case_event
from desk.services.unacknowledged import Waiting, despite_text, waiting_escalations
from desk.services.unacknowledged import refusal as unacknowledged_refusal
from desk.services.views import Actor
from desk.store import change_listener
from desk.store.tables import Account, Case, CaseViewer, Item, ThriveRecord

VIEWER_FRESH = timedelta(seconds=90)
REDACTED = "[redacted]"


class CaseService:
    """Every change here is one unit of work with its timeline line and audit entry."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    # helpers -----------------------------------------------------------------------------

    def _case(self, s: Session, case_id: int, actor: Actor) -> Case:
        return load_case(s, case_id, actor)  # refuses a case outside the actor's areas

    def _record(
        self, s: Session, actor: Actor, case: Case, kind: str, text: str = "", **details: Any
    ) -> None:
        record_case_event(s, self.ctx, actor.username, case.id, kind, text, **details)

    def _owner_name(self, s: Session, case: Case) -> str:
        return owner_name(s, case)

    def _must_own(self, s: Session, actor: Actor, case: Case) -> None:
        # supervisors may act on any case; releasing, closing and redacting stay possible on
        # an investigations account's case (claim and THRIVE check it themselves)
        must_own(s, actor, case, engagement=False)

    def _first_action(self, case: Case) -> None:
        if case.first_action_at is None:
            case.first_action_at = self.ctx.clock.now()

    # moves -------------------------------------------------------------------------------

    def claim(self, token: str, case_id: int, *, expected_version: int | None = None) -> None:
        """Take a new case; exactly one of two people claiming at once gets it.

        ``expected_version``: the case's version the person was looking at (see
        :func:`~desk.services.case_work.check_version`); None skips that check.
        """
        actor = self.signin.authorize(token, Action.WORK_CASES)
        now = self.ctx.clock.now()
        claimed = next_status("claim", CaseStatus.NEW)  # only a new case can be claimed
        with self.ctx.db.write() as s:
            ensure_engagement_account(s, self._case(s, case_id, actor).official_account_id)
            # The conditional update is the claim: it succeeds for one claimer only (on
            # PostgreSQL a second claimer's UPDATE waits for the first and then matches nothing).
            unchanged = () if expected_version is None else (Case.version == expected_version,)
            result = s.execute(
                update(Case)
                .where(
                    and_(
                        Case.id == case_id,
                        Case.owner_id.is_(None),
                        Case.status == CaseStatus.NEW.value,
                        *unchanged,
                    )
                )
                .values(
                    owner_id=actor.account_id,
                    status=claimed.value,
                    claimed_at=now,
                    version=Case.version + 1,
                )
                .execution_options(synchronize_session=False)
            )
            case = self._case(s, case_id, actor)
            if cast(CursorResult[Any], result).rowcount != 1:
                s.refresh(case)
                if case.status == CaseStatus.CLOSED.value:
                    raise Conflict(f"Case #{case_id} is closed: re-open it to work on it.")
                if case.owner_id == actor.account_id:
                    raise Conflict(f"You already own case #{case_id}.")
                if case.owner_id is not None:
                    since = (
                        case.claimed_at.strftime("%d %b %H:%M") if case.claimed_at else "earlier"
                    )
                    raise Conflict(
                        f"Case #{case_id} is already owned by {self._owner_name(s, case)} "
                        f"(claimed {since} UTC)."
                    )
                check_version(s, case, expected_version)
                raise Conflict(f"Case #{case_id} is {case.status}: it cannot be claimed.")
            s.refresh(case)
            self._record(s, actor, case, "claim", "claimed")

    def release(self, token: str, case_id: int, *, expected_version: int | None = None) -> None:
        """Give a case back to the queue (its owner, or a supervisor)."""
        actor = self.signin.authorize(token, Action.WORK_CASES)
        with self.ctx.db.write() as s:
            case = self._case(s, case_id, actor)
            if case.owner_id is None:
                raise Conflict(f"Case #{case_id} has no owner.")
            self._must_own(s, actor, case)
            check_version(s, case, expected_version)  # after the plainer refusals
            previous = self._owner_name(s, case)
            case.status = next_status("release", CaseStatus(case.status)).value
            case.owner_id = None
            case.claimed_at = None
            self._record(s, actor, case, "release", f"released (was {previous})", owner=previous)

    def reassign(
        self, token: str, case_id: int, username: str, *, expected_version: int | None = None
    ) -> None:
        """Give a case to someone else (supervisors)."""
        actor = self.signin.authorize(token, Action.REASSIGN_CASES)
        with self.ctx.db.write() as s:
            case = self._case(s, case_id, actor)
            if case.status == CaseStatus.CLOSED.value:
                raise Conflict(f"Case #{case_id} is closed: re-open it first.")
            target = s.scalar(select(Account).where(Account.username == username.strip().lower()))
            if target is None or not target.active:
                raise NotFound(f"There is no active account called {username.strip()!r}.")
            if not may(Role(target.role), Action.WORK_CASES):
                raise InvalidInput(f"{target.username} ({target.role}) does not work cases.")
            area, their = case_area(s, case), Scope(load_areas(target.areas))
            if not their.covers(area):
                raise InvalidInput(
                    f"Case #{case_id} belongs to {belongs_to(area)}, and {target.username} "
                    f"works {their.label()}: give it to someone who works its area."
                )
            check_version(s, case, expected_version)
            previous = self._owner_name(s, case)
            case.owner_id = target.id
            case.claimed_at = self.ctx.clock.now()
            if case.status == CaseStatus.NEW.value:
                case.status = next_status("claim", CaseStatus.NEW).value
            self._record(
                s,
                actor,
                case,
                "reassign",
                f"reassigned from {previous} to {target.username}",
                previous=previous,
                owner=target.username,
            )

    def assignable(self, token: str) -> list[tuple[str, str, tuple[str, ...]]]:
        """Return who a case can be given to: (username, name, languages) of active workers."""
        self.signin.authorize(token, Action.REASSIGN_CASES)
        with self.ctx.db.read() as s:
            people = s.scalars(
                select(Account).where(Account.active.is_(True)).order_by(Account.username)
            )
            return [
                (a.username, a.display_name, tuple(a.languages.split(",")))
                for a in people
                if may(Role(a.role), Action.WORK_CASES)
            ]

    def add_note(self, token: str, case_id: int, note: str) -> None:
        """Add a note to a case's timeline."""
        actor = self.signin.authorize(token, Action.WORK_CASES)
        text = note.strip()
        if not text:
            raise InvalidInput("A note cannot be empty.")
        if len(text) > 10_000:
            raise InvalidInput(f"A note can be at most 10,000 characters (this has {len(text)}).")
        with self.ctx.db.write() as s:
            case = self._case(s, case_id, actor)
            self._record(s, actor, case, "note", text)

    def grades(self) -> tuple[Grade, ...]:
        """Return this force's THRIVE grade catalogue (the `thrive_grades` setting)."""
        text = self.ctx.setting("thrive_grades", "")
        return parse_grades(text) if text else DEFAULT_GRADES

    def assess(
        self,
        token: str,
        case_id: int,
        values: dict[str, str],
        *,
        expected_version: int | None = None,
    ) -> int:
        """Record a THRIVE assessment (a new version each time); return its version.

        The grade's response target, counted from arrival, brings the case's due time forward
        when it is sooner.
        """
        actor = self.signin.authorize(token, Action.WORK_CASES)
        grades = self.grades()
        assessment = check_assessment(values, grades)
        target = next(g.target for g in grades if g.code == assessment.grade)
        with self.ctx.db.write() as s:
            case = self._case(s, case_id, actor)
            ensure_engagement_account(s, case.official_account_id)
            self._must_own(s, actor, case)
            check_version(s, case, expected_version)
            version = (
                s.scalar(
                    select(func.max(ThriveRecord.version)).where(ThriveRecord.case_id == case_id)
                )
                or 0
            ) + 1
            s.add(
                ThriveRecord(
                    case_id=case_id,
                    version=version,
                    at=self.ctx.clock.now(),
                    actor=actor.username,
                    grade=assessment.grade,
                    risk_seen=format_risk_seen(assessment.risk_seen),
                    **{f: getattr(assessment, f) for f in FACTORS},
                )
            )
            case.grade = assessment.grade
            case.needs_assessment = False
            case.due_at = min(case.due_at, case.opened_at + target)
            self._record(
                s,
                actor,
                case,
                "assess",
                f"THRIVE v{version}: {assessment.grade}",
                version=version,
                grade=assessment.grade,
                risk_seen=format_risk_seen(assessment.risk_seen),
            )
            return version

    def _close(self, s: Session, actor: Actor, case: Case, outcome: Outcome, note: str) -> None:
        if needs_thrive(case.risk.split(","), case.grade, case.needs_assessment):
            raise Conflict(
                f"Case #{case.id} matched a risk rule: record a THRIVE assessment before "
                "closing it."
            )
        case.status = next_status("close", CaseStatus(case.status)).value
        case.outcome = outcome.value
        case.closed_at = self.ctx.clock.now()
        self._first_action(case)
        self._record(
            s,
            actor,
            case,
            "close",
            note.strip() or f"closed: {outcome.value}",
            outcome=outcome.value,
        )

    def close(
        self,
        token: str,
        case_id: int,
        outcome: Outcome,
        note: str = "",
        *,
        despite_unacknowledged: bool = False,
        expected_version: int | None = None,
    ) -> None:
        """Close a case with its outcome (a risky case needs THRIVE first).

        Escalations still awaiting acknowledgement refuse it (``UnacknowledgedEscalations``)
        unless the caller says it knows (``despite_unacknowledged``), which is recorded.
        """
        actor = self.signin.authorize(token, Action.WORK_CASES)
        with self.ctx.db.write() as s:
            case = self._case(s, case_id, actor)
            self._must_own(s, actor, case)
            check_version(s, case, expected_version)
            waiting = waiting_escalations(s, case.id)
            if waiting and not despite_unacknowledged:
                raise unacknowledged_refusal(case.id, waiting)
            self._close(s, actor, case, outcome, note)
            self._closed_despite(s, actor, case, waiting)

    def _closed_despite(self, s: Session, actor: Actor, case: Case, waiting: list[Waiting]) -> None:
        """Record on the timeline that ``case`` was closed despite ``waiting`` (if any)."""
        if waiting:
            self._record(
                s,
                actor,
                case,
                "close_despite_unacknowledged",
                despite_text(waiting),
                despite_unacknowledged=[w.id for w in waiting],
            )

    def close_many(
        self,
        token: str,
        case_ids: list[int],
        outcome: Outcome,
        note: str,
        *,
        despite_unacknowledged: bool = False,
    ) -> int:
        """Close a group as one action: all or none; unowned cases are claimed first.

        As for one case, escalations awaiting acknowledgement refuse the whole group unless
        the caller says it knows (``despite_unacknowledged``), which each case records.
        """
        actor = self.signin.authorize(token, Action.WORK_CASES)
        with self.ctx.db.write() as s:
            for case_id in dict.fromkeys(case_ids):
                case = self._case(s, case_id, actor)
                waiting = waiting_escalations(s, case.id)
                if waiting and not despite_unacknowledged:
                    raise unacknowledged_refusal(case.id, waiting)
                if case.owner_id is None and case.status == CaseStatus.NEW.value:
                    case.owner_id = actor.account_id
                    case.claimed_at = self.ctx.clock.now()
                    case.status = next_status("claim", CaseStatus.NEW).value
                    self._record(s, actor, case, "claim", "claimed (group action)")
                self._must_own(s, actor, case)
                self._close(s, actor, case, outcome, note or "closed with its group")
                self._closed_despite(s, actor, case, waiting)
        return len(dict.fromkeys(case_ids))

    def reopen(
        self, token: str, case_id: int, reason: str, *, expected_version: int | None = None
    ) -> None:
        """Re-open a closed case; the re-opener owns it."""
        actor = self.signin.authorize(token, Action.WORK_CASES)
        if not reason.strip():
            raise InvalidInput("Say why the case is re-opened.")
        with self.ctx.db.write() as s:
            case = self._case(s, case_id, actor)
            reopened = next_status("reopen", CaseStatus(case.status))
            check_version(s, case, expected_version)
            case.status = reopened.value
            case.owner_id = actor.account_id
            case.claimed_at = self.ctx.clock.now()
            previous = case.outcome
            case.outcome = None
            case.closed_at = None
            self._record(s, actor, case, "reopen", reason.strip(), previous_outcome=previous)

    def redact(
        self,
        token: str,
        item_id: int,
        start: int,
        end: int,
        reason: str,
        *,
        expected_version: int | None = None,
    ) -> None:
        """Replace personal data inside an item's stored text; who and why are recorded."""
        actor = self.signin.authorize(token, Action.WORK_CASES)
        if not reason.strip():
            raise InvalidInput("Say why the text is redacted.")
        with self.ctx.db.write() as s:
            item = s.get(Item, item_id)
            if item is None:
                raise NotFound(f"There is no item #{item_id}.")
            if not 0 <= start < end <= len(item.text):
                raise InvalidInput(
                    f"Characters {start} to {end} are outside the item's text "
                    f"({len(item.text)} characters)."
                )
            case = self._case(s, item.case_id, actor)
            self._must_own(s, actor, case)
            check_version(s, case, expected_version)
            item.text = item.text[:start] + REDACTED + item.text[end:]
            item.redacted = True
            item.matches = "[]"  # spans into the old text no longer hold
            first = s.scalar(
                select(Item.id).where(Item.case_id == case.id).order_by(Item.received_at, Item.id)
            )
            if first == item.id:  # the queue row shows the first item's first line
                case.summary = case_summary(item.text)
            self._record(
                s,
                actor,
                case,
                "redact",
                f"redacted {end - start} characters: {reason.strip()}",
                item=item_id,
                length=end - start,
                reason=reason.strip(),
            )

    # presence ----------------------------------------------------------------------------

    def viewing(self, token: str, case_id: int | None) -> None:
        """Say which case this session is looking at now (None: none)."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.write() as s:
            s.execute(delete(CaseViewer).where(CaseViewer.session_id == actor.session_id))
            if case_id is not None:
                s.add(
                    CaseViewer(
                        session_id=actor.session_id,
                        case_id=case_id,
                        username=actor.username,
                        seen_at=self.ctx.clock.now(),
                    )
                )
            change_listener.presence_changed(s)  # other workstations show who looks where

    def viewers(self, token: str, case_ids: list[int]) -> dict[int, list[str]]:
        """Return who else is looking at each of these cases right now."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        fresh = self.ctx.clock.now() - VIEWER_FRESH
        with self.ctx.db.read() as s:
            rows = s.execute(
                select(CaseViewer.case_id, CaseViewer.username).where(
                    CaseViewer.case_id.in_(case_ids),
                    CaseViewer.seen_at >= fresh,
                    CaseViewer.session_id != actor.session_id,
                )
            )
            found: dict[int, list[str]] = {}
            for case_id, username in rows:
                found.setdefault(case_id, []).append(username)
            return found
