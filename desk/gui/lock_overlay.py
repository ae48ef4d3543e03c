"""The lock overlay: covers a locked window until password and a new code are given."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from desk.gui.fields import code_validator
from desk.gui.forms.ui_lock_overlay import Ui_LockOverlay
from desk.gui.messages import set_message


class LockOverlay(QWidget):
    """An opaque cover over the main window's contents with the unlock form."""

    unlock_requested = Signal(str, str)  # password, code
    sign_out_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.ui = Ui_LockOverlay()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self.ui.codeEdit.setValidator(code_validator(self.ui.codeEdit))
        self.ui.unlockButton.clicked.connect(self._submit)
        self.ui.passwordEdit.returnPressed.connect(self._submit)
        self.ui.codeEdit.returnPressed.connect(self._submit)
        self.ui.signOutButton.clicked.connect(self.sign_out_requested)
        self.hide()

    def cover(self, display_name: str) -> None:
        """Cover the parent completely and ask ``display_name`` for password and code."""
        self.ui.promptLabel.setText(
            self.tr("{name}, enter your password and a new code to carry on.").format(
                name=display_name
            )
        )
        self.ui.passwordEdit.clear()
        self.ui.codeEdit.clear()
        set_message(self.ui.messageLabel, "")
        self.set_busy(False)
        self.fit()
        self.show()
        self.raise_()
        self.ui.passwordEdit.setFocus()

    def fit(self) -> None:
        """Match the parent's size (called again whenever the parent is resized)."""
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())

    def set_busy(self, busy: bool) -> None:
        """Disable the form while the password is being checked."""
        self.ui.unlockButton.setEnabled(not busy)
        self.ui.signOutButton.setEnabled(not busy)
        self.ui.unlockButton.setText(self.tr("Checking…") if busy else self.tr("&Unlock"))

    def refuse(self, message: str) -> None:
        """Show why unlocking failed; clear both fields and start again at the password."""
        self.set_busy(False)
        set_message(self.ui.messageLabel, message)
        self.ui.passwordEdit.clear()
        self.ui.codeEdit.clear()
        self.ui.passwordEdit.setFocus()

    def _submit(self) -> None:
        if not self.ui.unlockButton.isEnabled():
            return
        password, code = self.ui.passwordEdit.text(), self.ui.codeEdit.text()
        if not (password and code.strip()):
            set_message(self.ui.messageLabel, self.tr("Enter your password and a new code."))
            return
        self.set_busy(True)
        self.unlock_requested.emit(password, code)
