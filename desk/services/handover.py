"""Shift handover: compile the report, notes, notable cases, sign-off and the audit anchors.

Every part of the report is a bounded, indexed query (counts plus the top few), so that a
desk with a million items compiles it in well under a second or two.
"""

from __future__ import annotations

import builtins
import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from desk.core.case_history import CaseState, TimelineLine, replay
from desk.core.cases import OPEN_STATUS_CODES
from desk.core.errors import Conflict, DeskError, InvalidInput, NotFound
from desk.core.handover import (
    OUTAGES,
    PRIORITIES,
    CoverageGap,
    HandoverNoteEntry,
    HandoverReport,
    MissedTarget,
    NotableCase,
    OpenCase,
    PriorityGroup,
    Signature,
    SigninEvent,
    SurgeWindow,
    WaitingEscalation,
    describes_until,
    early_sign_off_reason,
    report_from_json,
    report_to_json,
)
from desk.core.outages import outage_to_dict
from desk.core.roles import Action
from desk.core.shifts import (
    DEFAULT_PATTERN_TEXT,
    Shift,
    ShiftPattern,
    parse_pattern,
    shift_containing,
)
from desk.core.surge import DEFAULT_MULTIPLE, WINDOW, assess_surge
from desk.core.targets import DEFAULT_TARGETS_TEXT, parse_targets
from desk.services.account_register import handover_notes as account_review_notes
from desk.services.areas import check_case_scope
from desk.services.context import DeskContext
from desk.services.coverage import periods_overlapping
from desk.services.impersonation import handover_notes as impersonation_notes
from desk.services.outages import outages_overlapping
from desk.services.retention import ended_appeal_notes
from desk.services.settings import desk_heading
from desk.services.signin import SignInService
from desk.services.subject_access import handover_notes as sar_handover_notes
from desk.services.third_party_apps import handover_notes as app_notes
from desk.services.timeline import record_case_event
from desk.store.tables import (
    Account,
    AuditEntry,
    Case,
    CaseEvent,
    ErasureRedaction,
    Escalation,
    EscalationTarget,
    Handover,
    HandoverNote,
    Item,
    ModerationAction,
)

TOP = 10  # the first few listed per part; counts are always complete
OLDEST = 5  # the oldest open cases listed per priority
NOTABLE_LOOKBACK = 500  # flags looked at (newest first) to find the cases still flagged
SIGNIN_KINDS = {"signin.failure": "failure", "signin.lock": "lock", "signin.alert": "alert"}
MAX_NOTE = 5_000
MAX_REASON = 300
BASELINE_DAYS = 7


@dataclass(frozen=True)
class HandoverSummary:
    """A handover in the list of past ones."""

    shift_start: datetime
    shift_end: datetime
    signed_by: str
    signed_at: datetime
    audit_seq: int


@dataclass(frozen=True)
class AnchorReport:
    """The result of checking every signed handover's audit anchor."""

    checked: int
    problems: list[str]
    # handovers redacted by an erasure after signing, each explained by its recorded digests
    redacted: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """True when every anchor still matches the audit log."""
        return not self.problems


def _audit_text(moment: datetime) -> str:
    """A time in the audit log's stored form (comparable as text)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def report_digest(report_json: str) -> str:
    """The SHA-256 of a stored report: the sign-off's audit entry names it."""
    return hashlib.sha256(report_json.encode("utf-8")).hexdigest()


