"""Writing an import's items in bulk: authors, cases and items, many rows per statement.

:class:`ImportWriter` takes an import's items a chunk at a time, inside the import's one
transaction (docs/performance.md explains the measurements behind this):

- each chunk is matched to what the database holds (duplicates, authors, the open cases its
  items join, by :mod:`desk.core.grouping`) with a few queries, and written with a few bulk
  statements;
- on SQLite the large INSERTs run in a helper thread while the import works out the next
  chunk (:class:`_WriterThread`);
- only the cases that later items may still join are remembered between chunks, so memory
  stays flat however long the file.

The items come worked out already (:class:`PreparedItem`: rules, language, summary,
fingerprint, times as stored), without the database.
"""

from __future__ import annotations

import functools
import json
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Dialect, Table, bindparam, func, insert, literal_column, select, update
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from desk.core.cases import OPEN_STATUS_CODES, CaseStatus
from desk.core.conversations import HandleIndex, connect
from desk.core.errors import UnknownOfficialAccounts
from desk.core.evidence import FORM_EXACT, digest
from desk.core.grouping import asks_for_assessment, joins
from desk.core.items import IncomingItem, PassedOver, PassReason, Platform, is_unknown_author
from desk.store.own_posts import desks_of_posts, existing_own_posts, insert_own_posts
from desk.store.tables import Author, Case, CaseEvent, Item, ItemOriginal, OfficialAccount

_AUTHOR_CACHE = 100_000  # authors remembered between chunks; the rest are looked up again
_IN_BATCH = 500  # values per IN (...) list


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
    # records connected to no official account (desk.core.conversations), by reason
    passed: PassedOver = field(default_factory=PassedOver)
    own_posts: int = 0  # the force's own posts added as thread context (never queued)
    own_posts_known: int = 0  # ...and those already on the desk


def sqlite_time(value: datetime) -> str:
    """Return a time as SQLAlchemy stores it in SQLite: UTC, without zone, to the microsecond."""
    if value.tzinfo is not UTC:
        if value.tzinfo is None:
            raise ValueError("Desk stores only timezone-aware times")
        value = value.astimezone(UTC)
    text = value.isoformat(" ")  # ...HH:MM:SS+00:00, or ...HH:MM:SS.ffffff+00:00
    return text[:19] + ".000000" if len(text) == 25 else text[:26]


def same_time(value: datetime) -> datetime:
    """Return a time unchanged (databases other than SQLite take datetimes)."""
    return value


@dataclass(slots=True, eq=False)
class PreparedItem:
    """One item with everything worked out that needs no database.

    Times come twice: as datetimes to compare, and as the database stores them.
    """

    item: IncomingItem
    platform: str
    kind: str
    author_key: tuple[str, str]
    thread_key: str
    received: datetime
    received_stored: Any
    posted_stored: Any
    priority: int
    due: datetime
    due_stored: Any
    categories: set[str]
    risky: bool
    language: str | None
    matches: str
    author_text: str
    media: str
    summary: str
    fingerprint: str


# --- writing chunks --------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class _AuthorState:
    """An author as the import knows them: id (None until inserted) and language."""

    id: int | None
    language: str | None
    # for an author new in this chunk: platform, platform_user_id, handle, display_name, seen
    row: tuple[str, str, str, str, datetime] | None = None


@dataclass(slots=True, eq=False)
class _CaseState:
    """A case an item may join: what the import changes on it, and its id once stored."""

    id: int | None
    priority: int
    due_at: datetime
    due_stored: Any  # due_at as the database stores it
    risk: set[str]
    last_item_at: datetime
    last_stored: Any
    item_count: int
    needs_assessment: bool
    grade: str | None
    author: _AuthorState
    # for a case opened in this chunk: its official account and first item
    opened: tuple[int, PreparedItem] | None = None


