"""Reading and verifying the audit chain, and the sign-in activity list."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from desk.auth.signing import key_fingerprint, load_signer, signature_valid
from desk.core.audit_anchor import (
    ANCHOR_KIND,
    ANCHOR_VERSION,
    SIGNATURE_FIELD,
    anchor_problems,
    read_anchor,
    signed_bytes,
)
from desk.core.audit_chain import AuditRecord, ChainReport, HeadAnchor
from desk.core.audit_checkpoint import Checkpoint, checkpoint_bytes, continuity_problem, covering
from desk.core.audit_filter import AuditFilter, stored_at
from desk.core.errors import Conflict, InvalidInput
from desk.core.marking import MARKING_FIELD
from desk.core.roles import Action
from desk.services.audit_head import (
    check_head,
    empty_log_problem,
    read_keyring_anchor,
    replace_head,
)
from desk.services.context import DeskContext
from desk.services.purge import PURGE_ACTION
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
    note: str = ""  # e.g. the anchored entry was removed by a retention cut made after it

    @property
    def intact(self) -> bool:
        """True when the anchored entry is still there with its hash."""
        return not self.problems


def _view(r: AuditRecord) -> AuditView:
    return AuditView(r.seq, r.at, r.actor, r.action, r.object, r.details)


@dataclass(frozen=True)
class AuditHealth:
    """What "Verify the audit log" finds: the chain itself, and this workstation's anchor."""

    chain: ChainReport  # walked from the newest signed checkpoint, the keyring anchor aside
    kept: HeadAnchor | None  # the head this workstation's keyring keeps (None: none taken yet)
    anchor_problem: str | None = None  # why the log no longer reaches that anchor

    @property
    def intact(self) -> bool:
        """Whether the chain verifies and reaches the kept anchor."""
        return self.chain.intact and self.anchor_problem is None

    @property
    def only_the_anchor(self) -> bool:
        """Whether the chain verifies but ends before the anchor (as after restoring a backup)."""
        return self.chain.intact and self.anchor_problem is not None


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
            cuts = audit_log.checkpoints(s)
        cut = covering(cuts, anchor.seq) if at_seq is None else None
        if cut is not None and head is not None:
            return _anchor_in_cut(anchor.seq, anchor.hash, anchor.made_at, fingerprint, cut)
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
        """Walk the whole chain and report the first entry changed, removed or inserted.

        After retention cuts the chain starts from the newest signed checkpoint; the report's
        ``cuts`` say what each removed, when and on whose approval.
        """
        self.signin.authorize(token, Action.VERIFY_AUDIT)
        with self.ctx.db.read() as s:
            report = verify_from_checkpoints(s, self.ctx)
            if not report.intact:
                return report
            problem = empty_log_problem(s)
            if problem is not None:
                return replace(report, problem=problem, seq=1)
            kept = check_head(s, self.ctx)
        if kept.problem is not None:
            seq = kept.anchor.seq if kept.anchor is not None else None
            return replace(report, problem=kept.problem, seq=seq)
        return report

    def keyring_anchor(self, token: str) -> HeadAnchor | None:
        """Return the head this workstation's keyring keeps (None when none was taken yet)."""
        self.signin.authorize(token, Action.VERIFY_AUDIT)
        anchor, _ = read_keyring_anchor(self.ctx)
        return anchor

    def health(self, token: str) -> AuditHealth:
        """Walk the chain, and say apart whether the keyring's anchor is still reached.

        ``verify`` folds both into one problem; the window needs them apart, so that it offers
        to accept the log as it is (``reanchor``) only when the chain itself verifies.
        """
        self.signin.authorize(token, Action.VERIFY_AUDIT)
        with self.ctx.db.read() as s:
            report = verify_from_checkpoints(s, self.ctx)
            if report.intact:
                problem = empty_log_problem(s)
                if problem is not None:
                    report = replace(report, problem=problem, seq=1)
            kept = check_head(s, self.ctx)
        return AuditHealth(report, kept.anchor, kept.problem)

    def reanchor(self, token: str) -> HeadAnchor:
        """Accept the log as it is now (after restoring a backup): anchor the keyring to its head.

        The entry recording it names the anchor it replaces and what verify found against it.
        """
        actor = self.signin.authorize(token, Action.VERIFY_AUDIT)
        with self.ctx.db.write() as s:
            kept = check_head(s, self.ctx)
            old = kept.anchor
            self.ctx.audit.record(
                s,
                actor.username,
                "audit.reanchor",
                "audit",
                replaced_seq=old.seq if old else None,
                replaced_hash=old.hash if old else None,
                replaced_taken_at=old.taken_at if old else None,
                found=kept.problem or "",
            )
        anchor = replace_head(self.ctx)
        assert anchor is not None  # the entry just written is there
        return anchor


