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
        worker: Worker | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.idle_ms = idle_ms
        self.heartbeat_ms = heartbeat_ms
        # an import never holds up the queue; the start's worker (which opened the profile)
        # is handed on so that one pool serves the whole session
        self.worker = worker or Worker(self, max_threads=4)
        self.wizard: SetupWizard | None = None
        self.login_dialog: LoginDialog | None = None
        self.main_window: MainWindow | None = None

    def start(self, login: LoginDialog | None = None) -> None:
        """Show the set-up wizard if the profile has no accounts, else the login dialog.

        ``login`` is the dialog a cold start showed before the profile was open: it is kept
        (with what was typed into it) and given the desk, or closed for the wizard.
        """
        if self.desk.accounts.first_run_needed():
            if login is not None:
                login.hide()
                login.deleteLater()
            self.show_wizard()
        elif login is not None:
            self._adopt_login(login)
            login.set_desk(self.desk)
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
        self._adopt_login(dialog)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _adopt_login(self, dialog: LoginDialog) -> None:
        dialog.signed_in.connect(self._signed_in)
        dialog.rejected.connect(self.quit_requested)
        self.login_dialog = dialog

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
