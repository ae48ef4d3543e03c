"""The raw limits: the same work in plain ``sqlite3``, ``json``, ``hmac`` and ``hashlib``.

Each is what the figure's work costs with nothing of Desk in the way: no validation, no
rules, no ORM, no services. They run on the same data (the same JSON Lines file, or the same
database file Desk wrote) in the same run.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# --- import: a table of the items' columns with the same FTS5 index, in one transaction -------

ITEMS_SCHEMA = (
    "CREATE TABLE items (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, platform TEXT NOT NULL,"
    " official_account_id INTEGER NOT NULL, kind TEXT NOT NULL, platform_id TEXT NOT NULL,"
    " author_id INTEGER NOT NULL, author_text TEXT NOT NULL, text TEXT NOT NULL, link TEXT,"
    " media TEXT NOT NULL, thread_id TEXT, thread_title TEXT, posted_at TEXT NOT NULL,"
    " received_at TEXT NOT NULL, language TEXT, matches TEXT NOT NULL, redacted INTEGER NOT NULL)",
    # the same FTS5 index and trigger as migration 0002
    "CREATE VIRTUAL TABLE items_fts USING fts5(text, author_text, content='items', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN INSERT INTO "
    "items_fts(rowid, text, author_text) VALUES (new.id, new.text, new.author_text); END",
)
_INSERT_ITEM = (
    "INSERT INTO items (case_id, platform, official_account_id, kind, platform_id, author_id,"
    " author_text, text, link, media, thread_id, thread_title, posted_at, received_at, language,"
    " matches, redacted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def connect(path: Path) -> sqlite3.Connection:
    """Open ``path`` with the same journal and durability settings Desk uses."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def create_items_table(path: Path) -> None:
    """Create the raw items table and its FTS5 index in a new database file."""
    conn = connect(path)
    for statement in ITEMS_SCHEMA:
        conn.execute(statement)
    conn.close()


def _rows(jsonl: Path) -> Iterator[tuple[Any, ...]]:
    loads = json.loads
    dumps = json.dumps
    with jsonl.open("rb") as fh:
        for line in fh:
            r = loads(line)
            yield (
                0,
                r["platform"],
                0,
                r["kind"],
                r["id"],
                0,
                f"{r['author_handle']} {r.get('author_name', '')}".strip(),
                r["text"],
                r.get("link"),
                dumps(r.get("media", [])),
                r.get("thread_id"),
                r.get("thread_title"),
                r["posted_at"],
                r.get("received_at") or r["posted_at"],
                None,
                "[]",
                0,
            )


_ITEM_COLUMNS = _INSERT_ITEM[_INSERT_ITEM.index("(") + 1 : _INSERT_ITEM.index(")")]
# built from the constants above, no input
_INSERT_JSON = (
    f"INSERT INTO items ({_ITEM_COLUMNS}) SELECT "  # noqa: S608
    + ", ".join(f"json_extract(value, '$[{n}]')" for n in range(17))
    + " FROM json_each(?)"
)


def import_items(path: Path, jsonl: Path, one_statement: bool = False) -> int:
    """Insert every line of ``jsonl`` into the raw table in one transaction; return the count.

    The limit is ``executemany``, as the issue defines it. With ``one_statement``, each 5,000
    rows go in as one ``INSERT ... SELECT FROM json_each(?)`` instead, the way Desk writes:
    a stricter limit, reported beside it.
    """
    conn = connect(path)
    conn.execute("BEGIN IMMEDIATE")
    if one_statement:
        chunk: list[tuple[Any, ...]] = []
        for row in _rows(jsonl):
            chunk.append(row)
            if len(chunk) == 5000:
                conn.execute(_INSERT_JSON, (json.dumps(chunk, ensure_ascii=False),))
                chunk = []
        if chunk:
            conn.execute(_INSERT_JSON, (json.dumps(chunk, ensure_ascii=False),))
    else:
        conn.executemany(_INSERT_ITEM, _rows(jsonl))
    conn.execute("COMMIT")
    (count,) = conn.execute("SELECT count(*) FROM items").fetchone()
    conn.close()
    return int(count)


# --- the queue: the screenful as one hand-written SELECT ----------------------------------------

