"""A legal hold on an author: the platform and handle (given when it comes from a case), and why.

The dialog says ``submitted`` and stays open: the controller calls the service, then
``finish()`` closes it or ``refuse(message)`` shows the answer inside it, keeping the text.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from desk.core.items import Platform
from desk.gui.forms.ui_author_hold_dialog import Ui_AuthorHoldDialog
from desk.gui.labels import platform_label
from desk.gui.messages import set_message


class AuthorHoldDialog(QDialog):
    """Asks whose records to hold (unless given) and the reason."""

    submitted = Signal(str, str, str)  # platform, handle, reason

    def __init__(
        self,
        parent: QWidget | None = None,
        platform: str | None = None,
        handle: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_AuthorHoldDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        ui = self.ui
        for code in Platform:
            ui.platformCombo.addItem(platform_label(code.value), code.value)
        given = platform is not None and handle is not None
        if given:
            ui.platformCombo.setCurrentIndex(max(0, ui.platformCombo.findData(platform)))
            ui.handleEdit.setText(str(handle))
            self.setWindowTitle(self.tr("Legal hold on {handle}'s records").format(handle=handle))
        else:
            ui.platformCombo.setCurrentIndex(max(0, ui.platformCombo.findData(Platform.X.value)))
        ui.platformCombo.setEnabled(not given)
        ui.handleEdit.setReadOnly(given)
        self.ok_button = ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Place hold"))
        self.ok_button.setDefault(True)
        ui.handleEdit.textChanged.connect(self._changed)
        ui.reasonEdit.textChanged.connect(self._changed)
        ui.buttonBox.accepted.connect(self._submit)
        ui.buttonBox.rejected.connect(self.reject)
        set_message(ui.messageLabel, "")
        self._changed()
        (ui.reasonEdit if given else ui.handleEdit).setFocus()

    @property
    def platform(self) -> str:
        """The platform chosen (its code)."""
        return str(self.ui.platformCombo.currentData())

    @property
    def handle(self) -> str:
        """The handle typed (or given)."""
        return self.ui.handleEdit.text()

    @property
    def reason(self) -> str:
        """The reason typed."""
        return self.ui.reasonEdit.toPlainText()

    def _changed(self) -> None:
        self.ok_button.setEnabled(bool(self.handle.strip(" @") and self.reason.strip()))

    def _submit(self) -> None:
        if self.ok_button.isEnabled():
            self.submitted.emit(self.platform, self.handle, self.reason)

    def refuse(self, message: str) -> None:
        """Show why the service refused; keep what was typed."""
        set_message(self.ui.messageLabel, message)

    def finish(self) -> None:
        """Close after the service accepted."""
        self.accept()

    def set_busy(self, busy: bool) -> None:
        """Grey the button out while the hold is placed."""
        self.ok_button.setEnabled(
            not busy and bool(self.handle.strip(" @") and self.reason.strip())
        )
