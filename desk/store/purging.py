"""The SQL that makes removed text unrecoverable from the SQLite file.

The search index merged without the removed terms, the WAL emptied (freed space is cleared by
every connection: desk.store.db).
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import text
from sqlalchemy.orm import Session

from desk.store.db import Database

log = logging.getLogger(__name__)
CHECKPOINT_TRIES = 20


def merge_search_index(s: Session) -> None:
    """Merge the FTS5 index into one segment, dropping the terms of removed rows.

    Deleting a row from an FTS5 index only adds a tombstone: the old segment still holds
    its terms until the segments are merged. ``optimize`` rewrites the index whole.
    """
    if s.get_bind().dialect.name == "sqlite":
        s.execute(text("INSERT INTO items_fts(items_fts) VALUES('optimize')"))


def empty_write_ahead_log(db: Database) -> bool:
    """Copy the WAL into the database and truncate it to nothing; tell whether it was done.

    A reader holding an old snapshot stops the truncation; the check is retried for about
    two seconds (a retention run is rare), then left to the next run, and the caller says so.
    """
    if not db.is_sqlite:
        return True
    for _ in range(CHECKPOINT_TRIES):
        # the raw connection is in autocommit (db.py): the checkpoint runs outside a transaction
        raw = db.engine.raw_connection()
        try:
            cur = raw.cursor()
            busy = cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            cur.close()
        finally:
            raw.close()
        if not busy:
            return True
        time.sleep(0.1)
    log.warning("the write-ahead log could not be emptied: a reader held it")
    return False
