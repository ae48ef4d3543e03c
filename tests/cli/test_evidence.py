"""desk-admin evidence CASE --out DIR, and evidence verify DIR on a machine without the desk."""

from __future__ import annotations

import io
import json
from pathlib import Path

import keyring
import pytest
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desk.cli.context import EXIT_OK, EXIT_USAGE, EXIT_VERIFY_FAILED
from desk.cli.main import main
from desk.core.items import Platform
from desk.services.signin import CLI as CLI_SESSION
from desk.store.tables import Item
from tests.cli.conftest import Cli
from tests.conftest import Staffed

LINE = (
    b'{"platform":"x","account":"@ExampleshirePolice","kind":"reply","id":"e1","author_id":"u1",'
    b'"author_handle":"@resident","text":"Lights out on Fore St","posted_at":"2026-11-26T08:00:00Z"}'
    b"\n"
)


@pytest.fixture
def exported(cli: Cli, staffed: Staffed, tmp_path: Path) -> tuple[Path, dict[str, object]]:
    desk = staffed.desk
    desk.official_accounts.add(staffed.admin_token, Platform.X, "@ExampleshirePolice", "Police")
    source = tmp_path / "in.jsonl"
    source.write_bytes(LINE)
    desk.importer.import_file(staffed.admin_token, source)
    with desk.ctx.db.read() as s:
        case_id = s.scalar(select(Item.case_id))
    admin = staffed.sign_in(staffed.admin, CLI_SESSION)
    out = tmp_path / "bundle"
    done = cli("evidence", str(case_id), "--out", str(out), "--json", session=admin)
    assert done.status == EXIT_OK, done.err
    answer = json.loads(done.out)
    assert answer["case"] == case_id and answer["originals"] == 1
    plain = cli("evidence", str(case_id), "--out", str(tmp_path / "again"), session=admin)
    assert plain.status == EXIT_OK, plain.err
    assert answer["fingerprint"] in plain.out and "OFFICIAL-SENSITIVE" in plain.out
    return out, answer


def run_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *argv: str
) -> tuple[int, str, str]:
    """Run desk-admin as on a machine with no profile and no keyring at all."""

    def no_keyring() -> None:
        raise AssertionError("evidence verify touched the keyring")

    monkeypatch.setattr(keyring, "get_keyring", no_keyring)
    nowhere = tmp_path / "no-desk-here"
    monkeypatch.setenv("DESK_DATA_DIR", str(nowhere))
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdin=io.StringIO(), stdout=out, stderr=err)
    assert not nowhere.exists()  # no profile was made or opened
    return status, out.getvalue(), err.getvalue()


def test_the_bundle_verifies_without_the_desk_then_a_changed_byte_is_named(
    exported: tuple[Path, dict[str, object]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out, answer = exported
    status, text, err = run_elsewhere(monkeypatch, tmp_path, "evidence", "verify", str(out))
    assert status == EXIT_OK, err
    assert "Verified" in text and str(answer["fingerprint"]) in text
    original = next((out / "originals").iterdir())
    data = bytearray(original.read_bytes())
    data[-2] ^= 0x20
    original.write_bytes(bytes(data))
    status, text, _err = run_elsewhere(monkeypatch, tmp_path, "evidence", "verify", str(out))
    assert status == EXIT_VERIFY_FAILED
    assert f"Changed: originals/{original.name}" in text and "NOT VERIFIED" in text


def test_verify_with_a_trusted_public_key_in_json(
    exported: tuple[Path, dict[str, object]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out, answer = exported
    key = tmp_path / "desk.pub"
    key.write_text(str(answer["public_key"]) + "\n", "ascii")
    (out / "notes.txt").write_text("added later", "utf-8")
    status, text, _err = run_elsewhere(
        monkeypatch, tmp_path, "evidence", "verify", str(out), "--public-key", str(key), "--json"
    )
    assert status == EXIT_VERIFY_FAILED
    found = json.loads(text)
    assert found["signature_valid"] is True and found["added"] == ["notes.txt"]
    assert found["protective_marking"] == "OFFICIAL-SENSITIVE"


def test_the_pdf_carries_the_marking_at_head_and_foot(
    exported: tuple[Path, dict[str, object]], qtbot: QtBot
) -> None:
    out, _answer = exported
    doc = QPdfDocument(None)
    doc.load(str(out / "case.pdf"))
    text = doc.getAllText(0).text()
    doc.close()
    assert text.count("OFFICIAL-SENSITIVE") == 2
    assert "Lights out on Fore St" in text.replace("\n", " ").replace("\r", "")


def test_the_pdf_shows_a_reversing_character_as_a_token_and_the_json_keeps_it(
    cli: Cli, staffed: Staffed, tmp_path: Path, qtbot: QtBot
) -> None:
    desk = staffed.desk
    desk.official_accounts.add(staffed.admin_token, Platform.X, "@ExampleshirePolice", "Police")
    line = LINE.replace(b"Lights out on Fore St", "open my file: invoice\u202efdp.exe".encode())
    source = tmp_path / "in.jsonl"
    source.write_bytes(line)
    desk.importer.import_file(staffed.admin_token, source)
    with desk.ctx.db.read() as s:
        case_id = s.scalar(select(Item.case_id))
    admin = staffed.sign_in(staffed.admin, CLI_SESSION)
    out = tmp_path / "bundle"
    assert cli("evidence", str(case_id), "--out", str(out), session=admin).status == EXIT_OK
    doc = QPdfDocument(None)
    doc.load(str(out / "case.pdf"))
    text = "".join(doc.getAllText(p).text() for p in range(doc.pageCount()))
    doc.close()
    flat = text.replace("\n", " ").replace("\r", "")
    # drawn in stored order, with the override named: not "invoiceexe.pdf"
    assert "invoice⟦RLO⟧fdp.exe" in flat and "\u202e" not in flat
    assert "shown as tokens" in flat
    case = json.loads((out / "case.json").read_text(encoding="utf-8"))
    assert "invoice\u202efdp.exe" in json.dumps(case, ensure_ascii=False)


def test_bad_uses_are_explained(cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    status, _text, err = run_elsewhere(monkeypatch, tmp_path, "evidence", "verify")
    assert status == EXIT_USAGE and "evidence verify DIR" in err
    status, _text, err = run_elsewhere(
        monkeypatch, tmp_path, "evidence", "verify", str(tmp_path), "--public-key", "nope.pub"
    )
    assert status == EXIT_USAGE and "nope.pub" in err
