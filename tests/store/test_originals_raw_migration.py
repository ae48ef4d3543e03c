"""Migration 0008: records kept before it read as compressed; going back compresses raw ones."""

from __future__ import annotations

import shutil
import sqlite3
import zlib
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from desk.core.evidence import unpack
from desk.store import migrate
from desk.store.db import Database

FIXTURE = Path(__file__).parent / "fixtures" / "schema-0007.sqlite3"
RECORD = b'{"id": "1", "text": "caf\xc3\xa9"}\r\n'


def _rows(path: Path) -> list[tuple[int, bytes, int | None]]:
    with sqlite3.connect(path) as conn:
        columns = [c[1] for c in conn.execute("PRAGMA table_info(item_originals)")]
        flag = "compressed" if "compressed" in columns else "NULL"
        return conn.execute(f"SELECT item_id, data, {flag} FROM item_originals").fetchall()  # noqa: S608


def test_upgrade_reads_old_rows_as_compressed_and_downgrade_compresses_raw_ones(
    tmp_path: Path,
) -> None:
    path = tmp_path / "desk.sqlite3"
    shutil.copy(FIXTURE, path)
    with sqlite3.connect(path) as conn:  # a record kept at 0007: always compressed
        conn.execute(
            "INSERT INTO item_originals (item_id, sha256, form, data) VALUES (1, 'x', 'exact', ?)",
            (zlib.compress(RECORD),),
        )
    db = Database.sqlite(path)
    migrate.upgrade(db)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO item_originals (item_id, sha256, form, data, compressed) "
            "VALUES (2, 'y', 'exact', ?, 0)",
            (RECORD,),
        )
    ((_, old, old_flag), (_, new, new_flag)) = sorted(_rows(path))
    assert old_flag == 1 and unpack(old, bool(old_flag)) == RECORD
    assert new_flag == 0 and unpack(new, bool(new_flag)) == RECORD
    db.dispose()
    # the rows here have no items: a plain engine, without Desk's foreign-key checks
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        cfg = migrate._config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
    engine.dispose()
    rows = sorted(_rows(path))
    assert [flag for _, _, flag in rows] == [None, None]  # the column is gone
    assert [zlib.decompress(data) for _, data, _ in rows] == [RECORD, RECORD]
