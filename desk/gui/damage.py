"""Stopping Desk when its database turns out to be damaged: say so, then quit with status 5.

Imported on the cold start's path (by ``desk.gui.app``): nothing from Qt at import time, so
the login window still makes no message box class (tests/gui/test_cold_start_imports.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger(__name__)
EXIT_DAMAGED = 5  # as desk-admin's: the database file is damaged, restore a backup


def stop_for_damage(parent: QWidget | None, message: str) -> QMessageBox:
    """Show why Desk cannot go on (the damaged database) and quit once it is read."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from desk.gui.messages import show_message

    log.error("the database is damaged: Desk stops")
    box = show_message(
        parent,
        QCoreApplication.translate("Damage", "Desk must stop"),
        message,
        QMessageBox.Icon.Critical,
    )
    box.finished.connect(lambda _result: QCoreApplication.exit(EXIT_DAMAGED))
    return box
