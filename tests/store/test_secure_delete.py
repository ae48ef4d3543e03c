"""Words rewritten or deleted by any write are gone from the SQLite file, not left in free space.

SQLite reuses the space of a rewritten or deleted row without clearing it, so the old words
would stay readable in the file (and in every backup copied from it) until the space happens to
be used again. Desk's connections clear freed space as they free it: an erasure or a purge then
leaves nothing behind, whatever ordinary edits came before it, on whichever connection.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from desk.store.db import Database

pytestmark = pytest.mark.sqlite_only  # it reads the SQLite file itself

OLD = "Quillanmoor Community Hub, 01632 960 123"


def _file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


@pytest.mark.parametrize("how", ["rewritten", "deleted"])
def test_old_words_are_not_left_in_the_file_after_a_row_is_rewritten_or_deleted(
    tmp_path: Path, how: str
) -> None:
    path = tmp_path / "desk.sqlite3"
    db = Database.sqlite(path)
    with db.write() as s:
        s.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"))
        for n in range(40):  # neighbours on the same page, so the page stays in use
            s.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": f"note {n:03d} " * 8})
        s.execute(text("INSERT INTO notes (id, body) VALUES (1000, :b)"), {"b": OLD * 3})
    assert b"Quillanmoor" in _file_bytes(path)  # the check sees them while they are there
    with db.write() as s:
        if how == "rewritten":
            s.execute(text("UPDATE notes SET body = 'short' WHERE id = 1000"))
        else:
            s.execute(text("DELETE FROM notes WHERE id = 1000"))
    db.dispose()  # the last connection folds the write-ahead log into the file
    raw = _file_bytes(path)
    assert b"Quillanmoor" not in raw and b"960 123" not in raw
    assert b"note 039" in raw
