"""A person's devices: their active sessions, and signing one out from another.

Everyone may list their own active sessions (window or command line, the workstation, when
it started and was last used, the one asking marked) and sign any other one out; an
administrator (``MANAGE_SESSIONS``) lists and signs out anyone's. The ended session's next
call is refused with "signed out from another device by <who>" (see
:func:`desk.services.signin.ended_message`); both are audited without any token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from desk.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from desk.core.roles import Action, may
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.services.usernames import canonical_username
from desk.services.views import Actor
from desk.store.tables import Account, SignInSession


@dataclass(frozen=True)
class SessionView:
    """One active session (a signed-in device) as a list of devices shows it.

    ``kind`` is ``gui`` (the window) or ``cli`` (desk-admin); ``current`` marks the session
    that asked; ``locked`` a window locked while idle (it still counts as signed in).
    """

    id: int
    username: str
    display_name: str
    kind: str
    workstation: str
    created_at: datetime
    last_used_at: datetime
    locked: bool
    current: bool


class DeviceService:
    """Lists active sessions and signs them out; audited, checked in the domain."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def _may_manage(self, actor: Actor) -> bool:
        return may(actor.role, Action.MANAGE_SESSIONS)

    def mine(self, token: str) -> list[SessionView]:
        """Return the signed-in person's active sessions, newest first (this one marked)."""
        actor = self.signin.authorize(token)
        return self._list(actor, actor.username)

    def list_sessions(self, token: str, username: str | None = None) -> list[SessionView]:
        """Return active sessions, newest first.

        Without ``username``: an administrator gets everyone's, anyone else their own. Naming
        someone else needs ``MANAGE_SESSIONS`` (administrators).
        """
        actor = self.signin.authorize(token)
        name = canonical_username(username) if username and username.strip() else None
        if name is None:
            return self._list(actor, None if self._may_manage(actor) else actor.username)
        if name != actor.username and not self._may_manage(actor):
            raise PermissionDenied(
                "You can list only your own sessions: an administrator lists other people's."
            )
        with self.ctx.db.read() as s:
            if s.scalar(select(Account.id).where(Account.username == name)) is None:
                raise NotFound(f"There is no account called {name!r}.")
        return self._list(actor, name)

    def _list(self, actor: Actor, username: str | None) -> list[SessionView]:
        query = (
            select(SignInSession, Account)
            .join(Account, Account.id == SignInSession.account_id)
            .where(SignInSession.ended_at.is_(None))
            .order_by(SignInSession.last_used_at.desc(), SignInSession.id.desc())
        )
        if username is not None:
            query = query.where(Account.username == username)
        views: list[SessionView] = []
        with self.ctx.db.read() as s:
            for row, acct in s.execute(query).tuples():
                problem = self.signin.session_problem(row, acct)
                if problem not in ("", "locked"):
                    continue  # over: expired, idle or disabled, ended at its next use
                views.append(
                    SessionView(
                        id=row.id,
                        username=acct.username,
                        display_name=acct.display_name,
                        kind=row.kind,
                        workstation=row.workstation,
                        created_at=row.created_at,
                        last_used_at=row.last_used_at,
                        locked=problem == "locked",
                        current=row.id == actor.session_id,
                    )
                )
        return views

    def sign_out_session(self, token: str, session_id: int) -> SessionView:
        """Sign out session ``session_id`` (another device); return what it was.

        One's own other sessions: anyone. Someone else's: administrators only. The session
        in use is refused (sign out instead), and so is one already over.
        """
        actor = self.signin.authorize(token)
        if session_id == actor.session_id:
            raise InvalidInput(
                "That is the session you are using now: sign out instead (File → Sign out, or "
                "'desk-admin logout')."
            )
        with self.ctx.db.write() as s:
            row = s.get(SignInSession, session_id)
            acct = s.get(Account, row.account_id) if row is not None else None
            mine = acct is not None and acct.id == actor.account_id
            if row is None or acct is None or (not mine and not self._may_manage(actor)):
                # someone else's session is not even confirmed to exist
                raise NotFound(
                    f"You have no session numbered {session_id}: list yours with "
                    "'desk-admin sessions list' or File → My devices…."
                    if not self._may_manage(actor)
                    else f"There is no session numbered {session_id}."
                )
            if self.signin.session_problem(row, acct) not in ("", "locked"):
                raise Conflict(f"Session {session_id} has already ended: nothing to sign out.")
            self.signin.end_remotely(s, row, acct, actor.username)
            return SessionView(
                id=row.id,
                username=acct.username,
                display_name=acct.display_name,
                kind=row.kind,
                workstation=row.workstation,
                created_at=row.created_at,
                last_used_at=row.last_used_at,
                locked=row.locked_at is not None,
                current=False,
            )
