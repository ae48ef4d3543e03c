"""The impersonation watch: look-alike authors flagged, and the suspected fake accounts register.

Who does what (least privilege, docs/account-estate.md): anyone who reads the queue sees the
flags and the register; operators, communications and supervisors add a suspect and its
evidence (``FLAG_FAKE_ACCOUNTS``); communications and supervisors record the report to the
platform and its outcome (``MANAGE_FAKE_ACCOUNTS``) and are reminded of reports left without
an outcome; administrators re-check every author (``MANAGE_OFFICIAL_ACCOUNTS``: after adding
an official account or changing the force's name).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from desk.core.errors import Conflict, InvalidInput, NotFound
from desk.core.handover import HandoverNoteEntry
from desk.core.impersonation import (
    DEFAULT_REPORT_DAYS,
    Field,
    LookAlikeWatch,
    Official,
    Outcome,
    Resemblance,
    Why,
    bare_handle,
    report_overdue,
)
from desk.core.items import Platform
from desk.core.roles import Action, may
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.store.tables import Author, Item, OfficialAccount, Setting, SuspectAccount

REPORT_DAYS_SETTING = "impersonation_report_days"
_NOTE_MAX = 4000
_LINK_MAX = 500
_TEXT_MAX = 400  # authors.impersonation
_SCAN_BATCH = 1000
_HANDOVER_LIMIT = 20


@dataclass(frozen=True)
class SuspectView:
    """One suspected fake account in the register, as lists and the window show it."""

    id: int
    platform: str
    handle: str
    link: str
    author_id: int | None  # the author the desk saw it as, if any
    resembles_id: int | None  # the official account it imitates, if known
    resembles: str | None  # that account's handle
    links: tuple[str, ...]  # evidence: links to posts, screenshots, the profile
    item_ids: tuple[int, ...]  # evidence: the items seen from it
    note: str
    first_seen_at: datetime
    added_by: str
    added_at: datetime
    reported_at: datetime | None  # when it was reported to the platform
    report_reference: str | None  # the platform's reference for that report
    reported_by: str | None
    outcome: Outcome
    outcome_at: datetime | None
    outcome_by: str | None
    overdue: bool  # reported, no outcome, and waiting longer than the setting allows


@dataclass(frozen=True)
class Reminder:
    """A to-do for supervisors: a report to a platform still without an outcome."""

    suspect_id: int
    platform: str
    handle: str
    reported_at: datetime
    report_reference: str
    days_waiting: int
    text: str


@dataclass(frozen=True)
class FlaggedAuthor:
    """An author whose handle or display name resembles an official account."""

    author_id: int
    platform: str
    handle: str
    display_name: str
    resembles_id: int
    why: Why
    impersonates: str  # "resembles @SurreyPolice: Cyrillic look-alike ('а' for 'a')"


@dataclass(frozen=True)
class ScanReport:
    """What a re-check of every author found."""

    checked: int
    flagged: int  # authors flagged after the scan
    newly_flagged: tuple[int, ...]  # author ids
    cleared: tuple[int, ...]  # author ids no longer flagged
    changed: tuple[int, ...]  # author ids flagged before and now for another reason


def _swap(seen: str, instead_of: str) -> str:
    """One swap as read on screen: a non-ASCII look-alike gets its code point."""
    if seen.isascii():
        return f"'{seen}' for '{instead_of}'"
    points = " ".join(f"U+{ord(c):04X}" for c in seen)
    return f"'{seen}' ({points}) for '{instead_of}'"


def describe(found: Resemblance) -> str:
    """Say what an author resembles and why, as the queue and the case pane show it."""
    who = (
        found.official_handle
        if found.official_handle.startswith("@")
        else f"{found.official_handle} on {found.official_platform}"
    )
    subject = f"resembles {who}"
    if found.field is Field.DISPLAY_NAME:
        subject += f" (display name {found.name!r})"
    swaps = ", ".join(_swap(s.seen, s.instead_of) for s in found.swaps[:3])
    scripts = sorted({s.script for s in found.swaps} - {"Latin", "Digit", "Common"})
    look = f"{'/'.join(scripts)} look-alike" if scripts else "look-alike characters"
    if found.why is Why.LOOK_ALIKE:
        reason = f"{look} ({swaps})" if swaps else look
    elif found.why is Why.SAME_NAME:
        reason = "the same name"
    elif found.why is Why.ADDED:
        added = ", ".join(repr(a) for a in found.added) or "words"
        reason = f"the same name with {added} added"
        if swaps:
            reason += f" and {look} ({swaps})"
    elif found.why is Why.NEAR_MISS:
        reason = f"one letter different ({found.name})"
    else:
        reason = f"the force's name with a police word ({found.name})"
    return f"{subject}: {reason}"[:_TEXT_MAX]


def _watch(s: Session) -> LookAlikeWatch:
    """The official accounts and the force's name, read in ``s``."""
    setting = s.get(Setting, "force_name")
    force = str(json.loads(setting.value) or "") if setting else ""
    officials = [
        Official(o.id, o.platform, o.handle, o.display_name)
        for o in s.scalars(select(OfficialAccount).order_by(OfficialAccount.id))
    ]
    return LookAlikeWatch(officials, force)