_AUTHORS = cast(Table, Author.__table__)
_CASES = cast(Table, Case.__table__)
_ITEMS = cast(Table, Item.__table__)
_EVENTS = cast(Table, CaseEvent.__table__)
_EVENT_COLUMNS = ("id", "case_id", "at", "actor", "kind", "text", "details")
UNKNOWN_AUTHOR_NOTE = "The platform did not say who wrote this"
_UNKNOWN_AUTHOR_WHY = {
    Platform.FACEBOOK.value: (
        " (Facebook leaves the commenter out when the page's app may not see them)"
    ),
}
_ORIGINALS = cast(Table, ItemOriginal.__table__)
# one statement for a chunk's originals (see _json_insert_sql): ?1 is a JSON array of [item id,
# sha256, start, length], ?2 all the records end to end, raw, sliced by substr
_ORIGINALS_SQL = (
    "INSERT INTO item_originals (item_id, sha256, form, data, compressed) "
    "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
    "'exact', substr(?2, json_extract(value, '$[2]'), "
    "json_extract(value, '$[3]')), 0 FROM json_each(?1)"
)
assert FORM_EXACT == "exact"
_AUTHOR_COLUMNS = (
    "id", "platform", "platform_user_id", "handle", "display_name", "language", "first_seen_at",
)  # fmt: skip
_CASE_COLUMNS = (
    "id", "status", "priority", "risk", "platform", "official_account_id", "author_id",
    "thread_key", "kind", "summary", "language", "opened_at", "due_at", "last_item_at",
    "item_count", "needs_assessment", "fingerprint",
)  # fmt: skip
_ITEM_COLUMNS = (
    "id", "case_id", "platform", "official_account_id", "kind", "platform_id", "author_id",
    "author_text", "text", "link", "media", "thread_id", "thread_title", "posted_at",
    "received_at", "language", "matches", "redacted",
)  # fmt: skip


@functools.cache
def _json_insert_sql(table: Table, columns: tuple[str, ...], dialect: Dialect) -> str:
    """Return an INSERT of many rows given as one JSON array of arrays (SQLite's json_each).

    One statement for the whole chunk instead of one per row: FTS5 flushes its pending terms
    at every statement of a table with constraints (a statement journal), which made a
    row-at-a-time insert of items three times slower than this. As SQL with its one
    parameter, the JSON array, for the writer thread.
    """
    each = func.json_each(bindparam("rows")).table_valued("value")
    values = [
        func.json_extract(each.c.value, literal_column(f"'$[{n}]'")) for n in range(len(columns))
    ]
    statement = insert(table).from_select(list(columns), select(*values), include_defaults=False)
    compiled = statement.compile(dialect=dialect)
    if list(compiled.positiontup or ()) != ["rows"]:
        raise AssertionError(f"{table.name}: unexpected parameters {compiled.positiontup}")
    return str(compiled)


class _WriterThread:
    """Runs a chunk's large INSERTs in a helper thread while the import reads the next chunk.

    SQLite runs a whole ``INSERT ... SELECT FROM json_each(?)`` (5,000 rows, their indexes
    and search index) without Python's interpreter lock, so the two threads truly work at
    once: this one writes, the import's thread parses, scores and matches the next chunk.
    The import's thread waits for it before it touches the database itself, so the one
    connection is never used by both at once, and an error here is raised there.
    """

    def __init__(self, connection: Any) -> None:
        self.connection = connection  # the transaction's own DB-API connection
        # (sql, its one JSON parameter, or all its parameters)
        self.statements: queue.Queue[tuple[str, str | tuple[Any, ...]] | None] = queue.Queue()
        self.error: BaseException | None = None
        self.discard = False
        self.thread = threading.Thread(target=self._work, name="desk-import-writer", daemon=True)
        self.thread.start()

    def _work(self) -> None:
        while (statement := self.statements.get()) is not None:
            try:
                if self.error is None and not self.discard:
                    sql, payload = statement
                    params = (payload,) if isinstance(payload, str) else payload
                    self.connection.execute(sql, params)
            except BaseException as exc:  # raised in the import's thread by wait()
                self.error = exc
            finally:
                self.statements.task_done()
        self.statements.task_done()

    def submit(self, sql: str, payload: str | tuple[Any, ...]) -> None:
        """Queue one statement with its one parameter; it runs after those queued before."""
        self.statements.put((sql, payload))

    def wait(self) -> None:
        """Wait until every statement queued so far has run; raise what went wrong."""
        self.statements.join()
        if self.error is not None:
            raise self.error

    def close(self, discard: bool = False) -> None:
        """End the thread once the running statement is done; the rest run unless ``discard``."""
        self.discard = self.discard or discard
        self.statements.put(None)
        self.thread.join()


