"""Sign-in alerts for supervisors and administrators: lock-outs and repeated failures.

Every 30 seconds a poller asks, off the GUI thread, for the sign-in alerts recorded since the
last one seen. New ones become a desktop notification from the system tray; where there is no
tray (some desktops, the offscreen platform), they go to the status bar and the Sign-in
activity action shows how many are new until it is opened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QSystemTrayIcon

from desk.core.roles import Action
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.poller import Poller
from desk.gui.shell import Shell
from desk.gui.theme import app_icon
from desk.services.people import AlertBatch, SignInAlert

log = logging.getLogger(__name__)

POLL_MS = 30_000
# show(title, text): a tray notification, or a stand-in in tests
Show = Callable[[str, str], None]


def _tr(text: str) -> str:
    return QCoreApplication.translate("SigninAlerts", text)


def alert_text(alert: SignInAlert) -> str:
    """Put one alert into words for a notification."""
    if alert.kind == "lock":
        return _tr("{username} is locked out after {n} failed sign-ins.").format(
            username=alert.username, n=alert.failures
        )
    if alert.kind == "alert":
        return _tr("{username} signed in after {n} failed attempts.").format(
            username=alert.username, n=alert.failures
        )
    return _tr("{username}: {n} failed sign-ins in a row.").format(
        username=alert.username, n=alert.failures
    )


def batch_text(batch: AlertBatch) -> tuple[str, str]:
    """Return a notification's title and text for the new alerts of ``batch``."""
    alerts = batch.alerts
    locks = sum(1 for a in alerts if a.kind == "lock")
    title = _tr("Desk: account locked") if locks else _tr("Desk: sign-in failures")
    lines = [alert_text(a) for a in alerts[:3]]
    hidden = len(alerts) - len(lines) + batch.more
    if hidden:
        lines.append(_tr("…and {n} more: see Supervisor → Sign-in activity.").format(n=hidden))
    return title, "\n".join(lines)


class SigninAlerts(QObject):
    """Polls for sign-in alerts and shows them (tray, or status bar and a badge)."""

    def __init__(
        self,
        shell: Shell,
        ui: Ui_MainWindow,
        open_activity: Callable[[], object] | None = None,
        interval_ms: int = POLL_MS,
        show: Show | None = None,
        tray_available: bool | None = None,
    ) -> None:
        super().__init__(shell)
        self.shell = shell
        self.desk = shell.desk
        self.last_seq: int | None = None
        self.unseen = 0
        self.shown: list[tuple[str, str]] = []  # what was shown, newest last
        self._action = ui.actionSigninActivity
        self._action_text = self._action.text()
        self.tray: QSystemTrayIcon | None = None
        self.active = shell.can(Action.VIEW_SIGNIN_ACTIVITY)
        if tray_available is None:
            tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        if show is None and tray_available and self.active:
            self.tray = QSystemTrayIcon(app_icon(), self)
            self.tray.setToolTip(_tr("Desk"))
            if open_activity is not None:
                self.tray.messageClicked.connect(open_activity)
            self.tray.show()
            show = self._tray_message
        self._show = show
        self._action.triggered.connect(self.clear_badge)
        shell.closing.connect(self.stop)
        desk = self.desk
        self.poller = Poller(
            shell,
            f"sign-in alerts {id(self)}",
            interval_ms,
            lambda: desk.people.signin_alerts(shell.token, self.last_seq),
            self._arrived,
            when=lambda: self.active,
        )
        if self.active:
            # the first read finds where the audit is now: alerts are about what happens next
            self.poller.start()

    @property
    def uses_tray(self) -> bool:
        """Tell whether alerts are desktop notifications (else the status bar and a badge)."""
        return self._show is not None

    def _tray_message(self, title: str, text: str) -> None:
        assert self.tray is not None
        self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, 15_000)

    def stop(self, *_args: object) -> None:
        """Stop polling and take the tray icon away."""
        self.poller.stop()
        if self.tray is not None:
            self.tray.hide()

    def poll(self) -> bool:
        """Ask for alerts since the last one seen now (off the GUI thread); False if skipped."""
        return self.poller.poll()

    def _arrived(self, batch: AlertBatch) -> None:
        first = self.last_seq is None
        self.last_seq = batch.last_seq
        if first or not batch.alerts:
            return
        title, text = batch_text(batch)
        self.shown.append((title, text))
        log.info("sign-in alert shown: %d new", len(batch.alerts))
        if self._show is not None:
            self._show(title, text)
            return
        self.unseen += len(batch.alerts) + batch.more
        self.shell.notify(
            _tr("Sign-in alert: {text}").format(text=text.replace("\n", " ")), warning=True
        )
        self._action.setText(_tr("{text} ({n} new)").format(text=self._action_text, n=self.unseen))

    def clear_badge(self) -> None:
        """The person looked at sign-in activity: no alert is new any more."""
        self.unseen = 0
        self._action.setText(self._action_text)
