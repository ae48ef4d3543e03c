"""File → Import…: a real file imported off the GUI thread; broken or cancelled changes nothing."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QProgressDialog
from pytestqt.qtbot import QtBot

from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from desk.gui.case_dialogs import ChoiceDialog
from desk.gui.import_dialog import ImportDialog
from desk.gui.main_window import MainWindow
from desk.gui.workers import Worker
from desk.sample.generator import official_accounts, write_jsonl
from desk.services.desk import Desk
from tests.conftest import Staffed
from tests.gui.conftest import activate
from tests.gui.queue_fixtures import MakeWindow, wait_ready


def add_generator_accounts(staffed: Staffed) -> None:
    """The official accounts the generator's items arrive on (as demo.populate_queue does)."""
    for platform, handle in official_accounts():
        staffed.desk.official_accounts.add(staffed.admin_token, platform, handle)


def everything(desk: Desk, token: str) -> int:
    return desk.queue.count(token, QueueFilter())


@pytest.fixture
def window(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> MainWindow:
    add_generator_accounts(staffed)
    made, _token = make_window(staffed.operator)
    wait_ready(qtbot, made)
    return made


def open_import(qtbot: QtBot, window: MainWindow) -> ImportDialog:
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # Ctrl+I
    dialog = window.queue.import_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def generated(staffed: Staffed, path: Path, n: int) -> Path:
    now = staffed.clock.now()
    write_jsonl(path, n, seed=3, start=now - timedelta(hours=2), span=timedelta(minutes=100))
    return path


def test_a_jsonl_file_is_imported_with_a_report(
    qtbot: QtBot, window: MainWindow, staffed: Staffed, tmp_path: Path
) -> None:
    path = generated(staffed, tmp_path / "export.jsonl", 300)
    dialog = open_import(qtbot, window)
    assert [dialog.ui.formatCombo.itemText(i) for i in range(3)] == [
        "Auto-detect from the file",
        "Desk JSON Lines",
        "CSV (with a column mapping)",
    ]
    assert dialog.ui.accountCombo.count() == 1 + len(official_accounts())
    dialog.set_file(path)
    qtbot.mouseClick(dialog.ui.importButton, Qt.MouseButton.LeftButton)
    assert dialog.running
    assert dialog.ui.progressPanel.isVisible() and not dialog.ui.fileEdit.isEnabled()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)
    assert dialog.message.startswith(
        "Imported export.jsonl (Desk JSON Lines): 300 records · 300 added"
    )
    assert "new cases" in dialog.message and "New by priority: " in dialog.message
    cases = everything(staffed.desk, window.token)
    assert 0 < cases <= 300
    qtbot.waitUntil(lambda: window.queue.model.rowCount() == cases)  # the queue shows them
    assert window.notice_text == "Imported export.jsonl: 300 added, 0 already here."
    assert not dialog.ui.progressPanel.isVisible() and dialog.ui.fileEdit.isEnabled()

    qtbot.mouseClick(dialog.ui.importButton, Qt.MouseButton.LeftButton)  # again: idempotent
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)
    assert "0 added · 300 already here" in dialog.message
    assert everything(staffed.desk, window.token) == cases


def test_a_broken_file_says_where_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, staffed: Staffed, tmp_path: Path
) -> None:
    good = generated(staffed, tmp_path / "good.jsonl", 5).read_text("utf-8").splitlines()
    bad = tmp_path / "broken.jsonl"
    record = json.loads(good[1])
    del record["author_id"]
    bad.write_text("\n".join([good[0], json.dumps(record), *good[2:]]) + "\n", "utf-8")
    dialog = open_import(qtbot, window)
    dialog.set_file(bad, "jsonl")
    qtbot.mouseClick(dialog.ui.importButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)
    assert dialog.message.startswith(f"Cannot import {bad}: line 2")
    assert "author_id" in dialog.message
    assert dialog.ui.messageLabel.property("kind") == "error"
    assert everything(staffed.desk, window.token) == 0


def test_cancel_during_import_imports_nothing(
    qtbot: QtBot, window: MainWindow, staffed: Staffed, tmp_path: Path
) -> None:
    path = generated(staffed, tmp_path / "big.jsonl", 5000)
    dialog = open_import(qtbot, window)
    dialog.set_file(path)
    qtbot.mouseClick(dialog.ui.importButton, Qt.MouseButton.LeftButton)
    cancel = dialog.ui.cancelImportButton
    assert cancel.isVisible() and cancel.text() == "&Cancel (nothing is imported)"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.message == "Import cancelled: nothing from the file was imported."
    assert everything(staffed.desk, window.token) == 0
    assert window.queue.model.rowCount() == 0


def test_a_file_without_accounts_asks_which_account(
    qtbot: QtBot, window: MainWindow, staffed: Staffed, tmp_path: Path
) -> None:
    lines = []
    for number in range(3):
        lines.append(
            json.dumps(
                {
                    "platform": "x",
                    "kind": "mention",
                    "id": f"n{number}",
                    "author_id": f"a{number}",
                    "author_handle": f"@a{number}",
                    "text": f"hello {number}",
                    "posted_at": "2026-11-26T08:00:00Z",
                }
            )
        )
    path = tmp_path / "no-account.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    dialog = open_import(qtbot, window)
    dialog.set_file(path)
    qtbot.mouseClick(dialog.ui.importButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.findChild(ChoiceDialog, "accountChoice") is not None)
    choice = dialog.findChild(ChoiceDialog, "accountChoice")
    assert (
        choice is not None and "do not say which official account" in choice.ui.promptLabel.text()
    )
    choice.choose("@ExampleshirePolice (X)")
    qtbot.mouseClick(choice.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.startswith("Imported"), timeout=20_000)
    assert dialog.ui.accountCombo.currentText() == "@ExampleshirePolice (X)"
    assert everything(staffed.desk, window.token) == 3


