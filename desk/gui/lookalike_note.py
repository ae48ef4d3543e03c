"""The case pane's warning that the author looks like an official account (issue 14).

The queue marks such an author with ≈ (:mod:`desk.gui.queue_cells`); the case pane says in
words what the author resembles and why, under the case's header line.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desk.gui.messages import set_message
from desk.gui.queue_cells import LOOKALIKE_MARK, lookalike_text
from desk.services.case_views import QueueRow


def lookalike_label(parent: QWidget, layout: QVBoxLayout, after: QWidget) -> QLabel:
    """Add the (hidden) look-alike line to ``layout`` right after ``after``."""
    label = QLabel(parent)
    label.setObjectName("lookalikeLabel")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(
        QCoreApplication.translate("CasePane", "Author looks like an official account")
    )
    label.hide()
    layout.insertWidget(layout.indexOf(after) + 1, label)
    return label


def show_lookalike(label: QLabel, row: QueueRow | None) -> None:
    """Show what the case's author resembles (a possible fake account), or hide the line."""
    text = lookalike_text(row) if row is not None else ""
    if text:
        text = f"{LOOKALIKE_MARK} {text}. " + QCoreApplication.translate(
            "CasePane",
            "It may be a fake account: do not treat it as official; add it to Supervisor → "
            "Suspected fake accounts… if it is.",
        )
    set_message(label, text, "error")