class HandoverService:
    """Compiles, annotates, signs off and lists shift handovers."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    # shifts ------------------------------------------------------------------------------

    def pattern(self) -> ShiftPattern:
        """The desk's shift pattern (the ``shift_patterns`` setting)."""
        return parse_pattern(str(self.ctx.setting("shift_patterns", DEFAULT_PATTERN_TEXT)))

    def shift_at(self, moment: datetime) -> Shift:
        """Return the shift containing ``moment``."""
        return shift_containing(self.pattern(), moment)

    # compile -----------------------------------------------------------------------------

    def compile(self, token: str, shift_start: datetime) -> HandoverReport:
        """Compile the handover for the shift containing ``shift_start``."""
        self.signin.authorize(token, Action.SIGN_OFF_HANDOVER)
        shift = self.shift_at(shift_start)
        with self.ctx.db.read() as s:
            return self._compile(s, shift)

    def _compile(self, s: Session, shift: Shift, early_reason: str = "") -> HandoverReport:
        """The report on ``shift`` as of its end (or as of now, while it is still running)."""
        now = self.ctx.clock.now()
        start, end = shift.start, shift.end
        until = describes_until(shift, now)
        boundary = _seq_at(s, until)
        esc_count, escalations = self._escalations(s, until)
        missed_count, missed = self._missed(s, start, until)
        signin_counts, signin = self._signin(s, start, until)
        return HandoverReport(
            shift_start=start,
            shift_end=end,
            compiled_at=now,
            desk_name=desk_heading(self.ctx),
            open_cases=self._open_cases(s, until, boundary),
            escalations_waiting=esc_count,
            escalations=escalations,
            targets_missed=missed_count,
            missed=missed,
            surges=self._surges(s, start, until),
            moderation=self._moderation(s, start, until),
            notable=self._notable(s, until, boundary),
            coverage=self._coverage(s, start, end),
            signin_counts=signin_counts,
            signin=signin,
            notes=self._notes(s, start)
            + ended_appeal_notes(s, until)
            + sar_handover_notes(s, until)  # issue 13
            + impersonation_notes(s, until)  # issue 14: suspected fake accounts
            + account_review_notes(s, until)  # issue 14: overdue security reviews
            + app_notes(s, until),  # issue 14: third-party apps overdue or on closed accounts
            as_of=until,
            early_reason=early_reason,
            # issue 16: outages during the shift, with what the desk did
            extra={OUTAGES: [outage_to_dict(o) for o in outages_overlapping(s, start, until)]},
        )

    def _open_cases(self, s: Session, until: datetime, boundary: int) -> list[PriorityGroup]:
        """The cases open at ``until``, by priority, with the oldest few listed.

        Those open now, corrected by the closes and re-opens recorded since: a bounded read,
        as only what changed after ``until`` is replayed.
        """
        arrived = Case.opened_at < until
        still_open = Case.status.in_(OPEN_STATUS_CODES)
        counts: dict[int, int] = {
            int(p): int(n)
            for p, n in s.execute(
                select(Case.priority, func.count())
                .where(still_open, arrived)
                .group_by(Case.priority)
            )
        }
        changed = _cases_in_audit(s, ("case.close", "case.reopen"), boundary)
        states = _states_at(s, changed, until)
        closed_then: set[int] = set()  # open now, closed at ``until``
        open_then: dict[int, list[Case]] = {}  # closed now, open at ``until``
        for case in _cases(s, changed):
            if case.opened_at >= until:
                continue
            now_open = case.status in OPEN_STATUS_CODES
            then_open = states[case.id].open
            if now_open and not then_open:
                closed_then.add(case.id)
                counts[case.priority] = counts.get(case.priority, 0) - 1
            elif then_open and not now_open:
                open_then.setdefault(case.priority, []).append(case)
                counts[case.priority] = counts.get(case.priority, 0) + 1
        groups = []
        for p in sorted(set(PRIORITIES) | set(counts)):
            rows = s.execute(
                select(Case.id, Case.summary, Case.status, Case.opened_at, Account.username)
                .outerjoin(Account, Account.id == Case.owner_id)
                .where(Case.priority == p, still_open, arrived)
                .order_by(Case.opened_at, Case.id)
                .limit(OLDEST + len(closed_then))
            ).all()
            found = [
                OpenCase(r[0], r[1], r[2], r[3], r[4]) for r in rows if r[0] not in closed_then
            ]
            found += [
                OpenCase(c.id, c.summary, c.status, c.opened_at, None) for c in open_then.get(p, [])
            ]
            found.sort(key=lambda c: (c.opened_at, c.case_id))
            groups.append(PriorityGroup(p, max(0, counts.get(p, 0)), found[:OLDEST]))
        return self._as_they_were(s, groups, until)

    def _as_they_were(
        self, s: Session, groups: list[PriorityGroup], until: datetime
    ) -> list[PriorityGroup]:
        """The listed cases' status and owner at ``until`` (replayed where changed since)."""
        listed = [c.case_id for g in groups for c in g.oldest]
        moved = _changed_since(s, listed, until)
        if not moved:
            return groups
        states = _states_at(s, moved, until)
        return [
            PriorityGroup(
                g.priority,
                g.count,
                [
                    replace(c, status=states[c.case_id].status.value, owner=states[c.case_id].owner)
                    if c.case_id in states
                    else c
                    for c in g.oldest
                ],
            )
            for g in groups
        ]

    def _escalations(self, s: Session, until: datetime) -> tuple[int, list[WaitingEscalation]]:
        waiting = and_(
            Escalation.created_at < until,
            or_(Escalation.acknowledged_at.is_(None), Escalation.acknowledged_at > until),
        )
        count = s.scalar(select(func.count()).select_from(Escalation).where(waiting)) or 0
        rows = s.execute(
            select(Escalation, EscalationTarget.name)
            .outerjoin(EscalationTarget, EscalationTarget.id == Escalation.target_id)
            .where(waiting)
            .order_by(Escalation.deadline_at)
            .limit(TOP)
        ).all()
        found = [
            WaitingEscalation(
                e.id,
                e.case_id,
                name or e.kind,
                e.urgency,
                e.summary,
                e.created_at,
                e.deadline_at,
                e.deadline_at < until,
            )
            for e, name in rows
        ]
        return int(count), found

    def _missed(
        self, s: Session, start: datetime, until: datetime
    ) -> tuple[int, list[MissedTarget]]:
        if until <= start:
            return 0, []
        # due_at is never later than opened_at plus the longest response target, so a range
        # on opened_at within each priority uses the queue index instead of reading every case
        condition = and_(
            Case.priority.in_(PRIORITIES),
            Case.opened_at >= start - self._longest_target(),
            Case.opened_at < until,
            Case.due_at >= start,
            Case.due_at < until,
            or_(Case.first_action_at.is_(None), Case.first_action_at > Case.due_at),
        )
        count = s.scalar(select(func.count()).select_from(Case).where(condition)) or 0
        rows = s.execute(
            select(Case.id, Case.priority, Case.summary, Case.due_at, Case.first_action_at)
            .where(condition)
            .order_by(Case.priority, Case.due_at)
            .limit(TOP)
        ).all()
        # a first action after ``until`` had not happened yet at the moment described
        return int(count), [
            MissedTarget(r[0], r[1], r[2], r[3], r[4] if r[4] and r[4] <= until else None)
            for r in rows
        ]

    def _longest_target(self) -> timedelta:
        """The longest response target, with a day's margin for targets changed since."""
        try:
            targets = parse_targets(str(self.ctx.setting("response_targets", DEFAULT_TARGETS_TEXT)))
            longest = max(targets.values(), default=timedelta(days=1))
        except DeskError:
            longest = timedelta(days=7)
        return max(longest, timedelta(days=1)) + timedelta(days=1)

    def _arrivals(self, s: Session, start: datetime, end: datetime) -> list[dict[str, int]]:
        """Arrivals per platform (and 'all') in each 15 minutes from ``start`` to ``end``."""
        windows = []
        at = start
        while at < end:
            rows = s.execute(
                select(Item.platform, func.count())
                .where(Item.received_at >= at, Item.received_at < at + WINDOW)
                .group_by(Item.platform)
            )
            counts = {platform: int(n) for platform, n in rows}
            counts["all"] = sum(counts.values())
            windows.append(counts)
            at += WINDOW
        return windows

    def _surges(self, s: Session, start: datetime, until: datetime) -> list[SurgeWindow]:
        if until <= start:
            return []
        factor = float(self.ctx.setting("surge_multiple", DEFAULT_MULTIPLE))
        recent = self._arrivals(s, start, until)
        history = [
            self._arrivals(s, start - timedelta(days=d), until - timedelta(days=d))
            for d in range(1, BASELINE_DAYS + 1)
        ]
        found: list[SurgeWindow] = []
        open_runs: dict[str, SurgeWindow] = {}
        for index, counts in enumerate(recent):
            at = start + WINDOW * index
            seen = set()
            for platform in sorted(counts):
                earlier = [h[index].get(platform, 0) for h in history if index < len(h)]
                surge = assess_surge(platform, counts[platform], earlier, factor)
                if surge is None:
                    continue
                seen.add(platform)
                run = open_runs.get(platform)
                if run is not None and run.end == at:
                    open_runs[platform] = SurgeWindow(
                        platform,
                        run.start,
                        at + WINDOW,
                        run.arrivals + surge.arrivals,
                        run.baseline + surge.baseline,
                        max(run.multiple, surge.multiple),
                    )
                else:
                    if run is not None:
                        found.append(run)
                    open_runs[platform] = SurgeWindow(
                        platform, at, at + WINDOW, surge.arrivals, surge.baseline, surge.multiple
                    )
            for platform in [p for p in open_runs if p not in seen]:
                found.append(open_runs.pop(platform))
        found.extend(open_runs.values())
        return sorted(found, key=lambda w: (w.start, w.platform))

    def _moderation(self, s: Session, start: datetime, until: datetime) -> dict[str, int]:
        rows = s.execute(
            select(ModerationAction.action, func.count())
            .where(ModerationAction.at >= start, ModerationAction.at < until)
            .group_by(ModerationAction.action)
        )
        return {action: int(n) for action, n in rows}

    def _notable(self, s: Session, until: datetime, boundary: int) -> list[NotableCase]:
        # the flags and unflags up to ``until``, newest first, through the audit's (action,
        # seq) index; the newest decides whether a case was flagged then, and why
        rows = s.execute(
            select(AuditEntry.object, AuditEntry.action, AuditEntry.details)
            .where(
                AuditEntry.action.in_(("case.notable", "case.unnotable")),
                AuditEntry.seq <= boundary,
            )
            .order_by(AuditEntry.seq.desc())
            .limit(NOTABLE_LOOKBACK)
        ).all()
        reasons: dict[int, str] = {}
        for obj, action, details in rows:
            case_id = int(obj.split(":", 1)[1])
            if case_id not in reasons:
                reasons[case_id] = (
                    str(_details_field(details, "reason") or "") if action == "case.notable" else ""
                )
        ids = [i for i, reason in reasons.items() if reason]
        if not ids:
            return []
        by_id = {c.id: c for c in _cases(s, ids)}
        moved = _changed_since(s, ids, until)
        states = _states_at(s, moved, until)
        found = []
        for i in ids:
            case = by_id.get(i)
            if case is None:
                continue
            status = states[i].status.value if i in states else case.status
            found.append(NotableCase(i, case.priority, status, case.summary, reasons[i]))
        return found[: TOP * 3]

    def _coverage(self, s: Session, start: datetime, end: datetime) -> list[CoverageGap]:
        rows = periods_overlapping(s, start, end)
        return [
            CoverageGap(
                r.starts_at, r.ends_at, r.reason, r.platform, r.risk_accepted, r.recorded_by
            )
            for r in rows
        ]

    def _signin(
        self, s: Session, start: datetime, until: datetime
    ) -> tuple[dict[str, int], list[SigninEvent]]:
        within = and_(
            AuditEntry.action.in_(SIGNIN_KINDS),
            AuditEntry.at >= _audit_text(start),
            AuditEntry.at < _audit_text(until),
        )
        counts = {
            SIGNIN_KINDS[action]: int(n)
            for action, n in s.execute(
                select(AuditEntry.action, func.count()).where(within).group_by(AuditEntry.action)
            )
        }
        rows = s.execute(
            select(AuditEntry.at, AuditEntry.action, AuditEntry.object, AuditEntry.details)
            .where(within)
            .order_by(AuditEntry.seq.desc())
            .limit(TOP * 3)
        ).all()
        events = []
        for at, action, obj, details in rows:
            events.append(
                SigninEvent(
                    datetime.fromisoformat(at.replace("Z", "+00:00")),
                    SIGNIN_KINDS[action],
                    obj.split(":", 1)[-1],
                    _detail(details),
                )
            )
        return counts, events

    def _notes(self, s: Session, start: datetime) -> list[HandoverNoteEntry]:
        rows = s.scalars(
            select(HandoverNote)
            .where(HandoverNote.shift_start == start)
            .order_by(HandoverNote.at, HandoverNote.id)
        )
        return [HandoverNoteEntry(n.at, n.author, n.text) for n in rows]

    # notes and notable cases -------------------------------------------------------------

    def _signed(self, s: Session, start: datetime) -> Handover | None:
        return s.scalar(select(Handover).where(Handover.shift_start == start))

    def add_note(self, token: str, shift_start: datetime, text: str) -> Shift:
        """Add an outgoing operator's note to the handover of the shift containing the time."""
        actor = self.signin.authorize(token, Action.WORK_CASES)
        body = text.strip()
        if not body:
            raise InvalidInput("A handover note cannot be empty.")
        if len(body) > MAX_NOTE:
            raise InvalidInput(
                f"A handover note can be at most {MAX_NOTE:,} characters (this has {len(body):,})."
            )
        shift = self.shift_at(shift_start)
        with self.ctx.db.write() as s:
            signed = self._signed(s, shift.start)
            if signed is not None:
                raise Conflict(
                    f"The handover for {shift.label()} was signed off by {signed.signed_by}: "
                    "it is read-only, so the note was not added. Add it to the next shift's "
                    "handover instead."
                )
            note = HandoverNote(
                shift_start=shift.start, at=self.ctx.clock.now(), author=actor.username, text=body
            )
            s.add(note)
            s.flush()
            self.ctx.audit.record(
                s,
                actor.username,
                "handover.note",
                f"handover:{_audit_text(shift.start)}",
                note_id=note.id,
            )
        return shift

    def _flag(self, token: str, case_id: int, reason: str) -> None:
        actor = self.signin.authorize(token, Action.WORK_CASES)
        kind = "notable" if reason else "unnotable"
        with self.ctx.db.write() as s:
            case = s.get(Case, case_id)
            if case is None:
                raise NotFound(f"There is no case #{case_id}.")
            check_case_scope(s, actor, case)  # a person scoped to areas: only theirs
            if not reason and not case.notable:
                raise Conflict(f"Case #{case_id} is not flagged as notable.")
            before = case.notable
            case.notable = reason
            details: dict[str, Any] = {"reason": reason} if reason else {"was": before}
            record_case_event(
                s, self.ctx, actor.username, case.id, kind, reason or "no longer notable", **details
            )

    def flag_notable(self, token: str, case_id: int, reason: str) -> None:
        """Flag a case as notable for the handover, saying why (timeline and audit)."""
        text = " ".join(reason.split())
        if not text:
            raise InvalidInput("Say why the case is notable: the reason cannot be empty.")
        if len(text) > MAX_REASON:
            raise InvalidInput(
                f"The reason can be at most {MAX_REASON} characters (this has {len(text)})."
            )
        self._flag(token, case_id, text)

    def unflag_notable(self, token: str, case_id: int) -> None:
        """Clear a case's notable flag (timeline and audit)."""
        self._flag(token, case_id, "")

    # sign-off ----------------------------------------------------------------------------

    def sign_off(self, token: str, shift_start: datetime, early_reason: str = "") -> HandoverReport:
        """Sign off the handover of the shift containing the time; it is then read-only.

        The report describes the shift as of its end. A shift still running is signed off only
        with ``early_reason`` (why now): the report then describes the shift so far, and the
        reason is kept in it, shown with the signature and written to the audit entry.

        The report is compiled and frozen inside the write transaction (SQLite's write lock
        is taken at BEGIN, so nothing can change between compiling and signing). The anchor is
        the sign-off's own audit entry: the newest entry when the transaction commits. Anchoring
        it, rather than the entry before it, means that cutting the log back to before the
        sign-off is detected too. That entry names the report's SHA-256, binding the frozen
        report to the chain.
        """
        actor = self.signin.authorize(token, Action.SIGN_OFF_HANDOVER)
        shift = self.shift_at(shift_start)
        now = self.ctx.clock.now()
        if shift.start > now:
            raise InvalidInput(f"The shift {shift.label()} has not started yet: nothing to sign.")
        reason = early_sign_off_reason(shift, now, early_reason)
        with self.ctx.db.write() as s:
            signed = self._signed(s, shift.start)
            if signed is not None:
                raise Conflict(
                    f"The handover for {shift.label()} was already signed off by "
                    f"{signed.signed_by} (audit entry #{signed.audit_seq})."
                )
            report = self._compile(s, shift, reason)
            frozen = report_to_json(report)
            row = Handover(
                shift_start=shift.start,
                shift_end=shift.end,
                compiled_at=report.compiled_at,
                report=frozen,
                signed_at=now,
                signed_by=actor.username,
                audit_seq=0,
                audit_hash="",
            )
            s.add(row)
            previous = s.scalar(select(func.max(AuditEntry.seq))) or 0
            seq = self.ctx.audit.record(
                s,
                actor.username,
                "handover.sign_off",
                f"handover:{_audit_text(shift.start)}",
                shift_end=_audit_text(shift.end),
                report_sha256=report_digest(frozen),
                previous_seq=previous,
                **({"early_reason": reason} if reason else {}),
            )
            row.audit_seq = seq
            row.audit_hash = s.scalar(select(AuditEntry.hash).where(AuditEntry.seq == seq)) or ""
        return replace(report, signature=Signature(actor.username, now, seq, row.audit_hash))

    # reading -----------------------------------------------------------------------------

    def _from_row(self, row: Handover) -> HandoverReport:
        report = report_from_json(row.report)
        sig = Signature(row.signed_by, row.signed_at, row.audit_seq, row.audit_hash)
        return replace(report, signature=sig)

    def get(self, token: str, shift_start: datetime) -> HandoverReport:
        """Return the handover of the shift containing the time: as signed, else compiled now."""
        self.signin.authorize(token, Action.SIGN_OFF_HANDOVER)
        shift = self.shift_at(shift_start)
        with self.ctx.db.read() as s:
            row = self._signed(s, shift.start)
            if row is not None:
                return self._from_row(row)
            return self._compile(s, shift)

    def for_export(self, token: str, shift_start: datetime) -> HandoverReport:
        """Return a handover to export (as signed, else compiled now): exporting is not signing."""
        self.signin.authorize(token, Action.EXPORT_HANDOVER)
        shift = self.shift_at(shift_start)
        with self.ctx.db.read() as s:
            row = self._signed(s, shift.start)
            return self._from_row(row) if row is not None else self._compile(s, shift)

    def signed(self, token: str, shift_start: datetime) -> HandoverReport:
        """Return the signed-off handover of the shift containing the time, or say there is none."""
        self.signin.authorize(token, Action.SIGN_OFF_HANDOVER)
        shift = self.shift_at(shift_start)
        with self.ctx.db.read() as s:
            row = self._signed(s, shift.start)
            if row is None:
                raise NotFound(f"The handover for {shift.label()} has not been signed off.")
            return self._from_row(row)

    def list(self, token: str, text: str = "", limit: int = 200) -> list[HandoverSummary]:
        """Return signed-off handovers, newest first.

        With ``text``, only those whose report or signer contains it (case-insensitive).
        """
        self.signin.authorize(token, Action.SIGN_OFF_HANDOVER)
        query = select(Handover).order_by(Handover.shift_start.desc()).limit(limit)
        needle = text.strip()
        if needle:
            lowered = needle.lower()
            query = query.where(
                or_(
                    func.lower(Handover.report).contains(lowered, autoescape=True),
                    func.lower(Handover.signed_by).contains(lowered, autoescape=True),
                )
            )
        with self.ctx.db.read() as s:
            return [
                HandoverSummary(r.shift_start, r.shift_end, r.signed_by, r.signed_at, r.audit_seq)
                for r in s.scalars(query)
            ]

    def search(self, token: str, text: str) -> builtins.list[HandoverSummary]:
        """Return signed-off handovers mentioning ``text``."""
        return self.list(token, text)

    # anchors -----------------------------------------------------------------------------

    def verify_anchors(self, token: str) -> AnchorReport:
        """Check every signed handover's audit anchor still exists with the same hash.

        The chain alone cannot show that its newest entries were cut off; an anchor kept
        outside the log can.
        """
        self.signin.authorize(token, Action.VERIFY_AUDIT)
        problems: builtins.list[str] = []
        redacted: builtins.list[str] = []
        checked = 0
        with self.ctx.db.read() as s:
            rows = s.execute(
                select(
                    Handover.shift_start,
                    Handover.audit_seq,
                    Handover.audit_hash,
                    Handover.report,
                    Handover.id,
                ).order_by(Handover.shift_start)
            ).all()
            for start, seq, digest, frozen, handover_id in rows:
                checked += 1
                found = s.execute(
                    select(AuditEntry.hash, AuditEntry.details).where(AuditEntry.seq == seq)
                ).first()
                when = _audit_text(start)
                if found is None:
                    problems.append(
                        f"the handover for the shift starting {when} is anchored to audit entry "
                        f"#{seq}, which no longer exists: the audit log was cut back"
                    )
                elif found.hash != digest:
                    problems.append(
                        f"the handover for the shift starting {when} is anchored to audit entry "
                        f"#{seq}, whose hash has changed"
                    )
                elif (signed := _details_field(found.details, "report_sha256")) != (
                    now := report_digest(frozen)
                ):
                    if _redactions_explain(s, handover_id, signed, now):
                        redacted.append(
                            f"the handover for the shift starting {when} was redacted by an "
                            f"erasure after signing (audit entry #{seq} names the report as "
                            "signed; the redaction record links it to the one kept)"
                        )
                        continue
                    problems.append(
                        f"the stored report of the handover for the shift starting {when} no "
                        f"longer matches the one signed (audit entry #{seq})"
                    )
        return AnchorReport(checked, problems, redacted)