def _apply(author: Author, found: Resemblance | None) -> tuple[str | None, str | None]:
    """Set or clear the author's flag; return (before, after) texts."""
    before = author.impersonation
    if found is None:
        author.impersonation_of = None
        author.impersonation_why = None
        author.impersonation = None
    else:
        author.impersonation_of = found.account_id
        author.impersonation_why = found.why.value
        author.impersonation = describe(found)
    return before, author.impersonation


_AUTHOR_NAMES = (Author.id, Author.platform, Author.handle, Author.display_name)


def _flag_rows(s: Session, ctx: DeskContext, watch: LookAlikeWatch, rows: Any, actor: str) -> int:
    """Flag each (id, platform, handle, display name) row that resembles an official account."""
    flagged = 0
    for author_id, platform, handle, name in rows:
        found = watch.check(platform, handle, name)
        if found is None:
            continue
        text = describe(found)
        s.execute(
            update(Author)
            .where(Author.id == author_id)
            .values(
                impersonation_of=found.account_id,
                impersonation_why=found.why.value,
                impersonation=text,
            )
        )
        flagged += 1
        ctx.audit.record(
            s,
            actor,
            "impersonation.flag",
            f"author:{author_id}",
            resembles=found.account_id,
            why=found.why.value,
            text=text,
        )
    return flagged


def flag_new_authors(
    s: Session, ctx: DeskContext, author_ids: Iterable[int], actor: str = "system"
) -> int:
    """Check newly arrived authors in the caller's transaction; flag and audit look-alikes.

    Returns how many were flagged. An import calls :func:`flag_authors_added_after`.
    """
    ids = sorted(set(author_ids))
    watch = _watch(s)
    if not ids or not watch.officials:
        return 0
    flagged = 0
    for start in range(0, len(ids), _SCAN_BATCH):
        chunk = ids[start : start + _SCAN_BATCH]
        rows = s.execute(
            select(*_AUTHOR_NAMES).where(Author.id.in_(chunk), Author.impersonation.is_(None))
        ).all()
        flagged += _flag_rows(s, ctx, watch, rows, actor)
    return flagged


def flag_authors_added_after(
    s: Session, ctx: DeskContext, floor: int, actor: str = "system"
) -> int:
    """Flag the authors an import added (ids above ``floor``), in the import's transaction.

    The hook for ``ImportService._store_as``: after ``writer.close()`` and before its audit
    entry, ``flag_authors_added_after(s, self.ctx, writer.author_floor, actor)``. Returns how
    many were flagged; each flag is audited.
    """
    watch = _watch(s)
    if not watch.officials:
        return 0
    rows = s.execute(
        select(*_AUTHOR_NAMES)
        .where(Author.id > floor, Author.impersonation.is_(None))
        .order_by(Author.id)
    ).all()
    return _flag_rows(s, ctx, watch, rows, actor)


