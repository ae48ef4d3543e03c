"""``desk-admin restore FILE --yes`` of a PostgreSQL desk's dump, end to end (#16).

The desk runs on the test server (scripts/with-postgres.sh); ``desk-admin backup`` dumps it with
``pg_dump``, and the restore goes into a second, empty database on the same server, named with
``--database-url``. Skipped without the server.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from desk.cli.context import EXIT_OK, EXIT_REFUSED
from desk.store import server_copy
from desk.store.db import Database
from tests import backend
from tests.cli.conftest import Outcome, Triage
from tests.cli.test_queue import ITEMS, PAGE
from tests.conftest import require_integration

pytestmark = pytest.mark.postgres

_TARGET = "desk_test_restore_target"


@pytest.fixture
def database_url() -> Iterator[str]:
    """The desk's own database on the test server, whichever backend the run uses."""
    if not os.environ.get("DESK_TEST_PG_URL"):
        require_integration("the PostgreSQL server (DESK_TEST_PG_URL)")
    with backend.fresh_database_url() as url:
        yield url


@pytest.fixture
def target_url(database_url: str) -> Iterator[str]:
    """A second, empty database on the same server (no table at all), dropped afterwards."""
    admin = create_engine(
        make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {_TARGET} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {_TARGET}"))
    try:
        yield make_url(database_url).set(database=_TARGET).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {_TARGET} WITH (FORCE)"))
        admin.dispose()


def _counts(url: str) -> dict[str, int]:
    db = Database(url)
    try:
        return server_copy.row_counts(db, [t.name for t in server_copy.desk_tables()])
    finally:
        db.dispose()


def _audit_head(url: str) -> tuple[int, str] | None:
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
            found = row.first()
    finally:
        db.dispose()
    return None if found is None else (int(found[0]), str(found[1]))


def _actions_after(url: str, seq: int) -> list[str]:
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            return list(
                conn.scalars(
                    text("SELECT action FROM audit_log WHERE seq > :seq ORDER BY seq"),
                    {"seq": seq},
                )
            )
    finally:
        db.dispose()


def _hash_at(url: str, seq: int) -> str:
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            found = conn.scalar(text("SELECT hash FROM audit_log WHERE seq = :seq"), {"seq": seq})
    finally:
        db.dispose()
    return str(found)


def _restore(triage: Triage, url: str, dump: Path) -> Outcome:
    return triage.cli.signed(
        triage.staffed.admin, "--database-url", url, "restore", str(dump), "--yes"
    )


@pytest.fixture
def dumped(triage: Triage, tmp_path: Path) -> tuple[Triage, Path]:
    """A worked desk on the server (accounts, imports, a claim, a note) and its pg_dump."""
    triage.official("x", "@ExampleshirePolice")
    triage.official("facebook", PAGE)
    triage.official("instagram", "@exampleshirepolice")
    assert triage.import_(triage.jsonl("queue.jsonl", ITEMS)).status == EXIT_OK
    assert triage.cli("case", "claim", "2", session=triage.jo).status == EXIT_OK
    assert triage.cli("case", "note", "2", "Rang the caller back", session=triage.jo).status == 0
    out = tmp_path / "desk.pgdump"
    made = triage.cli("backup", str(out), "--json", session=triage.admin)
    assert made.status == EXIT_OK, made.err
    assert json.loads(made.out)["counts"]["cases"] == len(ITEMS)
    assert out.read_bytes().startswith(b"PGDMP")
    return triage, out


def test_a_dump_restores_through_the_command_line_with_the_same_desk_and_chain(
    dumped: tuple[Triage, Path], database_url: str, target_url: str
) -> None:
    triage, dump = dumped
    cli = triage.cli
    source = _counts(database_url)
    queue_before = triage.queue()
    done = _restore(triage, target_url, dump)
    assert done.status == EXIT_OK, done.err
    assert "counts and chain verified" in done.out
    assert _TARGET in done.out and "database set-url" in done.out
    restored = _counts(target_url)
    manifest = json.loads(dump.with_name(dump.name + ".manifest.json").read_text())
    head = manifest["audit_head"]
    # the dump's chain, then the restorer's sign-in, sign-out and the restore entry
    assert _actions_after(target_url, head["seq"]) == [
        "signin.success", "session.signout", "backup.restore"
    ]  # fmt: skip
    assert _hash_at(target_url, head["seq"]) == _hash_at(database_url, head["seq"]) == head["hash"]
    assert source["audit_log"] == head["seq"] + 1  # the source recorded the backup after it
    same = ("audit_log", "sessions")  # the restorer signed in
    assert {k: v for k, v in restored.items() if k not in same} == {
        k: v for k, v in source.items() if k not in same
    }
    assert {k: restored[k] for k in manifest["counts"] if k != "audit_log"} == {
        k: v for k, v in manifest["counts"].items() if k != "audit_log"
    }
    assert restored["cases"] == len(ITEMS) and restored["item_originals"] == len(ITEMS)

    # the restored desk works: a fresh sign-in (the backup's sessions were ended), the chain
    # verifies, the queue is the one that was dumped, the restore is in its log, new rows go in
    old = cli("--database-url", target_url, "audit", "verify", session=triage.admin)
    assert old.status != EXIT_OK and "session" in old.err.lower()
    verify = cli.signed(triage.staffed.admin, "--database-url", target_url, "audit", "verify")
    assert verify.status == EXIT_OK, verify.out + verify.err
    jo = cli.signed(triage.staffed.operator, "--database-url", target_url, "login").token
    queued = cli("--database-url", target_url, "queue", "--json", session=jo)
    assert json.loads(queued.out) == queue_before
    note = cli("--database-url", target_url, "case", "note", "3", "After the restore", session=jo)
    assert note.status == EXIT_OK, note.err
    admin = cli.signed(triage.staffed.admin, "--database-url", target_url, "login").token
    listed = cli(
        "--database-url", target_url, "audit", "list", "--json", "--action", "backup.restore",
        session=admin,
    )  # fmt: skip
    entries = json.loads(listed.out)
    assert len(entries) == 1 and entries[0]["actor"] == "admin"


def test_a_restore_into_a_database_that_is_not_empty_is_refused_and_changes_nothing(
    dumped: tuple[Triage, Path], database_url: str, target_url: str
) -> None:
    triage, dump = dumped
    # the desk's own database, and one holding any table at all
    for url in (database_url, target_url):
        if url == target_url:
            db = Database(target_url)
            with db.engine.begin() as conn:
                conn.execute(text("CREATE TABLE customers (id integer)"))
                conn.execute(text("INSERT INTO customers VALUES (1)"))
            db.dispose()
            before: object = _table_names(target_url)
        else:
            before = (_counts(url), _audit_head(url))
        done = _restore(triage, url, dump)
        assert done.status == EXIT_REFUSED, (done.status, done.out, done.err)
        assert "is not empty" in done.err and "has not been changed" in done.err
        after = _table_names(url) if url == target_url else (_counts(url), _audit_head(url))
        assert after == before
    # the source desk still works and its chain still verifies
    verify = triage.cli("audit", "verify", session=triage.admin)
    assert verify.status == EXIT_OK, verify.out + verify.err


def _table_names(url: str) -> list[str]:
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            return sorted(
                conn.scalars(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                ).all()
            )
    finally:
        db.dispose()
