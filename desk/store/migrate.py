"""Bring a database to the current schema, only through Alembic, backing up first."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from desk.core.errors import DatabaseProblem
from desk.paths import private_file, private_folder
from desk.store.db import Database
from desk.store.revisions import MIGRATIONS, head_revision, known_revisions

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
VERSION_TABLE = "alembic_version"
# read by tests and by the identification made before any connection writes
_revisions = known_revisions


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def current_revision(db: Database) -> str | None:
    """Return the database's schema revision, or None for an empty database."""
    with db.engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        rows = [r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))]
    if len(rows) > 1:
        raise DatabaseProblem(
            f"The database {db.where} names {len(rows)} schema versions ({', '.join(rows)}): "
            "Desk has not changed it. Restore it from a backup."
        )
    return rows[0] if rows else None


def _backup(db: Database, revision: str, backup_dir: Path) -> Path:
    assert db.path is not None
    private_folder(backup_dir)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backup_dir / f"{db.path.stem}-before-upgrade-from-{revision}-{stamp}.sqlite"
    private_file(target)  # owner-only before SQLite writes a byte of the copy into it
    with sqlite3.connect(db.path) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    log.info("backed up database to %s before upgrading it", target)
    return target


def upgrade(db: Database, backup_dir: Path | None = None) -> str | None:
    """Check and upgrade ``db`` to the head schema; return the backup made, if any.

    Every start makes the quick check; an upgrade of an existing file makes the full
    integrity check first, before the backup and before anything changes.
    """
    db.check_integrity()
    known = set(_revisions())
    current = current_revision(db)
    head = head_revision()
    if current is not None and current not in known:
        raise DatabaseProblem(
            f"The database {db.where} was written by a newer version of Desk "
            f"(schema {current}; this version knows up to {head}). "
            "Install the newer Desk; this one has not changed the file."
        )
    if current is None:
        with db.engine.connect() as conn:
            stray = [t for t in inspect(conn).get_table_names() if t != VERSION_TABLE]
        if stray:
            raise DatabaseProblem(
                f"The database {db.where} holds tables ({', '.join(sorted(stray)[:5])}) but no "
                "Desk schema version: it is not a Desk database. Desk has not changed it."
            )
    if current == head:
        return None
    if current is not None:
        db.check_integrity(full=True)
    backup = None
    if current is not None and db.is_sqlite and backup_dir is not None:
        backup = str(_backup(db, current, backup_dir))
    from alembic import command

    with db.engine.begin() as conn:
        cfg = _config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    log.info("database %s upgraded from %s to %s", db.where, current, head)
    return backup
