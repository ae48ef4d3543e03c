"""Retention by record class: due batch, review, run; legal holds; public appeals.

Review before delete: ``due`` lists what the rules make due (held records left out),
``approve`` records a supervisor's approval of that batch (holding back any cases), and ``run``
deletes or anonymises what the latest approved batch holds and is still due. Nothing is removed
without an approved batch; ``run(..., approve=True)`` approves the due batch as the person
running it, in the same unit of work (the command line's ``retention run --approve``).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import and_, delete, func, not_, or_, select, update
from sqlalchemy.orm import Session

from desk.core.audit_filter import stored_at
from desk.core.cases import CaseStatus, Outcome
from desk.core.errors import Conflict, InvalidInput, NotFound
from desk.core.handover import HandoverNoteEntry
from desk.core.retention import (
    CASE_RECORD_CLASSES,
    DEFAULT_RULES_TEXT,
    NOT_RUN,
    AppealDone,
    EndAction,
    HoldTarget,
    RecordClass,
    Rule,
    batch_size,
    check_reason,
    format_rules,
    parse_rules,
)
from desk.core.roles import Action
from desk.services.audit import cut_audit
from desk.services.case_records import APPEAL_EVENT, appeal_notes
from desk.services.context import DeskContext
from desk.services.purge import (
    ANONYMISED,
    after_purge,
    anonymous_author,
    held_cases,
    purge_cases,
)
from desk.services.signin import SignInService
from desk.services.timeline import fingerprint, record_case_event
from desk.store import audit_log
from desk.store.purging import merge_search_index
from desk.store.tables import (
    Author,
    Case,
    CaseViewer,
    Escalation,
    Handover,
    HandoverNote,
    Item,
    LegalHold,
    ModerationAction,
    PublicAppeal,
    Reply,
    RetentionBatch,
    SignInSession,
)

log = logging.getLogger(__name__)
SAMPLE = 5
CASE_CLASSES = CASE_RECORD_CLASSES
_STAMP = re.compile(r"(\d{8}T\d{6}Z)")
APPEAL_NOTE_MAX = 1000
_NO_BATCH = (
    "No approved retention batch waits: list it (desk-admin retention due), approve it "
    "(retention approve), or run with --approve to approve the due batch as yourself."
)


CHUNK = 500  # ids per statement: well under SQLite's limit on bound variables


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _counts(todo: dict[RecordClass, list[int | str]]) -> dict[str, int]:
    return {rc.value: batch_size(rc, v) for rc, v in todo.items()}


def _named_counts(contents: dict[str, list[int | str]]) -> dict[str, int]:
    return {k: batch_size(RecordClass(k), v) for k, v in contents.items()}


@dataclass(frozen=True)
class DueClass:
    """One class's due records: ids (case ids for the case classes), the oldest, what is held."""

    record_class: RecordClass
    rule: Rule
    ids: tuple[int, ...] = ()
    files: tuple[str, ...] = ()  # backups: file names in the profile's backups folder
    oldest: datetime | None = None
    held: int = 0  # due but under a legal hold: left out
    count_only: int = 0  # audit: the entries a cut removes (seq_range), not listed one by one
    seq_range: tuple[int, int] | None = None  # audit: the first and last entry of the cut

    @property
    def count(self) -> int:
        """How many records are due."""
        return len(self.ids) + len(self.files) + self.count_only

    @property
    def sample(self) -> tuple[int | str, ...]:
        """A few ids (or file names) for the reviewer to look at."""
        if self.seq_range is not None:
            return (f"#{self.seq_range[0]} to #{self.seq_range[1]}",)
        found: tuple[int | str, ...] = (*self.ids[:SAMPLE], *self.files[:SAMPLE])
        return found[:SAMPLE]

    @property
    def runs(self) -> bool:
        """Whether a run removes this class's records (every class's now, the audit's too)."""
        return self.record_class not in NOT_RUN


