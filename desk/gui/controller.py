"""Sequencing the windows: set-up wizard (first run), login dialog, main window, and back."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from desk.gui.login_dialog import LoginDialog
from desk.gui.main_window import HEARTBEAT_MS, MainWindow
from desk.gui.setup_wizard import SetupWizard
from desk.gui.workers import Worker
from desk.services.desk import Desk
from desk.services.views import SignInResult

log = logging.getLogger(__name__)


class DeskController(QObject):
    """Shows one window at a time: wizard → login → main window; sign-out returns to login."""

    quit_requested = Signal()

    def __init__(
        self,
        desk: Desk,
        idle_ms: int | None = None,
        heartbeat_ms: int = HEARTBEAT_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.idle_ms = idle_ms
        self.heartbeat_ms = heartbeat_ms
        self.worker = Worker(self, max_threads=4)  # an import never holds up the queue
        self.wizard: SetupWizard | None = None
        self.login_dialog: LoginDialog | None = None
        self.main_window: MainWindow | None = None

    def start(self) -> None:
        """Show the set-up wizard if the profile has no accounts, else the login dialog."""
        if self.desk.accounts.first_run_needed():
            self.show_wizard()
        else:
            self.show_login()

    def show_wizard(self) -> SetupWizard:
        """Show the first-run set-up wizard."""
        wizard = SetupWizard(self.desk.accounts)
        wizard.admin_created.connect(self._admin_created)
        wizard.rejected.connect(self.quit_requested)
        self.wizard = wizard
        wizard.show()
        return wizard

    def _admin_created(self, username: str) -> None:
        log.info("first administrator %s created", username)
        wizard, self.wizard = self.wizard, None
        self.show_login(
            self.tr(
                "Your account is ready. The code you just typed cannot be used again: wait "
                "for your authenticator to show a new code, then sign in."
            ),
            username,
        )
        if wizard is not None:
            wizard.deleteLater()

    def show_login(self, message: str = "", username: str = "") -> LoginDialog:
        """Show a fresh login dialog, with ``message`` (why the last session ended)."""
        dialog = LoginDialog(self.desk, self.worker, message=message, username=username)
        dialog.signed_in.connect(self._signed_in)
        dialog.rejected.connect(self.quit_requested)
        self.login_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _signed_in(self, result: SignInResult) -> None:
        dialog, self.login_dialog = self.login_dialog, None
        window = MainWindow(
            self.desk,
            result,
            self.worker,
            idle_ms=self.idle_ms,
            heartbeat_ms=self.heartbeat_ms,
        )
        window.signed_out.connect(self._signed_out)
        window.quit_requested.connect(self.quit_requested)
        self.main_window = window
        window.show()
        window.show_signin_notice(result)
        if dialog is not None:
            dialog.deleteLater()

    def _signed_out(self, message: str) -> None:
        window, self.main_window = self.main_window, None
        username = window.actor.username if window is not None and message else ""
        self.show_login(message, username)
        if window is not None:
            window.close()
            window.deleteLater()

    def shutdown(self) -> None:
        """Wait for background calls and close every window (before the desk is closed)."""
        self.worker.wait()
        for widget in (self.main_window, self.login_dialog, self.wizard):
            if widget is not None:
                widget.close()