def _report_days(s: Session) -> int:
    row = s.get(Setting, REPORT_DAYS_SETTING)
    return int(json.loads(row.value)) if row else DEFAULT_REPORT_DAYS


def _overdue_rows(s: Session, until: datetime, days: int) -> Sequence[SuspectAccount]:
    return s.scalars(
        select(SuspectAccount)
        .where(
            SuspectAccount.outcome == Outcome.PENDING.value,
            SuspectAccount.reported_at.is_not(None),
            SuspectAccount.reported_at <= until - timedelta(days=days),
        )
        .order_by(SuspectAccount.reported_at, SuspectAccount.id)
    ).all()


def _day(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%d %b %Y}"


def handover_notes(s: Session, until: datetime) -> list[HandoverNoteEntry]:
    """Handover lines for the register: reports overdue for an outcome, suspects not reported."""
    days = _report_days(s)
    notes = [
        HandoverNoteEntry(
            (r.reported_at or until) + timedelta(days=days),
            "Desk",
            f"Suspected fake account {r.handle} on {r.platform} (#{r.id}) was reported on "
            f"{_day(r.reported_at or until)} (reference {r.report_reference}) and has no "
            f"outcome after {days} days: chase the platform, then record it "
            f"(desk-admin impersonation suspects outcome {r.id} removed|not_removed).",
        )
        for r in _overdue_rows(s, until, days)[:_HANDOVER_LIMIT]
    ]
    waiting = s.scalars(
        select(SuspectAccount)
        .where(SuspectAccount.reported_at.is_(None), SuspectAccount.added_at <= until)
        .order_by(SuspectAccount.added_at, SuspectAccount.id)
        .limit(_HANDOVER_LIMIT)
    ).all()
    notes += [
        HandoverNoteEntry(
            r.added_at,
            "Desk",
            f"Suspected fake account {r.handle} on {r.platform} (#{r.id}) is not reported "
            f"to the platform yet: report it, then record the reference "
            f"(desk-admin impersonation suspects report {r.id} --reference REF).",
        )
        for r in waiting
    ]
    return notes


def _clean_links(links: Iterable[str]) -> list[str]:
    cleaned = []
    for link in links:
        text = link.strip()
        if not text:
            continue
        if not text.lower().startswith(("https://", "http://")):
            raise InvalidInput(f"{text!r} is not a web link: links start with https://.")
        if len(text) > _LINK_MAX:
            raise InvalidInput(f"A link must be at most {_LINK_MAX} characters.")
        cleaned.append(text)
    return cleaned


def _check_items(s: Session, item_ids: Iterable[int]) -> list[int]:
    ids = sorted(set(item_ids))
    if not ids:
        return []
    known = set(s.scalars(select(Item.id).where(Item.id.in_(ids))))
    missing = [i for i in ids if i not in known]
    if missing:
        raise NotFound(f"There is no item #{missing[0]}: give the ids of items Desk holds.")
    return ids


