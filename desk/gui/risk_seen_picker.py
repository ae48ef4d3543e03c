"""The THRIVE form's "Risk seen" button: the risk categories the operator sees in a case.

The rules' categories are ticked to start with; the operator ticks what they see and unticks
what is not there. What they save goes into the THRIVE assessment, so that
``desk-admin rules export-feedback`` can turn the rules' misses into test cases.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton

from desk.core.risk import RiskCategory
from desk.gui.labels import risk_label

NONE_SEEN = "none"


class RiskSeenPicker(QObject):
    """Drives a tool button whose menu ticks risk categories."""

    edited = Signal()

    def __init__(self, button: QToolButton) -> None:
        """Give ``button`` a menu of every risk category, each checkable."""
        super().__init__(button)
        self.button = button
        self.menu = QMenu(button)
        self.actions: dict[str, QAction] = {}
        for category in RiskCategory:
            action = self.menu.addAction(risk_label(category.value))
            action.setCheckable(True)
            action.toggled.connect(self._toggled)
            self.actions[category.value] = action
        button.setMenu(self.menu)
        self._show()

    def set_seen(self, categories: Iterable[str]) -> None:
        """Tick exactly ``categories`` (without counting as an edit)."""
        wanted = set(categories)
        for name, action in self.actions.items():
            action.blockSignals(True)
            action.setChecked(name in wanted)
            action.blockSignals(False)
        self._show()

    def seen(self) -> list[str]:
        """Return the ticked categories, in the catalogue's order."""
        return [name for name, action in self.actions.items() if action.isChecked()]

    def value(self) -> str:
        """Return the ticked categories as the THRIVE form sends them ("none" if none)."""
        return ",".join(self.seen()) or NONE_SEEN

    def _toggled(self, _checked: bool) -> None:
        self._show()
        self.edited.emit()

    def _show(self) -> None:
        seen = self.seen()
        text = ", ".join(risk_label(name) for name in seen) if seen else self.tr("none")
        self.button.setText(text)
        self.button.setAccessibleDescription(self.tr("Risk seen: {text}").format(text=text))
