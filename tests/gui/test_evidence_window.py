"""Case → Evidence bundle…: a supervisor writes the selected case's bundle, which verifies."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from desk.core.evidence import verify_bundle
from desk.core.roles import Role
from desk.gui.evidence_actions import EvidenceDialog
from tests.conftest import Person, Staffed
from tests.gui.conftest import settle
from tests.gui.queue_fixtures import MakeWindow, add_accounts, wait_ready

LINE = {
    "platform": "x",
    "account": "@ExampleshirePolice",
    "kind": "reply",
    "id": "g1",
    "author_id": "u1",
    "author_handle": "@resident",
    "text": "Someone is following me home from the station",
    "posted_at": "2026-11-26T08:00:00Z",
}


def supervisor(staffed: Staffed) -> Person:
    made = staffed.desk.accounts.add_user(
        staffed.admin_token, "sgt", "Sgt Evans", Role.SUPERVISOR, "a long pass phrase 2026"
    )
    return Person("sgt", "a long pass phrase 2026", made.seed, Role.SUPERVISOR)


def test_a_supervisor_writes_the_selected_cases_bundle(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, tmp_path: Path
) -> None:
    add_accounts(staffed)
    source = tmp_path / "in.jsonl"
    raw = (json.dumps(LINE) + "\n").encode()
    source.write_bytes(raw)
    staffed.desk.importer.import_file(staffed.admin_token, source)
    window, _token = make_window(supervisor(staffed))
    wait_ready(qtbot, window)
    case_id = window.queue.case_id
    assert case_id is not None
    action = window.evidence.action_bundle
    assert action.isEnabled() and action in window.ui.menuCase.actions()
    out = tmp_path / "bundle"
    dialog = window.evidence.open_bundle(folder=out)  # the folder the test chose: no file dialog
    assert isinstance(dialog, EvidenceDialog) and dialog.folder == str(out)
    qtbot.waitUntil(lambda: dialog.ui.markingLabel.isVisible(), timeout=5_000)
    assert "OFFICIAL-SENSITIVE" in dialog.ui.markingLabel.text()
    dialog.ok_button.click()
    settle(qtbot, window, timeout=30_000)
    assert window.shell.dialog is None  # closed when written
    done = window.evidence.last_export
    assert done is not None and done.folder == out
    assert f"case #{case_id}" in window.notice_text and done.fingerprint in window.notice_text
    assert verify_bundle(out).ok
    assert [p.read_bytes() for p in (out / "originals").iterdir()] == [raw]
    assert (out / "case.pdf").read_bytes().startswith(b"%PDF")


def test_a_used_folder_is_refused_inside_the_dialog(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, tmp_path: Path
) -> None:
    add_accounts(staffed)
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(LINE) + "\n", "utf-8")
    staffed.desk.importer.import_file(staffed.admin_token, source)
    window, _token = make_window(supervisor(staffed))
    wait_ready(qtbot, window)
    used = tmp_path / "used"
    used.mkdir()
    (used / "mine.txt").write_text("keep", "utf-8")
    dialog = window.evidence.open_bundle(folder=used)
    assert dialog is not None
    dialog.ok_button.click()
    settle(qtbot, window)
    assert window.shell.dialog is dialog and "already holds files" in dialog.ui.messageLabel.text()
    assert [p.name for p in used.iterdir()] == ["mine.txt"]
    dialog.reject()


def test_an_operator_sees_the_action_greyed_out(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    action = window.evidence.action_bundle
    assert not action.isEnabled()
