"""Signing in and staying signed in: password and one-time code, throttling, locks, sessions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, or_, select, update
from sqlalchemy.orm import Session

from desk.auth.sealing import SealBroken
from desk.auth.secrets import service_name
from desk.auth.totp import matching_step
from desk.core import signin_policy as policy
from desk.core.areas import load_areas
from desk.core.errors import ReauthenticationRequired, SessionEnded, SignInFailed
from desk.core.roles import Action, Role, require
from desk.services.audit_head import take_head, take_head_now_and_then
from desk.services.context import DeskContext
from desk.services.key_check import require_matching_keys
from desk.services.usernames import canonical_username, loggable_username
from desk.services.views import Actor, SignInResult
from desk.store.tables import Account, SignInSession

GUI = "gui"
CLI = "cli"
# a window's session records use at most this often, so that reading does not mean writing
_TOUCH_EVERY_SECONDS = 30
_COUNTED = frozenset({"password", "code", "code_reused", "not_enrolled", "seal_broken"})
# a session ended by someone from another session (a device signed out)
REMOTE = "remote"
WORKSTATION_MAX = 64


# the session check of every call: the session and its account's columns the rules need
_CHECK = (
    select(
        SignInSession.id,
        SignInSession.account_id,
        SignInSession.kind,
        SignInSession.created_at,
        SignInSession.last_used_at,
        SignInSession.locked_at,
        SignInSession.ended_at,
        SignInSession.end_reason,
        Account.username,
        Account.display_name,
        Account.role,
        Account.active,
        Account.areas,
    )
    .join(Account, Account.id == SignInSession.account_id)
    .where(SignInSession.token_hash == bindparam("token_hash"))
)


def workstation_label(text: str) -> str:
    """Return a workstation name as a session keeps it: printable, one line, at most 64."""
    kept = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text or "")
    return " ".join(kept.split())[:WORKSTATION_MAX]


def totp_label(account_id: int) -> str:
    """Return what binds an account's sealed seed to that account."""
    return f"account:{account_id}/totp"


@dataclass(frozen=True)
class _Attempt:
    ok: bool
    reason: str
    failures_before: int = 0
    previous_login: datetime | None = None
    rehash: bool = False  # the password is right but its verifier uses weaker parameters


@dataclass(frozen=True)
class _Checked:
    """A password checked, with no write lock held, against the verifier stored then."""

    account_id: int | None
    verifier: str | None
    ok: bool