_QUEUE_COLUMNS = (
    "SELECT c.id, c.priority, c.status, c.opened_at, c.due_at, c.platform, oa.handle, a.handle,"
    " a.display_name, c.summary, c.risk, o.username, c.item_count, c.language, c.kind,"
    " c.needs_assessment"
    " FROM cases c JOIN official_accounts oa ON oa.id = c.official_account_id"
    " JOIN authors a ON a.id = c.author_id LEFT JOIN accounts o ON o.id = c.owner_id"
)
_ORDER = " ORDER BY c.priority, c.opened_at, c.id LIMIT ?"
# the best plain SQL for the view, as a person who knows SQLite writes it: "+c.status" keeps the
# planner reading the queue-order index rather than fetching every open case to sort them
_OPEN = " WHERE +c.status IN (?, ?, ?, ?)"
_SEARCH = (
    " AND c.priority IN (?, ?) AND c.platform IN (?, ?)"
    " AND c.id IN (SELECT i.case_id FROM items_fts f JOIN items i ON i.id = f.rowid"
    " WHERE items_fts MATCH ?)"
)


def queue_sql() -> str:
    """The first screenful of the open cases, in queue order (four statuses as parameters)."""
    return _QUEUE_COLUMNS + _OPEN + _ORDER


def last_sql() -> str:
    """The last screenful of the open cases: the queue-order index read backwards (reversed)."""
    return _QUEUE_COLUMNS + _OPEN + " ORDER BY c.priority DESC, c.opened_at DESC, c.id DESC LIMIT ?"


def after_sql() -> str:
    """The screenful of the open cases from a key (priority, opened_at, id) on: keyset paging."""
    return _QUEUE_COLUMNS + _OPEN + " AND (c.priority, c.opened_at, c.id) >= (?, ?, ?)" + _ORDER


def key_of(conn: sqlite3.Connection, case_id: int) -> tuple[Any, ...]:
    """A case's place in queue order, as stored."""
    found = conn.execute("SELECT priority, opened_at, id FROM cases WHERE id = ?", (case_id,))
    return tuple(found.fetchone())


def everything_sql() -> str:
    """The first screenful of every case, closed ones too, in queue order."""
    return _QUEUE_COLUMNS + _ORDER


def queue_count_sql() -> str:
    """How many open cases there are."""
    return "SELECT count(*) FROM cases c WHERE c.status IN (?, ?, ?, ?)"


def search_sql() -> str:
    """The screenful for the open cases, two priorities, two platforms and an FTS5 term."""
    return _QUEUE_COLUMNS + _OPEN + _SEARCH + _ORDER


def search_count_sql() -> str:
    """How many cases the same filter and term show."""
    return "SELECT count(*) FROM cases c WHERE c.status IN (?, ?, ?, ?)" + _SEARCH  # noqa: S608


# --- triage: claim, note, close, each with its timeline line and audit entry ------------------


