"""The first-run wizard's "Join a shared desk" page: server URL, password, key file, passphrase.

The page only moves text between its fields and a ``Join`` callable (desk.services.shared_desk
.join behind it, given by the window's start-up), which stores the password and the keys in
the keyring and saves the server; the page says what was refused and stays.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit, QWidget, QWizard, QWizardPage

from desk.core.errors import DeskError
from desk.gui.forms.ui_setup_join_page import Ui_JoinPage
from desk.gui.messages import set_message

# (server URL, database password, key file's bytes, passphrase) -> the server, as shown
Join = Callable[[str, str, bytes, str], str]


class JoinPage(QWizardPage):
    """Joins this workstation to a shared desk; the wizard's last page on that path."""

    def __init__(self, join: Join, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._join = join
        self.joined_to = ""
        self.ui = Ui_JoinPage()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setFinalPage(True)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Join"))
        fields: tuple[QLineEdit, ...] = (
            self.ui.urlEdit,
            self.ui.keyFileEdit,
            self.ui.passphraseEdit,
        )
        for field in fields:
            field.textChanged.connect(self.completeChanged)
        self.ui.browseButton.clicked.connect(self._browse)
        set_message(self.ui.messageLabel, "")

    def nextId(self) -> int:
        """Nothing follows: joining ends the wizard."""
        return -1

    def isComplete(self) -> bool:
        """Let Join work once the URL, the key file and the passphrase are given."""
        return all(
            f.text().strip() for f in (self.ui.urlEdit, self.ui.keyFileEdit, self.ui.passphraseEdit)
        )

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("The desk's key file"), "", self.tr("Desk key files (*.keys);;All (*)")
        )
        if path:
            self.ui.keyFileEdit.setText(path)

    def validatePage(self) -> bool:
        """Join; on a refusal say why, clear the secrets, and stay on this page."""
        path = Path(self.ui.keyFileEdit.text().strip()).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            set_message(
                self.ui.messageLabel,
                self.tr("Desk cannot read the key file {path}: {why}.").format(
                    path=str(path), why=exc.strerror or str(exc)
                ),
            )
            return False
        self.setCursor(Qt.CursorShape.BusyCursor)
        try:
            self.joined_to = self._join(
                self.ui.urlEdit.text().strip(),
                self.ui.passwordEdit.text(),
                data,
                self.ui.passphraseEdit.text(),
            )
        except DeskError as exc:
            set_message(self.ui.messageLabel, exc.message)
            self.ui.passphraseEdit.clear()
            self.ui.passphraseEdit.setFocus()
            return False
        finally:
            self.unsetCursor()
        self.ui.passwordEdit.clear()
        self.ui.passphraseEdit.clear()
        return True
