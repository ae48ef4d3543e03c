"""``desk-admin migrate-to URL``: a SQLite desk moved onto an empty PostgreSQL server (#16).

Needs the test server (scripts/with-postgres.sh); skipped without it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from desk.paths import Profile
from desk.services import migrate_to as migrate_to_module
from desk.store import server_copy
from desk.store.database_url import ENV_DATABASE_URL
from desk.store.db import Database
from tests.cli.conftest import Triage
from tests.cli.test_queue import ITEMS, PAGE
from tests.conftest import require_integration

# it moves a SQLite desk to the server: on a run whose desks are already there, it is skipped
pytestmark = [pytest.mark.postgres, pytest.mark.sqlite_only]


@pytest.fixture
def pg_url(monkeypatch: pytest.MonkeyPatch) -> str:
    """The test server's URL, its public schema emptied first."""
    url = os.environ.get("DESK_TEST_PG_URL")
    if not url:
        require_integration("the PostgreSQL server (DESK_TEST_PG_URL)")
    assert url is not None
    monkeypatch.delenv(ENV_DATABASE_URL, raising=False)
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.dispose()
    return url


@pytest.fixture
def worked(triage: Triage) -> Triage:
    """A desk with accounts, official accounts, imported items (originals kept), a claim, a note."""
    triage.official("x", "@ExampleshirePolice")
    triage.official("facebook", PAGE)
    triage.official("instagram", "@exampleshirepolice")
    assert triage.import_(triage.jsonl("queue.jsonl", ITEMS)).status == 0
    assert triage.cli("case", "claim", "2", session=triage.jo).status == 0
    assert triage.cli("case", "note", "2", "Rang the caller back", session=triage.jo).status == 0
    triage.staffed.desk.close()  # every connection closed: the file is all there is
    return triage


def _digest(path: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.parent.glob(path.name + "*"))
    }


def _counts(db: Database) -> dict[str, int]:
    names = [t.name for t in server_copy.desk_tables()]
    counts = server_copy.row_counts(db, names)
    db.dispose()
    return counts


def test_a_desk_moves_to_the_server_verified_and_the_sqlite_file_is_untouched(
    worked: Triage, profile: Profile, pg_url: str
) -> None:
    cli = worked.cli
    before = _digest(profile.db_path)
    queue_before = worked.queue()
    done = cli("migrate-to", pg_url, "--batch", "3")
    assert done.status == 0, done.err
    assert "the counts match and the audit chain verifies on the server" in done.out
    assert _digest(profile.db_path) == before
    sqlite_counts = _counts(Database.sqlite(profile.db_path))
    assert _digest(profile.db_path) == before
    server_counts = _counts(Database(pg_url))
    assert sqlite_counts["item_originals"] == len(ITEMS) and sqlite_counts["cases"] == len(ITEMS)
    assert server_counts["audit_log"] == sqlite_counts["audit_log"] + 1  # the move itself
    assert {k: v for k, v in server_counts.items() if k != "audit_log"} == {
        k: v for k, v in sqlite_counts.items() if k != "audit_log"
    }
    # the profile now uses the server: the same queue, the chain verifies, new rows get ids
    assert "postgresql" in cli("database", "show").out
    assert worked.queue() == queue_before
    verify = cli("audit", "verify", session=worked.admin)
    assert verify.status == 0, verify.err
    assert worked.cli("case", "note", "3", "On the server", session=worked.jo).status == 0
    assert cli("official-account", "add", "x", "@SecondAccount", session=worked.admin).status == 0
    listed = cli("audit", "list", "--action", "database.move", session=worked.admin)
    assert "database.move" in listed.out
    assert _digest(profile.db_path) == before


def test_a_server_that_holds_a_desk_or_any_table_is_refused(
    worked: Triage, profile: Profile, pg_url: str
) -> None:
    db = Database(pg_url)
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id integer)"))
    done = worked.cli("migrate-to", pg_url)
    assert done.status == 2
    assert "already holds tables (customers)" in done.err
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE customers"))
    db.dispose()
    assert worked.cli("migrate-to", pg_url).status == 0
    (profile.config_dir / "database.json").unlink()  # back to the SQLite file
    again = worked.cli("migrate-to", pg_url)
    assert again.status == 2 and "already holds a Desk" in again.err


@pytest.mark.parametrize("stop", [RuntimeError, KeyboardInterrupt])
def test_a_failed_or_interrupted_copy_leaves_the_server_empty(
    worked: Triage,
    profile: Profile,
    pg_url: str,
    monkeypatch: pytest.MonkeyPatch,
    stop: type[BaseException],
) -> None:
    before = _digest(profile.db_path)
    real = server_copy.copy_table

    def failing(src, dst, table, *rest):  # type: ignore[no-untyped-def]
        if table.name == "items":
            raise stop()
        return real(src, dst, table, *rest)

    monkeypatch.setattr(migrate_to_module.server_copy, "copy_table", failing)
    done = worked.cli("migrate-to", pg_url)
    if stop is KeyboardInterrupt:
        assert done.status == 130
    else:
        assert done.status == 3
        assert "and the server is empty again" in done.err
        assert "RuntimeError" in done.err
    db = Database(pg_url)
    try:
        objects = server_copy.schema_objects(db)
        assert objects.tables == frozenset() and objects.functions == frozenset()
        assert objects.sequences == frozenset()
    finally:
        db.dispose()
    assert not (profile.config_dir / "database.json").exists()
    assert _digest(profile.db_path) == before
    monkeypatch.setattr(migrate_to_module.server_copy, "copy_table", real)
    assert worked.cli("migrate-to", pg_url).status == 0