@dataclass(frozen=True)
class DueBatch:
    """What the rules make due now, by class, for a supervisor to review."""

    listed_at: datetime
    rules: str
    classes: tuple[DueClass, ...]

    @property
    def total(self) -> int:
        """How many records a run would remove or anonymise."""
        return sum(c.count for c in self.classes if c.runs)

    def of(self, record_class: RecordClass) -> DueClass:
        """Return one class's due records."""
        return next(c for c in self.classes if c.record_class is record_class)


@dataclass(frozen=True)
class BatchView:
    """An approved batch: who approved it and when, and whether it ran."""

    id: int
    approved_by: str
    approved_at: datetime
    counts: dict[str, int]
    held: dict[str, list[int]]
    ran_by: str | None
    ran_at: datetime | None
    outcome: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RunReport:
    """What a run removed (or, dry, would remove), by class."""

    batch_id: int | None
    dry_run: bool
    counts: dict[str, int]
    skipped_held: int
    wal_emptied: bool


@dataclass(frozen=True)
class HoldView:
    """A legal hold as listed."""

    id: int
    target: HoldTarget
    target_id: int
    reason: str
    placed_by: str
    placed_at: datetime
    lifted_by: str | None
    lifted_at: datetime | None
    lift_reason: str
    target_name: str = ""  # "@handle (platform)" for an author, as listed


@dataclass(frozen=True)
class AppealView:
    """A public appeal and whether it has been removed or archived on the platform."""

    id: int
    case_id: int
    item_id: int | None
    ends_at: datetime
    marked_by: str
    done_how: AppealDone | None
    done_by: str | None
    done_at: datetime | None
    note: str = ""  # a link to the platform post, say (kept on the case's timeline)

    def overdue(self, now: datetime) -> bool:
        """Tell whether the appeal has ended and is not yet removed or archived."""
        return self.done_at is None and self.ends_at <= now


def _hold_view(h: LegalHold) -> HoldView:
    return HoldView(
        h.id,
        HoldTarget(h.target),
        h.target_id,
        h.reason,
        h.placed_by,
        h.placed_at,
        h.lifted_by,
        h.lifted_at,
        h.lift_reason,
    )


def _appeal_view(a: PublicAppeal, note: str = "") -> AppealView:
    return AppealView(
        a.id,
        a.case_id,
        a.item_id,
        a.ends_at,
        a.marked_by,
        AppealDone(a.done_how) if a.done_how else None,
        a.done_by,
        a.done_at,
        note,
    )


def _batch_view(b: RetentionBatch) -> BatchView:
    contents = json.loads(b.contents)
    return BatchView(
        b.id,
        b.approved_by,
        b.approved_at,
        _named_counts(contents),
        json.loads(b.held),
        b.ran_by,
        b.ran_at,
        json.loads(b.outcome),
    )


