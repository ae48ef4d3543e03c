"""``desk-admin audit list`` filters and exports, ``audit anchor`` and ``verify --anchor``."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument

from desk.paths import Profile
from desk.services.signin import CLI as CLI_SESSION
from tests.cli.conftest import Cli
from tests.conftest import Staffed
from tests.services.handover_helpers import prepare


def _case_work(staffed: Staffed) -> None:
    ctx = staffed.desk.ctx
    for n, (actor, case, text) in enumerate(
        [("jsmith", 4, "fine"), ("admin", 5, "=1+2"), ("jsmith", 5, "@SUM(A1)"), ("jsmith", 4, "x")]
    ):
        with ctx.db.write() as s:
            ctx.audit.record(s, actor, "case.note", f"case:{case}", n=n, text=text)
        staffed.clock.advance(minutes=30)


def test_list_filters_by_case_actor_and_period(cli: Cli, staffed: Staffed) -> None:
    _case_work(staffed)
    token = cli.login(staffed.admin)
    found = json.loads(
        cli("audit", "list", "--json", "--case", "5", "--actor", "jsmith", session=token).out
    )
    assert [(e["object"], e["details"]["n"]) for e in found] == [("case:5", 2)]
    both = json.loads(cli("audit", "list", "--json", "--case", "#4", session=token).out)
    assert [e["details"]["n"] for e in both] == [3, 0]
    older = json.loads(
        cli("audit", "list", "--json", "--case", "4", "--before", str(both[0]["seq"]),
            session=token).out
    )  # fmt: skip
    assert [e["details"]["n"] for e in older] == [0]
    none = cli("audit", "list", "--json", "--since", "2030-01-01T00:00Z", session=token)
    assert none.status == 0 and json.loads(none.out) == []
    bad = cli("audit", "list", "--case", "many", session=token)
    assert bad.status == 2 and "'many' is not a case number" in bad.err


def test_csv_export_is_marked_and_formula_safe(cli: Cli, staffed: Staffed) -> None:
    _case_work(staffed)
    done = cli.signed(staffed.admin, "audit", "list", "--csv", "--case", "5")
    assert done.status == 0, done.err
    rows = list(csv.reader(io.StringIO(done.out)))
    assert rows[0] == ["OFFICIAL-SENSITIVE"] and rows[-1] == ["OFFICIAL-SENSITIVE"]
    assert rows[1] == ["seq", "at (UTC)", "actor", "action", "object", "details"]
    assert [json.loads(r[5])["text"] for r in rows[2:-1]] == ["@SUM(A1)", "=1+2"]
    # the details cell starts with '{' so it is left alone; a cell of its own would be quoted
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_json_export_is_marked(cli: Cli, staffed: Staffed) -> None:
    _case_work(staffed)
    done = cli.signed(staffed.admin, "audit", "list", "--export-json", "--actor", "jsmith")
    data = json.loads(done.out)
    assert data["protective_marking"] == "OFFICIAL-SENSITIVE"
    assert data["filters"]["actor"] == "jsmith"
    assert {e["actor"] for e in data["entries"]} == {"jsmith"}


def _attacker(profile: Profile) -> sqlite3.Connection:
    conn = sqlite3.connect(profile.db_path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    return conn


def test_anchor_then_verify_passes(cli: Cli, staffed: Staffed, tmp_path: Path) -> None:
    out = tmp_path / "anchor.json"
    made = cli.signed(staffed.admin, "audit", "anchor", "--out", str(out))
    assert made.status == 0, made.err
    doc = json.loads(out.read_text())
    assert made.out.startswith(f"Anchored audit entry #{doc['head']['seq']} (")
    assert doc["protective_marking"] == "OFFICIAL-SENSITIVE" and doc["signature"]
    checked = cli.signed(staffed.admin, "audit", "verify", "--anchor", str(out))
    assert checked.status == 0, checked.err
    assert f"Anchor matched: entry #{doc['head']['seq']}" in checked.out


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_verify_with_anchor_catches_a_cut_end(
    cli: Cli, staffed: Staffed, profile: Profile, tmp_path: Path
) -> None:
    out = tmp_path / "anchor.json"
    cli.signed(staffed.admin, "audit", "anchor", "--out", str(out))
    seq = json.loads(out.read_text())["head"]["seq"]
    conn = _attacker(profile)
    with conn:
        conn.execute("DELETE FROM audit_log WHERE seq >= ?", (seq - 1,))
    conn.close()
    plain = cli.signed(staffed.admin, "audit", "verify")
    done = cli.signed(staffed.admin, "audit", "verify", "--anchor", str(out))
    assert done.status == 1
    # each command's sign-in wrote on after the cut: the chain alone verifies, but the head
    # the keyring kept at the last sign-in does not match it any more
    assert plain.status == 1, plain.err
    assert "Audit chain broken: entries after #" in plain.err
    assert "the keyring's anchor (taken at" in plain.err
    assert (
        "Audit anchor not matched: entries were cut from the end and the log written on: "
        f"entry {seq} is dated" in done.err
    )


def test_verify_refuses_an_unreadable_anchor(cli: Cli, staffed: Staffed, tmp_path: Path) -> None:
    bad = tmp_path / "anchor.json"
    bad.write_text("not json")
    done = cli.signed(staffed.admin, "audit", "verify", "--anchor", str(bad))
    assert done.status == 2 and "The anchor file" in done.err and "cannot be read" in done.err
    missing = cli.signed(staffed.admin, "audit", "verify", "--anchor", str(tmp_path / "no"))
    assert missing.status == 2 and "does not exist" in missing.err


def test_the_handover_pdf_export_carries_the_set_marking(
    cli: Cli, staffed: Staffed, tmp_path: Path
) -> None:
    prepared = prepare(staffed)
    staffed.desk.settings.set(staffed.admin_token, "protective_marking", "OFFICIAL")
    sue = staffed.sign_in(prepared.sue, CLI_SESSION)
    out = tmp_path / "handover.pdf"
    done = cli("handover", "export", "--shift", "2026-11-26T10:00", "--out", str(out), session=sue)
    assert done.status == 0, done.err
    doc = QPdfDocument(None)
    doc.load(str(out))
    first = doc.getAllText(0).text()
    doc.close()
    lines = [line.strip() for line in first.splitlines() if line.strip()]
    assert lines[0] == "OFFICIAL" and first.count("OFFICIAL") >= 2