class ImpersonationService:
    """Flags look-alike authors and keeps the suspected fake accounts register."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    # --- look-alike authors ---------------------------------------------------------------

    def check(self, token: str, platform: Platform, handle: str, display_name: str = "") -> str:
        """Say whether a handle and name would be flagged ('' when not), changing nothing."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            found = _watch(s).check(platform.value, handle.strip(), display_name.strip())
        return describe(found) if found else ""

    def flagged(self, token: str, limit: int = 500) -> list[FlaggedAuthor]:
        """Return the authors flagged as resembling an official account, newest first."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            rows = s.scalars(
                select(Author)
                .where(Author.impersonation_of.is_not(None))
                .order_by(Author.first_seen_at.desc(), Author.id.desc())
                .limit(limit)
            )
            return [
                FlaggedAuthor(
                    a.id,
                    a.platform,
                    a.handle,
                    a.display_name,
                    int(a.impersonation_of or 0),
                    Why(a.impersonation_why or Why.SAME_NAME.value),
                    a.impersonation or "",
                )
                for a in rows
            ]

    def scan(self, token: str) -> ScanReport:
        """Re-check every author against the official accounts now; one audited change."""
        actor = self.signin.authorize(token, Action.MANAGE_OFFICIAL_ACCOUNTS)
        new: list[int] = []
        cleared: list[int] = []
        changed: list[int] = []
        checked = flagged = 0
        with self.ctx.db.write() as s:
            watch = _watch(s)
            last = 0
            while True:
                batch = s.scalars(
                    select(Author).where(Author.id > last).order_by(Author.id).limit(_SCAN_BATCH)
                ).all()
                if not batch:
                    break
                for author in batch:
                    checked += 1
                    found = watch.check(author.platform, author.handle, author.display_name)
                    before, after = _apply(author, found)
                    flagged += after is not None
                    if before is None and after is not None:
                        new.append(author.id)
                    elif before is not None and after is None:
                        cleared.append(author.id)
                    elif before != after:
                        changed.append(author.id)
                last = batch[-1].id
                s.flush()
                s.expunge_all()  # memory stays flat however many authors there are
            self.ctx.audit.record(
                s,
                actor.username,
                "impersonation.scan",
                "authors",
                checked=checked,
                flagged=flagged,
                newly_flagged=new,
                cleared=cleared,
                changed=changed,
            )
        return ScanReport(checked, flagged, tuple(new), tuple(cleared), tuple(changed))

    # --- the register ---------------------------------------------------------------------

    def _view(self, s: Session, row: SuspectAccount, days: int | None = None) -> SuspectView:
        resembles = s.get(OfficialAccount, row.resembles_id) if row.resembles_id else None
        outcome = Outcome(row.outcome)
        days = _report_days(s) if days is None else days
        return SuspectView(
            id=row.id,
            platform=row.platform,
            handle=row.handle,
            link=row.link,
            author_id=row.author_id,
            resembles_id=row.resembles_id,
            resembles=resembles.handle if resembles else None,
            links=tuple(json.loads(row.links)),
            item_ids=tuple(int(i) for i in json.loads(row.item_ids)),
            note=row.note,
            first_seen_at=row.first_seen_at,
            added_by=row.added_by,
            added_at=row.added_at,
            reported_at=row.reported_at,
            report_reference=row.report_reference,
            reported_by=row.reported_by,
            outcome=outcome,
            outcome_at=row.outcome_at,
            outcome_by=row.outcome_by,
            overdue=report_overdue(row.reported_at, outcome, self.ctx.clock.now(), days),
        )

    def _row(self, s: Session, suspect_id: int) -> SuspectAccount:
        row = s.get(SuspectAccount, suspect_id)
        if row is None:
            raise NotFound(f"There is no suspected fake account #{suspect_id}.")
        return row

    def add_suspect(
        self,
        token: str,
        platform: Platform,
        handle: str,
        *,
        link: str = "",
        links: Sequence[str] = (),
        item_ids: Sequence[int] = (),
        note: str = "",
        author_id: int | None = None,
        first_seen_at: datetime | None = None,
    ) -> SuspectView:
        """Add a suspected fake account with its evidence (operators and up); audited.

        With ``author_id`` (an author Desk saw, e.g. from a case), ``handle`` may be left
        empty: the author's handle is used.
        """
        actor = self.signin.authorize(token, Action.FLAG_FAKE_ACCOUNTS)
        handle = handle.strip()
        now = self.ctx.clock.now()
        if not handle and author_id is not None:
            with self.ctx.db.read() as s:
                known = s.get(Author, author_id)
                if known is None:
                    raise NotFound(f"There is no author #{author_id}.")
                if known.platform != platform.value:
                    raise InvalidInput(
                        f"Author #{author_id} is on {known.platform}, not {platform.value}."
                    )
                handle = known.handle.strip()
        if not handle:
            raise InvalidInput("A suspected fake account needs its handle or name.")
        if len(handle) > 200:
            raise InvalidInput("A handle must be at most 200 characters.")
        if len(note) > _NOTE_MAX:
            raise InvalidInput(f"The note must be at most {_NOTE_MAX} characters.")
        if first_seen_at is not None and first_seen_at > now:
            raise InvalidInput("The first sighting cannot be in the future.")
        page = _clean_links([link])[0] if link.strip() else ""
        evidence = _clean_links(links)
        with self.ctx.db.write() as s:
            existing = s.scalar(
                select(SuspectAccount).where(
                    SuspectAccount.platform == platform.value,
                    SuspectAccount.handle_key == bare_handle(handle),
                )
            )
            if existing is not None:
                raise Conflict(
                    f"{existing.handle} on {platform.value} is already suspect #{existing.id}: "
                    "add evidence to it instead."
                )
            ids = _check_items(s, item_ids)
            author = s.get(Author, author_id) if author_id is not None else None
            if author_id is not None and author is None:
                raise NotFound(f"There is no author #{author_id}.")
            if author is None:
                author = s.scalar(
                    select(Author)
                    .where(
                        Author.platform == platform.value,
                        func.lower(Author.handle) == handle.lower(),
                    )
                    .limit(1)
                )
            resembles = author.impersonation_of if author is not None else None
            if resembles is None:
                found = _watch(s).check(platform.value, handle)
                resembles = found.account_id if found else None
            if first_seen_at is None:
                seen = [author.first_seen_at] if author is not None else []
                if ids:
                    seen += [
                        s.scalar(select(func.min(Item.received_at)).where(Item.id.in_(ids))) or now
                    ]
                first_seen_at = min(seen) if seen else now
            row = SuspectAccount(
                platform=platform.value,
                handle=handle,
                handle_key=bare_handle(handle),
                link=page,
                author_id=author.id if author is not None else None,
                resembles_id=resembles,
                links=json.dumps(evidence),
                item_ids=json.dumps(ids),
                note=note.strip(),
                first_seen_at=first_seen_at,
                added_by=actor.username,
                added_at=now,
                outcome=Outcome.PENDING.value,
            )
            s.add(row)
            s.flush()
            self.ctx.audit.record(
                s,
                actor.username,
                "impersonation.suspect_add",
                f"suspect_account:{row.id}",
                platform=platform.value,
                handle=handle,
                link=page,
                links=evidence,
                item_ids=ids,
                author_id=row.author_id,
                resembles=resembles,
                note=row.note,
            )
            return self._view(s, row)

    def add_evidence(
        self,
        token: str,
        suspect_id: int,
        *,
        links: Sequence[str] = (),
        item_ids: Sequence[int] = (),
        note: str = "",
    ) -> SuspectView:
        """Add links, items seen or a note to a suspect's evidence (operators and up); audited."""
        actor = self.signin.authorize(token, Action.FLAG_FAKE_ACCOUNTS)
        evidence = _clean_links(links)
        note = note.strip()
        if not evidence and not item_ids and not note:
            raise InvalidInput("Give a link, an item or a note to add as evidence.")
        with self.ctx.db.write() as s:
            row = self._row(s, suspect_id)
            ids = _check_items(s, item_ids)
            old_links = list(json.loads(row.links))
            old_items = [int(i) for i in json.loads(row.item_ids)]
            new_links = [x for x in evidence if x not in old_links]
            new_items = [i for i in ids if i not in old_items]
            merged_note = f"{row.note}\n{note}".strip() if note else row.note
            if len(merged_note) > _NOTE_MAX:
                raise InvalidInput(f"The notes would pass {_NOTE_MAX} characters: shorten them.")
            row.links = json.dumps(old_links + new_links)
            row.item_ids = json.dumps(sorted(old_items + new_items))
            row.note = merged_note
            self.ctx.audit.record(
                s,
                actor.username,
                "impersonation.evidence",
                f"suspect_account:{row.id}",
                links=new_links,
                item_ids=new_items,
                note=note,
            )
            return self._view(s, row)

    def record_report(
        self, token: str, suspect_id: int, reference: str, reported_at: datetime | None = None
    ) -> SuspectView:
        """Record that the account was reported to its platform, with the platform's reference.

        Communications and supervisors. Reporting again (after 'not removed') sets the outcome
        back to pending; a removed account is not reported again.
        """
        actor = self.signin.authorize(token, Action.MANAGE_FAKE_ACCOUNTS)
        reference = reference.strip()
        now = self.ctx.clock.now()
        when = reported_at or now
        if not reference:
            raise InvalidInput("Give the platform's reference for the report (its case number).")
        if len(reference) > 200:
            raise InvalidInput("The report reference must be at most 200 characters.")
        if when > now:
            raise InvalidInput("The report cannot be dated in the future.")
        with self.ctx.db.write() as s:
            row = self._row(s, suspect_id)
            if row.outcome == Outcome.REMOVED.value:
                raise Conflict(f"Suspect #{row.id} was already removed by the platform.")
            if when < row.first_seen_at:
                raise InvalidInput("The report cannot be dated before the account was first seen.")
            before = (row.reported_at, row.report_reference, row.outcome)
            row.reported_at = when
            row.report_reference = reference
            row.reported_by = actor.username
            row.outcome = Outcome.PENDING.value
            row.outcome_at = None
            row.outcome_by = None
            self.ctx.audit.record(
                s,
                actor.username,
                "impersonation.report",
                f"suspect_account:{row.id}",
                reported_at=when.isoformat(),
                reference=reference,
                was_reported_at=before[0].isoformat() if before[0] else None,
                was_reference=before[1],
                was_outcome=before[2],
            )
            return self._view(s, row)

    def record_outcome(self, token: str, suspect_id: int, outcome: Outcome) -> SuspectView:
        """Record what the platform did (communications and supervisors); audited."""
        actor = self.signin.authorize(token, Action.MANAGE_FAKE_ACCOUNTS)
        with self.ctx.db.write() as s:
            row = self._row(s, suspect_id)
            if row.reported_at is None:
                raise InvalidInput(
                    f"Suspect #{row.id} has not been reported to the platform: record the "
                    "report and its reference first."
                )
            was = row.outcome
            if was == outcome.value:
                raise Conflict(f"Suspect #{row.id} is already recorded as {outcome.value}.")
            now = self.ctx.clock.now()
            row.outcome = outcome.value
            final = outcome is not Outcome.PENDING
            row.outcome_at = now if final else None
            row.outcome_by = actor.username if final else None
            self.ctx.audit.record(
                s,
                actor.username,
                "impersonation.outcome",
                f"suspect_account:{row.id}",
                outcome=outcome.value,
                was=was,
            )
            return self._view(s, row)

    def suspects(self, token: str, open_only: bool = False) -> list[SuspectView]:
        """Return the register, newest first (``open_only``: those without a final outcome)."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            query = select(SuspectAccount).order_by(
                SuspectAccount.added_at.desc(), SuspectAccount.id.desc()
            )
            if open_only:
                query = query.where(SuspectAccount.outcome == Outcome.PENDING.value)
            days = _report_days(s)
            return [self._view(s, r, days) for r in s.scalars(query)]

    def suspect(self, token: str, suspect_id: int) -> SuspectView:
        """Return one suspected fake account."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            return self._view(s, self._row(s, suspect_id))

    def reminders(self, token: str) -> list[Reminder]:
        """Return the reports waiting too long for an outcome: a to-do for supervisors.

        People who may not record outcomes get an empty list (the window's poller asks for
        everyone).
        """
        actor = self.signin.authorize(token)
        if not may(actor.role, Action.MANAGE_FAKE_ACCOUNTS):
            return []
        now = self.ctx.clock.now()
        with self.ctx.db.read() as s:
            days = _report_days(s)
            reminders = []
            for r in _overdue_rows(s, now, days):
                reported = r.reported_at or now
                waiting = (now - reported).days
                reminders.append(
                    Reminder(
                        r.id,
                        r.platform,
                        r.handle,
                        reported,
                        r.report_reference or "",
                        waiting,
                        f"{r.handle} on {r.platform} was reported {waiting} days ago "
                        f"(reference {r.report_reference}) and has no outcome: chase the "
                        "platform and record what it did.",
                    )
                )
            return reminders