def _redactions_explain(s: Session, handover_id: int, signed: Any, now: str) -> bool:
    """Tell whether erasure redactions lead, digest by digest, from the signed report to ``now``.

    Each redaction records the report's SHA-256 before and after; the first must start from
    the digest the sign-off's audit entry names, the last must end at the stored report's.
    """
    steps = s.execute(
        select(ErasureRedaction.old_sha256, ErasureRedaction.new_sha256)
        .where(ErasureRedaction.target == "handover", ErasureRedaction.target_id == handover_id)
        .order_by(ErasureRedaction.id)
    ).all()
    if not steps or not isinstance(signed, str):
        return False
    digest = signed
    for old, new in steps:
        if old != digest:
            return False
        digest = new
    return digest == now


def _details_field(text: str, key: str) -> Any:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data.get(key) if isinstance(data, dict) else None


def _detail(text: str) -> str:
    try:
        data = json.loads(text)
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    return ", ".join(f"{k}={v}" for k, v in sorted(data.items()))


def _seq_at(s: Session, moment: datetime) -> int:
    """The newest audit entry recorded at or before ``moment`` (0 when none).

    Read backwards from the newest entry: it costs what was recorded since ``moment``.
    """
    seq = s.scalar(
        select(AuditEntry.seq)
        .where(AuditEntry.at <= _audit_text(moment))
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    )
    return int(seq or 0)


