"""A start on an up-to-date database reads its revision with plain SQL: no Alembic imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from desk.store import migrate
from desk.store.db import Database

ROOT = Path(__file__).resolve().parents[2]


def test_the_head_read_from_the_scripts_is_alembics_head() -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrate.MIGRATIONS))
    scripts = ScriptDirectory.from_config(cfg)
    assert migrate.head_revision() == scripts.get_current_head()
    assert set(migrate._revisions()) == {rev.revision for rev in scripts.walk_revisions()}


def test_the_revision_is_read_with_plain_sql(tmp_path: Path) -> None:
    db = Database.sqlite(tmp_path / "desk.sqlite3")
    try:
        assert migrate.current_revision(db) is None  # empty file
        migrate.upgrade(db)
        assert migrate.current_revision(db) == migrate.head_revision()
    finally:
        db.dispose()


def test_opening_an_up_to_date_database_never_imports_alembic(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    db = Database.sqlite(path)
    migrate.upgrade(db)
    db.dispose()
    # a fresh interpreter: this one has imported Alembic already
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from desk.store import migrate\n"
        "from desk.store.db import Database\n"
        f"db = Database.sqlite(Path({str(path)!r}))\n"
        "assert migrate.upgrade(db) is None\n"
        "db.dispose()\n"
        "print('alembic' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "False"
