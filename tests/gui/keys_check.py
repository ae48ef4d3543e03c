"""Find Alt+letter keys used twice in one window (the second never gets there by keyboard)."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel, QTabWidget, QWidget


def mnemonics(dialog: QDialog) -> list[str]:
    """The Alt+letter keys of the dialog's visible buttons, labels and tabs."""
    keys = []
    texts = [
        w.text()
        for w in dialog.findChildren(QWidget)
        if isinstance(w, (QAbstractButton, QLabel)) and w.isVisibleTo(dialog)
    ]
    for tabs in dialog.findChildren(QTabWidget):
        texts += [tabs.tabText(i) for i in range(tabs.count())]
    for text in texts:
        found = re.search(r"&([^&\s])", text.replace("&&", ""))
        if found:
            keys.append(found.group(1).lower())
    return keys
