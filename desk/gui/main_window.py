"""The main window: the queue and the case pane, menus by role, the status bar, the idle lock."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMessageBox, QSizePolicy, QWidget

import desk as desk_package
from desk.core.errors import DeskError, SessionEnded
from desk.core.roles import Action, may
from desk.gui.escalation_actions import EscalationActions
from desk.gui.formatting import clock_time, local_time
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.handover_window import HandoverActions
from desk.gui.idle import IdleWatcher
from desk.gui.lock_overlay import LockOverlay
from desk.gui.messages import show_message
from desk.gui.moderation_actions import ModerationActions
from desk.gui.oversight_menu import OversightMenu
from desk.gui.people_dialog import PeopleMenu
from desk.gui.queue_controller import DROP_MS, SURGE_MS, TICK_MS, QueueController
from desk.gui.reply_actions import ReplyActions
from desk.gui.service_calls import ServiceCalls
from desk.gui.shortcuts_dialog import ShortcutsDialog
from desk.gui.signin_activity import SigninActivityDialog
from desk.gui.signin_alerts import SigninAlerts
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
        tick_ms: int = TICK_MS,
        surge_ms: int = SURGE_MS,
        drop_ms: int = DROP_MS,
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
        self.notice_label = QLabel(self)  # what just happened ("You claimed case #12.")
        self.notice_label.setObjectName("noticeLabel")
        # a long notice is cut at the window's edge (its tooltip has it whole): it never
        # widens the window past the screen
        self.notice_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.ui.statusbar.addWidget(self.notice_label, 1)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.ui.statusbar.addPermanentWidget(self.status_label)
        self.ui.mainSplitter.setStretchFactor(0, 5)
        self.ui.mainSplitter.setStretchFactor(1, 3)
        self.ui.mainSplitter.setSizes([900, 520])
        self.ui.casePane.set_grades(desk.cases.grades())

        self.calls = ServiceCalls(self)
        self.calls.reauthentication_required.connect(self._cover)
        self.calls.session_ended.connect(self._end)

        self.overlay = LockOverlay(self)
        self.overlay.unlock_requested.connect(self._unlock)
        self.overlay.sign_out_requested.connect(self.sign_out)

        self.activity_dialog: SigninActivityDialog | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self.queue = QueueController(self, tick_ms=tick_ms, surge_ms=surge_ms, drop_ms=drop_ms)
        self.queue.counts_changed.connect(self._update_status)
        self.escalations = EscalationActions(self)  # F5-F8, Ctrl+F5-F8; immediate-risk banner
        self.moderation = ModerationActions(self)  # H, D, B; Admin → Community guidelines
        self.replies = ReplyActions(self)  # Shift+T template picker, Shift+R/P replies, approvals

        # what each action needs, from the one permission table (case actions: the queue's)
        self._needs: dict[QAction, Action] = {
            self.ui.actionSigninActivity: Action.VIEW_SIGNIN_ACTIVITY,
            self.ui.actionImport: Action.IMPORT_ITEMS,
        }
        self._apply_permissions()
        self.ui.actionSignOut.triggered.connect(self.sign_out)
        self.ui.actionLock.triggered.connect(self.lock)
        self.ui.actionQuit.triggered.connect(self.quit)
        self.ui.actionSigninActivity.triggered.connect(self.open_signin_activity)
        self.ui.actionShortcuts.triggered.connect(self.show_shortcuts)
        self.ui.actionAbout.triggered.connect(self.show_about)
        self.people = PeopleMenu(self)  # Admin → People…; Access review… (Admin, Supervisor)
        self.signin_alerts = SigninAlerts(self)  # lock-outs, repeated failures: tray notices
        self.oversight = OversightMenu(self)  # Supervisor → Dashboard…, Quality review…
        self.handover = HandoverActions(self)  # Supervisor → Handover…, Coverage log…; notes

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
        self.queue.start()

    # state --------------------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        """Tell whether the lock overlay covers the window."""
        return self.overlay.isVisible()

    @property
    def status_text(self) -> str:
        """The status bar's text."""
        return self.status_label.text()

    @property
    def notice_text(self) -> str:
        """What the status bar says just happened ('' when nothing)."""
        return self.notice_label.text()

    def _update_status(self) -> None:
        now = self.desk.ctx.clock.now()
        parts = [
            self.tr("Signed in: {username} ({role})").format(
                username=self.actor.username, role=self.actor.role.value
            )
        ]
        counts = self.queue.counts
        if counts is not None:
            parts += [
                self.tr("New {n}").format(n=counts["new"]),
                self.tr("Mine {n}").format(n=counts["mine"]),
                self.tr("Past target {n}").format(n=counts["breached"]),
            ]
        escalations = getattr(self, "escalations", None)  # None while the window is built
        if escalations is not None and escalations.status_text():
            parts.append(escalations.status_text())
        profile = self.desk.profile.name
        parts += [self.tr("Profile: {profile}").format(profile=Path(profile).name or profile)]
        self.status_label.setToolTip(self.tr("Profile: {profile}").format(profile=profile))
        parts.append(clock_time(now))
        self.status_label.setText(" · ".join(parts))

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
        self.queue.update_actions()

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
            self.desk.cases.viewing(self.token, None)  # nobody sees us on a case any more
        except DeskError as exc:
            log.info("presence not cleared: %s", exc.code)
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
        self.queue.stop()
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
        self.queue.pause()
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
        self.queue.resume()
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

    def open_template_picker(self, case_id: int, preselect: str | None = None) -> object:
        """Open the template picker on a case (``preselect``: a template key, 'call-999-now')."""
        return self.replies.open_picker(case_id, preselect)

    def show_shortcuts(self) -> ShortcutsDialog:
        """F1: the cheat sheet, built from the menus' actions."""
        extra = [
            (self.tr("Search now and go to the queue (in the search box)"), self.tr("Enter")),
            (self.tr("Back to the queue from a field in the case pane"), self.tr("Esc")),
            (self.tr("Top or bottom of the queue"), self.tr("Ctrl+Home, Ctrl+End")),
            (self.tr("A page of the queue up or down"), self.tr("Page Up, Page Down")),
            (
                self.tr("Between the filters, the queue and the case pane"),
                self.tr("Tab, Shift+Tab"),
            ),
            (self.tr("Save from a note or close dialog"), self.tr("Ctrl+Enter")),
            (self.tr("Open a menu"), self.tr("Alt + the menu's underlined letter")),
        ]
        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.close()
            self.shortcuts_dialog.deleteLater()
        dialog = ShortcutsDialog(self.ui.menubar, extra, self)
        dialog.setObjectName("shortcutsDialog")
        self.shortcuts_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

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
