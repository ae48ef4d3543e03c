"""The main window: menus by role, the status bar, the idle lock, and the session's end."""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMessageBox, QWidget

import desk as desk_package
from desk.core.errors import DeskError, SessionEnded
from desk.core.roles import Action, may
from desk.gui.formatting import clock_time, local_time
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.idle import IdleWatcher
from desk.gui.lock_overlay import LockOverlay
from desk.gui.messages import show_message
from desk.gui.service_calls import ServiceCalls
from desk.gui.signin_activity import SigninActivityDialog
from desk.gui.workers import Worker
from desk.services.desk import Desk
from desk.services.views import Actor, SignInResult

log = logging.getLogger(__name__)

HEARTBEAT_MS = 30_000
CLOCK_TICK_MS = 1_000
NOTICE_OBJECT_NAME = "signinNotice"


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def signin_notice(result: SignInResult) -> str | None:
    """Return the login alert for the person who just signed in, or None if there is none."""
    failures = result.failures_since_last_login
    if not (result.alert or failures > 0):
        return None
    attempts = (
        _tr("1 failed sign-in attempt")
        if failures == 1
        else _tr("{n} failed sign-in attempts").format(n=failures)
    )
    if result.previous_login_at is None:
        text = _tr("{attempts} on your account before this, your first sign-in.").format(
            attempts=attempts
        )
    else:
        text = _tr(
            "{attempts} on your account since your last sign-in (last sign-in: {when})."
        ).format(attempts=attempts, when=local_time(result.previous_login_at))
    return text + " " + _tr("If that was not you, tell your supervisor.")


