"""Supervisor → Leaver review…: a leaver's last 30 days of actions, and recording the review.

Leavers under a professional standards investigation wait in the list at the top until a
supervisor records their review; any other leaver can be looked up by username. The dialog
only shows and asks: the calls are the menu's (:mod:`desk.gui.devices_menu`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desk.core.csv_safety import write_csv
from desk.core.leavers import COLUMNS
from desk.gui.formatting import audit_time, local_time
from desk.gui.pdf_export import choose_save_path
from desk.gui.screen_fit import fit_to_screen
from desk.gui.table_rows import fill_rows
from desk.services.leavers import LeaverReviewView, PendingReview

_CONTEXT = "LeaverReviewDialog"

COL_TIME, COL_ACTION, COL_OBJECT, COL_CASE = range(4)
HEADERS = ("Time", "Action", "On", "Case")  # translated when shown


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def pending_text(row: PendingReview) -> str:
    """Say who waits for review, since when and who disabled them."""
    return _tr("{name} ({username}): disabled {when} by {by}").format(
        name=row.display_name,
        username=row.username,
        when=local_time(row.disabled_at),
        by=row.disabled_by,
    )


def summary_text(view: LeaverReviewView) -> str:
    """Say whose actions are listed, for which period, and where the review stands."""
    text = _tr("{name} ({username}): {n} actions from {since} until disabled at {until}.").format(
        name=view.display_name,
        username=view.username,
        n=len(view.actions),
        since=local_time(view.since),
        until=local_time(view.disabled_at),
    )
    if view.reviewed_at is not None:
        text += " " + _tr("Reviewed by {who} at {when}.").format(
            who=view.reviewed_by, when=local_time(view.reviewed_at)
        )
        if view.note:
            text += " " + _tr("Note: {note}").format(note=view.note)
    elif view.review_id is not None:
        text += " " + _tr("Left under investigation: waiting for a supervisor's review.")
    else:
        text += " " + _tr("Not left under investigation: no review to record.")
    if not view.complete:
        text += " " + _tr("Only the newest {n} are listed.").format(n=len(view.actions))
    return text


def write_review_csv(path: Path, view: LeaverReviewView) -> None:
    """Write the review to ``path`` as marked, formula-safe UTF-8 CSV (times in UTC)."""
    rows = ((a.at, a.action, a.object, a.case_id or "") for a in view.actions)
    with path.open("w", encoding="utf-8", newline="") as out:
        write_csv(out, COLUMNS, rows, view.marking)


class LeaverReviewDialog(QDialog):
    """The reviews waiting, a leaver's actions, Export CSV… and Record reviewed."""

    show_requested = Signal(str)  # a username
    record_requested = Signal(str, str)  # username, note
    refresh_requested = Signal()
    exported = Signal(str)  # the file written

    def __init__(self, can_record: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Leaver review"))
        self.can_record = can_record
        self.view: LeaverReviewView | None = None
        intro = QLabel(
            self.tr(
                "A leaver disabled under a professional standards investigation waits here "
                "until a supervisor reads their last 30 days of actions and records the review. "
                "Any other leaver can be looked up by username."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.waiting_label = QLabel(self)
        self.waiting_label.setObjectName("leaverWaitingLabel")
        self.waiting_label.setWordWrap(True)
        self.waiting_list = QListWidget(self)
        self.waiting_list.setObjectName("leaverWaitingList")
        self.waiting_list.setMaximumHeight(96)
        self.username_edit = QLineEdit(self)
        self.username_edit.setObjectName("leaverUsernameEdit")
        self.username_edit.setPlaceholderText(self.tr("Username of a leaver"))
        self.show_button = QPushButton(self.tr("S&how"), self)
        self.show_button.setObjectName("leaverShowButton")
        self.summary_label = QLabel(self.tr("Choose a leaver to see their actions."), self)
        self.summary_label.setObjectName("leaverSummaryLabel")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("leaverActionsTable")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_OBJECT, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.note_edit = QLineEdit(self)
        self.note_edit.setObjectName("leaverNoteEdit")
        self.note_edit.setPlaceholderText(self.tr("What was found or done (optional)"))
        self.note_edit.setMaxLength(2000)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("leaverMessageLabel")
        self.message_label.setWordWrap(True)
        self.record_button = QPushButton(self.tr("&Record reviewed"), self)
        self.record_button.setObjectName("leaverRecordButton")
        self.record_button.setToolTip(
            self.tr("Record that you read these actions (supervisors); the reminder then stops.")
        )
        self.export_button = QPushButton(self.tr("&Export CSV…"), self)
        self.export_button.setObjectName("leaverExportButton")
        self.refresh_button = QPushButton(self.tr("Re&fresh"), self)
        self.refresh_button.setObjectName("leaverRefreshButton")
        for button in (
            self.show_button,
            self.record_button,
            self.export_button,
            self.refresh_button,
        ):
            button.setAutoDefault(False)
        self.record_button.setVisible(can_record)
        self.note_edit.setVisible(can_record)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        look_up = QHBoxLayout()
        look_up.addWidget(self.username_edit, 1)
        look_up.addWidget(self.show_button)
        look_up.addWidget(self.refresh_button)
        actions = QHBoxLayout()
        actions.addWidget(self.record_button)
        actions.addWidget(self.export_button)
        actions.addStretch(1)
        actions.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.waiting_label)
        layout.addWidget(self.waiting_list)
        layout.addLayout(look_up)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.message_label)
        layout.addLayout(actions)

        self.waiting_list.itemActivated.connect(self._pick)
        self.waiting_list.itemClicked.connect(self._pick)
        self.show_button.clicked.connect(self._show_typed)
        self.username_edit.returnPressed.connect(self._show_typed)
        self.record_button.clicked.connect(self._record)
        self.export_button.clicked.connect(self._ask_export)
        self.refresh_button.clicked.connect(self.refresh_requested)
        self._update_buttons()
        fit_to_screen(self, 1040, 640)

    # what the menu hands over ---------------------------------------------------------------

    def set_pending(self, rows: list[PendingReview]) -> None:
        """List the leavers whose review waits."""
        self.waiting_list.clear()
        for row in rows:
            item = QListWidgetItem(pending_text(row), self.waiting_list)
            item.setData(Qt.ItemDataRole.UserRole, row.username)
        if not rows:
            text = self.tr("No leaver review is waiting.")
        elif len(rows) == 1:
            text = self.tr("1 leaver review waits for a supervisor:")
        else:
            text = self.tr("{n} leaver reviews wait for a supervisor:").format(n=len(rows))
        self.waiting_label.setText(text)
        self.waiting_list.setVisible(bool(rows))

    def set_review(self, view: LeaverReviewView, message: str = "") -> None:
        """Show a leaver's actions, oldest first (and ``message`` under them)."""
        self.view = view
        self.username_edit.setText(view.username)
        self.summary_label.setText(summary_text(view))
        fill_rows(
            self.table,
            [
                (
                    audit_time(a.at),
                    a.action,
                    a.object,
                    f"#{a.case_id}" if a.case_id else "",
                )
                for a in view.actions
            ],
        )
        self.message_label.setText(message)
        self._update_buttons()

    def refuse(self, message: str) -> None:
        """Show why a look-up or the record was refused, keeping what was typed."""
        self.message_label.setText(message)

    def recorded(self, username: str) -> str:
        """Clear the note after a review was recorded; return what to say about it."""
        self.note_edit.clear()
        text = self.tr("Recorded your review of {username}.").format(username=username)
        self.message_label.setText(text)
        return text

    # asking -----------------------------------------------------------------------------------

    def _pick(self, item: QListWidgetItem) -> None:
        self.show_requested.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def _show_typed(self) -> None:
        name = self.username_edit.text().strip()
        if not name:
            self.refuse(self.tr("Type the leaver's username first."))
            return
        self.show_requested.emit(name)

    def _record(self) -> None:
        if self.view is not None:
            self.record_requested.emit(self.view.username, self.note_edit.text())

    def _update_buttons(self) -> None:
        view = self.view
        self.export_button.setEnabled(view is not None)
        waiting = view is not None and view.review_id is not None and view.reviewed_at is None
        self.record_button.setEnabled(self.can_record and waiting)
        self.note_edit.setEnabled(self.can_record and waiting)

    def _ask_export(self) -> None:
        if self.view is None:
            return
        path = choose_save_path(
            self,
            self.tr("Export the leaver review"),
            f"leaver-review-{self.view.username}.csv",
            self.tr("CSV files (*.csv)"),
            suffix=".csv",
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the shown review to ``path`` as marked CSV."""
        if self.view is None:
            return
        try:
            write_review_csv(path, self.view)
        except OSError as exc:
            self.refuse(
                self.tr("The review was not exported: {problem}").format(
                    problem=exc.strerror or str(exc)
                )
            )
            return
        self.message_label.setText(self.tr("Exported to {path}").format(path=str(path)))
        self.exported.emit(str(path))