def _cases_in_audit(s: Session, actions: tuple[str, ...], after_seq: int) -> list[int]:
    """The cases named by audit entries of ``actions`` recorded after entry ``after_seq``."""
    objects = s.scalars(
        select(AuditEntry.object).where(AuditEntry.action.in_(actions), AuditEntry.seq > after_seq)
    )
    return sorted({int(obj.split(":", 1)[1]) for obj in objects})


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _cases(s: Session, ids: list[int]) -> list[Case]:
    found: list[Case] = []
    for chunk in _chunks(ids):
        found.extend(s.scalars(select(Case).where(Case.id.in_(chunk))))
    return found


def _changed_since(s: Session, ids: list[int], moment: datetime) -> list[int]:
    """Those of ``ids`` whose timeline has a line after ``moment``."""
    moved: set[int] = set()
    for chunk in _chunks(ids):
        moved.update(
            s.scalars(
                select(CaseEvent.case_id)
                .where(CaseEvent.case_id.in_(chunk), CaseEvent.at > moment)
                .distinct()
            )
        )
    return sorted(moved)


def _states_at(s: Session, ids: list[int], moment: datetime) -> dict[int, CaseState]:
    """Each case's status and owner at ``moment``, replayed from its timeline up to then."""
    lines: dict[int, list[TimelineLine]] = {i: [] for i in ids}
    for chunk in _chunks(ids):
        rows = s.execute(
            select(CaseEvent.case_id, CaseEvent.kind, CaseEvent.actor, CaseEvent.details)
            .where(CaseEvent.case_id.in_(chunk), CaseEvent.at <= moment)
            .order_by(CaseEvent.case_id, CaseEvent.id)
        )
        for case_id, kind, actor, details in rows:
            data = _details_json(details)
            lines[case_id].append(TimelineLine(kind, actor, data))
    return {i: replay(found) for i, found in lines.items()}


def _details_json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