def _risk_text(categories: set[str]) -> str:
    return "," + ",".join(sorted(categories)) + "," if categories else ""


def _batches(values: list[Any], size: int = _IN_BATCH) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class ImportWriter:
    """One import's working state inside its transaction.

    Each chunk is worked out in memory first (accounts, duplicates, authors, which case each
    item opens or joins), then written with a few bulk statements: new authors, new cases,
    changes to existing cases and authors, then the items (the FTS5 triggers index them).
    Only the cases that later items may still join are remembered between chunks, so memory
    stays flat however long the file; anything forgotten is looked up again.

    Items naming an official account the desk does not have are all collected (nothing more
    is written once one is met) and named together by :meth:`finish`.
    """

    def __init__(
        self, s: Session, report: ImportReport, join_window: timedelta, keep_cases: int
    ) -> None:
        """Start writing an import in ``s``'s transaction, counting into ``report``.

        ``join_window``: see :func:`desk.core.grouping.joins`; ``keep_cases``: the cases
        remembered between chunks before the oldest are forgotten.
        """
        self.s = s
        self.report = report
        self.join_window = join_window
        self.first_opened = 2**31 - 1  # the first id of a case this import opened (none yet)
        self.keep_cases = keep_cases
        # official accounts named by items but not on the desk: (platform, handle) -> where
        self.unknown: dict[tuple[str, str], str] = {}
        official = s.execute(
            select(
                OfficialAccount.id,
                OfficialAccount.platform,
                OfficialAccount.handle,
                OfficialAccount.display_name,
            )
        ).all()
        self.accounts: dict[tuple[str, str], int] = {
            (platform, handle): id_ for id_, platform, handle, _name in official
        }
        self.handles = HandleIndex((p, h, n, i) for i, p, h, n in official)
        # records no official account is named on: placed at the end by their conversation
        self.deferred: list[PreparedItem] = []
        self.own_seen: set[tuple[str, int, str]] = set()
        self.records = 0  # records handed in so far
        self.now: datetime | None = None
        self.authors: dict[tuple[str, str], _AuthorState] = {}
        # the case each (author, thread key) last opened or joined in this import
        self.open_cases: dict[tuple[str, str, str], _CaseState] = {}
        self.newest: datetime | None = None
        # the latest last item of any case forgotten so far (see _forget)
        self.forgotten_latest = datetime.min.replace(tzinfo=UTC)
        # authors with a larger id were added by this import
        self.author_floor: int = s.scalar(select(func.max(_AUTHORS.c.id))) or 0
        self.first_item: int | None = None
        self.last_item: int | None = None
        self.dialect = s.get_bind().dialect
        self.sqlite = self.dialect.name == "sqlite"
        connection = s.connection().connection.dbapi_connection
        self.writer = _WriterThread(connection) if self.sqlite else None
        self.next_ids = {
            table.name: (s.scalar(select(func.max(table.c.id))) or 0) + 1
            for table in (_AUTHORS, _CASES, _ITEMS, _EVENTS)
        }
        # times go to SQLite as text, without SQLAlchemy's per-value processing
        self.time: Callable[[datetime], Any] = sqlite_time if self.sqlite else same_time

    def _place(self, items: list[PreparedItem]) -> list[tuple[int, PreparedItem]]:
        """Pair each item with its official account's id (desk.core.conversations).

        The force's own posts are stored as thread context now; items no official account
        is named on wait in :attr:`deferred` for :meth:`finish`; accounts named but not on
        the desk are noted (the file is then refused).
        """
        placed: list[tuple[int, PreparedItem]] = []
        own: list[tuple[int, PreparedItem]] = []
        accounts, unknown, handles = self.accounts, self.unknown, self.handles
        for p in items:
            self.records += 1
            item = p.item
            declared = accounts.get((p.platform, item.account)) if item.account else None
            mine = handles.own_post(p.platform, item.author.handle, declared)
            if mine is not None:
                own.append((mine, p))
                continue
            if item.account is not None:
                if declared is None:
                    unknown.setdefault(
                        (p.platform, item.account), item.where or f"record {self.records}"
                    )
                elif not unknown:
                    placed.append((declared, p))
                continue
            addressed = handles.first(p.platform, item.addressed)
            if addressed is not None:
                placed.append((addressed, p))
            else:
                self.deferred.append(p)
        if unknown:
            return []
        self._store_own(own)
        return placed

    def _store_own(self, own: list[tuple[int, PreparedItem]]) -> None:
        """Store the force's own posts not on the desk yet (the connection is this thread's)."""
        if not own:
            return
        report = self.report
        keys = [(p.platform, account_id, p.item.platform_id) for account_id, p in own]
        known = existing_own_posts(self.s, keys) | self.own_seen
        rows = []
        for key, (account_id, p) in zip(keys, own, strict=True):
            if key in known:
                report.own_posts_known += 1
                continue
            known.add(key)
            self.own_seen.add(key)
            item = p.item
            rows.append(
                {
                    "platform": p.platform,
                    "official_account_id": account_id,
                    "platform_id": item.platform_id,
                    "text": item.text,
                    "link": item.link,
                    "media": p.media,
                    "thread_id": item.thread_id,
                    "reply_to": item.reply_to,
                    "posted_at": item.posted_at,
                    "imported_at": p.received,
                    "original": item.original,
                }
            )
        insert_own_posts(self.s, rows)
        report.own_posts += len(rows)

    def _existing(self, chunk: list[tuple[int, PreparedItem]]) -> set[tuple[str, int, str]]:
        found: set[tuple[str, int, str]] = set()
        by_account: dict[tuple[str, int], list[str]] = {}
        for account_id, p in chunk:
            by_account.setdefault((p.platform, account_id), []).append(p.item.platform_id)
        for (platform, account_id), ids in by_account.items():
            for some in _batches(ids):
                rows = self.s.execute(
                    select(Item.platform_id).where(
                        Item.platform == platform,
                        Item.official_account_id == account_id,
                        Item.platform_id.in_(some),
                    )
                )
                found.update((platform, account_id, pid) for (pid,) in rows)
        return found

    def _load_authors(self, items: list[PreparedItem], now: datetime) -> list[_AuthorState]:
        """Make sure every author of ``items`` is known; return those new to the database."""
        new: list[_AuthorState] = []
        missing: dict[str, dict[str, IncomingItem]] = {}
        for p in items:
            if p.author_key not in self.authors:
                missing.setdefault(p.platform, {}).setdefault(p.author_key[1], p.item)
        for platform, by_user in missing.items():
            for some in _batches(list(by_user)):
                rows = self.s.execute(
                    select(Author.id, Author.platform_user_id, Author.language).where(
                        Author.platform == platform, Author.platform_user_id.in_(some)
                    )
                )
                for id_, user_id, language in rows:
                    self.authors[(platform, user_id)] = _AuthorState(id_, language)
            for user_id, item in by_user.items():
                if (platform, user_id) not in self.authors:
                    author = self.authors[(platform, user_id)] = _AuthorState(
                        None,
                        None,
                        (platform, user_id, item.author.handle, item.author.display_name, now),
                    )
                    new.append(author)
        return new

    def _load_cases(self, items: list[PreparedItem]) -> None:
        """Fetch the open cases that items of this chunk may join and that are not in memory."""
        wanted: dict[int, set[str]] = {}
        by_id: dict[int, tuple[tuple[str, str], _AuthorState]] = {}
        earliest: datetime | None = None
        window = self.join_window
        for p in items:
            if (*p.author_key, p.thread_key) in self.open_cases:
                continue
            author = self.authors[p.author_key]
            if author.id is None:
                continue  # a new author has no cases yet
            if author.id > self.author_floor and p.received - window > self.forgotten_latest:
                # an author new in this import has only this import's cases, and none that
                # this item could join has been forgotten (see _forget)
                continue
            wanted.setdefault(author.id, set()).add(p.thread_key)
            by_id[author.id] = (p.author_key, author)
            if earliest is None or p.received < earliest:
                earliest = p.received
        if not wanted or earliest is None:
            return
        # a case whose last item is older than the window before the chunk's earliest item
        # cannot be joined by any item of it
        since = earliest - window
        found: dict[tuple[int, str], Any] = {}
        for some in _batches(list(wanted)):
            rows = self.s.execute(
                select(
                    Case.id,
                    Case.author_id,
                    Case.thread_key,
                    Case.priority,
                    Case.due_at,
                    Case.risk,
                    Case.last_item_at,
                    Case.item_count,
                    Case.needs_assessment,
                    Case.grade,
                ).where(
                    Case.author_id.in_(some),
                    Case.last_item_at >= since,
                    Case.status.in_(OPEN_STATUS_CODES),
                )
            )
            for row in rows:
                if row.thread_key not in wanted[row.author_id]:
                    continue
                pair = (row.author_id, row.thread_key)
                best = found.get(pair)
                if best is None or row.last_item_at > best.last_item_at:
                    found[pair] = row
        time = self.time
        for (author_id, key), row in found.items():
            author_key, author = by_id[author_id]
            self.open_cases[(*author_key, key)] = _CaseState(
                id=row.id,
                priority=row.priority,
                due_at=row.due_at,
                due_stored=time(row.due_at),
                risk=set(filter(None, row.risk.split(","))),
                last_item_at=row.last_item_at,
                last_stored=time(row.last_item_at),
                item_count=row.item_count,
                needs_assessment=row.needs_assessment,
                grade=row.grade,
                author=author,
            )

    def finish(self) -> None:
        """Place the records that wait for their conversation, then wait for the writing.

        A record no official account is named on goes to the desk of the post it replies to
        or whose conversation it is in (in this file or stored already); the rest are passed
        over and counted in the report.

        Raises:
            UnknownOfficialAccounts: items named official accounts the desk does not have
                (all of them are named); the caller rolls the transaction back.
        """
        if self.writer is not None:
            self.writer.wait()
        if self.unknown:
            raise UnknownOfficialAccounts(
                [(platform, handle, where) for (platform, handle), where in self.unknown.items()]
            )
        if self.deferred:
            deferred, self.deferred = self.deferred, []
            wanted: dict[str, set[str]] = {}
            for p in deferred:
                wanted.setdefault(p.platform, set()).update(_parents(p))
            placed, rest = connect(deferred, _links, desks_of_posts(self.s, wanted))
            for p in rest:
                self.report.passed.add(p.item.where or "a record", PassReason.NOT_CONNECTED)
            if placed and self.now is not None:
                self._store_placed(self.now, placed)
                if self.writer is not None:
                    self.writer.wait()

    def close(self, discard: bool = False) -> None:
        """End the writer thread (after its statement: the transaction then ends)."""
        if self.writer is not None:
            self.writer.close(discard)

    def store_chunk(self, now: datetime, chunk: list[PreparedItem]) -> None:
        """Match one chunk of items, prepared at ``now``, to the database, then write it."""
        if self.writer is not None:
            self.writer.wait()  # the connection is this thread's again
        self.now = now
        placed = self._place(chunk)
        if self.unknown:  # the file is refused: only the accounts are still looked at
            self.report.total += len(chunk)
            return
        self._store_placed(now, placed)

    def _store_placed(self, now: datetime, placed: list[tuple[int, PreparedItem]]) -> None:
        """Write items whose official accounts are known: skip those already on the desk."""
        report = self.report
        existing = self._existing(placed)
        fresh: list[tuple[int, PreparedItem]] = []
        for account_id, p in placed:
            report.total += 1
            identity = (p.platform, account_id, p.item.platform_id)
            if identity in existing:
                report.duplicates += 1
                continue
            existing.add(identity)
            fresh.append((account_id, p))
        if not fresh:
            return
        items = [p for _, p in fresh]
        new_authors = self._load_authors(items, now)
        self._load_cases(items)

        new_cases: list[_CaseState] = []
        touched_cases: dict[int, _CaseState] = {}
        touched_authors: dict[int, _AuthorState] = {}
        rows: list[tuple[_CaseState, PreparedItem, int]] = []
        window = self.join_window
        by_priority = report.by_priority
        open_cases, authors = self.open_cases, self.authors
        newest = self.newest
        for account_id, p in fresh:
            received = p.received
            if newest is None or received > newest:
                newest = received
            language = p.language
            author = authors[p.author_key]
            if language and author.language != language:
                author.language = language
                if author.id is not None:
                    touched_authors[author.id] = author
            case_key = (*p.author_key, p.thread_key)
            case = open_cases.get(case_key)
            priority = p.priority
            if case is None or not joins(case.last_item_at, received, window):
                case = _CaseState(
                    id=None,
                    priority=priority,
                    due_at=p.due,
                    due_stored=p.due_stored,
                    risk=p.categories,
                    last_item_at=received,
                    last_stored=p.received_stored,
                    item_count=1,
                    needs_assessment=p.risky,
                    grade=None,
                    author=author,
                    opened=(account_id, p),
                )
                new_cases.append(case)
                open_cases[case_key] = case
                report.cases_opened += 1
            else:
                case.item_count += 1
                if received > case.last_item_at:
                    case.last_item_at, case.last_stored = received, p.received_stored
                if priority < case.priority:
                    case.priority = priority
                    if p.due < case.due_at:
                        case.due_at, case.due_stored = p.due, p.due_stored
                if p.categories:
                    case.risk = case.risk | p.categories
                if asks_for_assessment(case.grade is not None, p.risky):
                    case.needs_assessment = True
                if case.id is not None:
                    touched_cases[case.id] = case
                report.cases_joined += 1
            by_priority[priority] = by_priority.get(priority, 0) + 1
            rows.append((case, p, account_id))
        self.newest = newest
        self._write(new_authors, new_cases, touched_cases, touched_authors, rows)
        self._forget()

    def _write(
        self,
        new_authors: list[_AuthorState],
        new_cases: list[_CaseState],
        touched_cases: dict[int, _CaseState],
        touched_authors: dict[int, _AuthorState],
        rows: list[tuple[_CaseState, PreparedItem, int]],
    ) -> None:
        # changes to rows of earlier chunks first, while the connection is this thread's; then
        # the new authors, cases and items, each handed to the writer as soon as it is built
        s, time = self.s, self.time
        if touched_cases:
            s.execute(
                update(_CASES)
                .where(_CASES.c.id == bindparam("case_id"))
                .values(
                    priority=bindparam("priority"),
                    due_at=bindparam("due_at"),
                    risk=bindparam("risk"),
                    last_item_at=bindparam("last_item_at"),
                    item_count=bindparam("item_count"),
                    needs_assessment=bindparam("needs_assessment"),
                    # a new item makes a view from before the import stale (cases this import
                    # opened stay at 1, however many chunks it took)
                    version=sql_case(
                        (_CASES.c.id >= bindparam("opened_from"), _CASES.c.version),
                        else_=_CASES.c.version + 1,
                    ),
                ),
                [
                    {
                        "case_id": case.id,
                        "priority": case.priority,
                        "due_at": case.due_at,
                        "risk": _risk_text(case.risk),
                        "last_item_at": case.last_item_at,
                        "item_count": case.item_count,
                        "needs_assessment": case.needs_assessment,
                        "opened_from": self.first_opened,
                    }
                    for case in touched_cases.values()
                ],
            )
        if touched_authors:
            s.execute(
                update(_AUTHORS)
                .where(_AUTHORS.c.id == bindparam("author_id"))
                .values(language=bindparam("language")),
                [{"author_id": a.id, "language": a.language} for a in touched_authors.values()],
            )
        if new_authors:
            ids = self._new_ids(_AUTHORS, len(new_authors))
            author_rows = []
            for author, id_ in zip(new_authors, ids, strict=True):
                assert author.row is not None
                platform, user_id, handle, name, seen = author.row
                language = author.language
                author_rows.append((id_, platform, user_id, handle, name, language, time(seen)))
                author.id, author.row = id_, None
            self._insert(_AUTHORS, _AUTHOR_COLUMNS, author_rows)
        if new_cases:
            ids = self._new_ids(_CASES, len(new_cases))
            self.first_opened = min(self.first_opened, min(ids))
            case_rows = []
            for case, id_ in zip(new_cases, ids, strict=True):
                assert case.opened is not None and case.author.id is not None
                account_id, p = case.opened
                case_rows.append(
                    (
                        id_,
                        CaseStatus.NEW.value,
                        case.priority,
                        _risk_text(case.risk),
                        p.platform,
                        account_id,
                        case.author.id,
                        p.thread_key,
                        p.kind,
                        p.summary,
                        p.language,
                        p.received_stored,
                        case.due_stored,
                        case.last_stored,
                        case.item_count,
                        case.needs_assessment,
                        p.fingerprint,
                    )
                )
                case.id, case.opened = id_, None
            self._insert(_CASES, _CASE_COLUMNS, case_rows)
        ids = self._new_ids(_ITEMS, len(rows))
        item_rows = []
        for id_, (case, p, account_id) in zip(ids, rows, strict=True):
            item = p.item
            item_rows.append(
                (
                    id_,
                    case.id,
                    p.platform,
                    account_id,
                    p.kind,
                    item.platform_id,
                    case.author.id,
                    p.author_text,
                    item.text,
                    item.link,
                    p.media,
                    item.thread_id,
                    item.thread_title,
                    p.posted_stored,
                    p.received_stored,
                    p.language,
                    p.matches,
                    False,
                )
            )
        self._insert(_ITEMS, _ITEM_COLUMNS, item_rows)
        self._insert_originals(ids, rows)
        self._note_unknown_authors(rows)
        self.report.added += len(item_rows)
        if self.first_item is None:
            self.first_item = ids[0]
        self.last_item = ids[-1]

    def _note_unknown_authors(self, rows: list[tuple[_CaseState, PreparedItem, int]]) -> None:
        """Say on the case's timeline when the platform did not say who wrote an item."""
        unknown = [
            (case, p) for case, p, _a in rows if is_unknown_author(p.item.author.platform_user_id)
        ]
        if not unknown or self.now is None:
            return
        at = self.time(self.now)
        ids = self._new_ids(_EVENTS, len(unknown))
        events = [
            (
                id_,
                case.id,
                at,
                "import",
                "note",
                UNKNOWN_AUTHOR_NOTE + _UNKNOWN_AUTHOR_WHY.get(p.platform, "") + ".",
                json.dumps({"item": p.item.platform_id, "unknown_author": True}),
            )
            for id_, (case, p) in zip(ids, unknown, strict=True)
        ]
        self._insert(_EVENTS, _EVENT_COLUMNS, events)

    def _insert_originals(
        self, ids: Sequence[int], rows: list[tuple[_CaseState, PreparedItem, int]]
    ) -> None:
        """Keep each item's record as received, with its SHA-256, in the same chunk.

        Stored raw: compressing every record here was a tenth of the import's time, so
        :func:`desk.store.originals.compact_originals` squeezes them after the import. On
        SQLite as one statement (one blob of all the records, sliced): an executemany would
        take the interpreter lock back for every row, while the import's thread holds it.
        """
        originals = [
            (id_, p.item.original)
            for id_, (_case, p, _account) in zip(ids, rows, strict=True)
            if p.item.original is not None
        ]
        if not originals:
            return
        if self.writer is not None:
            index: list[tuple[int, str, int, int]] = []
            start = 1
            for item_id, raw in originals:
                index.append((item_id, digest(raw), start, len(raw)))
                start += len(raw)
            blob = b"".join(raw for _id, raw in originals)
            self.writer.submit(_ORIGINALS_SQL, (json.dumps(index), blob))
        else:
            self.s.execute(
                insert(_ORIGINALS),
                [
                    {"item_id": item_id, "sha256": digest(raw), "form": FORM_EXACT,
                     "data": raw, "compressed": False}
                    for item_id, raw in originals
                ],
            )  # fmt: skip

    def _new_ids(self, table: Table, count: int) -> Sequence[int]:
        """Return ``count`` ids for new rows of ``table`` (they are given, not left to the DB)."""
        if self.sqlite:
            # BEGIN IMMEDIATE holds SQLite's write lock for the whole import: nobody else adds
            # rows meanwhile, so the next ids simply follow the largest at the start
            first = self.next_ids[table.name]
            self.next_ids[table.name] = first + count
            return range(first, first + count)
        # elsewhere (PostgreSQL) the ids come from the column's own sequence
        sequence = func.pg_get_serial_sequence(table.name, "id")
        return list(
            self.s.scalars(
                select(func.nextval(sequence)).select_from(func.generate_series(1, count))
            )
        )

    def _insert(self, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """Insert ``rows`` (values of ``columns``, ids given) in bulk.

        On SQLite, as one statement that the writer thread runs; elsewhere, as one
        executemany.
        """
        if not rows:
            return
        if self.writer is not None:
            payload = json.dumps(rows, ensure_ascii=False, check_circular=False)
            self.writer.submit(_json_insert_sql(table, columns, self.dialect), payload)
        else:
            self.s.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])

    def _forget(self) -> None:
        """Drop what later items can no longer need, so that memory stays flat.

        A case is forgotten once its last item is two windows older than the newest item
        seen: items arrive roughly in order, so the next ones cannot join it; one that does
        arrive late finds it in the database again (see _load_cases).
        """
        if self.newest is not None and len(self.open_cases) > self.keep_cases:
            since = self.newest - 2 * self.join_window
            kept: dict[tuple[str, str, str], _CaseState] = {}
            latest = self.forgotten_latest
            for key, case in self.open_cases.items():
                if case.last_item_at >= since:
                    kept[key] = case
                elif case.last_item_at > latest:
                    latest = case.last_item_at
            self.open_cases, self.forgotten_latest = kept, latest
        if len(self.authors) > _AUTHOR_CACHE:
            self.authors.clear()


def _parents(p: PreparedItem) -> list[str]:
    """The posts a record hangs from: the one it replies to, then its conversation's first."""
    item = p.item
    return [x for x in (item.reply_to, item.thread_id) if x and x != item.platform_id]


def _links(p: PreparedItem) -> tuple[str, str, tuple[str, ...]]:
    return p.platform, p.item.platform_id, tuple(_parents(p))
