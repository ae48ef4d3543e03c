"""File → My devices…, Admin → Sessions… and Supervisor → Leaver review…, and their calls.

Every call runs off the GUI thread as an operation. Supervisors are reminded by a to-do notice
(it stays until they press Done) when a leaver under investigation waits for review; a
poller asks every few minutes, and the menu item counts the reviews waiting.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from desk.core.errors import DeskError
from desk.core.roles import Action
from desk.gui.devices_dialog import DevicesDialog
from desk.gui.formatting import local_time
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.leaver_review_dialog import LeaverReviewDialog
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.poller import Poller
from desk.gui.shell import Shell
from desk.services.devices import SessionView
from desk.services.leavers import PendingReview

REMINDER_MS = 5 * 60_000


class DevicesMenu(QObject):
    """The devices and leaver review menu items, their dialogs and the review reminder."""

    def __init__(self, shell: Shell, ui: Ui_MainWindow, interval_ms: int = REMINDER_MS) -> None:
        super().__init__(shell)
        self.shell = shell
        self.desk = shell.desk
        self.devices_dialog: DevicesDialog | None = None
        self.review_dialog: LeaverReviewDialog | None = None
        self.pending: list[PendingReview] = []
        self._reminded: set[int] = set()

        self.action_devices = QAction(self.tr("My &devices…"), shell.window)
        self.action_devices.setObjectName("actionMyDevices")
        self.action_devices.setStatusTip(
            self.tr("Where you are signed in; sign out a device you do not use.")
        )
        self.action_sessions = QAction(self.tr("&Sessions…"), shell.window)
        self.action_sessions.setObjectName("actionSessions")
        self.action_sessions.setStatusTip(self.tr("Everyone signed in now; sign a session out."))
        self.action_leavers = QAction(self.tr("&Leaver review…"), shell.window)
        self.action_leavers.setObjectName("actionLeaverReview")
        self.action_leavers.setStatusTip(
            self.tr("A leaver's last 30 days of actions, and recording the review.")
        )
        self._leavers_text = self.action_leavers.text()
        ui.menuFile.insertAction(ui.actionSignOut, self.action_devices)
        ui.menuAdmin.addAction(self.action_sessions)
        ui.menuSupervisor.addAction(self.action_leavers)
        self.action_devices.triggered.connect(lambda: self.open_devices(everyone=False))
        self.action_sessions.triggered.connect(lambda: self.open_devices(everyone=True))
        self.action_leavers.triggered.connect(lambda: self.open_leaver_review())
        shell.guard(self.action_sessions, Action.MANAGE_SESSIONS)
        shell.guard(self.action_leavers, Action.REVIEW_LEAVERS)

        desk = self.desk
        self.poller = Poller(
            shell,
            f"leaver reviews {id(self)}",
            interval_ms,
            lambda: desk.leavers.pending_reviews(shell.token),
            self._pending_arrived,
            when=lambda: shell.can(Action.RECORD_LEAVER_REVIEW),
        )
        self.poller.start(now=shell.can(Action.RECORD_LEAVER_REVIEW))

    # devices ----------------------------------------------------------------------------------

    def open_devices(self, everyone: bool = False) -> DevicesDialog:
        """Show my devices (or, for an administrator, everyone's sessions)."""
        dialog = DevicesDialog(everyone, self.shell.window)
        dialog.refresh_requested.connect(self.refresh_devices)
        dialog.sign_out_requested.connect(self.sign_out_device)
        dialog.finished.connect(lambda _result: self._devices_closed(dialog))
        self.devices_dialog = dialog
        self.shell.open_dialog(dialog, "sessionsDialog" if everyone else "myDevicesDialog")
        self.refresh_devices()
        return dialog

    def _devices_closed(self, dialog: DevicesDialog) -> None:
        if self.devices_dialog is dialog:
            self.devices_dialog = None

    def refresh_devices(self, then: str = "") -> None:
        """Read the sessions again for the open dialog (and say ``then`` under them)."""
        dialog = self.devices_dialog
        if dialog is None:
            return
        desk, token = self.desk, self.shell.token
        if dialog.everyone:
            op = QueryOp(self.shell, lambda: desk.devices.list_sessions(token))
        else:
            op = QueryOp(self.shell, lambda: desk.devices.mine(token))
        op.success(lambda rows: self._show_sessions(dialog, rows, then)).run()

    def _show_sessions(self, dialog: DevicesDialog, rows: list[SessionView], then: str) -> None:
        if self.devices_dialog is dialog:
            dialog.set_sessions(rows)
            if then:
                dialog.say(then)

    def sign_out_device(self, session_id: int) -> None:
        """Sign out session ``session_id`` (the service checks it may be)."""
        desk, token = self.desk, self.shell.token
        dialog = self.devices_dialog

        def done(view: SessionView) -> str:
            where = view.workstation or self.tr("an unrecorded workstation")
            return self.tr("Signed out {username}'s session on {where}.").format(
                username=view.username, where=where
            )

        def refused(error: DeskError) -> None:
            if dialog is not None and self.devices_dialog is dialog:
                dialog.say(error.message)
            else:
                self.shell.handle(error)

        def after(view: SessionView) -> None:
            if dialog is not None and self.devices_dialog is dialog:
                self.refresh_devices(then=done(view))

        ChangeOp(self.shell, lambda: desk.devices.sign_out_session(token, session_id)).done(
            done
        ).success(after).failure(refused).run()

    # leaver reviews ---------------------------------------------------------------------------

    def open_leaver_review(self, username: str | None = None) -> LeaverReviewDialog:
        """Show the leaver reviews waiting (and ``username``'s review, if named)."""
        dialog = LeaverReviewDialog(self.shell.can(Action.RECORD_LEAVER_REVIEW), self.shell.window)
        dialog.refresh_requested.connect(self.refresh_pending)
        dialog.show_requested.connect(self.show_review)
        dialog.record_requested.connect(self.record_review)
        dialog.exported.connect(
            lambda path: self.shell.notify(
                self.tr("Leaver review exported to {path}.").format(path=path)
            )
        )
        dialog.finished.connect(lambda _result: self._review_closed(dialog))
        self.review_dialog = dialog
        self.shell.open_dialog(dialog, "leaverReviewDialog")
        dialog.set_pending(self.pending)
        self.refresh_pending()
        if username:
            self.show_review(username)
        return dialog

    def _review_closed(self, dialog: LeaverReviewDialog) -> None:
        if self.review_dialog is dialog:
            self.review_dialog = None

    def refresh_pending(self) -> None:
        """Read the reviews waiting again (for the dialog and the menu item's count)."""
        desk, token = self.desk, self.shell.token
        QueryOp(self.shell, lambda: desk.leavers.pending_reviews(token)).success(
            self._pending_arrived
        ).run()

    def show_review(self, username: str, then: str = "") -> None:
        """Read ``username``'s review into the dialog (a refusal shows inside it)."""
        dialog = self.review_dialog
        if dialog is None:
            return
        desk, token = self.desk, self.shell.token
        QueryOp(self.shell, lambda: desk.leavers.leaver_review(token, username)).success(
            lambda view: dialog.set_review(view, then) if self.review_dialog is dialog else None
        ).failure(lambda error: dialog.refuse(error.message)).run()

    def record_review(self, username: str, note: str) -> None:
        """Record the review of ``username`` as done by this supervisor."""
        dialog = self.review_dialog
        desk, token = self.desk, self.shell.token

        def after(row: PendingReview) -> None:
            self.refresh_pending()
            if dialog is not None and self.review_dialog is dialog:
                self.show_review(row.username, then=dialog.recorded(row.username))

        ChangeOp(self.shell, lambda: desk.leavers.record_reviewed(token, username, note)).done(
            lambda row: self.tr("Recorded your review of {username}'s last 30 days.").format(
                username=row.username
            )
        ).success(after).failure(
            lambda error: dialog.refuse(error.message) if dialog is not None else None
        ).run()

    def _pending_arrived(self, rows: list[PendingReview]) -> None:
        self.pending = list(rows)
        if self.review_dialog is not None:
            self.review_dialog.set_pending(self.pending)
        text = self._leavers_text
        if rows:
            text = self.tr("{text} ({n} waiting)").format(text=text, n=len(rows))
        self.action_leavers.setText(text)
        if not self.shell.can(Action.RECORD_LEAVER_REVIEW):
            return
        for row in rows:
            if row.id in self._reminded:
                continue
            self._reminded.add(row.id)
            self.shell.notify(
                self.tr(
                    "Leaver review waiting: {name} ({username}), disabled {when} under "
                    "investigation. Open Supervisor → Leaver review…"
                ).format(
                    name=row.display_name,
                    username=row.username,
                    when=local_time(row.disabled_at),
                ),
                to_do=True,
            )