class SignInService:
    """Checks credentials and sessions; every outcome is an audit entry."""

    def __init__(self, ctx: DeskContext) -> None:
        self.ctx = ctx

    # credentials -------------------------------------------------------------------------

    def _check_password(self, name: str, password: str) -> _Checked:
        """Check ``password`` against ``name``'s verifier in a read, never under the write lock.

        Argon2 takes a large fraction of a second: holding the write lock for it would let a
        burst of failed sign-ins stall every writer. An unknown name costs the same (a decoy
        verifier). The short write that follows re-reads the account and trusts the answer
        only if the verifier is still the one checked here.
        """
        with self.ctx.db.read() as s:
            found = s.execute(
                select(Account.id, Account.password_verifier).where(Account.username == name)
            ).first()
        if found is None:
            self.ctx.verifier.check(None, password)
            return _Checked(None, None, False)
        ok = self.ctx.verifier.check(found.password_verifier, password)
        return _Checked(found.id, found.password_verifier, ok)

    @staticmethod
    def _locked_account(s: Session, checked: _Checked) -> Account | None:
        """Re-read the checked account in the write (its row locked where the database can)."""
        if checked.account_id is None:
            return None
        return s.get(Account, checked.account_id, with_for_update=True, populate_existing=True)

    def _rehash(self, checked: _Checked, password: str) -> None:
        """Store a verifier with today's parameters, made outside the write lock."""
        fresh = self.ctx.verifier.make(password)
        with self.ctx.db.write() as s:
            s.execute(
                update(Account)
                .where(
                    Account.id == checked.account_id,
                    Account.password_verifier == checked.verifier,
                )
                .values(password_verifier=fresh)
                .execution_options(synchronize_session=False)
            )

    def _attempt(
        self, s: Session, acct: Account | None, typed: str, checked: _Checked, code: str, kind: str
    ) -> _Attempt:
        ctx, now = self.ctx, self.ctx.clock.now()
        if acct is None:
            who = loggable_username(typed)
            ctx.audit.record(
                s, who, "signin.failure", f"account:{who}", reason="unknown_user", kind=kind
            )
            return _Attempt(False, "unknown_user")
        # the answer counts only for the verifier it was checked against (not one set since)
        same_verifier = checked.verifier == acct.password_verifier
        password_ok = checked.ok and same_verifier
        step: int | None = None
        sealed_ok = acct.totp_sealed is not None
        if acct.totp_sealed is not None:
            try:
                seed = ctx.sealer.open(acct.totp_sealed, totp_label(acct.id)).decode("ascii")
                step = matching_step(seed, code, now)
            except SealBroken:
                sealed_ok = False
        reason = ""
        if not acct.active:
            reason = "disabled"
        elif acct.locked_at is not None:
            reason = "locked"
        elif acct.locked_until is not None and now < acct.locked_until:
            reason = "throttled"
        elif not same_verifier:
            reason = "password_changed"  # changed while it was checked: try again, not counted
        elif not password_ok:
            reason = "password"
        elif acct.totp_sealed is None:
            reason = "not_enrolled"
        elif not sealed_ok:
            reason = "seal_broken"
        elif step is None:
            reason = "code"
        else:
            # Conditional update: of two submissions of one code, only one advances the step.
            result = s.execute(
                update(Account)
                .where(
                    Account.id == acct.id,
                    or_(Account.totp_last_step.is_(None), Account.totp_last_step < step),
                )
                .values(totp_last_step=step)
                .execution_options(synchronize_session=False)
            )
            if cast(CursorResult[Any], result).rowcount != 1:
                reason = "code_reused"
            else:
                acct.totp_last_step = step
        obj = f"account:{acct.username}"
        if not reason:
            before, previous = acct.failed_attempts, acct.last_login_at
            acct.failed_attempts = 0
            acct.last_failure_at = None
            acct.locked_until = None
            acct.last_login_at = now
            rehash = ctx.verifier.needs_rehash(acct.password_verifier)  # made after the write
            ctx.audit.record(
                s, acct.username, "signin.success", obj, kind=kind, failures_before=before
            )
            if policy.should_alert(before):
                ctx.audit.record(s, acct.username, "signin.alert", obj, failures=before)
            return _Attempt(True, "", before, previous, rehash)
        if reason in _COUNTED:
            acct.failed_attempts += 1
            acct.last_failure_at = now
            acct.locked_until = policy.throttled_until(acct.failed_attempts, now)
        ctx.audit.record(
            s,
            acct.username,
            "signin.failure",
            obj,
            reason=reason,
            kind=kind,
            failures=acct.failed_attempts,
        )
        if reason in _COUNTED and policy.should_lock(acct.failed_attempts):
            acct.locked_at = now
            ctx.audit.record(s, "system", "signin.lock", obj, failures=acct.failed_attempts)
        return _Attempt(False, reason)

    def _token_hash(self, token: str) -> str:
        return hmac.new(self.ctx.token_key, token.encode("utf-8"), hashlib.sha256).hexdigest()

    def _new_session(
        self, s: Session, acct: Account, kind: str, workstation: str
    ) -> tuple[str, SignInSession]:
        now = self.ctx.clock.now()
        token = secrets.token_urlsafe(32)
        row = SignInSession(
            account_id=acct.id,
            kind=kind,
            token_hash=self._token_hash(token),
            created_at=now,
            last_used_at=now,
            workstation=workstation_label(workstation),
        )
        s.add(row)
        s.flush()
        return token, row

    @staticmethod
    def _actor(acct: Account, row: SignInSession) -> Actor:
        return Actor(
            account_id=acct.id,
            username=acct.username,
            display_name=acct.display_name,
            role=Role(acct.role),
            session_id=row.id,
            signed_in_at=row.created_at,
            areas=load_areas(acct.areas),
        )

    def sign_in(
        self, username: str, password: str, code: str, kind: str = GUI, workstation: str = ""
    ) -> SignInResult:
        """Check username, password and one-time code; start a session or raise SignInFailed.

        ``workstation`` names the computer signing in (the entry point reads it, such as
        ``platform.node()``); the person's list of devices shows it.
        """
        name = canonical_username(username)
        self._require_own_keys()
        checked = self._check_password(name, password)  # slow: before the write lock
        with self.ctx.db.write() as s:
            acct = self._locked_account(s, checked)
            attempt = self._attempt(s, acct, username, checked, code, kind)
            if attempt.ok:
                assert acct is not None
                token, row = self._new_session(s, acct, kind, workstation)
                result = SignInResult(
                    token=token,
                    actor=self._actor(acct, row),
                    previous_login_at=attempt.previous_login,
                    failures_since_last_login=attempt.failures_before,
                    alert=policy.should_alert(attempt.failures_before),
                )
        if not attempt.ok:
            raise SignInFailed()
        if attempt.rehash:
            self._rehash(checked, password)
        take_head(self.ctx)
        return result

    def _require_own_keys(self) -> None:
        """Refuse before any password is checked when the keys are not this database's."""
        with self.ctx.db.read() as s:
            service = service_name(self.ctx.profile.data_dir)
            require_matching_keys(s, service, self.ctx.token_key, self.ctx.audit.key)

    # sessions ----------------------------------------------------------------------------

    def _end(self, s: Session, row: SignInSession, acct: Account, reason: str) -> None:
        row.ended_at = self.ctx.clock.now()
        row.end_reason = reason
        self.ctx.audit.record(
            s,
            acct.username,
            f"session.{reason}",
            f"account:{acct.username}",
            session=row.id,
            kind=row.kind,
        )

    def _problem(self, row: SignInSession | Any | None, acct: Account | Any | None) -> str:
        """Return why the session cannot act now ('' if it can).

        ``row`` and ``acct`` are the ORM rows, or both the one row of :data:`_CHECK`.
        """
        if row is None or acct is None:
            return "unknown"
        if row.ended_at is not None:
            return row.end_reason or "ended"
        if not acct.active:
            return "disabled"
        now = self.ctx.clock.now()
        if now - row.created_at > policy.SESSION_MAX_AGE:
            return "expired"
        if row.kind == CLI and now - row.last_used_at > policy.CLI_SESSION_IDLE:
            return "idle"
        if row.locked_at is not None:
            return "locked"
        if row.kind != CLI and self._window_idle(now - row.last_used_at):
            return "idle_lock"  # the server locks it too: the window may be gone or stuck
        return ""

    def _window_idle(self, unused: timedelta) -> bool:
        """Tell whether a window's session unused for ``unused`` is past the idle lock."""
        if unused <= policy.window_idle_limit(1):  # the shortest lock: no setting to read
            return False
        minutes = self.ctx.setting("idle_lock_minutes", policy.DEFAULT_IDLE_LOCK_MINUTES)
        return unused > policy.window_idle_limit(int(minutes))

    def session_problem(self, row: SignInSession | Any, acct: Account | Any) -> str:
        """Return why a session cannot act now ('' if it can): ended, expired, idle, locked..."""
        problem = self._problem(row, acct)
        return "locked" if problem == "idle_lock" else problem

    def _load(self, s: Session, token: str) -> tuple[SignInSession | None, Account | None]:
        row = s.scalar(
            select(SignInSession).where(SignInSession.token_hash == self._token_hash(token))
        )
        acct = s.get(Account, row.account_id) if row is not None else None
        return row, acct

    def authorize(self, token: str, action: Action | None = None) -> Actor:
        """Return the session's person if they may act now (and may do ``action``), else raise.

        The usual case (a live session used within the last 30 seconds) is one plain
        ``SELECT`` of the session joined to its account, only the columns the rules need, no
        ORM objects; anything else (a session to touch, end or refuse) is worked out again
        under the write lock with the full rows.
        """
        with self.ctx.db.read() as s:
            found = s.execute(_CHECK, {"token_hash": self._token_hash(token)}).first()
            problem = self._problem(found, found)
            stale = (
                found is not None
                and (self.ctx.clock.now() - found.last_used_at).total_seconds()
                > _TOUCH_EVERY_SECONDS
            )
            if found is not None and not problem and not stale:
                actor = Actor(
                    account_id=found.account_id,
                    username=found.username,
                    display_name=found.display_name,
                    role=Role(found.role),
                    session_id=found.id,
                    signed_in_at=found.created_at,
                    areas=load_areas(found.areas),
                )
                if action is not None:
                    require(actor.role, action)
                return actor
        row: SignInSession | None = None
        acct: Account | None = None
        if problem or stale:
            with self.ctx.db.write() as s:
                row, acct = self._load(s, token)
                problem = self._problem(row, acct)
                if row is not None and acct is not None:
                    if problem in ("disabled", "expired", "idle"):
                        self._end(s, row, acct, problem)
                    elif problem == "idle_lock":
                        row.locked_at = self.ctx.clock.now()
                        self.ctx.audit.record(
                            s,
                            acct.username,
                            "session.lock",
                            f"account:{acct.username}",
                            session=row.id,
                            idle_minutes=int(
                                (self.ctx.clock.now() - row.last_used_at).total_seconds() // 60
                            ),
                        )
                        problem = "locked"
                    elif not problem:
                        row.last_used_at = self.ctx.clock.now()
            if not problem:
                take_head_now_and_then(self.ctx)  # the window's heartbeat passes here
        if problem == "locked":
            raise ReauthenticationRequired(
                "The desk is locked: enter your password and a new code."
            )
        if problem == "expired":
            raise ReauthenticationRequired(
                "Your session is over 12 hours old: "
                "sign in again with your password and a new code."
            )
        if problem:
            raise SessionEnded(ended_message(problem, row))
        assert row is not None and acct is not None
        actor = self._actor(acct, row)
        if action is not None:
            require(actor.role, action)
        return actor

    def lock(self, token: str) -> None:
        """Lock a window's session (idle lock): it cannot act until re-authenticated."""
        with self.ctx.db.write() as s:
            row, acct = self._load(s, token)
            if row is None or acct is None or row.ended_at is not None or row.locked_at:
                return
            row.locked_at = self.ctx.clock.now()
            self.ctx.audit.record(
                s, acct.username, "session.lock", f"account:{acct.username}", session=row.id
            )

    def reauthenticate(self, token: str, password: str, code: str) -> str:
        """Unlock a locked or expired session with password and a fresh code; return its token.

        An expired session (over 12 hours) is replaced by a new one: a full sign-in.
        """
        self._require_own_keys()
        with self.ctx.db.read() as s:
            row, acct = self._load(s, token)
            problem = self._problem(row, acct)
        if row is None or acct is None or problem not in ("", "locked", "idle_lock", "expired"):
            raise SessionEnded(ended_message(problem, row))
        checked = self._check_password(acct.username, password)  # slow: before the write lock
        with self.ctx.db.write() as s:
            row, acct = self._load(s, token)
            problem = self._problem(row, acct)
            if row is None or acct is None or problem not in ("", "locked", "idle_lock", "expired"):
                ended = True
            else:
                ended = False
                acct = self._locked_account(s, checked) or acct
                attempt = self._attempt(s, acct, acct.username, checked, code, row.kind)
                if attempt.ok:
                    if problem == "expired":
                        if row.ended_at is None:
                            self._end(s, row, acct, "expired")
                        row.end_reason = "renewed"  # the old token must not be renewed twice
                        token, row = self._new_session(s, acct, row.kind, row.workstation)
                    else:
                        row.locked_at = None
                        row.last_used_at = self.ctx.clock.now()
                        self.ctx.audit.record(
                            s,
                            acct.username,
                            "session.unlock",
                            f"account:{acct.username}",
                            session=row.id,
                        )
        if ended:
            raise SessionEnded(ended_message(problem, row))
        if not attempt.ok:
            raise SignInFailed()
        if attempt.rehash:
            self._rehash(checked, password)
        return token

    def sign_out(self, token: str) -> None:
        """End a session; its token is useless from now on."""
        with self.ctx.db.write() as s:
            row, acct = self._load(s, token)
            if row is not None and acct is not None and row.ended_at is None:
                self._end(s, row, acct, "signout")
        take_head(self.ctx)

    def end_remotely(self, s: Session, row: SignInSession, acct: Account, by: str) -> None:
        """End ``acct``'s session ``row`` from another session of ``by``, in the caller's unit.

        Its next call is refused with "signed out from another device by <by>". The audit
        entry names who ended it, the session's number, kind and workstation (never a token).
        """
        row.ended_at = self.ctx.clock.now()
        row.end_reason = REMOTE
        row.ended_by = by
        self.ctx.audit.record(
            s,
            by,
            "session.sign_out_device",
            f"account:{acct.username}",
            session=row.id,
            kind=row.kind,
            workstation=row.workstation,
        )

    def end_sessions_of(self, s: Session, acct: Account, reason: str) -> int:
        """End every open session of ``acct`` inside the caller's unit of work."""
        rows = s.scalars(
            select(SignInSession).where(
                SignInSession.account_id == acct.id, SignInSession.ended_at.is_(None)
            )
        ).all()
        for row in rows:
            self._end(s, row, acct, reason)
        return len(rows)


def ended_message(problem: str, row: SignInSession | None) -> str:
    """Say why a session cannot act any more, naming who signed it out from another device."""
    if problem == REMOTE and row is not None:
        where = f" ({row.workstation})" if row.workstation else ""
        if row.ended_by:
            return (
                f"This session{where} was signed out from another device by {row.ended_by}: "
                "sign in again."
            )
    return _ENDED.get(problem, _ENDED["ended"])


_ENDED = {
    "unknown": "You are not signed in (the session is unknown): sign in again.",
    "signout": "You signed out: sign in again.",
    "disabled": "Your account has been disabled: your session has ended.",
    "role_changed": "Your role was changed by an administrator: sign in again to use it.",
    "idle": "Your command-line session was idle for over 15 minutes: sign in again.",
    "expired": "Your session is over 12 hours old: sign in again.",
    "ended": "Your session has ended: sign in again.",
    REMOTE: "This session was signed out from another device: sign in again.",
}