def _anchor_in_cut(
    seq: int, digest: str, made_at: str, fingerprint: str, cut: Checkpoint
) -> AnchorCheck:
    """Check an anchor whose entry a retention cut removed, against the cut's checkpoint."""
    if seq == cut.last_seq:
        if digest == cut.last_hash:
            note = (
                f"entry #{seq} was removed by retention on {cut.cut_at[:10]}; its anchored hash "
                "matches the signed checkpoint the kept chain starts from"
            )
            return AnchorCheck(seq, made_at, fingerprint, [], note)
        problems = [
            f"the chain was rewritten: entry {seq} was anchored {made_at} with a hash the "
            "retention checkpoint that removed it does not carry"
        ]
        return AnchorCheck(seq, made_at, fingerprint, problems)
    note = (
        f"the anchor (entry #{seq}, made {made_at}) predates the retention cut of entries "
        f"{cut.first_seq} to {cut.last_seq} on {cut.cut_at[:10]}: it cannot be compared, and "
        "the kept chain was checked from the signed checkpoint instead; take a new anchor"
    )
    return AnchorCheck(seq, made_at, fingerprint, [], note)


def _checkpoint_problem(
    s: Session, ctx: DeskContext, cuts: list[Checkpoint]
) -> tuple[str, int] | None:
    """Check every checkpoint's signature and key, their continuity, and the newest's tombstone."""
    ours = load_signer(ctx.profile.data_dir) if cuts else None
    for cp in cuts:
        span = f"the retention checkpoint for entries {cp.first_seq} to {cp.last_seq}"
        if not signature_valid(cp.public_key, checkpoint_bytes(cp), cp.signature):
            return f"{span} was altered: its signature does not match its content", cp.last_seq
        if ours is not None and cp.public_key != ours.public_key:
            return (
                f"{span} was signed by key {key_fingerprint(cp.public_key)}, not this desk's "
                f"key {ours.fingerprint}",
                cp.last_seq,
            )
    problem = continuity_problem(cuts)
    if problem is not None or not cuts:
        return problem
    newest = cuts[-1]
    for entry in audit_log.cut_entries(s, PURGE_ACTION):
        try:
            details = json.loads(entry.details)
        except ValueError:
            continue  # a changed entry: the walk of the chain names it
        if isinstance(details, dict) and details.get("checkpoint") == newest.id:
            if details.get("signature") != newest.signature:
                return (
                    f"the retention checkpoint for entries {newest.first_seq} to "
                    f"{newest.last_seq} does not match its tombstone, entry {entry.seq}",
                    entry.seq,
                )
            return None
    return (
        f"the tombstone entry of the retention cut of entries {newest.first_seq} to "
        f"{newest.last_seq} is missing: entries after {newest.last_seq} were removed",
        newest.next_seq,
    )


def verify_from_checkpoints(s: Session, ctx: DeskContext, upto: int | None = None) -> ChainReport:
    """Verify the checkpoints, then the chain from the newest of them (up to entry ``upto``)."""
    cuts = audit_log.checkpoints(s)
    problem = _checkpoint_problem(s, ctx, cuts)
    if problem is not None:
        what, seq = problem
        return ChainReport(0, what, seq, seq, cuts=tuple(cuts))
    report = audit_log.verify(s, ctx.audit.key, cuts[-1] if cuts else None, upto)
    return replace(report, cuts=tuple(cuts))


def cut_audit(
    s: Session,
    ctx: DeskContext,
    actor: str,
    last_seq: int,
    why: dict[str, Any],
) -> Checkpoint:
    """Remove the audit entries up to ``last_seq``, behind a signed checkpoint and a tombstone.

    ``why`` names the batch, its approver and the rule (as retention's tombstones do).
    Call inside the retention run's unit of work.

    Raises:
        Conflict: the chain up to the cut does not verify (nothing is removed: a broken chain
            is evidence), or there is nothing to cut.
    """
    cuts = audit_log.checkpoints(s)
    first_seq = cuts[-1].next_seq if cuts else 1
    if last_seq < first_seq:
        raise Conflict(f"Audit entries up to #{last_seq} are already removed.")
    # the cut destroys the entries it removes: check them, and the link to the first kept one
    report = verify_from_checkpoints(s, ctx, upto=last_seq + 1)
    if not report.intact:
        raise Conflict(
            f"The audit chain does not verify ({report.problem}): no audit entry was removed. "
            "Keep a copy of the database as evidence and report it."
        )
    last = audit_log.entry(s, last_seq)
    if last is None:
        raise Conflict(f"Audit entry #{last_seq} does not exist: no audit entry was removed.")
    signer = load_signer(ctx.profile.data_dir)
    unsigned = Checkpoint(
        id=0,
        first_seq=first_seq,
        last_seq=last_seq,
        last_hash=last.hash,
        last_at=last.at,
        count=last_seq - first_seq + 1,
        cut_at=stored_at(ctx.clock.now()),
        rule=str(why.get("rule", "")),
        batch_id=int(why.get("batch", 0)),
        approved_by=str(why.get("approved_by", "")),
        run_by=actor,
        public_key=signer.public_key,
        signature="",
    )
    stored = audit_log.cut(s, replace(unsigned, signature=signer.sign(checkpoint_bytes(unsigned))))
    ctx.audit.record(
        s,
        actor,
        PURGE_ACTION,
        "audit",
        **why,
        mode="delete",
        first_seq=stored.first_seq,
        last_seq=stored.last_seq,
        count=stored.count,
        last_hash=stored.last_hash,
        checkpoint=stored.id,
        signature=stored.signature,
        key=signer.fingerprint,
    )
    return stored
