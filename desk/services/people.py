"""Movers and leavers, the access review, and the sign-in events supervisors are alerted to.

A role change ends the person's sessions, so that their next window or command is built for
the new role. Disabling a leaver is immediate and total, in one transaction: their sessions
end, their password verifier and sealed authenticator seed are destroyed (re-enabling needs a
fresh password and enrolment), and their open cases go back to the queue or to a named person.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.auth.passwords import DESTROYED
from desk.auth.totp import new_seed, provisioning_uri
from desk.core import signin_policy as policy
from desk.core.areas import Scope, belongs_to, load_areas
from desk.core.cases import OPEN_STATUS_CODES, CaseStatus, next_status
from desk.core.errors import Conflict, InvalidInput, NotFound
from desk.core.password_policy import password_problem
from desk.core.roles import Action, Role, may, may_approve_access, role_name
from desk.resources import common_passwords
from desk.services.areas import case_area
from desk.services.context import DeskContext
from desk.services.leavers import open_review
from desk.services.signin import SignInService, totp_label
from desk.services.timeline import record_case_event
from desk.services.usernames import canonical_username, loggable_username
from desk.services.views import Actor, Enrolment
from desk.store.tables import Account, AuditEntry, Case

RELEASE = "release"
REASSIGN = "reassign"
CASE_CHOICES = (RELEASE, REASSIGN)
# how many sign-in alerts one poll hands back at most (the rest are counted)
ALERT_BATCH = 50


@dataclass(frozen=True)
class AccessReviewRow:
    """One account as the access review shows it."""

    username: str
    display_name: str
    role: Role
    active: bool
    created_at: datetime
    disabled_at: datetime | None
    last_login_at: datetime | None
    approved_by: str
    role_changed_at: datetime | None
    under_investigation: bool
    locked: bool
    open_cases: int


@dataclass(frozen=True)
class LeaverResult:
    """What disabling a person did."""

    username: str
    sessions_ended: int
    released: tuple[int, ...]
    reassigned: tuple[int, ...]
    reassigned_to: str | None
    under_investigation: bool


@dataclass(frozen=True)
class SignInAlert:
    """A sign-in event a supervisor should hear about at once."""

    seq: int
    at: str
    kind: str  # "lock", "failures" (repeated failures), "alert" (signed in after failures)
    username: str
    failures: int


@dataclass(frozen=True)
class AlertBatch:
    """The alerts after a sequence number, and where the next poll starts."""

    last_seq: int
    alerts: tuple[SignInAlert, ...]
    more: int = 0


def _details(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def alert_of(seq: int, at: str, action: str, obj: str, details: str) -> SignInAlert | None:
    """Return the alert an audit entry raises, or None when it raises none."""
    values = _details(details)
    failures = int(values.get("failures", 0) or 0)
    username = obj.removeprefix("account:")
    if action == "signin.lock":
        return SignInAlert(seq, at, "lock", username, failures)
    if action == "signin.alert":
        return SignInAlert(seq, at, "alert", username, failures)
    if action == "signin.failure" and failures == policy.ALERT_AFTER:
        # once per run of failures: the run that reaches the alert threshold
        return SignInAlert(seq, at, "failures", username, failures)
    return None


class PeopleService:
    """Role changes, leavers and their return, the access review, sign-in alerts."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    # helpers -----------------------------------------------------------------------------

    def _acting(self, token: str) -> Actor:
        return self.signin.authorize(token, Action.MANAGE_USERS)

    @staticmethod
    def _get(s: Session, username: str) -> Account:
        acct = s.scalar(select(Account).where(Account.username == username.strip().lower()))
        if acct is None:
            raise NotFound(f"There is no account called {username.strip()!r}.")
        return acct

    @staticmethod
    def _active_admins(s: Session) -> int:
        return (
            s.scalar(
                select(func.count())
                .select_from(Account)
                .where(Account.active.is_(True), Account.role == Role.ADMINISTRATOR.value)
            )
            or 0
        )

    def _case_line(
        self, s: Session, actor: str, case: Case, kind: str, text: str, **details: Any
    ) -> None:
        record_case_event(s, self.ctx, actor, case.id, kind, text, **details)

    # movers ------------------------------------------------------------------------------

    def change_role(
        self, token: str, username: str, role: Role, approved_by: str | None = None
    ) -> int:
        """Give a person a new role; end their sessions so it applies at once.

        ``approved_by`` is the username of who approved the change: an active supervisor or
        administrator other than the person changed (the acting administrator when not given).
        The audit entry is the acting administrator's: they record it. Returns how many
        sessions were ended.
        """
        actor = self._acting(token)
        with self.ctx.db.write() as s:
            acct = self._get(s, username)
            approver = self._approver(s, approved_by, actor, acct)
            if acct.role == role.value:
                raise Conflict(f"{acct.username!r} is already {role.value}.")
            if (
                acct.active
                and acct.role == Role.ADMINISTRATOR.value
                and self._active_admins(s) <= 1
            ):
                raise Conflict(
                    f"{acct.username!r} is the last active administrator: "
                    "make someone else an administrator first."
                )
            before = acct.role
            acct.role = role.value
            acct.role_changed_at = self.ctx.clock.now()
            acct.approved_by = approver
            self.ctx.audit.record(
                s,
                actor.username,
                "account.role",
                f"account:{acct.username}",
                before=before,
                after=role.value,
                approved_by=approver,
            )
            return self.signin.end_sessions_of(s, acct, "role_changed")

    @staticmethod
    def _approver(s: Session, named: str | None, actor: Actor, changed: Account) -> str:
        """Return the approver's username: a real, active account that may approve access."""
        typed = (named or "").strip()
        if not typed:
            return actor.username
        found = s.scalar(select(Account).where(Account.username == canonical_username(typed)))
        if found is None:
            raise InvalidInput(
                f"The approver {loggable_username(typed)!r} is not an account on this desk: "
                "name the approver by their username."
            )
        if not found.active:
            raise InvalidInput(f"The approver {found.username!r} is disabled: name someone active.")
        if found.id == changed.id:
            raise InvalidInput(
                f"{found.username!r} cannot approve a change to their own role: name someone else."
            )
        if not may_approve_access(Role(found.role)):
            raise InvalidInput(
                f"The approver {found.username!r} is {role_name(Role(found.role))}: role changes "
                "are approved by a supervisor or an administrator."
            )
        return found.username

    # leavers -----------------------------------------------------------------------------

    def disable(
        self,
        token: str,
        username: str,
        cases: str = RELEASE,
        to: str | None = None,
        under_investigation: bool = False,
    ) -> LeaverResult:
        """Disable a leaver at once: sessions, credentials and their open cases, all together.

        ``cases`` is "release" (back to the queue, unowned) or "reassign" (to the active
        person named by ``to``, who must work cases). A leaver under investigation must have
        their cases reassigned.
        """
        actor = self._acting(token)
        if cases not in CASE_CHOICES:
            raise InvalidInput(
                f"Choose what happens to their open cases: {' or '.join(CASE_CHOICES)}."
            )
        target_name = (to or "").strip().lower()
        if under_investigation and cases != REASSIGN:
            raise InvalidInput(
                "A leaver under investigation must have their open cases reassigned at once: "
                "name who takes them over."
            )
        if cases == REASSIGN and not target_name:
            raise InvalidInput("Name the person who takes over their open cases.")
        if cases == RELEASE and target_name:
            raise InvalidInput(
                "Either release their open cases to the queue or reassign them to someone, "
                "not both."
            )
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            acct = self._get(s, username)
            if not acct.active:
                raise Conflict(f"{acct.username!r} is already disabled.")
            if acct.role == Role.ADMINISTRATOR.value and self._active_admins(s) <= 1:
                raise Conflict("That is the last active administrator: add another one first.")
            target: Account | None = None
            if cases == REASSIGN:
                target = s.scalar(select(Account).where(Account.username == target_name))
                if target is None or not target.active:
                    raise NotFound(f"There is no active account called {target_name!r}.")
                if target.id == acct.id:
                    raise InvalidInput(
                        f"Reassign {acct.username}'s cases to someone else: they are leaving."
                    )
                if not may(Role(target.role), Action.WORK_CASES):
                    raise InvalidInput(f"{target.username} ({target.role}) does not work cases.")
            open_cases = s.scalars(
                select(Case)
                .where(
                    Case.owner_id == acct.id,
                    Case.status.in_(OPEN_STATUS_CODES),
                )
                .order_by(Case.id)
            ).all()
            if target is not None:  # they must be able to work every case they are given
                their = Scope(load_areas(target.areas))
                for case in open_cases:
                    if not their.covers(case_area(s, case)):
                        raise InvalidInput(
                            f"Case #{case.id} belongs to {belongs_to(case_area(s, case))}, and "
                            f"{target.username} works {their.label()}: reassign to someone "
                            "who works it, or release the cases to the queue."
                        )
            ended = self.signin.end_sessions_of(s, acct, "disabled")
            moved: list[int] = []
            for case in open_cases:
                moved.append(case.id)
                if target is None:
                    previous = case.status
                    case.owner_id = None
                    case.claimed_at = None
                    case.status = CaseStatus.NEW.value
                    self._case_line(
                        s,
                        actor.username,
                        case,
                        "release",
                        f"released to the queue: {acct.username} left the desk (was {previous})",
                        owner=acct.username,
                        leaver=True,
                    )
                else:
                    case.owner_id = target.id
                    case.claimed_at = now
                    if case.status == CaseStatus.NEW.value:
                        case.status = next_status("claim", CaseStatus.NEW).value
                    self._case_line(
                        s,
                        actor.username,
                        case,
                        "reassign",
                        f"reassigned from {acct.username} to {target.username}: "
                        f"{acct.username} left the desk",
                        previous=acct.username,
                        owner=target.username,
                        leaver=True,
                    )
            acct.active = False
            acct.disabled_at = now
            acct.under_investigation = under_investigation
            acct.password_verifier = DESTROYED
            acct.totp_sealed = None
            acct.totp_last_step = None
            self.ctx.audit.record(
                s,
                actor.username,
                "account.disable",
                f"account:{acct.username}",
                cases=cases,
                to=target.username if target is not None else None,
                moved=moved,
                under_investigation=under_investigation,
                sessions_ended=ended,
                credentials="destroyed",
            )
            if under_investigation:  # their last 30 days wait for a supervisor's review
                open_review(s, self.ctx, acct, now, actor.username)
            return LeaverResult(
                username=acct.username,
                sessions_ended=ended,
                released=tuple(moved) if target is None else (),
                reassigned=tuple(moved) if target is not None else (),
                reassigned_to=target.username if target is not None else None,
                under_investigation=under_investigation,
            )

    def enable(self, token: str, username: str, password: str) -> Enrolment:
        """Re-enable a disabled person with a new password and a fresh authenticator seed."""
        actor = self._acting(token)
        name = username.strip().lower()
        problem = password_problem(password, common_passwords(), name)
        if problem:
            raise InvalidInput(problem)
        with self.ctx.db.read() as s:
            acct = self._get(s, name)
            if acct.active:
                raise Conflict(f"{acct.username!r} is already enabled.")
        verifier = self.ctx.verifier.make(password)  # slow: outside the write lock
        seed = new_seed()
        with self.ctx.db.write() as s:
            acct = self._get(s, name)
            if acct.active:
                raise Conflict(f"{acct.username!r} is already enabled.")
            was_investigated = acct.under_investigation
            acct.active = True
            acct.disabled_at = None
            acct.under_investigation = False
            acct.password_verifier = verifier
            acct.totp_sealed = self.ctx.sealer.seal(seed.encode("ascii"), totp_label(acct.id))
            acct.totp_last_step = None
            acct.failed_attempts = 0
            acct.locked_at = None
            acct.locked_until = None
            acct.last_failure_at = None
            acct.approved_by = actor.username
            self.ctx.audit.record(
                s,
                actor.username,
                "account.enable",
                f"account:{acct.username}",
                enrolment="fresh",
                was_under_investigation=was_investigated,
            )
            return Enrolment(
                username=acct.username, seed=seed, uri=provisioning_uri(seed, acct.username)
            )

    def open_cases_of(self, token: str, username: str) -> list[int]:
        """Return the ids of a person's open cases (what disabling them would move)."""
        self._acting(token)
        with self.ctx.db.read() as s:
            acct = self._get(s, username)
            return list(
                s.scalars(
                    select(Case.id)
                    .where(
                        Case.owner_id == acct.id,
                        Case.status.in_(OPEN_STATUS_CODES),
                    )
                    .order_by(Case.id)
                )
            )

    # the access review -------------------------------------------------------------------

    def access_review(self, token: str) -> list[AccessReviewRow]:
        """Return every account: role, state, last sign-in, who approved it, role changes."""
        self.signin.authorize(token, Action.VIEW_ACCESS_REVIEW)
        with self.ctx.db.read() as s:
            counts = dict(
                s.execute(
                    select(Case.owner_id, func.count())
                    .where(
                        Case.owner_id.is_not(None),
                        Case.status.in_(OPEN_STATUS_CODES),
                    )
                    .group_by(Case.owner_id)
                )
                .tuples()
                .all()
            )
            return [
                AccessReviewRow(
                    username=a.username,
                    display_name=a.display_name,
                    role=Role(a.role),
                    active=a.active,
                    created_at=a.created_at,
                    disabled_at=a.disabled_at,
                    last_login_at=a.last_login_at,
                    approved_by=a.approved_by,
                    role_changed_at=a.role_changed_at,
                    under_investigation=a.under_investigation,
                    locked=a.locked_at is not None,
                    open_cases=int(counts.get(a.id, 0)),
                )
                for a in s.scalars(select(Account).order_by(Account.username))
            ]

    # sign-in alerts ----------------------------------------------------------------------

    def signin_alerts(self, token: str, after_seq: int | None = None) -> AlertBatch:
        """Return lock-outs and repeated failures recorded after ``after_seq``.

        With ``after_seq`` None, nothing is returned: the answer only says where the audit
        is now, so that a window alerts about what happens from then on.
        """
        self.signin.authorize(token, Action.VIEW_SIGNIN_ACTIVITY)
        with self.ctx.db.read() as s:
            last = s.scalar(select(func.max(AuditEntry.seq))) or 0
            if after_seq is None or after_seq >= last:
                return AlertBatch(last, ())
            rows = s.execute(
                select(
                    AuditEntry.seq,
                    AuditEntry.at,
                    AuditEntry.action,
                    AuditEntry.object,
                    AuditEntry.details,
                )
                .where(
                    AuditEntry.seq > after_seq,
                    AuditEntry.seq <= last,
                    AuditEntry.action.in_(["signin.lock", "signin.alert", "signin.failure"]),
                )
                .order_by(AuditEntry.seq)
            ).all()
        alerts = [a for a in (alert_of(*row) for row in rows) if a is not None]
        return AlertBatch(last, tuple(alerts[:ALERT_BATCH]), max(0, len(alerts) - ALERT_BATCH))
