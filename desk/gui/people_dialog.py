"""Admin → People: the accounts (the access review) with Add, Change role, Disable and Enable.

The step dialogs live in :mod:`desk.gui.people_steps`; the menu actions and the service calls
in :mod:`desk.gui.people_menu`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QWidget

from desk.gui.forms.ui_people_dialog import Ui_PeopleDialog
from desk.gui.people_steps import (
    AddPersonDialog,
    ChangeRoleDialog,
    DisableDialog,
    EnableDialog,
    EnrolmentDialog,
)
from desk.gui.screen_fit import fit_to_screen
from desk.services.people import AccessReviewRow

__all__ = [
    "AddPersonDialog",
    "ChangeRoleDialog",
    "DisableDialog",
    "EnableDialog",
    "EnrolmentDialog",
    "PeopleDialog",
]


class PeopleDialog(QDialog):
    """The accounts (the access review) with Add, Change role, Disable and Enable."""

    add_requested = Signal()
    role_requested = Signal(object)  # AccessReviewRow
    areas_requested = Signal(object)  # AccessReviewRow: Areas… (desk.gui.areas_dialog)
    disable_requested = Signal(object)
    enable_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_PeopleDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setObjectName("peopleDialog")
        self.review = self.ui.review
        self.add_button = self.ui.addButton
        self.role_button = self.ui.roleButton
        self.areas_button = self.ui.areasButton
        self.areas_tip = self.areas_button.toolTip()
        self.disable_button = self.ui.disableButton
        self.enable_button = self.ui.enableButton
        self.ui.buttonBox.rejected.connect(self.reject)
        fit_to_screen(self, 1240, 600)

        self.add_button.clicked.connect(self.add_requested)
        self.role_button.clicked.connect(lambda: self._about_selected(self.role_requested))
        self.areas_button.clicked.connect(lambda: self._about_selected(self.areas_requested))
        self.disable_button.clicked.connect(lambda: self._about_selected(self.disable_requested))
        self.enable_button.clicked.connect(lambda: self._about_selected(self.enable_requested))
        self.review.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.review.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def set_rows(self, rows: list[AccessReviewRow]) -> None:
        """Show ``rows``, keeping the selected person selected."""
        chosen = self.review.selected()
        self.review.set_rows(rows)
        if chosen is not None:
            self.review.select(chosen.username)
        self._update_buttons()

    def _about_selected(self, signal: Any) -> None:
        person = self.review.selected()
        if person is not None:
            signal.emit(person)

    def _update_buttons(self, *_args: object) -> None:
        person = self.review.selected()
        chosen = self.tr("Select a person in the list first.")
        for button, usable, why in (
            (
                self.role_button,
                person is not None and person.active,
                self.tr("A disabled account has no role to change: enable it first."),
            ),
            (
                self.areas_button,
                person is not None,
                "",
            ),
            (
                self.disable_button,
                person is not None and person.active,
                self.tr("This account is already disabled."),
            ),
            (
                self.enable_button,
                person is not None and not person.active,
                self.tr("This account is active."),
            ),
        ):
            button.setEnabled(usable)
            if button is self.areas_button:  # its tooltip says what it is for
                button.setToolTip(self.areas_tip if usable else chosen)
                continue
            button.setToolTip("" if usable else chosen if person is None else why)
