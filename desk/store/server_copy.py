"""Reaching a PostgreSQL server, and copying a desk's tables onto an empty one.

Used by ``desk-admin migrate-to``: every Desk table is copied in dependency order, in batches
by primary key, ids kept; the server's sequences are then moved past the copied ids. What the
copy made can be dropped again (the server is left as it was found: empty).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Table, func, insert, inspect, literal, select, text, tuple_
from sqlalchemy.exc import DBAPIError, OperationalError

from desk.core.errors import DatabaseProblem
from desk.store.db import Database
from desk.store.migrate import VERSION_TABLE
from desk.store.tables import Base

log = logging.getLogger(__name__)

COPY_BATCH = 2_000


def _first_line(exc: BaseException, secret: str | None) -> str:
    orig = getattr(exc, "orig", None) or exc
    line = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    if secret:
        line = line.replace(secret, "[password hidden]")
    return line


def check_reachable(db: Database, secret: str | None = None) -> None:
    """Connect once; refuse, saying why, when the server cannot be reached or signed in to.

    Raises:
        DatabaseProblem: naming the server (never its password) and the server's reason.
    """
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (OperationalError, DBAPIError) as exc:
        reason = _first_line(exc, secret)
        hint = ""
        if "password" in reason.lower():
            hint = (
                " Store this workstation's database password in the OS keyring with "
                "'desk-admin database set-password'."
            )
        raise DatabaseProblem(
            f"Desk cannot use the database server {db.where}: {reason}.{hint}"
        ) from None


def table_names(db: Database) -> list[str]:
    """Return the names of the tables in the database's (current) schema."""
    with db.engine.connect() as conn:
        return sorted(inspect(conn).get_table_names())


@dataclass(frozen=True)
class Objects:
    """What a PostgreSQL schema holds besides data: tables, functions, types, sequences."""

    tables: frozenset[str]
    functions: frozenset[str]
    types: frozenset[str]
    sequences: frozenset[str]


def schema_objects(db: Database) -> Objects:
    """List the objects in the current schema of a PostgreSQL database."""
    with db.engine.connect() as conn:
        functions = conn.scalars(
            text(
                "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
                "ON n.oid = p.pronamespace WHERE n.nspname = current_schema()"
            )
        ).all()
        types = conn.scalars(
            text(
                "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                "WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd')"
            )
        ).all()
        inspector = inspect(conn)
        return Objects(
            frozenset(inspector.get_table_names()),
            frozenset(functions),
            frozenset(types),
            frozenset(inspector.get_sequence_names()),
        )


def drop_new(db: Database, before: Objects) -> None:
    """Drop every object made since ``before`` (tables first), leaving the schema as it was."""
    now = schema_objects(db)
    prep = db.engine.dialect.identifier_preparer
    with db.engine.begin() as conn:
        for name in sorted(now.tables - before.tables):
            conn.execute(text(f"DROP TABLE IF EXISTS {prep.quote(name)} CASCADE"))
        for name in sorted(now.sequences - before.sequences):
            conn.execute(text(f"DROP SEQUENCE IF EXISTS {prep.quote(name)} CASCADE"))
        for signature in sorted(now.functions - before.functions):
            # a regprocedure's text is already a quoted, qualified signature
            conn.execute(text(f"DROP FUNCTION IF EXISTS {signature} CASCADE"))
        for name in sorted(now.types - before.types):
            conn.execute(text(f"DROP TYPE IF EXISTS {prep.quote(name)} CASCADE"))
    log.info("dropped what the copy made on %s", db.where)


def desk_tables() -> list[Table]:
    """Desk's tables in dependency order (a table after those it refers to)."""
    return list(Base.metadata.sorted_tables)


def source_tables(db: Database) -> list[str]:
    """Return the SQLite file's own tables: not Alembic's, not full-text search's, not SQLite's."""
    with db.engine.connect() as conn:
        virtual = conn.scalars(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
            )
        ).all()
        names = inspect(conn).get_table_names()
    return sorted(
        n
        for n in names
        if n != VERSION_TABLE
        and not n.startswith("sqlite_")
        and not any(n == v or n.startswith(f"{v}_") for v in virtual)
    )


def _copyable(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.computed is None]


def copy_table(
    src: Database,
    dst: Database,
    table: Table,
    batch: int = COPY_BATCH,
    progress: Callable[[str, int], None] | None = None,
) -> int:
    """Copy every row of ``table`` from ``src`` to ``dst`` (ids kept), batch by batch."""
    columns = _copyable(table)
    pk = list(table.primary_key.columns)
    cols = [table.c[name] for name in columns]
    done = 0
    last: tuple[object, ...] | None = None
    while True:
        query = select(*cols).order_by(*pk).limit(batch)
        if last is not None:
            after = [literal(v, c.type) for v, c in zip(last, pk, strict=True)]
            key = pk[0] > after[0] if len(pk) == 1 else tuple_(*pk) > tuple_(*after)
            query = query.where(key)
        with src.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        if not rows:
            return done
        with dst.engine.begin() as conn:
            conn.execute(insert(table), rows)
        done += len(rows)
        last = tuple(rows[-1][c.name] for c in pk)
        if progress is not None:
            progress(table.name, done)


def reset_sequences(db: Database) -> None:
    """Move each id sequence past the largest id copied, so new rows get new ids."""
    with db.engine.begin() as conn:
        for table in desk_tables():
            if "id" not in table.c or [c.name for c in table.primary_key.columns] != ["id"]:
                continue
            sequence = conn.scalar(select(func.pg_get_serial_sequence(table.name, "id")))
            if sequence is None:
                continue
            top = conn.scalar(select(func.max(table.c.id)))
            conn.execute(
                select(func.setval(sequence, top if top is not None else 1, top is not None))
            )


def row_counts(db: Database, names: list[str]) -> dict[str, int]:
    """Return how many rows each named Desk table holds."""
    tables = {t.name: t for t in desk_tables()}
    with db.engine.connect() as conn:
        return {
            name: int(conn.scalar(select(func.count()).select_from(tables[name])) or 0)
            for name in names
        }
