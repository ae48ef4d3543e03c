"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from desk.store import migrate
from desk.store.db import Database
from desk.store.tables import Base


def test_no_difference_between_migrations_and_models(tmp_path: Path) -> None:
    db = Database.sqlite(tmp_path / "desk.sqlite3")
    migrate.upgrade(db)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    db.dispose()
    # FTS5's shadow tables are created by the migration on purpose and have no model
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith("items_fts"))]
    assert diff == []
