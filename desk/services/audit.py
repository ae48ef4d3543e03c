"""Reading and verifying the audit chain, and the sign-in activity list."""

from __future__ import annotations

from desk.core.audit_chain import AuditRecord, ChainReport
from desk.core.roles import Action
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.services.views import AuditView
from desk.store import audit_log

SIGNIN_PREFIX = "signin."


def _view(r: AuditRecord) -> AuditView:
    return AuditView(r.seq, r.at, r.actor, r.action, r.object, r.details)


class AuditService:
    """What supervisors and administrators can read of the audit."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def entries(
        self,
        token: str,
        limit: int = 200,
        action_prefix: str | None = None,
        before_seq: int | None = None,
    ) -> list[AuditView]:
        """Return the newest entries first (a page of at most ``limit``)."""
        self.signin.authorize(token, Action.VIEW_AUDIT)
        with self.ctx.db.read() as s:
            return [_view(r) for r in audit_log.recent(s, limit, action_prefix, before_seq)]

    def signin_activity(self, token: str, limit: int = 500) -> list[AuditView]:
        """Return recent sign-in events: successes, failures, locks, unlocks and alerts."""
        self.signin.authorize(token, Action.VIEW_SIGNIN_ACTIVITY)
        with self.ctx.db.read() as s:
            return [_view(r) for r in audit_log.recent(s, limit, SIGNIN_PREFIX)]

    def verify(self, token: str) -> ChainReport:
        """Walk the whole chain and report the first entry changed, removed or inserted."""
        self.signin.authorize(token, Action.VERIFY_AUDIT)
        with self.ctx.db.read() as s:
            return audit_log.verify(s, self.ctx.audit.key)
