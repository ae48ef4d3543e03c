"""Reading and verifying the audit chain, and the sign-in activity list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desk.auth.signing import key_fingerprint, load_signer, signature_valid
from desk.core.audit_anchor import (
    ANCHOR_KIND,
    ANCHOR_VERSION,
    SIGNATURE_FIELD,
    anchor_problems,
    read_anchor,
    signed_bytes,
)
from desk.core.audit_chain import AuditRecord, ChainReport
from desk.core.audit_filter import AuditFilter, stored_at
from desk.core.errors import InvalidInput
from desk.core.marking import MARKING_FIELD
from desk.core.roles import Action
from desk.services.context import DeskContext
from desk.services.settings import desk_heading, protective_marking
from desk.services.signin import SignInService
from desk.services.views import AuditView
from desk.store import audit_log

SIGNIN_PREFIX = "signin."
PAGE_MAX = 1000
EXPORT_MAX = 100_000


@dataclass(frozen=True)
class AuditExport:
    """The entries an export holds, and what its header says."""

    entries: list[AuditView]
    marking: str
    filters: dict[str, object]
    exported_at: str
    exported_by: str
    complete: bool  # False when more than EXPORT_MAX entries matched


@dataclass(frozen=True)
class AnchorCheck:
    """The outcome of checking the log against an anchor."""

    seq: int
    made_at: str
    fingerprint: str
    problems: list[str]

    @property
    def intact(self) -> bool:
        """True when the anchored entry is still there with its hash."""
        return not self.problems


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

    def find(
        self,
        token: str,
        where: AuditFilter,
        limit: int = 200,
        before_seq: int | None = None,
    ) -> list[AuditView]:
        """Return a page of the entries matching ``where``, newest first (before ``before_seq``)."""
        self.signin.authorize(token, Action.VIEW_AUDIT)
        if not 1 <= limit <= PAGE_MAX:
            raise InvalidInput(f"A page holds 1 to {PAGE_MAX} entries, not {limit}.")
        with self.ctx.db.read() as s:
            return [_view(r) for r in audit_log.find(s, where, limit, before_seq)]

    def export(self, token: str, where: AuditFilter) -> AuditExport:
        """Return every entry matching ``where`` (newest first) to export; the export is audited."""
        actor = self.signin.authorize(token, Action.VIEW_AUDIT)
        found: list[AuditView] = []
        before: int | None = None
        with self.ctx.db.read() as s:
            while len(found) < EXPORT_MAX + 1:
                page = audit_log.find(s, where, min(5000, EXPORT_MAX + 1 - len(found)), before)
                if not page:
                    break
                found.extend(_view(r) for r in page)
                before = page[-1].seq
        complete = len(found) <= EXPORT_MAX
        entries = found[:EXPORT_MAX]
        filters = where.describe()
        with self.ctx.db.write() as s:
            self.ctx.audit.record(
                s,
                actor.username,
                "audit.export",
                "audit",
                entries=len(entries),
                filters={k: v for k, v in filters.items() if v is not None},
            )
        return AuditExport(
            entries=entries,
            marking=protective_marking(self.ctx),
            filters=filters,
            exported_at=stored_at(self.ctx.clock.now()),
            exported_by=actor.username,
            complete=complete,
        )

    def marking(self) -> str:
        """Return the protective marking exports carry."""
        return protective_marking(self.ctx)

    def anchor(self, token: str) -> dict[str, Any]:
        """Return the chain's head signed with the desk's Ed25519 key (an anchor to keep).

        The anchor is itself audited: the entry after the head says who made it and when.
        """
        actor = self.signin.authorize(token, Action.VERIFY_AUDIT)
        signer = load_signer(self.ctx.profile.data_dir)
        with self.ctx.db.write() as s:
            head = audit_log.latest(s)
            if head is None:
                raise InvalidInput("The audit log is empty: there is nothing to anchor yet.")
            made_at = stored_at(self.ctx.clock.now())
            doc: dict[str, Any] = {
                "kind": ANCHOR_KIND,
                "version": ANCHOR_VERSION,
                MARKING_FIELD: protective_marking(self.ctx),
                "desk": desk_heading(self.ctx),
                "head": {"seq": head.seq, "hash": head.hash, "at": head.at},
                "made_at": made_at,
                "made_by": actor.username,
                "public_key": signer.public_key,
                "key_fingerprint": signer.fingerprint,
            }
            doc[SIGNATURE_FIELD] = signer.sign(signed_bytes(doc))
            self.ctx.audit.record(
                s,
                actor.username,
                "audit.anchor",
                f"audit:{head.seq}",
                hash=head.hash,
                key=signer.fingerprint,
            )
        return doc

    def check_anchor(self, token: str, doc: object) -> AnchorCheck:
        """Check the log against an anchor: its signature, then a cut end or a rewritten chain."""
        self.signin.authorize(token, Action.VERIFY_AUDIT)
        try:
            anchor = read_anchor(doc)
        except ValueError as exc:
            raise InvalidInput(f"The anchor file cannot be used: {exc}.") from None
        fingerprint = key_fingerprint(anchor.public_key)
        if not signature_valid(anchor.public_key, signed_bytes(anchor.doc), anchor.signature):
            problems = ["the anchor's signature does not match its content: it was altered"]
            return AnchorCheck(anchor.seq, anchor.made_at, fingerprint, problems)
        ours = load_signer(self.ctx.profile.data_dir)
        if anchor.public_key != ours.public_key:
            problems = [
                f"the anchor was signed by key {fingerprint}, not this desk's key "
                f"{ours.fingerprint}"
            ]
            return AnchorCheck(anchor.seq, anchor.made_at, fingerprint, problems)
        with self.ctx.db.read() as s:
            head = audit_log.latest(s)
            at_seq = audit_log.entry(s, anchor.seq)
        problems = anchor_problems(
            anchor,
            head.seq if head else None,
            at_seq.hash if at_seq else None,
            at_seq.at if at_seq else None,
        )
        return AnchorCheck(anchor.seq, anchor.made_at, fingerprint, problems)

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
