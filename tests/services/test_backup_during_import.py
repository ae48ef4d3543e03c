"""A backup taken while a bulk import runs restores with the import wholly in or wholly out.

The import runs in a thread of its own (one transaction, stored chunk by chunk); after each
chunk it waits while the test takes a backup, so every backup here is taken with the import's
transaction open and part of the file written inside it. Each backup is then opened as a
restore opens it (its integrity, schema and keys checked, its audit chain verified) and must
hold none or all of the file's items; one of them is restored in full.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from desk.core.items import Platform
from desk.services.importing import CHUNK
from desk.services.restore import SqliteRestore, check_backup
from tests.conftest import Staffed

pytestmark = pytest.mark.sqlite_only

RECORDS = CHUNK * 3 + 17


def _records(n: int) -> str:
    rows: list[dict[str, Any]] = [
        {"platform": "x", "account": "@ExampleshirePolice", "kind": "mention", "id": f"s{i}",
         "author_id": f"a{i % 997}", "author_handle": f"@person{i % 997}", "text": f"hello {i}",
         "posted_at": "2026-11-26T08:00:00Z"}
        for i in range(n)
    ]  # fmt: skip
    return "".join(json.dumps(r) + "\n" for r in rows)


def test_backups_during_an_import_hold_none_or_all_of_it(staffed: Staffed, tmp_path: Path) -> None:
    desk, clock = staffed.desk, staffed.clock
    clock.heartbeat = None  # type: ignore[attr-defined]  # no window is open: only these threads
    desk.official_accounts.add(staffed.admin_token, Platform.X, "@ExampleshirePolice")
    source = tmp_path / "big.jsonl"
    source.write_text(_records(RECORDS), encoding="utf-8")
    jo = staffed.sign_in(staffed.operator)
    # signed in last: a session used within 30 seconds is checked without the write lock,
    # which the import holds (one older would wait for the import, as any write does)
    admin = staffed.sign_in(staffed.admin)
    out = tmp_path / "backups"
    out.mkdir()

    chunk_stored = threading.Event()
    copied = threading.Event()
    failures: list[BaseException] = []

    def stored(_count: int) -> None:  # inside the import's transaction
        chunk_stored.set()
        assert copied.wait(60), "the test did not take its backup"
        copied.clear()

    def run_import() -> None:
        try:
            desk.importer.import_file(jo, source, progress=stored)
        except BaseException as exc:  # handed to the test thread
            failures.append(exc)
        finally:
            chunk_stored.set()

    def copy_done(done: int, total: int) -> None:
        if done == total:
            copied.set()  # the copy is whole; its audit entry waits for the import's commit

    def back_up(name: str) -> None:
        try:
            desk.backup.make(admin, out / name, progress=copy_done)
        except BaseException as exc:
            failures.append(exc)
            copied.set()

    desk.backup.make(admin, out / "before.sqlite3")
    importing = threading.Thread(target=run_import, name="import")
    importing.start()
    during: list[threading.Thread] = []
    while True:
        assert chunk_stored.wait(60)
        chunk_stored.clear()
        if not importing.is_alive():
            break
        clock.advance(seconds=1)
        backing_up = threading.Thread(target=back_up, args=(f"during-{len(during) + 1}.sqlite3",))
        backing_up.start()
        during.append(backing_up)
    importing.join(60)
    for backing_up in during:
        backing_up.join(120)
    assert not failures, failures
    assert len(during) >= 3  # one per stored chunk, the last one just before the commit
    clock.advance(seconds=1)
    desk.backup.make(admin, out / "after.sqlite3")
    backups = sorted(out.glob("*.sqlite3"))
    assert len(backups) == len(during) + 2

    found = {path.name: check_backup(path).counts["items"] for path in backups}
    assert found["before.sqlite3"] == 0 and found["after.sqlite3"] == RECORDS
    assert all(found[f"during-{i}.sqlite3"] == 0 for i in range(1, len(during) + 1)), found

    # each opens as a restore opens it: integrity, schema, keys, and its audit chain verified
    desk.close()
    for path in backups:
        prepared = SqliteRestore(desk.profile, path, clock)
        prepared.discard()
    # and the one taken as the last chunk was stored restores whole, with none of the file
    last_during = out / f"during-{len(during)}.sqlite3"
    prepared = SqliteRestore(desk.profile, last_during, clock)
    try:
        prepared.commit("admin")
    finally:
        prepared.discard()
    assert check_backup(desk.profile.db_path).counts["items"] == 0