def _db_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _audit_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class Triage:
    """The writes of claim, note and close, as plain SQL with a chained, sealed audit entry."""

    def __init__(self, path: Path, key: bytes, account_id: int, username: str) -> None:
        self.conn = connect(path)
        self.key = key
        self.account_id = account_id
        self.username = username

    def close_connection(self) -> None:
        """Close the connection."""
        self.conn.close()

    def _event_and_audit(self, case_id: int, kind: str, text: str, details: dict[str, Any]) -> None:
        now = datetime.now(UTC)
        conn = self.conn
        conn.execute(
            "INSERT INTO case_events (case_id, at, actor, kind, text, details)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                case_id,
                _db_time(now),
                self.username,
                kind,
                text,
                json.dumps(details, sort_keys=True),
            ),
        )
        last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (last[0] + 1, last[1]) if last else (1, "0" * 64)
        at = _audit_time(now)
        body = json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        content = json.dumps(
            [seq, at, self.username, f"case.{kind}", f"case:{case_id}", body],
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode("utf-8")
        digest = hmac.new(self.key, prev.encode("ascii") + b"\n" + content, hashlib.sha256)
        conn.execute(
            "INSERT INTO audit_log (seq, at, actor, action, object, details, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, self.username, f"case.{kind}", f"case:{case_id}", body, prev,
             digest.hexdigest()),
        )  # fmt: skip

    def claim(self, case_id: int) -> None:
        """Take a new case (the conditional update is the claim)."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        changed = conn.execute(
            "UPDATE cases SET owner_id = ?, status = 'triage', claimed_at = ?"
            " WHERE id = ? AND owner_id IS NULL AND status = 'new'",
            (self.account_id, _db_time(datetime.now(UTC)), case_id),
        ).rowcount
        if changed != 1:
            conn.execute("ROLLBACK")
            raise RuntimeError(f"raw claim of case {case_id} failed")
        self._event_and_audit(case_id, "claim", "claimed", {})
        conn.execute("COMMIT")

    def note(self, case_id: int, text: str) -> None:
        """Add a note to the case's timeline."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        if conn.execute("SELECT id FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
            conn.execute("ROLLBACK")
            raise RuntimeError(f"no case {case_id}")
        self._event_and_audit(case_id, "note", text, {})
        conn.execute("COMMIT")

    def close(self, case_id: int, outcome: str) -> None:
        """Close the case with its outcome."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        owner, status = conn.execute(
            "SELECT owner_id, status FROM cases WHERE id = ?", (case_id,)
        ).fetchone()
        if owner != self.account_id or status != "triage":
            conn.execute("ROLLBACK")
            raise RuntimeError(f"raw close of case {case_id} refused")
        now = _db_time(datetime.now(UTC))
        conn.execute(
            "UPDATE cases SET status = 'closed', outcome = ?, closed_at = ?,"
            " first_action_at = coalesce(first_action_at, ?) WHERE id = ?",
            (outcome, now, now, case_id),
        )
        self._event_and_audit(case_id, "close", f"closed: {outcome}", {"outcome": outcome})
        conn.execute("COMMIT")


# --- the audit chain ---------------------------------------------------------------------------


def verify_audit(path: Path, key: bytes) -> int:
    """Walk the chain with plain ``hmac`` over the same bytes; return how many entries."""
    conn = connect(path)
    expected_prev = "0" * 64
    expected_seq = 1
    checked = 0
    dumps = json.dumps
    new = hmac.new
    compare = hmac.compare_digest
    sha256 = hashlib.sha256
    rows = conn.execute(
        "SELECT seq, at, actor, action, object, details, prev_hash, hash"
        " FROM audit_log ORDER BY seq"
    )
    for seq, at, actor, action, obj, details, prev, stored in rows:
        content = dumps(
            [seq, at, actor, action, obj, details], separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8")
        digest = new(key, prev.encode("ascii") + b"\n" + content, sha256).hexdigest()
        if not compare(digest, stored) or prev != expected_prev or seq != expected_seq:
            raise RuntimeError(f"raw verify: entry {seq} does not verify")
        expected_prev = stored
        expected_seq = seq + 1
        checked += 1
    conn.close()
    return checked


_SEED_ACTIONS = (
    ("case.claim", "{}"),
    ("case.note", "{}"),
    ("case.assess", '{"grade":"standard","version":1}'),
    ("case.close", '{"outcome":"replied"}'),
    ("session.signin", '{"kind":"gui"}'),
)


def seed_audit(path: Path, key: bytes, count: int, actor: str) -> int:
    """Append ``count`` genuine, chained entries (set-up for the verify figure, not timed)."""
    conn = connect(path)
    conn.execute("BEGIN IMMEDIATE")
    last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0], last[1]) if last else (0, "0" * 64)
    base = datetime(2026, 11, 1, tzinfo=UTC).timestamp()

    def entries() -> Iterator[tuple[Any, ...]]:
        nonlocal seq, prev
        for i in range(count):
            seq += 1
            action, body = _SEED_ACTIONS[i % len(_SEED_ACTIONS)]
            at = _audit_time(datetime.fromtimestamp(base + i * 2.5, UTC))
            obj = f"case:{i // 4 + 1}"
            content = json.dumps(
                [seq, at, actor, action, obj, body], separators=(",", ":"), ensure_ascii=False
            ).encode("utf-8")
            digest = hmac.new(key, prev.encode("ascii") + b"\n" + content, hashlib.sha256)
            row = (seq, at, actor, action, obj, body, prev, digest.hexdigest())
            prev = row[-1]
            yield row

    conn.executemany(
        "INSERT INTO audit_log (seq, at, actor, action, object, details, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        entries(),
    )
    conn.execute("COMMIT")
    (total,) = conn.execute("SELECT count(*) FROM audit_log").fetchone()
    conn.close()
    return int(total)
