"""Filling a small ``QTableWidget`` (a dialog's list) with rows of texts."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem


def fill_rows(table: QTableWidget, rows: Sequence[Sequence[str]]) -> list[list[QTableWidgetItem]]:
    """Replace ``table``'s rows with one item per text; return the items, row by row."""
    table.setRowCount(len(rows))
    made = []
    for number, texts in enumerate(rows):
        items = [QTableWidgetItem(text) for text in texts]
        for column, item in enumerate(items):
            table.setItem(number, column, item)
        made.append(items)
    return made
