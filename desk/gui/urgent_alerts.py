"""A new P1 while the operator works elsewhere: a desktop notification and, if set, a sound.

Every few seconds a poll reads the P1 cases still new. One not seen before is announced: in the
status bar always, and when Desk is not the active window (the operator is in a browser, or
Desk is minimised) also as a desktop notification from the system tray (or, with no tray, the
taskbar's attention flash) and a beep when the ``new_p1_sound`` setting is on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from desk.core.cases import CaseStatus
from desk.core.queue_filter import QueueFilter
from desk.gui.labels import platform_label, risk_words
from desk.gui.poller import Poller
from desk.gui.shell import Shell
from desk.gui.theme import app_icon

log = logging.getLogger(__name__)

POLL_MS = 10_000
NEW_P1 = QueueFilter(priorities=frozenset({1}), statuses=frozenset({CaseStatus.NEW.value}))
# show(title, text): a tray notification, or a stand-in in tests
Show = Callable[[str, str], None]


class UrgentAlerts(QObject):
    """Announces each new P1 case once, loudly when Desk is not in front."""

    def __init__(
        self,
        shell: Shell,
        interval_ms: int = POLL_MS,
        show: Show | None = None,
        tray_available: bool | None = None,
        beep: Callable[[], None] = QApplication.beep,
    ) -> None:
        super().__init__(shell)
        self._shell = shell
        self._seen: set[int] | None = None  # None until the first poll: those are not news
        self.beep = beep
        self.tray: QSystemTrayIcon | None = None
        self.shown: list[tuple[str, str]] = []
        if tray_available is None:
            tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        if show is None and tray_available:
            self.tray = QSystemTrayIcon(app_icon(), self)
            self.tray.setToolTip(self.tr("Desk"))
            self.tray.show()
            show = self._tray_message
        self.show_notification = show
        desk = shell.desk
        self.poller = Poller(
            shell,
            "new P1",
            interval_ms,
            lambda: (
                desk.queue.page(shell.token, NEW_P1, limit=50),
                bool(desk.settings.get("new_p1_sound")),
            ),
            self._arrived,
        )
        shell.closing.connect(self._closing)
        self.poller.start()

    def _tray_message(self, title: str, text: str) -> None:
        assert self.tray is not None
        self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Critical, 30_000)

    def _closing(self) -> None:
        if self.tray is not None:
            self.tray.hide()

    def _arrived(self, answer: tuple[list[Any], bool]) -> None:
        rows, sound = answer
        if self._seen is None:  # what was waiting at sign-in is in the queue already
            self._seen = {row.case_id for row in rows}
            return
        fresh = [row for row in rows if row.case_id not in self._seen]
        self._seen |= {row.case_id for row in fresh}
        if not fresh:
            return
        if len(fresh) == 1:
            row = fresh[0]
            text = self.tr("New P1, case #{id}: {risk} on {platform}.").format(
                id=row.case_id,
                risk=risk_words(row.risk) or self.tr("urgent"),
                platform=platform_label(row.platform),
            )
        else:
            text = self.tr("{n} new P1 cases: #{ids}.").format(
                n=len(fresh), ids=", #".join(str(r.case_id) for r in fresh)
            )
        self._shell.notify(text, warning=True)
        window = self._shell.window
        if window.isActiveWindow() and not window.isMinimized():
            return  # the operator is looking at the queue: the notice and the row say it
        log.info("new P1 announced: %d case(s)", len(fresh))
        self.shown.append((self.tr("Desk: new P1"), text))
        if self.show_notification is not None:
            self.show_notification(self.tr("Desk: new P1"), text)
        QApplication.alert(window)  # the taskbar asks for attention until Desk is looked at
        if sound:
            self.beep()
