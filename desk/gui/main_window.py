"""The main window: the queue and the case pane, menus by role, the status bar, the idle lock."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMenu, QMessageBox, QWidget

from desk.core.errors import DeskError, SessionEnded
from desk.core.roles import Action, may, role_name
from desk.gui.accounts_menu import AccountsMenu
from desk.gui.apps_window import AppsMenu
from desk.gui.audit_check import AuditCheckMenu
from desk.gui.audit_viewer import AuditLogMenu
from desk.gui.devices_menu import DevicesMenu
from desk.gui.escalation_actions import EscalationActions
from desk.gui.evidence_actions import EvidenceActions
from desk.gui.formatting import clock_time, local_time
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.handover_actions import HandoverActions
from desk.gui.help_menu import HelpMenu
from desk.gui.idle import IdleWatcher
from desk.gui.lock_overlay import LockOverlay
from desk.gui.messages import show_message
from desk.gui.moderation_actions import ModerationActions
from desk.gui.notice_bar import NoticeBar
from desk.gui.notices import Notices
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.oversight_menu import OversightMenu
from desk.gui.people_menu import PeopleMenu
from desk.gui.poller import Poller
from desk.gui.queue_controller import DROP_MS, SURGE_MS, TICK_MS, QueueController
from desk.gui.reply_actions import ReplyActions
from desk.gui.retention_rules_dialog import RetentionRulesMenu
from desk.gui.retention_window import RetentionActions
from desk.gui.settings_dialog import SettingsMenu
from desk.gui.shell import Shell
from desk.gui.signin_activity import SigninActivityDialog
from desk.gui.signin_alerts import SigninAlerts
from desk.gui.subject_access_window import SubjectAccessMenu
from desk.gui.suspects_menu import SuspectsMenu
from desk.gui.urgent_alerts import UrgentAlerts
from desk.gui.wheel_guard import install_wheel_guard
from desk.gui.workers import Worker
from desk.services.desk import Desk
from desk.services.views import Actor, AuditView, SignInResult

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
        self.unsaved_question: QMessageBox | None = None
        self._lock_recorded = threading.Event()
        self._lock_recorded.set()  # no lock waits to be recorded
        self._hidden_while_locked: list[QWidget] = []
        self._saved_enabled: dict[QAction, bool] = {}

        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        profile = Path(desk.profile.name).name or desk.profile.name
        self.setWindowTitle(
            self.tr("Desk — {name} — profile {profile}").format(
                name=desk.settings.get("desk_name"), profile=profile
            )
        )
        self.notices = Notices(desk.ctx.clock, self)
        self.shell = Shell(desk, result.token, result.actor, worker, self, self.notices)
        self.shell.reauthentication_required.connect(self._cover)
        self.shell.session_ended.connect(self._end)
        self.shell.status_changed.connect(self._update_status)
        self.notice_bar = NoticeBar(self.notices, self)  # what just happened, and what to do
        self.notice_label = self.notice_bar.label
        self.ui.statusbar.addWidget(self.notice_bar, 1)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.ui.statusbar.addPermanentWidget(self.status_label)
        self.ui.mainSplitter.setStretchFactor(0, 5)
        self.ui.mainSplitter.setStretchFactor(1, 3)
        self.ui.mainSplitter.setSizes([900, 520])
        self.ui.casePane.set_grades(desk.cases.grades())

        self.help = HelpMenu(self.shell, self.ui, self.notice_bar)  # F1, Ctrl+Shift+M, About

        self.overlay = LockOverlay(self)
        self.overlay.unlock_requested.connect(self._unlock)
        self.overlay.sign_out_requested.connect(self.sign_out)

        self.activity_dialog: SigninActivityDialog | None = None
        self.queue = QueueController(
            self.shell, self.ui, tick_ms=tick_ms, surge_ms=surge_ms, drop_ms=drop_ms
        )
        self.queue.counts_changed.connect(self._update_status)
        self.escalations = EscalationActions(self.shell, self.ui)  # F5-F8; immediate-risk banner
        self.moderation = ModerationActions(self.shell, self.ui)  # H, D, B; Admin → Guidelines
        self.replies = ReplyActions(self.shell, self.ui, self.escalations.call_999_requested)

        # what each action needs, from the one permission table (case actions: the queue's)
        self._needs: dict[QAction, Action] = {}  # (being replaced by shell.guard)
        self.shell.guard(self.ui.actionSigninActivity, Action.VIEW_SIGNIN_ACTIVITY)
        self.shell.guard(self.ui.actionImport, Action.IMPORT_ITEMS)
        self._apply_permissions()
        for menu in self.ui.menubar.findChildren(QMenu):
            menu.setToolTipsVisible(True)  # a greyed-out item says why when pointed at
        self.ui.actionSignOut.triggered.connect(self.sign_out)
        self.ui.actionLock.triggered.connect(self.lock)
        self.ui.actionQuit.triggered.connect(self.quit)
        self.ui.actionSigninActivity.triggered.connect(self.open_signin_activity)
        self.people = PeopleMenu(self.shell, self.ui)  # Admin → People…; Access review…
        self.signin_alerts = SigninAlerts(self.shell, self.ui, self.open_signin_activity)
        self.oversight = OversightMenu(self.shell, self.ui)  # Dashboard…, Quality review…
        self.audit_log = AuditLogMenu(self.shell, self.ui)  # Supervisor → Audit log…
        self.audit_check = AuditCheckMenu(self.shell, self.ui)  # … → Verify the audit log…
        self.handover = HandoverActions(self.shell, self.ui)  # Supervisor → Handover…; notes
        self.evidence = EvidenceActions(self.shell, self.ui)  # Case → Evidence bundle…
        self.urgent = UrgentAlerts(self.shell)  # a new P1 while Desk is not in front
        self.settings_menu = SettingsMenu(self.shell, self.ui)  # Admin → Settings…
        self.retention_rules = RetentionRulesMenu(self.shell, self.ui)  # Admin → Retention periods…
        self.retention = RetentionActions(self.shell, self.ui)  # Supervisor → Retention review…
        self.subject_access = SubjectAccessMenu(self.shell, self.ui)  # Supervisor → Subject access…
        self.devices = DevicesMenu(self.shell, self.ui)  # My devices…, Sessions…, Leaver review…
        self.apps = AppsMenu(self.shell, self.ui)  # Admin → Third-party apps…
        self.official_accounts = AccountsMenu(self.shell, self.ui)  # Admin → Official accounts…
        self.suspects = SuspectsMenu(self.shell, self.ui)  # Supervisor → Suspected fake accounts…

        install_wheel_guard()  # scrolling a pane never changes a grade or a number
        self._idle_follows_setting = idle_ms is None
        if idle_ms is None:
            idle_ms = int(desk.settings.get("idle_lock_minutes")) * 60_000
        self.idle = IdleWatcher(idle_ms, self)
        self.idle.went_idle.connect(self.lock)
        self.idle.start()
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(CLOCK_TICK_MS)
        self._clock_timer.timeout.connect(self._update_status)
        self._clock_timer.start()
        # the token is read at each beat: an unlock renews it
        self._heartbeat = Poller(
            self.shell, "session", heartbeat_ms, lambda: self._beat(self.shell.token), self._beaten
        )
        self._heartbeat.start(now=False)
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
        return self.notice_bar.text

    def _update_status(self) -> None:
        # short, so that the notice beside it has room: who, the counts, the time; the
        # profile's folder is in the window's title and the whole path in the tooltip
        now = self.desk.ctx.clock.now()
        parts = [
            self.tr("{username} ({role})").format(
                username=self.actor.username, role=role_name(self.actor.role)
            )
        ]
        counts = self.queue.counts
        if counts is not None:
            parts += [
                self.tr("New {n}").format(n=counts["new"]),
                self.tr("Mine {n}").format(n=counts["mine"]),
                self.tr("Past target {n}").format(n=counts["breached"]),
            ]
        for feature in ("escalations", "replies"):  # None while the window is built
            counted = getattr(self, feature, None)
            if counted is not None and counted.status_text():
                parts.append(counted.status_text())
        parts.append(clock_time(now))
        self.status_label.setText(" · ".join(parts))
        self.status_label.setToolTip(
            self.tr("Signed in: {username} ({role})\nProfile: {profile}").format(
                username=self.actor.username,
                role=role_name(self.actor.role),
                profile=self.desk.profile.name,
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
                    role=role_name(self.actor.role)
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
        """Start a check that this session may still act (disabled, expired, settings changed)."""
        return self._heartbeat.poll()

    def _beat(self, token: str) -> tuple[Actor, int]:
        """On the worker: the session's actor, and the idle lock's minutes as set now."""
        actor = self.desk.signin.authorize(token)
        return actor, int(self.desk.settings.get("idle_lock_minutes"))

    def _beaten(self, answer: tuple[Actor, int]) -> None:
        actor, minutes = answer
        if actor.role != self.actor.role:
            self.actor = actor
            self.shell.renewed(self.shell.token, actor)
            self._apply_permissions()
        if self._idle_follows_setting and minutes * 60_000 != self.idle.interval_ms:
            self.idle.set_interval(minutes * 60_000)
            self.shell.notify(
                self.tr("The idle lock is now {n} minutes (changed by an administrator).").format(
                    n=minutes
                )
            )

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
        """End the session and go back to the login dialog (asking first if work is unsaved)."""
        if not self._ended and self._unsaved_confirmed(quitting=False):
            self._end_session()
            self._end("")

    def quit(self) -> None:
        """Sign out and close Desk (asking first if work is unsaved)."""
        if not self._ended and self._unsaved_confirmed(quitting=True):
            self._end_session()
            self._end("", quitting=True)

    def _unsaved_confirmed(self, quitting: bool) -> bool:
        """True to go on now; else a question about the unsaved work opens (it goes on after)."""
        lost = self.shell.unsaved()
        if not lost or self.unsaved_question is not None:
            return not lost
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Unsaved work"),
            self.tr("This is not saved and would be lost:\n{lost}").format(
                lost="\n".join(f"• {item}" for item in lost)
            ),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("unsavedQuestion")
        go = box.addButton(
            self.tr("Quit anyway") if quitting else self.tr("Sign out anyway"),
            QMessageBox.ButtonRole.DestructiveRole,
        )
        stay = box.addButton(self.tr("Keep working"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def answered() -> None:
            self.unsaved_question = None
            if box.clickedButton() is go and not self._ended:
                self._end_session()
                self._end("", quitting=quitting)

        box.finished.connect(lambda _result: answered())
        self.unsaved_question = box
        box.open()
        return False

    def _end(self, message: str, quitting: bool = False) -> None:
        """Stop everything this window runs; then ask to quit or to show the login dialog."""
        if self._ended:
            return
        self._ended = True
        self.shell.close_session()
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
        """Closing the window signs out and quits (unless the person keeps unsaved work)."""
        self.quit()
        if self._ended:
            event.accept()
        else:
            event.ignore()

    # locking ------------------------------------------------------------------------------

    def lock(self) -> None:
        """Lock the session now (Ctrl+L, or after the idle interval) and cover the window."""
        if self._ended or self.locked:
            return
        self._cover()  # at once: the screen is covered before the lock is recorded
        token, recorded = self.token, threading.Event()
        self._lock_recorded = recorded

        def record() -> None:
            try:
                self.desk.signin.lock(token)
            finally:
                recorded.set()

        ChangeOp(self.shell, record).run()

    def _cover(self, _message: str = "") -> None:
        """Hide everything readable behind the lock overlay (nothing is closed or lost)."""
        if self._ended or self.locked:
            return
        self.idle.stop()
        self.shell.set_locked(True)
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
        token, recorded = self.token, self._lock_recorded

        def reauthenticate() -> str:
            recorded.wait(10)  # an unlock never overtakes the lock it undoes
            return self.desk.signin.reauthenticate(token, password, code)

        self.worker.run(
            reauthenticate,
            self._unlocked,
            self._unlock_failed,
            context=self,
        )

    def _unlocked(self, token: str) -> None:
        self.token = token
        self.overlay.set_busy(False)
        QueryOp(self.shell, lambda: self.desk.signin.authorize(token)).success(
            lambda actor: self._uncover(token, actor)
        ).run()

    def _uncover(self, token: str, actor: Actor) -> None:
        self.actor = actor
        self.shell.renewed(token, actor)
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
        self.shell.set_locked(False)
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
        token = self.token
        QueryOp(self.shell, lambda: self.desk.audit.signin_activity(token)).success(
            self._show_signin_activity
        ).run()

    def _show_signin_activity(self, entries: list[AuditView]) -> None:
        if self.activity_dialog is None:
            self.activity_dialog = SigninActivityDialog(self)
            self.activity_dialog.refresh_requested.connect(self._refresh_signin_activity)
        self.activity_dialog.set_entries(entries)
        self.activity_dialog.show()
        self.activity_dialog.raise_()
        self.activity_dialog.activateWindow()

    def _refresh_signin_activity(self) -> None:
        token = self.token
        QueryOp(self.shell, lambda: self.desk.audit.signin_activity(token)).success(
            self._refill_signin_activity
        ).run()

    def _refill_signin_activity(self, entries: list[AuditView]) -> None:
        if self.activity_dialog is not None:
            self.activity_dialog.set_entries(entries)

    def open_template_picker(self, case_id: int, preselect: str | None = None) -> object:
        """Open the template picker on a case (``preselect``: a template key, 'call-999-now')."""
        return self.replies.open_picker(case_id, preselect)
