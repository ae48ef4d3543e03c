"""``desk-admin outage ...`` and ``desk-admin export continuity-pack|open-cases``."""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from pathlib import Path

from desk.core.items import Platform
from desk.core.roles import Role
from tests.cli.conftest import Cli
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services.helpers import item


def _supervisor(staffed: Staffed) -> Person:
    enrol = staffed.desk.accounts.add_user(
        staffed.admin_token, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD
    )
    return Person("sgreen", USER_PASSWORD, enrol.seed, Role.SUPERVISOR)


def _cases(staffed: Staffed) -> None:
    d, token = staffed.desk, staffed.admin_token
    d.official_accounts.add(token, Platform.X, "@ExampleshirePolice")
    d.importer.store(
        token,
        [
            item("x1", "lost dog near the park", author="a1", thread=None),
            item("x2", "+44 7700 900000 call me", author="a2", thread=None),
        ],
        "test",
    )


def test_outage_start_end_record_and_list(cli: Cli, staffed: Staffed) -> None:
    started = cli.signed(staffed.operator, "outage", "start", "facebook", "--json")
    assert started.status == 0, started.err
    first = json.loads(started.out)
    assert first["platform"] == "facebook" and first["ends_at"] is None
    again = cli.signed(staffed.operator, "outage", "start", "facebook")
    assert again.status == 2 and f"outage #{first['id']}" in again.err
    ended = cli.signed(
        staffed.operator, "outage", "end", str(first["id"]), "--did", "Posted holding statement"
    )
    assert ended.status == 0 and ended.out == f"Ended outage #{first['id']} (facebook).\n"
    now = staffed.clock.now()
    recorded = cli.signed(
        staffed.operator,
        "outage",
        "record",
        "desk",
        "--from",
        (now - timedelta(hours=6)).strftime("%Y-%m-%dT%H:%MZ"),
        "--to",
        (now - timedelta(hours=4)).strftime("%Y-%m-%dT%H:%MZ"),
        "--did",
        "Worked from the printed pack",
        "--paper-cases",
        "4",
    )
    assert recorded.status == 0, recorded.err
    assert "Recorded (after the fact) outage #2 (desk)" in recorded.out
    listed = cli.signed(staffed.operator, "outage", "list")
    assert "Worked from the printed pack" in listed.out and "jsmith (after)" in listed.out
    bad = cli.signed(staffed.operator, "outage", "start", "myspace")
    assert bad.status == 2 and "Unknown platform 'myspace'" in bad.err


def test_export_open_cases_csv_needs_a_supervisor_and_is_formula_safe(
    cli: Cli, staffed: Staffed, tmp_path: Path
) -> None:
    _cases(staffed)
    out = tmp_path / "open.csv"
    refused = cli.signed(staffed.operator, "export", "open-cases", "--out", str(out))
    assert refused.status == 2 and "may not export open cases" in refused.err
    assert not out.exists()
    sue = _supervisor(staffed)
    done = cli.signed(sue, "export", "open-cases", "--format", "csv", "--out", str(out))
    assert done.status == 0, done.err
    assert done.out == f"Wrote 2 open cases (csv) to {out}.\n"
    rows = list(csv.reader(out.open(encoding="utf-8", newline="")))
    assert rows[0] == rows[-1] == ["OFFICIAL-SENSITIVE"]
    assert "'+44 7700 900000 call me" in [c for r in rows for c in r]
    bad = cli.signed(sue, "export", "open-cases", "--format", "xlsx", "--out", str(out))
    assert bad.status == 2 and "use csv or pdf" in bad.err


def test_export_continuity_pack_and_open_cases_pdf(
    cli: Cli, staffed: Staffed, tmp_path: Path
) -> None:
    _cases(staffed)
    sue = _supervisor(staffed)
    pack = tmp_path / "pack.pdf"
    done = cli.signed(sue, "export", "continuity-pack", "--out", str(pack), "--json")
    assert done.status == 0, done.err
    assert json.loads(done.out)["open_cases"] == 2
    assert pack.read_bytes().startswith(b"%PDF")
    mine = tmp_path / "operator.pdf"
    op = cli.signed(staffed.operator, "export", "continuity-pack", "--out", str(mine))
    assert op.status == 0 and "without the open cases" in op.out
    insist = cli.signed(
        staffed.operator, "export", "continuity-pack", "--with-cases", "--out", str(mine)
    )
    assert insist.status == 2 and "may not print the open cases" in insist.err
    cases_pdf = tmp_path / "open.pdf"
    made = cli.signed(sue, "export", "open-cases", "--format", "pdf", "--out", str(cases_pdf))
    assert made.status == 0, made.err
    assert cases_pdf.read_bytes().startswith(b"%PDF")
