"""``desk-admin handover ...`` and ``coverage ...``: show, export a PDF, note, sign off, list."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from desk.services.signin import CLI as CLI_SESSION
from tests.cli.conftest import Cli
from tests.conftest import Staffed, need_command
from tests.services.handover_helpers import SHIFT_START, Prepared, prepare

SHOTS = Path("/tmp/shots-handover")


@pytest.fixture
def ready(staffed: Staffed) -> tuple[Prepared, str, str]:
    """The prepared desk, with command-line sessions for Sue (supervisor) and Jo (operator)."""
    prepared = prepare(staffed)
    sue = staffed.sign_in(prepared.sue, CLI_SESSION)
    jo = staffed.sign_in(staffed.operator, CLI_SESSION)
    return prepared, sue, jo


def test_show_prints_the_handover_and_json(cli: Cli, ready: tuple[Prepared, str, str]) -> None:
    _prepared, sue, _jo = ready
    shown = cli("handover", "show", "--shift", "2026-11-26T10:00", session=sue)
    assert shown.status == 0, shown.err
    assert shown.out.startswith("Handover · 07:00–15:00 Thu 26 Nov 2026")
    assert "Escalations awaiting acknowledgement: 1 awaiting acknowledgement at 13:0" in shown.out
    assert ", 1 overdue" in shown.out
    assert "Missing person appeal" in shown.out
    data = json.loads(
        cli("handover", "show", "--shift", "2026-11-26T10:00Z", "--json", session=sue).out
    )
    assert data["shift_start"] == "2026-11-26T07:00:00Z"
    assert data["escalations_waiting"] == 1
    assert data["moderation"] == {"hide": 1}
    assert data["signature"] is None


def test_a_bad_shift_time_is_a_usage_error(cli: Cli, ready: tuple[Prepared, str, str]) -> None:
    _prepared, sue, _jo = ready
    bad = cli("handover", "show", "--shift", "teatime", session=sue)
    assert bad.status == 2
    assert "'teatime' is not an ISO date and time" in bad.err
    assert bad.out == ""


def test_export_writes_a_pdf_that_renders(
    cli: Cli, ready: tuple[Prepared, str, str], tmp_path: Path
) -> None:
    _prepared, sue, _jo = ready
    out = tmp_path / "handover.pdf"
    done = cli(
        "handover",
        "export",
        "--shift",
        "2026-11-26T10:00",
        "--out",
        str(out),
        "--json",
        session=sue,
    )
    assert done.status == 0, done.err
    answer = json.loads(done.out)
    assert answer["pdf"] == str(out.resolve()) and answer["signed"] is False
    assert out.read_bytes().startswith(b"%PDF")
    pdftoppm = need_command("pdftoppm")
    subprocess.run(
        [pdftoppm, "-png", "-r", "50", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")],
        check=True,
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and pages[0].stat().st_size > 5_000  # a page with text on it, not a blank
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(pages[0], SHOTS / "handover-pdf-page1.png")
    missing = cli(
        "handover",
        "export",
        "--shift",
        "2026-11-26T10:00",
        "--out",
        str(tmp_path / "nowhere" / "h.pdf"),
        session=sue,
    )
    assert missing.status == 2 and "does not exist" in missing.err


def test_note_sign_off_list_and_read_only(cli: Cli, ready: tuple[Prepared, str, str]) -> None:
    prepared, sue, jo = ready
    noted = cli(
        "handover", "note", "--shift", "2026-11-26T10:00", "Phone line down 11-12", session=jo
    )
    assert noted.status == 0, noted.err
    assert noted.out == "Added a note to the handover for 07:00–15:00 Thu 26 Nov 2026.\n"
    refused = cli("handover", "sign-off", "--shift", "2026-11-26T10:00", session=jo)
    assert refused.status == 2 and "may not sign off handover" in refused.err
    prepared.staffed.clock.advance(hours=3)  # 15:xx: the incoming supervisor signs in
    sue = prepared.staffed.sign_in(prepared.sue, CLI_SESSION)
    jo = prepared.staffed.sign_in(prepared.staffed.operator, CLI_SESSION)
    signed = cli("handover", "sign-off", "--shift", "2026-11-26T10:00", session=sue)
    assert signed.status == 0, signed.err
    assert "as sgreen; anchored to audit entry #" in signed.out
    late = cli("handover", "note", "--shift", "2026-11-26T10:00", "forgot", session=jo)
    assert late.status == 2 and "it is read-only" in late.err
    listed = json.loads(
        cli("handover", "list", "--search", "phone line", "--json", session=sue).out
    )
    assert [h["shift_start"] for h in listed] == ["2026-11-26T07:00:00Z"]
    assert cli("handover", "list", "--search", "zebra", session=sue).out == (
        "No signed-off handovers match.\n"
    )
    verified = cli("audit", "verify", session=sue)
    assert verified.status == 0, verified.err
    assert "Handover anchors intact: 1 signed handovers" in verified.out


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_audit_verify_fails_when_the_tail_is_cut(
    cli: Cli, ready: tuple[Prepared, str, str]
) -> None:
    prepared, sue, _jo = ready
    prepared.staffed.clock.advance(hours=3)
    sue = prepared.staffed.sign_in(prepared.sue, CLI_SESSION)
    desk = prepared.staffed.desk
    seq = desk.handover.sign_off(prepared.sue_token, SHIFT_START).signature.audit_seq  # type: ignore[union-attr]
    conn = sqlite3.connect(desk.profile.db_path)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq >= ?", (seq,))
    conn.commit()
    conn.close()
    verified = cli("audit", "verify", session=sue)
    assert verified.status == 1
    assert f"anchored to audit entry #{seq}, which no longer exists" in verified.err


def test_coverage_add_and_list(cli: Cli, ready: tuple[Prepared, str, str]) -> None:
    _prepared, sue, jo = ready
    args = (
        "coverage",
        "add",
        "--from",
        "2026-11-26T02:00",
        "--to",
        "2026-11-26T03:00",
        "--reason",
        "no_one_on_shift",
        "--risk",
        "Night cover sick; control room aware",
    )
    added = cli(*args, "--json", session=sue)
    assert added.status == 0, added.err
    assert json.loads(added.out)["reason"] == "no_one_on_shift"
    assert cli(*args, session=jo).status == 2  # operators may not
    backwards = cli(
        "coverage",
        "add",
        "--from",
        "2026-11-26T03:00",
        "--to",
        "2026-11-26T02:00",
        "--reason",
        "system_outage",
        "--risk",
        "x",
        session=sue,
    )
    assert backwards.status == 2 and "must end after it starts" in backwards.err
    bad = cli(
        "coverage",
        "add",
        "--from",
        "2026-11-26T03:00",
        "--to",
        "2026-11-26T04:00",
        "--reason",
        "lunch",
        "--risk",
        "x",
        session=sue,
    )
    assert bad.status == 2 and "Unknown reason 'lunch'" in bad.err
    listed = cli("coverage", "list", session=sue)
    assert listed.status == 0
    assert "no_one_on_shift" in listed.out and "Night cover sick" in listed.out


def test_an_administrator_exports_without_signing_off_and_an_operator_may_not(
    cli: Cli, ready: tuple[Prepared, str, str], tmp_path: Path
) -> None:
    prepared, _sue, jo = ready
    admin = prepared.staffed.sign_in(prepared.staffed.admin, CLI_SESSION)
    out = tmp_path / "handover.pdf"
    args = ("handover", "export", "--shift", "2026-11-26T10:00", "--out", str(out))
    done = cli(*args, session=admin)
    assert done.status == 0, done.err
    assert out.read_bytes().startswith(b"%PDF")
    refused = cli("handover", "sign-off", "--shift", "2026-11-26T10:00", session=admin)
    assert refused.status == 2 and "may not sign off handover" in refused.err
    denied = cli(*args[:-1], str(tmp_path / "jo.pdf"), session=jo)
    assert denied.status == 2 and "may not export handover" in denied.err


def test_a_running_shift_is_signed_off_with_early_reason(
    cli: Cli, ready: tuple[Prepared, str, str]
) -> None:
    _prepared, sue, _jo = ready
    refused = cli("handover", "sign-off", "--shift", "2026-11-26T10:00", session=sue)
    assert refused.status == 2 and "still running" in refused.err
    signed = cli(
        "handover",
        "sign-off",
        "--shift",
        "2026-11-26T10:00",
        "--early-reason",
        "Fire drill: the desk closes at 13:00",
        session=sue,
    )
    assert signed.status == 0, signed.err
    shown = cli("handover", "show", "--shift", "2026-11-26T10:00", session=sue)
    assert "Signed off before the shift ended, because: Fire drill" in shown.out
