"""File → Import… → Map columns… (issue 17): a CSV export from a tool Desk has no mapping for is
previewed, mapped field by field with the keyboard, checked against every row off the GUI
thread (problems by row and column, nothing stored), saved by name and used to import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel
from pytestqt.qtbot import QtBot

from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from desk.gui.csv_mapping_dialog import CsvMappingDialog
from desk.gui.import_dialog import ImportDialog
from desk.gui.main_window import MainWindow
from tests.conftest import Staffed
from tests.gui.layout_check import clipped, too_big
from tests.gui.queue_fixtures import MakeWindow, wait_ready
from tests.gui.test_import_dialog import open_import

HEADER = "Channel;Handle;Msg Type;Message Id;User Id;User;Body;Created (UK)"
ROWS = [
    "Twitter;@ExampleshirePolice;Mention;t-1;u1;@resident1;The road is flooded;26/11/2026 09:14",
    "Twitter;@ExampleshirePolice;Reply;t-2;u2;@resident2;Thanks for the update;26/11/2026 09:20",
    "Twitter;@ExampleshirePolice;Mention;t-3;u3;@resident3;Lights out on the A30;26/06/2026 21:50",
]
CHOICES = {
    "platform": "Channel",
    "account": "Handle",
    "kind": "Msg Type",
    "id": "Message Id",
    "author_id": "User Id",
    "author_handle": "User",
    "text": "Body",
    "posted_at": "Created (UK)",
}


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "inbox-export.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def window(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> MainWindow:
    staffed.desk.official_accounts.add(staffed.admin_token, Platform.X, "@ExampleshirePolice")
    made, _token = make_window(staffed.operator)
    wait_ready(qtbot, made)
    return made


def open_mapping(qtbot: QtBot, dialog: ImportDialog, path: Path) -> CsvMappingDialog:
    dialog.set_file(path)
    qtbot.mouseClick(dialog.ui.mapColumnsButton, Qt.MouseButton.LeftButton)
    mapping = dialog.mapping_dialog
    assert mapping is not None and mapping.isVisible()
    qtbot.waitUntil(lambda: mapping.preview is not None and not mapping.busy, timeout=10_000)
    return mapping


def test_the_default_mapping_does_not_fit_and_the_dialog_says_what_to_do(
    qtbot: QtBot, window: MainWindow, export: Path
) -> None:
    dialog = open_import(qtbot, window)
    dialog.set_file(export)
    qtbot.mouseClick(dialog.ui.importButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    assert "row 1, column 'Platform'" in dialog.message
    assert "Use Map columns…" in dialog.message
    assert QApplication.focusWidget() is dialog.ui.mapColumnsButton


def test_preview_columns_and_first_rows(qtbot: QtBot, window: MainWindow, export: Path) -> None:
    mapping = open_mapping(qtbot, open_import(qtbot, window), export)
    table = mapping.ui.previewTable
    assert mapping.ui.delimiterCombo.currentData() == ";"  # guessed from the file
    assert [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] == (
        HEADER.split(";")
    )
    assert table.rowCount() == 3 and table.item(0, 6).text() == "The road is flooded"
    combo = mapping.combos["text"]
    assert combo.itemText(combo.findData("Body")) == "Body  (e.g. The road is flooded)"
    # each field's label is its combo's buddy: Alt+its letter, or Tab from one to the next
    labels = [w for w in mapping.ui.fieldsWidget.findChildren(QLabel) if w.buddy() is combo]
    assert [w.text() for w in labels] == ["Text *"]


def test_a_wrong_time_format_is_found_in_every_row_and_nothing_is_stored(
    qtbot: QtBot, window: MainWindow, staffed: Staffed, export: Path
) -> None:
    mapping = open_mapping(qtbot, open_import(qtbot, window), export)
    for field, column in CHOICES.items():
        mapping.choose(field, column)
    qtbot.mouseClick(mapping.ui.checkButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not mapping.busy, timeout=10_000)
    problems = mapping.problems()
    assert [p.split(":")[0] for p in problems] == [
        "row 2, column 'Created (UK)'",
        "row 3, column 'Created (UK)'",
        "row 4, column 'Created (UK)'",
    ]
    assert "3 problems in 3 rows" in mapping.message
    # saving is refused while rows fail: nothing saved, nothing imported
    mapping.ui.nameEdit.setText("Inbox tool")
    qtbot.mouseClick(mapping.ui.saveButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not mapping.busy, timeout=10_000)
    assert mapping.isVisible() and staffed.desk.csv_mappings.names() == []
    assert staffed.desk.queue.count(staffed.admin_token, QueueFilter()) == 0


def test_a_required_field_left_out_is_named(qtbot: QtBot, window: MainWindow, export: Path) -> None:
    mapping = open_mapping(qtbot, open_import(qtbot, window), export)
    mapping.choose("posted_at", "")
    mapping.choose("id", "")
    qtbot.mouseClick(mapping.ui.checkButton, Qt.MouseButton.LeftButton)
    assert mapping.message.startswith("Choose a column for:")
    assert "Message id" in mapping.message and "Posted at" in mapping.message


def test_mapped_checked_saved_by_name_then_imported(
    qtbot: QtBot, window: MainWindow, staffed: Staffed, export: Path
) -> None:
    dialog = open_import(qtbot, window)
    mapping = open_mapping(qtbot, dialog, export)
    for field, column in CHOICES.items():
        mapping.choose(field, column)
    # keyboard: type the time format and zone, then the name, then Enter saves (the default)
    mapping.ui.timeFormatEdit.setFocus()
    qtbot.keyClicks(mapping.ui.timeFormatEdit, "%d/%m/%Y %H:%M")
    qtbot.keyClicks(mapping.ui.timezoneEdit, "Europe/London")
    qtbot.keyClicks(mapping.ui.nameEdit, "Inbox tool")
    qtbot.keyClick(mapping.ui.nameEdit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.mapping_dialog is None, timeout=10_000)
    assert staffed.desk.csv_mappings.names() == ["Inbox tool"]
    saved = staffed.desk.csv_mappings.named("Inbox tool")
    assert saved.delimiter == ";" and saved.columns["posted_at"] == "Created (UK)"
    entries = staffed.desk.audit.entries(staffed.admin_token, action_prefix="csv_mapping.")
    assert [e.actor for e in entries] == [staffed.operator.username]
    # the Import dialog now offers it, chosen, and imports through it
    assert dialog.saved_mapping() == "Inbox tool"
    assert "Saved the mapping “Inbox tool”" in dialog.message
    qtbot.mouseClick(dialog.ui.importButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    assert "3 added" in dialog.message, dialog.message
    assert staffed.desk.queue.count(staffed.admin_token, QueueFilter()) == 3


def test_a_fixed_platform_for_an_export_without_that_column(
    qtbot: QtBot, window: MainWindow, staffed: Staffed, tmp_path: Path
) -> None:
    path = tmp_path / "no-platform.csv"
    lines = [";".join(HEADER.split(";")[1:]), *(";".join(r.split(";")[1:]) for r in ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = open_mapping(qtbot, open_import(qtbot, window), path)
    platform: QComboBox = mapping.combos["platform"]
    assert platform.findData("Channel") < 0 and platform.findData("=x") >= 0
    for field, column in {**CHOICES, "platform": "=x"}.items():
        mapping.choose(field, column)
    mapping.ui.timeFormatEdit.setText("%d/%m/%Y %H:%M")
    mapping.ui.nameEdit.setText("Inbox, X only")
    qtbot.mouseClick(mapping.ui.saveButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not mapping.busy, timeout=10_000)
    # times without an offset, and no zone given: Desk will not guess one
    assert "no timezone" in mapping.problems()[0], mapping.problems()
    mapping.ui.timezoneEdit.setText("Europe/London")
    qtbot.mouseClick(mapping.ui.saveButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: staffed.desk.csv_mappings.names() != [], timeout=10_000)
    assert staffed.desk.csv_mappings.named("Inbox, X only").defaults == {"platform": "x"}


def test_the_dialogs_fit_the_screen_with_nothing_cut_off(
    qtbot: QtBot, window: MainWindow, export: Path
) -> None:
    dialog = open_import(qtbot, window)
    mapping = open_mapping(qtbot, dialog, export)
    screen = mapping.screen().availableGeometry()
    for shown in (dialog, mapping):
        assert too_big(shown, screen.width(), screen.height()) == []
        assert clipped(shown) == [], shown.objectName()
