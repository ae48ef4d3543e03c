"""A dialog's small table is filled with rows of texts, replacing what it showed."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from desk.gui.table_rows import fill_rows


def _texts(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_rows_replace_what_the_table_showed(qtbot: QtBot) -> None:
    table = QTableWidget(0, 2)
    qtbot.addWidget(table)
    fill_rows(table, [("a", "b"), ("c", "d"), ("e", "f")])
    items = fill_rows(table, [("x", "y")])
    assert _texts(table) == [["x", "y"]]
    assert items[0][1] is table.item(0, 1)  # the caller can decorate what it was given
