"""``desk-admin backup`` and ``restore`` (check only) on whichever database the run uses.

On SQLite the backup is SQLite's online copy; on PostgreSQL (DESK_TEST_BACKEND=postgresql) a
``pg_dump`` of the test's database, which ``restore`` reads back with ``pg_restore --list``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from desk.cli.context import EXIT_OK, EXIT_USAGE
from tests import backend
from tests.cli.conftest import Triage


def test_backup_writes_the_file_and_restore_checks_it(triage: Triage, tmp_path: Path) -> None:
    out = tmp_path / ("b.pgdump" if backend.on_postgresql() else "b.sqlite3")
    done = triage.cli("backup", str(out), "--json", session=triage.admin)
    assert done.status == EXIT_OK, done.err
    made = json.loads(done.out)
    assert made["path"] == str(out)
    assert made["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert made["counts"]["accounts"] == 4
    refused = triage.cli("backup", str(out), session=triage.admin)
    assert refused.status == EXIT_USAGE and "already exists" in refused.err
    operator = triage.cli("backup", str(tmp_path / "jo.sqlite3"), session=triage.jo)
    assert operator.status == EXIT_USAGE and "may not make backups" in operator.err
    checked = triage.cli("restore", str(out), "--json")
    assert checked.status == EXIT_OK, checked.err
    found = json.loads(checked.out)
    assert found["kind"] == ("postgresql" if backend.on_postgresql() else "sqlite")
    assert found["counts"]["accounts"] == 4 and found["sha256"] == made["sha256"]
