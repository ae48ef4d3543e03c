"""Storing an import file's items: whole file or nothing, idempotent, risk scored on arrival."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desk.core.errors import InvalidInput
from desk.core.items import IncomingItem, ItemKind
from desk.core.language import detect_language
from desk.core.risk import DEFAULT_TARGETS, Priority, RuleMatch, RuleSet, priority_for
from desk.core.roles import Action
from desk.core.similarity import fingerprint
from desk.ingest.errors import ImportCancelled
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.store.tables import Author, Case, Item, OfficialAccount

CHUNK = 2000
DEFAULT_JOIN_WINDOW = timedelta(hours=2)


@dataclass
class ImportReport:
    """What an import stored."""

    source: str
    total: int = 0
    added: int = 0
    duplicates: int = 0
    cases_opened: int = 0
    cases_joined: int = 0
    by_priority: dict[int, int] = field(default_factory=dict)


def thread_key(item: IncomingItem) -> str:
    """Return what groups an author's items into one case: the thread, or the conversation."""
    if item.thread_id:
        return f"thread:{item.thread_id}"
    if item.kind is ItemKind.DIRECT_MESSAGE:
        return "dm"
    return f"item:{item.platform_id}"


def summary_of(text: str) -> str:
    """Return the first line of an item's text, short enough for a queue row."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= 200 else first[:199] + "…"


def _matches_json(matches: Sequence[RuleMatch]) -> str:
    return json.dumps(
        [
            {
                "rule": m.rule_id,
                "category": m.category,
                "severity": str(getattr(m.severity, "value", m.severity)),
                "spans": [list(span) for span in m.spans],
                "matched": list(m.matched),
            }
            for m in matches
        ],
        ensure_ascii=False,
    )


class ImportService:
    """Stores parsed items as cases; the GUI, the drop folder and desk-admin all use it."""

    def __init__(
        self,
        ctx: DeskContext,
        signin: SignInService,
        rules: RuleSet,
        targets: dict[Priority, timedelta] | None = None,
        join_window: timedelta = DEFAULT_JOIN_WINDOW,
    ) -> None:
        self.ctx = ctx
        self.signin = signin
        self.rules = rules
        self.targets = targets or dict(DEFAULT_TARGETS)
        self.join_window = join_window

    def store(
        self,
        token: str,
        items: Iterable[IncomingItem],
        source: str,
        progress: Callable[[int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """Store every item in one transaction; on any problem nothing is stored."""
        actor = self.signin.authorize(token, Action.IMPORT_ITEMS)
        return self.store_as(actor.username, items, source, progress, cancelled)

    def store_as(
        self,
        actor: str,
        items: Iterable[IncomingItem],
        source: str,
        progress: Callable[[int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """Store items on behalf of ``actor`` without a session: for set-up code only.

        Desk's own set-up steps (the demo profile, benchmarks) use this; people go through
        :meth:`store`, which checks their session and role first.
        """
        report = ImportReport(source)
        with self.ctx.db.write() as s:
            run = _Run(self, s, report)
            chunk: list[IncomingItem] = []
            for item in items:
                chunk.append(item)
                if len(chunk) >= CHUNK:
                    run.store_chunk(chunk)
                    chunk = []
                    if progress:
                        progress(report.total)
                    if cancelled and cancelled():
                        raise ImportCancelled(Path(source), report.total)
            if chunk:
                run.store_chunk(chunk)
            if progress:
                progress(report.total)
            if cancelled and cancelled():
                raise ImportCancelled(Path(source), report.total)
            self.ctx.audit.record(
                s,
                actor,
                "import.file",
                f"import:{source}",
                total=report.total,
                added=report.added,
                duplicates=report.duplicates,
                cases_opened=report.cases_opened,
                cases_joined=report.cases_joined,
                first_item=run.first_item,
                last_item=run.last_item,
            )
        return report


class _Run:
    """One import's working state inside its transaction."""

    def __init__(self, service: ImportService, s: Session, report: ImportReport) -> None:
        self.svc = service
        self.s = s
        self.report = report
        self.accounts: dict[tuple[str, str], int] = {
            (a.platform, a.handle): a.id for a in s.scalars(select(OfficialAccount))
        }
        self.authors: dict[tuple[str, str], Author] = {}
        self.open_cases: dict[tuple[int, str], Case] = {}
        self.first_item: int | None = None
        self.last_item: int | None = None

    def _account_id(self, item: IncomingItem, index: int) -> int:
        key = (item.platform.value, item.account or "")
        found = self.accounts.get(key)
        if found is None:
            raise InvalidInput(
                f"Record {index}: {item.account!r} is not an official account on "
                f"{item.platform.value}. An administrator adds it first "
                f"('desk-admin official-account add {item.platform.value} {item.account}')."
            )
        return found

    def _author(self, item: IncomingItem, now: datetime) -> Author:
        key = (item.platform.value, item.author.platform_user_id)
        author = self.authors.get(key)
        if author is None:
            author = self.s.scalar(
                select(Author).where(Author.platform == key[0], Author.platform_user_id == key[1])
            )
            if author is None:
                author = Author(
                    platform=key[0],
                    platform_user_id=key[1],
                    handle=item.author.handle,
                    display_name=item.author.display_name,
                    first_seen_at=now,
                )
                self.s.add(author)
                self.s.flush()
            self.authors[key] = author
        return author

    def _existing(self, chunk: list[tuple[int, IncomingItem]]) -> set[tuple[str, int, str]]:
        found: set[tuple[str, int, str]] = set()
        by_account: dict[tuple[str, int], list[str]] = {}
        for account_id, item in chunk:
            by_account.setdefault((item.platform.value, account_id), []).append(item.platform_id)
        for (platform, account_id), ids in by_account.items():
            rows = self.s.execute(
                select(Item.platform_id).where(
                    Item.platform == platform,
                    Item.official_account_id == account_id,
                    Item.platform_id.in_(ids),
                )
            )
            found.update((platform, account_id, pid) for (pid,) in rows)
        return found

    def _open_case(self, author: Author, key: str, received: datetime) -> Case | None:
        cache_key = (author.id, key)
        case = self.open_cases.get(cache_key)
        if case is None:
            case = self.s.scalar(
                select(Case)
                .where(
                    Case.author_id == author.id,
                    Case.thread_key == key,
                    Case.status.in_(["new", "triage", "actioned", "escalated"]),
                )
                .order_by(Case.last_item_at.desc())
                .limit(1)
            )
        if case is None or received - case.last_item_at > self.svc.join_window:
            return None
        return case

    def store_chunk(self, chunk: list[IncomingItem]) -> None:
        svc, s, report = self.svc, self.s, self.report
        now = svc.ctx.clock.now()
        start = report.total
        placed = [(self._account_id(item, start + i + 1), item) for i, item in enumerate(chunk)]
        existing = self._existing(placed)
        rows: list[dict[str, Any]] = []
        for account_id, item in placed:
            report.total += 1
            if (item.platform.value, account_id, item.platform_id) in existing:
                report.duplicates += 1
                continue
            existing.add((item.platform.value, account_id, item.platform_id))
            received = item.received_at or now
            matches = svc.rules.evaluate(item.text)
            priority = priority_for(matches)
            categories = sorted({m.category for m in matches})
            language = detect_language(item.text)
            author = self._author(item, now)
            if language and author.language != language:
                author.language = language
            key = thread_key(item)
            case = self._open_case(author, key, received)
            due = received + svc.targets[priority]
            if case is None:
                case = Case(
                    status="new",
                    priority=int(priority),
                    risk="," + ",".join(categories) + "," if categories else "",
                    platform=item.platform.value,
                    official_account_id=account_id,
                    author_id=author.id,
                    thread_key=key,
                    kind=item.kind.value,
                    summary=summary_of(item.text) or "(media only)",
                    language=language,
                    opened_at=received,
                    due_at=due,
                    last_item_at=received,
                    item_count=1,
                    needs_assessment=bool(matches),
                    fingerprint=fingerprint(item.text),
                )
                s.add(case)
                s.flush()
                report.cases_opened += 1
            else:
                case.item_count += 1
                case.last_item_at = max(case.last_item_at, received)
                if int(priority) < case.priority:
                    case.priority = int(priority)
                    case.due_at = min(case.due_at, due)
                if categories:
                    known = set(filter(None, case.risk.split(",")))
                    case.risk = "," + ",".join(sorted(known | set(categories))) + ","
                if case.grade is not None or matches:
                    case.needs_assessment = True  # a new item asks for a (re-)assessment
                report.cases_joined += 1
            self.open_cases[(author.id, key)] = case
            report.by_priority[int(priority)] = report.by_priority.get(int(priority), 0) + 1
            rows.append(
                {
                    "case_id": case.id,
                    "platform": item.platform.value,
                    "official_account_id": account_id,
                    "kind": item.kind.value,
                    "platform_id": item.platform_id,
                    "author_id": author.id,
                    "author_text": f"{item.author.handle} {item.author.display_name}".strip(),
                    "text": item.text,
                    "link": item.link,
                    "media": json.dumps(list(item.media)),
                    "thread_id": item.thread_id,
                    "thread_title": item.thread_title,
                    "posted_at": item.posted_at,
                    "received_at": received,
                    "language": language,
                    "matches": _matches_json(matches),
                    "redacted": False,
                }
            )
        if rows:
            s.flush()
            s.execute(insert(Item), rows)
            report.added += len(rows)
            last = s.scalar(select(Item.id).order_by(Item.id.desc()).limit(1))
            if self.first_item is None and last is not None:
                self.first_item = last - len(rows) + 1
            self.last_item = last