def test_the_drop_folder_is_scanned_and_said_in_the_status_bar(
    qtbot: QtBot, window: MainWindow, staffed: Staffed, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    staffed.desk.settings.set(staffed.admin_token, "drop_folder", str(drop))
    generated(staffed, drop / "tuesday.jsonl", 20)
    (drop / "broken.jsonl").write_text("{not json\n", "utf-8")
    old = staffed.clock.now().timestamp() - 60  # written a minute ago: settled
    for path in drop.iterdir():
        os.utime(path, (old, old))
    window.queue.scan_drop_folder()
    qtbot.waitUntil(lambda: "Drop folder:" in window.notice_text, timeout=20_000)
    said = [notice.text for notice in window.notices.history]
    assert any("Drop folder: tuesday.jsonl imported (20 added)" in text for text in said)
    # the refusal stays until done, whole, naming where the file is now (never importing/)
    (waiting,) = window.notices.waiting
    assert waiting.text.startswith("Drop folder: broken.jsonl refused: ")
    assert "refused" in waiting.text.split("It is now ", 1)[1]
    assert "importing" not in waiting.text
    assert window.notice_text == waiting.text
    window.notices._timer.timeout.emit()  # long after: still there
    assert window.notice_text == waiting.text
    assert everything(staffed.desk, window.token) > 0


def test_an_account_on_another_platform_is_offered_by_name(window: MainWindow) -> None:
    window.queue.open_import()
    dialog = window.queue.import_dialog
    assert dialog is not None
    texts = [dialog.ui.accountCombo.itemText(i) for i in range(dialog.ui.accountCombo.count())]
    assert texts[0] == "As the file says"
    assert "@ExampleshirePolice@police.example (Mastodon)" in texts
    assert Platform.MASTODON.value == "mastodon"


@pytest.fixture
def bare_dialog(qtbot: QtBot, staffed: Staffed, worker: Worker) -> tuple[ImportDialog, str]:
    """The Import dialog on its own, for an operator, with the generator's accounts."""
    add_generator_accounts(staffed)
    token = staffed.sign_in(staffed.operator)
    accounts = staffed.desk.official_accounts.list(token)
    dialog = ImportDialog(staffed.desk, worker, lambda: token, accounts)
    qtbot.addWidget(dialog)
    dialog.resize(640, 380)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, token


def test_progress_has_its_own_row_below_the_fields(
    qtbot: QtBot, bare_dialog: tuple[ImportDialog, str], staffed: Staffed, tmp_path: Path
) -> None:
    dialog, token = bare_dialog
    dialog.set_file(generated(staffed, tmp_path / "big.jsonl", 5000))
    qtbot.mouseClick(dialog.ui.importButton, Qt.MouseButton.LeftButton)
    assert dialog.running
    panel = dialog.ui.progressPanel
    assert panel.isVisible() and panel.window() is dialog  # inside the dialog, not over it
    assert dialog.findChild(QProgressDialog) is None
    qtbot.waitUntil(lambda: "records" in dialog.progress_text, timeout=20_000)
    place = QRect(panel.mapTo(dialog, QPoint(0, 0)), panel.size())
    for field in (
        dialog.ui.fileEdit,
        dialog.ui.formatCombo,
        dialog.ui.accountCombo,
        dialog.ui.mappingEdit,
        dialog.ui.accountHintLabel,
        dialog.ui.importButton,
    ):
        where = QRect(field.mapTo(dialog, QPoint(0, 0)), field.size())
        assert not place.intersects(where), field.objectName()
        assert field.isVisible() and field.height() >= field.minimumSizeHint().height()
    assert dialog.rect().contains(place)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert not panel.isVisible()
    assert everything(staffed.desk, token) > 0


def test_every_unknown_account_is_named_at_once(
    qtbot: QtBot, bare_dialog: tuple[ImportDialog, str], staffed: Staffed, tmp_path: Path
) -> None:
    dialog, token = bare_dialog
    records = [
        ("x", "@ExampleshirePolice"),
        ("x", "@NotOurs"),
        ("facebook", "Another Force"),
        ("x", "@NotOurs"),
    ]
    path = tmp_path / "strangers.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "platform": platform,
                    "account": account,
                    "kind": "mention",
                    "id": f"n{number}",
                    "author_id": f"a{number}",
                    "author_handle": f"@a{number}",
                    "text": f"hello {number}",
                    "posted_at": "2026-11-26T08:00:00Z",
                }
            )
            + "\n"
            for number, (platform, account) in enumerate(records)
        ),
        "utf-8",
    )
    dialog.set_file(path)
    qtbot.mouseClick(dialog.ui.importButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)
    assert dialog.message == (
        "Nothing was imported: the file names 2 accounts that are not official accounts of "
        "this desk: @NotOurs on X; Another Force on Facebook. An administrator adds them "
        "(desk-admin official-account add), then import the file again."
    )
    assert dialog.findChild(ChoiceDialog, "accountChoice") is None  # nothing to choose
    assert everything(staffed.desk, token) == 0
