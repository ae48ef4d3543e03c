"""File → Back up now…, and the scheduled backup the window makes when one is due.

Back up now… asks where (the profile's backups folder by default), then copies the whole desk
off the GUI thread with a progress dialog that can cancel it (nothing is left behind). The
scheduled backup is checked every few minutes (single-flight) whoever is signed in, and also
while the window is locked (a desk left locked overnight is still backed up): the desk makes
it, not the person (docs/backup.md). Restoring is done with ``desk-admin restore`` with the
window closed: it replaces the whole desk, which no open window can do safely.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from desk.core.backup_schedule import manual_name
from desk.core.errors import DeskError
from desk.core.roles import Action
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.operations import QueryOp
from desk.gui.shell import Shell
from desk.services.backup import BackupCancelled, BackupMade

DUE_CHECK_MS = 10 * 60_000  # a due scheduled backup is made within ten minutes
_STEPS = 1000
_SCHEDULED = "scheduled backup"


class _Progress(QObject):
    """Carries the copy's progress from the worker thread to the dialog (queued)."""

    moved = Signal(int, int)


class BackupActions(QObject):
    """File → Back up now… for those who may, and the window's scheduled backups."""

    finished = Signal(object)  # the BackupMade, or None when cancelled or refused

    def __init__(self, shell: Shell, ui: Ui_MainWindow, due_check_ms: int = DUE_CHECK_MS) -> None:
        super().__init__(shell)
        self.shell = shell
        self.dialog: QProgressDialog | None = None
        self._cancel = threading.Event()
        self._progress = _Progress(self)
        self._progress.moved.connect(self._moved)
        self.action = QAction(self.tr("&Back up now…"), shell.window)
        self.action.setObjectName("actionBackUpNow")
        self.action.setStatusTip(
            self.tr("Copy the whole desk to a file while everyone keeps working")
        )
        ui.menuFile.insertAction(ui.actionSignOut, self.action)
        ui.menuFile.insertSeparator(ui.actionSignOut)
        shell.guard(self.action, Action.MAKE_BACKUPS)
        self.action.triggered.connect(self.back_up_now)
        self.scheduled = QTimer(self)
        self.scheduled.setInterval(due_check_ms)
        self.scheduled.timeout.connect(self.check_due)
        shell.closing.connect(self.scheduled.stop)
        self.scheduled.start()

    # by hand ------------------------------------------------------------------------------

    def back_up_now(self) -> None:
        """Ask where, then make the backup with a progress dialog."""
        desk = self.shell.desk
        folder = desk.profile.backup_dir
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        ext = "sqlite3" if desk.ctx.db.is_sqlite else "pgdump"
        suggested = folder / manual_name(self.shell.now(), ext)
        # a window dialog, not the static getSaveFileName, which returns only once answered:
        # the action returns at once and the choice arrives as a signal, so the lock overlay
        # or a closing window can close the dialog like any other
        dialog = QFileDialog(self.shell.window, self.tr("Back up the desk to"), str(suggested))
        dialog.setObjectName("backupFileDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda chosen: self.start(Path(chosen)) if chosen else None)
        dialog.open()

    def start(self, out: Path) -> bool:
        """Back up to ``out`` off the GUI thread; False when a backup is already running."""
        desk, token = self.shell.desk, self.shell.token
        cancel = self._cancel = threading.Event()
        moved = self._progress.moved

        def call() -> BackupMade:
            return desk.backup.make(token, out, progress=moved.emit, cancelled=cancel.is_set)

        op = QueryOp(self.shell, call, key="backup").success(self._done).failure(self._refused)
        if not op.run():
            return False
        dialog = self.dialog = QProgressDialog(
            self.tr("Backing up the desk to {path}…").format(path=out),
            self.tr("Cancel"),
            0,
            _STEPS,
            self.shell.window,
        )
        dialog.setObjectName("backupProgressDialog")
        dialog.setWindowTitle(self.tr("Back up now"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.show()
        return True

    def cancel(self) -> None:
        """Stop the running backup: the partial file is deleted."""
        self._cancel.set()
        if self.dialog is not None:
            self.dialog.setLabelText(self.tr("Stopping the backup…"))

    def _moved(self, done: int, total: int) -> None:
        if self.dialog is not None and total > 0:
            self.dialog.setValue(min(_STEPS, done * _STEPS // total))

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _done(self, made: BackupMade) -> None:
        self._close_dialog()
        self.shell.notify(
            self.tr("Backup written to {path} ({size} MB).").format(
                path=made.path, size=f"{made.size / 1_000_000:,.1f}"
            )
        )
        self.finished.emit(made)

    def _refused(self, exc: DeskError) -> None:
        self._close_dialog()
        if isinstance(exc, BackupCancelled):
            self.shell.notify(self.tr("Backup cancelled: no backup file was left behind."))
        else:
            self.shell.handle(exc)
        self.finished.emit(None)

    # on the schedule -----------------------------------------------------------------------

    def check_due(self) -> bool:
        """Make the scheduled backup on the worker if one is due; False if one is running."""
        if self.shell.ended:
            return False
        desk, who = self.shell.desk, self.shell.actor.username
        op = QueryOp(self.shell, lambda: desk.backup.run_due(window_of=who), key=_SCHEDULED)
        return bool(op.success(self._made).quiet().run())

    def _made(self, made: BackupMade | None) -> None:
        if made is not None:
            self.shell.notify(self.tr("Scheduled backup written to {path}.").format(path=made.path))