class RetentionService:
    """Retention rules, reviews and runs; legal holds; public appeals."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    # rules ---------------------------------------------------------------------------------

    def rules(self) -> dict[RecordClass, Rule]:
        """Return the rules in force (the ``retention_rules`` setting, defaults otherwise)."""
        return parse_rules(str(self.ctx.setting("retention_rules", DEFAULT_RULES_TEXT)))

    # the due batch -------------------------------------------------------------------------

    def due(self, token: str) -> DueBatch:
        """List what the rules make due now, by class (supervisors and administrators)."""
        self.signin.authorize(token, Action.REVIEW_RETENTION)
        with self.ctx.db.read() as s:
            return self._due(s)

    def _due(self, s: Session) -> DueBatch:
        now = self.ctx.clock.now()
        rules = self.rules()
        classes = [self._due_class(s, rules[c], now) for c in RecordClass]
        return DueBatch(now, format_rules(rules), tuple(classes))

    def _due_class(self, s: Session, rule: Rule, now: datetime) -> DueClass:
        cutoff = rule.cutoff(now)
        c = rule.record_class
        if c in CASE_CLASSES:
            return self._due_cases(s, rule, cutoff)
        if c is RecordClass.MODERATION:
            q = select(ModerationAction.id, ModerationAction.at, ModerationAction.case_id).where(
                ModerationAction.at < cutoff
            )
            if rule.action is EndAction.ANONYMISE:
                q = q.where(ModerationAction.explanation != "")
            return self._held_out(
                s, rule, [tuple(r) for r in s.execute(q.order_by(ModerationAction.at))]
            )
        if c is RecordClass.REPLIES:
            q = select(Reply.id, Reply.created_at, Reply.case_id).where(
                Reply.created_at < cutoff, Reply.status != "pending"
            )
            if rule.action is EndAction.ANONYMISE:
                q = q.where(Reply.text != "")
            return self._held_out(
                s, rule, [tuple(r) for r in s.execute(q.order_by(Reply.created_at))]
            )
        if c is RecordClass.HANDOVERS:
            rows = list(
                s.execute(
                    select(Handover.id, Handover.signed_at)
                    .where(Handover.signed_at < cutoff)
                    .order_by(Handover.signed_at)
                )
            )
            return DueClass(c, rule, tuple(r[0] for r in rows), oldest=rows[0][1] if rows else None)
        if c is RecordClass.SIGNINS:
            last_seen = func.coalesce(SignInSession.ended_at, SignInSession.last_used_at)
            rows = list(
                s.execute(
                    # a session never signed out ended when it lapsed: its last use
                    select(SignInSession.id, last_seen)
                    .where(last_seen < cutoff)
                    .order_by(last_seen)
                )
            )
            return DueClass(c, rule, tuple(r[0] for r in rows), oldest=rows[0][1] if rows else None)
        if c is RecordClass.AUDIT:
            return self._due_audit(s, rule, cutoff)
        files = self._old_backups(cutoff)
        return DueClass(
            c, rule, files=tuple(f.name for f, _ in files), oldest=files[0][1] if files else None
        )

    def _due_audit(
        self, s: Session, rule: Rule, cutoff: datetime, also_keep: Iterable[int] = ()
    ) -> DueClass:
        """The oldest audit entries past the period, as one run (see audit_log.due_entries).

        The run stops before the first entry naming a case or author under a legal hold (and
        the cases ``also_keep``, held back at approval): the chain cannot have holes.
        """
        cases = {*self._standing(s, HoldTarget.CASE), *also_keep}
        authors = self._standing(s, HoldTarget.AUTHOR)
        if authors:
            cases |= set(s.scalars(select(Case.id).where(Case.author_id.in_(sorted(authors)))))
        keep = {f"case:{i}" for i in cases} | {f"author:{i}" for i in authors}
        due = audit_log.due_entries(s, stored_at(cutoff), keep)
        oldest = (
            datetime.fromisoformat(due.oldest_at.replace("Z", "+00:00"))
            if due.oldest_at and due.count
            else None
        )
        return DueClass(
            rule.record_class,
            rule,
            count_only=due.count,
            seq_range=(due.first_seq, due.last_seq) if due.count else None,
            oldest=oldest,
            held=max(0, due.past - due.count),
        )

    @staticmethod
    def _standing(s: Session, target: HoldTarget) -> set[int]:
        return set(
            s.scalars(
                select(LegalHold.target_id).where(
                    LegalHold.target == target.value, LegalHold.lifted_at.is_(None)
                )
            )
        )

    def _due_cases(self, s: Session, rule: Rule, cutoff: datetime) -> DueClass:
        c = rule.record_class
        escalated = or_(
            Case.first_escalated_at.is_not(None),
            select(Escalation.id).where(Escalation.case_id == Case.id).exists(),
        )
        worked = or_(
            select(Reply.id).where(Reply.case_id == Case.id).exists(),
            select(ModerationAction.id).where(ModerationAction.case_id == Case.id).exists(),
            and_(Case.outcome.is_not(None), Case.outcome != Outcome.NO_ACTION.value),
        )
        q = select(Case.id, Case.closed_at).where(
            Case.status == CaseStatus.CLOSED.value, Case.closed_at < cutoff
        )
        if c is RecordClass.UNACTIONED:
            q = q.where(not_(escalated), not_(worked))
        elif c is RecordClass.ACTIONED:
            q = q.where(not_(escalated), worked)
        else:
            q = q.where(escalated)
        if rule.action is EndAction.ANONYMISE:
            q = q.where(Case.summary != ANONYMISED)
        rows = list(s.execute(q.order_by(Case.closed_at, Case.id)))
        return self._held_out(s, rule, [(r[0], r[1], r[0]) for r in rows])

    def _held_out(
        self, s: Session, rule: Rule, rows: Sequence[tuple[int, datetime, int]]
    ) -> DueClass:
        """Leave out the rows whose case (or its author) is under a legal hold."""
        held = held_cases(s, {r[2] for r in rows})
        kept = [r for r in rows if r[2] not in held]
        return DueClass(
            rule.record_class,
            rule,
            tuple(r[0] for r in kept),
            oldest=kept[0][1] if kept else None,
            held=len(rows) - len(kept),
        )

    def _old_backups(self, cutoff: datetime) -> list[tuple[Path, datetime]]:
        folder = self.ctx.profile.backup_dir
        if not folder.is_dir():
            return []
        found = []
        for f in sorted(folder.iterdir()):
            if not f.is_file():
                continue
            stamp = _STAMP.search(f.name)
            made = (
                datetime.strptime(stamp.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
                if stamp
                else datetime.fromtimestamp(f.stat().st_mtime, UTC)
            )
            if made < cutoff:
                found.append((f, made))
        return sorted(found, key=lambda x: x[1])

    # approval and run ----------------------------------------------------------------------

    def approve(self, token: str, batch: DueBatch, hold_ids: Iterable[int] = ()) -> BatchView:
        """Approve a listed batch, holding back the cases ``hold_ids`` (and their records).

        Raises:
            InvalidInput: a held id is not a case in the batch.
            Conflict: nothing in the batch is due any more.
        """
        actor = self.signin.authorize(token, Action.REVIEW_RETENTION)
        with self.ctx.db.write() as s:
            return _batch_view(self._approve(s, actor.username, batch, set(hold_ids)))

    def _approve(
        self, s: Session, approver: str, batch: DueBatch, hold: set[int]
    ) -> RetentionBatch:
        listed_cases = {i for c in CASE_CLASSES for i in batch.of(c).ids}
        unknown = sorted(hold - listed_cases)
        if unknown:
            raise InvalidInput(
                f"Case {', '.join(f'#{i}' for i in unknown)} is not in this batch: only cases "
                "listed as due can be held back."
            )
        contents: dict[str, list[int | str]] = {}
        held: dict[str, list[int]] = {}
        for due in batch.classes:
            if not due.runs or not due.count:
                continue
            ids = list(due.ids)
            if due.record_class in CASE_CLASSES:
                held_here = [i for i in ids if i in hold]
                ids = [i for i in ids if i not in hold]
            elif due.record_class in (RecordClass.MODERATION, RecordClass.REPLIES) and hold:
                table = ModerationAction if due.record_class is RecordClass.MODERATION else Reply
                in_held = set(ids) & set(
                    s.scalars(select(table.id).where(table.case_id.in_(sorted(hold))))
                )
                held_here = sorted(in_held)
                ids = [i for i in ids if i not in in_held]
            else:
                held_here = []
            if held_here:
                held[due.record_class.value] = held_here
            entries: list[int | str] = [*ids, *due.files]
            if due.record_class is RecordClass.AUDIT and due.seq_range is not None:
                entries = list(due.seq_range)
                if hold:  # held-back cases keep their audit entries: the run stops before them
                    kept = self._due_audit(s, due.rule, due.rule.cutoff(batch.listed_at), hold)
                    entries = list(kept.seq_range) if kept.seq_range else []
            if entries:
                contents[due.record_class.value] = entries
        if not contents:
            raise Conflict(
                "Nothing is due for deletion or anonymisation: there is no batch to approve."
            )
        row = RetentionBatch(
            listed_at=batch.listed_at,
            contents=json.dumps(contents),
            held=json.dumps(held),
            rules=batch.rules,
            approved_by=approver,
            approved_at=self.ctx.clock.now(),
        )
        s.add(row)
        s.flush()
        self.ctx.audit.record(
            s,
            approver,
            "retention.approve",
            f"retention_batch:{row.id}",
            counts=_named_counts(contents),
            held=held,
            rules=batch.rules,
        )
        return row

    def batches(self, token: str) -> list[BatchView]:
        """Return the approved batches, newest first."""
        self.signin.authorize(token, Action.REVIEW_RETENTION)
        with self.ctx.db.read() as s:
            rows = s.scalars(select(RetentionBatch).order_by(RetentionBatch.id.desc()))
            return [_batch_view(b) for b in rows]

    def waiting(self, token: str) -> BatchView | None:
        """Return the approved batch not yet run, if any."""
        self.signin.authorize(token, Action.REVIEW_RETENTION)
        with self.ctx.db.read() as s:
            row = self._waiting(s)
            return _batch_view(row) if row else None

    @staticmethod
    def _waiting(s: Session) -> RetentionBatch | None:
        return s.scalars(
            select(RetentionBatch)
            .where(RetentionBatch.ran_at.is_(None))
            .order_by(RetentionBatch.id.desc())
            .limit(1)
        ).first()

    def run(self, token: str, dry_run: bool = False, *, approve: bool = False) -> RunReport:
        """Run the approved batch: what it holds and is still due (and not held) goes.

        With ``dry_run`` nothing changes: the report says what would go. With ``approve``,
        the batch due now is approved by the person running it first (same unit of work).

        Raises:
            Conflict: no approved batch waits (and ``approve`` was not given).
        """
        actor = self.signin.authorize(token, Action.REVIEW_RETENTION)
        if dry_run:
            with self.ctx.db.read() as s:
                batch = self._waiting(s)
                if batch is None and approve:
                    due = self._due(s)
                    counts = {
                        c.record_class.value: c.count for c in due.classes if c.runs and c.count
                    }
                    return RunReport(None, True, counts, 0, True)
                if batch is None:
                    raise Conflict(_NO_BATCH)
                todo, skipped = self._still_due(s, batch)
                return RunReport(batch.id, True, _counts(todo), skipped, True)
        with self.ctx.db.write() as s:
            batch = self._waiting(s)
            if batch is None and approve:
                batch = self._approve(s, actor.username, self._due(s), set())
            if batch is None:
                raise Conflict(_NO_BATCH)
            todo, skipped = self._still_due(s, batch)
            counts = _counts(todo)
            rules = self.rules()
            why = {"batch": batch.id, "approved_by": batch.approved_by}
            files: list[Path] = []
            for rc, entries in todo.items():
                files += self._remove(s, actor.username, rules[rc], entries, why)
            merge_search_index(s)
            batch.ran_by = actor.username
            batch.ran_at = self.ctx.clock.now()
            batch.outcome = json.dumps(counts)
            self.ctx.audit.record(
                s,
                actor.username,
                "retention.run",
                f"retention_batch:{batch.id}",
                counts=counts,
                not_due_any_more=skipped,
            )
            batch_id = batch.id
        for f in files:  # only once the run has committed
            f.unlink(missing_ok=True)
        emptied = after_purge(self.ctx)
        return RunReport(batch_id, False, counts, skipped, emptied)

    def _still_due(
        self, s: Session, batch: RetentionBatch
    ) -> tuple[dict[RecordClass, list[int | str]], int]:
        """What the batch approved that is still due now and under no hold; how many not."""
        now_due = self._due(s)
        approved: dict[str, list[int | str]] = json.loads(batch.contents)
        todo: dict[RecordClass, list[int | str]] = {}
        skipped = 0
        for name, entries in approved.items():
            rc = RecordClass(name)
            current = now_due.of(rc)
            if rc is RecordClass.AUDIT:
                # still due: from the oldest entry now to the approved end (or an earlier stop)
                now_range = current.seq_range
                end = min(int(entries[-1]), now_range[1]) if now_range else 0
                run: list[int | str] = [now_range[0], end] if now_range else []
                if now_range and end < now_range[0]:
                    run = []
                skipped += max(0, batch_size(rc, entries) - batch_size(rc, run))
                if run:
                    todo[rc] = run
                continue
            still = {*current.ids, *current.files}
            kept = [e for e in entries if e in still]
            skipped += len(entries) - len(kept)
            if kept:
                todo[rc] = kept
        return todo, skipped

    def _remove(
        self, s: Session, actor: str, rule: Rule, entries: list[int | str], why: dict[str, object]
    ) -> list[Path]:
        """Remove one class's approved records; return the backup files to delete after commit."""
        c = rule.record_class
        tomb = {**why, "record_class": c.value, "rule": rule.code}
        ids = [e for e in entries if isinstance(e, int)]
        if c in CASE_CLASSES:
            for chunk in _chunks(ids):
                purge_cases(s, self.ctx, chunk, rule.action, actor=actor, why=tomb, merge=False)
            return []
        if c is RecordClass.AUDIT:
            cut_audit(s, self.ctx, actor, ids[-1], tomb)  # signs a checkpoint, writes a tombstone
            return []
        files: list[Path] = []
        for chunk in _chunks(ids):
            self._remove_rows(s, rule, chunk)
        if c is RecordClass.BACKUPS:
            files = [self.ctx.profile.backup_dir / str(name) for name in entries]
            tomb["files"] = [str(e) for e in entries]
        self.ctx.audit.record(
            s, actor, "content.purge", c.value, mode=rule.action.value, ids=ids, **tomb
        )
        return files

    def _remove_rows(self, s: Session, rule: Rule, ids: list[int]) -> None:
        c, delete_them = rule.record_class, rule.action is EndAction.DELETE
        if c is RecordClass.MODERATION:
            if delete_them:
                s.execute(delete(ModerationAction).where(ModerationAction.id.in_(ids)))
            else:
                for m in s.scalars(select(ModerationAction).where(ModerationAction.id.in_(ids))):
                    m.explanation = ""
                    m.author_id = anonymous_author(s, self.ctx, self._platform(s, m.author_id))
        elif c is RecordClass.REPLIES:
            if delete_them:
                s.execute(delete(Reply).where(Reply.id.in_(ids)))
            else:
                s.execute(
                    update(Reply)
                    .where(Reply.id.in_(ids))
                    .values(text="", decision_note="", override_reason="")
                )
        elif c is RecordClass.HANDOVERS:
            shifts = list(s.scalars(select(Handover.shift_start).where(Handover.id.in_(ids))))
            s.execute(delete(HandoverNote).where(HandoverNote.shift_start.in_(shifts)))
            s.execute(delete(Handover).where(Handover.id.in_(ids)))
        elif c is RecordClass.SIGNINS:
            s.execute(delete(CaseViewer).where(CaseViewer.session_id.in_(ids)))
            s.execute(delete(SignInSession).where(SignInSession.id.in_(ids)))

    @staticmethod
    def _platform(s: Session, author_id: int) -> str:
        author = s.get(Author, author_id)
        return author.platform if author else "x"

    # legal holds ---------------------------------------------------------------------------

    def add_hold(
        self, token: str, target: HoldTarget | str, target_id: int, reason: str
    ) -> HoldView:
        """Place a legal hold on a case or an author; audited.

        Raises:
            InvalidInput: unknown target kind or empty reason. NotFound: no such case or author.
            Conflict: a hold already stands on it.
        """
        actor = self.signin.authorize(token, Action.MANAGE_HOLDS)
        try:
            kind = HoldTarget(target)
        except ValueError:
            raise InvalidInput(
                f"A hold is placed on a case or an author, not {target!r}."
            ) from None
        text = check_reason(reason, "the legal hold")
        with self.ctx.db.write() as s:
            table = Case if kind is HoldTarget.CASE else Author
            if s.get(table, target_id) is None:
                raise NotFound(f"There is no {kind.value} {target_id}.")
            standing = s.scalar(
                select(LegalHold.id).where(
                    LegalHold.target == kind.value,
                    LegalHold.target_id == target_id,
                    LegalHold.lifted_at.is_(None),
                )
            )
            if standing is not None:
                raise Conflict(
                    f"A legal hold (#{standing}) already stands on {kind.value} {target_id}."
                )
            hold = LegalHold(
                target=kind.value,
                target_id=target_id,
                reason=text,
                placed_by=actor.username,
                placed_at=self.ctx.clock.now(),
            )
            s.add(hold)
            s.flush()
            self.ctx.audit.record(
                s,
                actor.username,
                "hold.add",
                f"{kind.value}:{target_id}",
                hold=hold.id,
                reason=text,
            )
            return _hold_view(hold)

    def lift_hold(self, token: str, hold_id: int, reason: str) -> HoldView:
        """Lift a legal hold, with the reason; audited."""
        actor = self.signin.authorize(token, Action.MANAGE_HOLDS)
        text = check_reason(reason, "lifting the legal hold")
        with self.ctx.db.write() as s:
            hold = s.get(LegalHold, hold_id)
            if hold is None:
                raise NotFound(f"There is no legal hold #{hold_id}.")
            if hold.lifted_at is not None:
                raise Conflict(f"Legal hold #{hold_id} was already lifted by {hold.lifted_by}.")
            hold.lifted_by = actor.username
            hold.lifted_at = self.ctx.clock.now()
            hold.lift_reason = text
            self.ctx.audit.record(
                s,
                actor.username,
                "hold.lift",
                f"{hold.target}:{hold.target_id}",
                hold=hold.id,
                reason=text,
            )
            return _hold_view(hold)

    def holds(self, token: str, include_lifted: bool = False) -> list[HoldView]:
        """Return the legal holds standing (or all of them), oldest first."""
        self.signin.authorize(token, Action.MANAGE_HOLDS)
        with self.ctx.db.read() as s:
            q = select(LegalHold).order_by(LegalHold.id)
            if not include_lifted:
                q = q.where(LegalHold.lifted_at.is_(None))
            found = [_hold_view(h) for h in s.scalars(q)]
            author_ids = [h.target_id for h in found if h.target is HoldTarget.AUTHOR]
            names = {
                a.id: f"{a.handle} ({a.platform})"
                for a in s.scalars(select(Author).where(Author.id.in_(author_ids)))
            }
        return [
            replace(h, target_name=names.get(h.target_id, ""))
            if h.target is HoldTarget.AUTHOR
            else h
            for h in found
        ]

    def hold_author(self, token: str, platform: str, handle: str, reason: str) -> HoldView:
        """Place a legal hold on the author known by ``handle`` on ``platform``; audited.

        Raises:
            InvalidInput: no handle given, or it names more than one author.
            NotFound: no author with that handle on that platform has written to the desk.
        """
        self.signin.authorize(token, Action.MANAGE_HOLDS)
        name = handle.strip().lstrip("@").strip()
        if not name:
            raise InvalidInput("Give the author's handle (as it shows on the platform).")
        with self.ctx.db.read() as s:
            ids = list(
                s.scalars(
                    select(Author.id).where(
                        Author.platform == platform,
                        func.lower(func.ltrim(Author.handle, "@")) == name.lower(),
                    )
                )
            )
        if not ids:
            raise NotFound(f"No author @{name} on {platform} has written to the desk.")
        if len(ids) > 1:
            raise InvalidInput(
                f"@{name} on {platform} names {len(ids)} authors (ids {', '.join(map(str, ids))}):"
                " hold the one you mean from one of their cases."
            )
        return self.add_hold(token, HoldTarget.AUTHOR, ids[0], reason)

    # public appeals ------------------------------------------------------------------------

    def mark_appeal(
        self,
        token: str,
        case_id: int,
        ends_at: datetime,
        item_id: int | None = None,
        note: str = "",
    ) -> AppealView:
        """Mark a case (or one of its items) as a public appeal ending at ``ends_at``.

        ``note`` (a link to the platform post, say) goes on the case's timeline; the audit
        keeps only its fingerprint, as for any words about a person.
        """
        actor = self.signin.authorize(token, Action.WORK_CASES)
        if ends_at.tzinfo is None:
            raise InvalidInput("Give the appeal's end with a time zone (UTC).")
        note = " ".join(note.split())
        if len(note) > APPEAL_NOTE_MAX:
            raise InvalidInput(
                f"The appeal's note can be at most {APPEAL_NOTE_MAX} characters "
                f"(it has {len(note)})."
            )
        with self.ctx.db.write() as s:
            if s.get(Case, case_id) is None:
                raise NotFound(f"There is no case #{case_id}.")
            if item_id is not None:
                it = s.get(Item, item_id)
                if it is None or it.case_id != case_id:
                    raise InvalidInput(f"Item {item_id} is not part of case #{case_id}.")
            appeal = PublicAppeal(
                case_id=case_id,
                item_id=item_id,
                ends_at=ends_at,
                marked_by=actor.username,
                marked_at=self.ctx.clock.now(),
            )
            s.add(appeal)
            s.flush()
            ending = ends_at.astimezone(UTC)
            audited: dict[str, object] = {"appeal": appeal.id, "ends_at": ending.isoformat()}
            if note:
                audited["note"] = fingerprint(note)
            record_case_event(
                s,
                self.ctx,
                actor.username,
                case_id,
                APPEAL_EVENT,
                f"marked as a public appeal ending {ending:%d %b %Y %H:%M} UTC"
                + (f": {note}" if note else ""),
                audit_details=audited,
                appeal=appeal.id,
                ends_at=ending.isoformat(),
                item=item_id,
                note=note,
            )
            return _appeal_view(appeal, note)

    def appeals(self, token: str, ended_only: bool = False) -> list[AppealView]:
        """Return the public appeals (or those ended and not yet removed/archived), by end."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            q = select(PublicAppeal).order_by(PublicAppeal.ends_at, PublicAppeal.id)
            if ended_only:
                q = q.where(
                    PublicAppeal.done_at.is_(None), PublicAppeal.ends_at <= self.ctx.clock.now()
                )
            rows = list(s.scalars(q))
            notes = appeal_notes(s, [a.case_id for a in rows])
            return [_appeal_view(a, notes.get(a.id, "")) for a in rows]

    def appeal_done(self, token: str, appeal_id: int, how: AppealDone | str) -> AppealView:
        """Record that an ended appeal was removed or archived on the platform."""
        actor = self.signin.authorize(token, Action.WORK_CASES)
        try:
            done = AppealDone(how)
        except ValueError:
            raise InvalidInput(f"An appeal is removed or archived, not {how!r}.") from None
        with self.ctx.db.write() as s:
            appeal = s.get(PublicAppeal, appeal_id)
            if appeal is None:
                raise NotFound(f"There is no public appeal #{appeal_id}.")
            if appeal.done_at is not None:
                raise Conflict(
                    f"Appeal #{appeal_id} was already {appeal.done_how} by {appeal.done_by}."
                )
            appeal.done_how = done.value
            appeal.done_by = actor.username
            appeal.done_at = self.ctx.clock.now()
            record_case_event(
                s,
                self.ctx,
                actor.username,
                appeal.case_id,
                "appeal_done",
                f"public appeal {done.value} on the platform",
                appeal=appeal.id,
                how=done.value,
            )
            return _appeal_view(appeal)


def ended_appeal_notes(s: Session, until: datetime) -> list[HandoverNoteEntry]:
    """Handover lines for the public appeals ended by ``until`` and not yet removed/archived."""
    rows = s.scalars(
        select(PublicAppeal)
        .where(PublicAppeal.done_at.is_(None), PublicAppeal.ends_at <= until)
        .order_by(PublicAppeal.ends_at, PublicAppeal.id)
    )
    return [
        HandoverNoteEntry(
            a.ends_at,
            "Desk",
            f"Public appeal #{a.id} on case #{a.case_id} ended "
            f"{a.ends_at.astimezone(UTC):%d %b %Y %H:%M} UTC: remove or archive it on the "
            f"platform, then record it (desk-admin appeal done {a.id} removed|archived).",
        )
        for a in rows
    ]
