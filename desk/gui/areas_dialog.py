"""Admin → People → Areas…: the areas (neighbourhoods) one person works.

A person with areas sees and works only the cases of those areas' official accounts; with
none they work for the whole force. The dialog ticks the areas the official accounts name
and takes others typed (an area whose account is not registered yet). It says ``submitted``
with the chosen areas (empty: the whole force) and waits, greyed, for the service's answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.core.areas import area_key, parse_areas
from desk.core.errors import InvalidInput
from desk.gui.messages import set_message
from desk.services.areas import PersonAreas


class AreasDialog(QDialog):
    """Tick the areas a person works, or none for the whole force."""

    submitted = Signal(list)  # the areas chosen, [] for the whole force

    def __init__(
        self, person: PersonAreas, known: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("areasDialog")
        self.setWindowTitle(self.tr("Areas {username} works").format(username=person.username))
        self.person = person
        intro = QLabel(
            self.tr(
                "{name} sees and works only the cases of the official accounts of the areas "
                "ticked here, and not those of force-wide accounts. Tick none for the whole "
                "force. The change applies to their next action."
            ).format(name=person.display_name or person.username),
            self,
        )
        intro.setObjectName("introLabel")
        intro.setWordWrap(True)

        self.area_list = QListWidget(self)
        self.area_list.setObjectName("areaList")
        self.area_list.setAccessibleName(self.tr("Areas"))
        chosen = {area_key(a) for a in person.areas}
        names = list(known) + [a for a in person.areas if area_key(a) not in map(area_key, known)]
        for name in names:
            entry = QListWidgetItem(name, self.area_list)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = area_key(name) in chosen
            entry.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.area_list.itemChanged.connect(self._changed)

        other_label = QLabel(self.tr("&Other areas (comma separated)"), self)
        other_label.setWordWrap(True)
        self.other_edit = QLineEdit(self)
        self.other_edit.setObjectName("otherAreasEdit")
        self.other_edit.setPlaceholderText(self.tr("an area with no account registered yet"))
        other_label.setBuddy(self.other_edit)
        self.other_edit.textChanged.connect(self._changed)

        self.scope_label = QLabel(self)
        self.scope_label.setObjectName("scopeLabel")
        self.scope_label.setWordWrap(True)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        set_message(self.message_label, "")

        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button: QPushButton = box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Save"))
        self.ok_button.setDefault(True)
        box.accepted.connect(self._submit)
        box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.area_list)
        layout.addWidget(other_label)
        layout.addWidget(self.other_edit)
        layout.addWidget(self.scope_label)
        layout.addWidget(self.message_label)
        layout.addWidget(box)
        self.resize(460, 420)
        self._changed()

    # what is chosen ----------------------------------------------------------------------

    def ticked(self) -> list[str]:
        """The areas ticked in the list."""
        return [
            self.area_list.item(i).text()
            for i in range(self.area_list.count())
            if self.area_list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def tick(self, area: str, on: bool = True) -> None:
        """Tick (or untick) ``area`` in the list, as a person would."""
        for i in range(self.area_list.count()):
            entry = self.area_list.item(i)
            if area_key(entry.text()) == area_key(area):
                entry.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                return
        raise ValueError(f"no area {area!r} in the list")

    def areas(self) -> list[str]:
        """The areas chosen (ticked, then typed), or raise ``InvalidInput`` for a bad name."""
        typed = self.other_edit.text()
        names = self.ticked() + (list(typed.split(",")) if typed.strip() else [])
        return list(parse_areas(names)) if names else []

    def _changed(self, *_args: object) -> None:
        try:
            areas = self.areas()
        except InvalidInput as exc:
            set_message(self.message_label, exc.message)
            self.scope_label.setText("")
            self.ok_button.setEnabled(False)
            return
        set_message(self.message_label, "")
        self.ok_button.setEnabled(True)
        if areas:
            text = self.tr("Works: {areas}.").format(areas=", ".join(areas))
        else:
            text = self.tr("Works for the whole force (no areas).")
        self.scope_label.setText(text)

    def _submit(self) -> None:
        if not self.ok_button.isEnabled():
            return
        self.set_busy(True)
        self.submitted.emit(self.areas())

    # answered by an operation ------------------------------------------------------------

    def refuse(self, message: str) -> None:
        """Show why the service refused; keep what was ticked."""
        self.set_busy(False)
        set_message(self.message_label, message)

    def set_busy(self, busy: bool) -> None:
        """Grey the dialog while the service works."""
        self.setEnabled(not busy)

    def finish(self) -> None:
        """Close after the service accepted."""
        self.accept()