class MainWindow(QMainWindow):
    """The desk's window for one signed-in person; locks itself when left idle."""

    signed_out = Signal(str)  # '' when the person signed out, else why the session ended
    quit_requested = Signal()

    def __init__(
        self,
        desk: Desk,
        result: SignInResult,
        worker: Worker,
        idle_ms: int | None = None,
        heartbeat_ms: int = HEARTBEAT_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.worker = worker
        self.token = result.token
        self.actor: Actor = result.actor
        self._ended = False
        self._hidden_while_locked: list[QWidget] = []
        self._saved_enabled: dict[QAction, bool] = {}

        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setWindowTitle(self.tr("Desk — {name}").format(name=desk.settings.get("desk_name")))
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.ui.statusbar.addPermanentWidget(self.status_label, 1)

        self.calls = ServiceCalls(self)
        self.calls.reauthentication_required.connect(self._cover)
        self.calls.session_ended.connect(self._end)

        self.overlay = LockOverlay(self)
        self.overlay.unlock_requested.connect(self._unlock)
        self.overlay.sign_out_requested.connect(self.sign_out)

        self.activity_dialog: SigninActivityDialog | None = None

        # what each action needs, from the one permission table
        self._needs: dict[QAction, Action] = {
            self.ui.actionSigninActivity: Action.VIEW_SIGNIN_ACTIVITY,
        }
        self._apply_permissions()
        self.ui.actionSignOut.triggered.connect(self.sign_out)
        self.ui.actionLock.triggered.connect(self.lock)
        self.ui.actionQuit.triggered.connect(self.quit)
        self.ui.actionSigninActivity.triggered.connect(self.open_signin_activity)
        self.ui.actionShortcuts.triggered.connect(self.show_shortcuts)
        self.ui.actionAbout.triggered.connect(self.show_about)

        if idle_ms is None:
            idle_ms = int(desk.settings.get("idle_lock_minutes")) * 60_000
        self.idle = IdleWatcher(idle_ms, self)
        self.idle.went_idle.connect(self.lock)
        self.idle.start()
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(CLOCK_TICK_MS)
        self._clock_timer.timeout.connect(self._update_status)
        self._clock_timer.start()
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(heartbeat_ms)
        self._heartbeat.timeout.connect(self.check_session)
        self._heartbeat.start()
        self._update_status()

    # state --------------------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        """Tell whether the lock overlay covers the window."""
        return self.overlay.isVisible()

    @property
    def status_text(self) -> str:
        """The status bar's text."""
        return self.status_label.text()

    def _update_status(self) -> None:
        now = self.desk.ctx.clock.now()
        self.status_label.setText(
            self.tr("Signed in: {username} ({role}) · Profile: {profile} · {time}").format(
                username=self.actor.username,
                role=self.actor.role.value,
                profile=self.desk.profile.name,
                time=clock_time(now),
            )
        )

    def _apply_permissions(self) -> None:
        for action, needed in self._needs.items():
            allowed = may(self.actor.role, needed)
            action.setEnabled(allowed)
            action.setToolTip(
                ""
                if allowed
                else self.tr("Your role ({role}) does not include this.").format(
                    role=self.actor.role.value
                )
            )

    def show_signin_notice(self, result: SignInResult) -> QMessageBox | None:
        """Tell the person about failed attempts on their account since they last signed in."""
        text = signin_notice(result)
        if text is None:
            return None
        log.info("login alert shown to %s", result.actor.username)
        return show_message(
            self, self.tr("Failed sign-in attempts"), text, object_name=NOTICE_OBJECT_NAME
        )

    # the session --------------------------------------------------------------------------

    def check_session(self) -> bool:
        """Ask the services whether this session may still act (disabled, expired...)."""
        return self.calls.call(self.desk.signin.authorize, self.token).ok

    def _end_session(self) -> None:
        try:
            self.desk.signin.sign_out(self.token)
        except DeskError as exc:
            log.warning("sign-out was not recorded: %s", exc.code)

    def sign_out(self) -> None:
        """End the session and go back to the login dialog."""
        if not self._ended:
            self._end_session()
            self._end("")

    def quit(self) -> None:
        """Sign out and close Desk."""
        if not self._ended:
            self._end_session()
            self._end("", quitting=True)

    def _end(self, message: str, quitting: bool = False) -> None:
        """Stop everything this window runs; then ask to quit or to show the login dialog."""
        if self._ended:
            return
        self._ended = True
        self.idle.dispose()
        self._clock_timer.stop()
        self._heartbeat.stop()
        for child in self.findChildren(QDialog):
            child.close()
        if quitting:
            self.quit_requested.emit()
        else:
            self.signed_out.emit(message)

    @property
    def ended(self) -> bool:
        """Tell whether this window's session is over (signed out, ended or quitting)."""
        return self._ended

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window signs out and quits."""
        self.quit()
        event.accept()

    # locking ------------------------------------------------------------------------------

    def lock(self) -> None:
        """Lock the session now (Ctrl+L, or after the idle interval) and cover the window."""
        if self._ended or self.locked:
            return
        self.calls.call(self.desk.signin.lock, self.token)
        if not self._ended:
            self._cover()

    def _cover(self, _message: str = "") -> None:
        """Hide everything readable behind the lock overlay (nothing is closed or lost)."""
        if self._ended or self.locked:
            return
        self.idle.stop()
        actions = self.findChildren(QAction)
        self._saved_enabled = {a: a.isEnabled() for a in actions}
        for action in actions:
            action.setEnabled(False)
        self._hidden_while_locked = [
            w for w in self.findChildren(QDialog) if w.isVisible() and w.isWindow()
        ]
        for window in self._hidden_while_locked:
            window.hide()
        self.ui.centralwidget.setEnabled(False)
        self.ui.menubar.setEnabled(False)
        self.overlay.cover(self.actor.display_name)
        log.info("window locked for %s", self.actor.username)

    def _unlock(self, password: str, code: str) -> None:
        token = self.token
        self.worker.run(
            lambda: self.desk.signin.reauthenticate(token, password, code),
            self._unlocked,
            self._unlock_failed,
            context=self,
        )

    def _unlocked(self, token: str) -> None:
        self.token = token
        self.overlay.set_busy(False)
        outcome = self.calls.call(self.desk.signin.authorize, token)
        if not outcome.ok or outcome.value is None:
            return
        self.actor = outcome.value
        self.overlay.hide()
        self.ui.centralwidget.setEnabled(True)
        self.ui.menubar.setEnabled(True)
        for action, enabled in self._saved_enabled.items():
            action.setEnabled(enabled)
        self._apply_permissions()
        for window in self._hidden_while_locked:
            window.show()
        self._hidden_while_locked = []
        self._update_status()
        self.idle.start()
        log.info("window unlocked for %s", self.actor.username)

    def _unlock_failed(self, error: Exception) -> None:
        if isinstance(error, SessionEnded):
            self._end(error.message)
        elif isinstance(error, DeskError):
            self.overlay.refuse(error.message)
        else:
            log.error("unlock could not be checked: %s", type(error).__name__)
            self.overlay.refuse(self.tr("Desk could not check the password. Try again."))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the lock overlay covering the whole window."""
        super().resizeEvent(event)
        self.overlay.fit()

    # menus --------------------------------------------------------------------------------

    def open_signin_activity(self) -> None:
        """Show sign-in activity (supervisors and administrators)."""
        outcome = self.calls.call(self.desk.audit.signin_activity, self.token)
        if not outcome.ok or outcome.value is None:
            return
        if self.activity_dialog is None:
            self.activity_dialog = SigninActivityDialog(self)
            self.activity_dialog.refresh_requested.connect(self._refresh_signin_activity)
        self.activity_dialog.set_entries(outcome.value)
        self.activity_dialog.show()
        self.activity_dialog.raise_()
        self.activity_dialog.activateWindow()

    def _refresh_signin_activity(self) -> None:
        outcome = self.calls.call(self.desk.audit.signin_activity, self.token)
        if outcome.ok and outcome.value is not None and self.activity_dialog is not None:
            self.activity_dialog.set_entries(outcome.value)

    def show_shortcuts(self) -> None:
        """List the keyboard shortcuts of the actions this window has."""
        rows = [
            (action.text().replace("&", "").rstrip("…"), action.shortcut())
            for action in self.findChildren(QAction)
            if not action.shortcut().isEmpty()
        ]
        rows.sort(key=lambda r: r[0])
        table = "".join(
            f"<tr><td>{html.escape(name)}</td><td><b>"
            f"{html.escape(keys.toString(QKeySequence.SequenceFormat.NativeText))}"
            "</b></td></tr>"
            for name, keys in rows
        )
        box = QMessageBox(QMessageBox.Icon.NoIcon, self.tr("Keyboard shortcuts"), "", parent=self)
        box.setObjectName("shortcutsMessage")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<table cellspacing='6'>{table}</table><p>"
            + html.escape(self.tr("Alt with a menu's underlined letter opens that menu."))
            + "</p>"
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()

    def show_about(self) -> None:
        """Say which Desk this is."""
        show_message(
            self,
            self.tr("About Desk"),
            self.tr(
                "Desk {version}\nThe console for the force's 24/7 social media digital desk.\n"
                "Profile: {profile}"
            ).format(version=desk_package.__version__, profile=self.desk.profile.name),
            QMessageBox.Icon.Information,
        )
