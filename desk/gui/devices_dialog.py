"""File → My devices… and Admin → Sessions…: where people are signed in, and signing one out.

A person sees their own active sessions (this window marked) and signs any other one out; an
administrator sees everyone's. The dialog only shows and asks: the calls are the menu's
(:mod:`desk.gui.devices_menu`), and the service decides who may end what.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desk.gui.formatting import local_time
from desk.gui.plain_text import plain_tip
from desk.gui.screen_fit import fit_to_screen
from desk.gui.table_rows import fill_rows
from desk.services.devices import SessionView

_CONTEXT = "DevicesDialog"

COL_PERSON, COL_KIND, COL_WORKSTATION, COL_STARTED, COL_LAST_USED, COL_THIS = range(6)
HEADERS = (
    "Person",
    "Where",
    "Workstation",
    "Signed in",
    "Last used",
    "This one",
)  # translated when shown


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def kind_text(view: SessionView) -> str:
    """Say where a session is: the window or the command line, and whether it is locked."""
    text = _tr("Desk window") if view.kind == "gui" else _tr("Command line (desk-admin)")
    return _tr("{kind}, locked").format(kind=text) if view.locked else text


def cells(view: SessionView) -> tuple[str, ...]:
    """Return one session's cells, in column order."""
    return (
        f"{view.display_name} ({view.username})",
        kind_text(view),
        view.workstation or _tr("not recorded"),
        local_time(view.created_at),
        local_time(view.last_used_at),
        _tr("this session") if view.current else "",
    )


class DevicesDialog(QDialog):
    """A list of active sessions with Sign out, Refresh and Close."""

    refresh_requested = Signal()
    sign_out_requested = Signal(int)  # the session's number

    def __init__(self, everyone: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.everyone = everyone
        self.sessions: list[SessionView] = []
        self.setWindowTitle(self.tr("Sessions") if everyone else self.tr("My devices"))
        intro = QLabel(
            self.tr(
                "Everyone signed in now, in a Desk window or with desk-admin. Signing a "
                "session out sends its window back to the sign-in screen and says who did it."
            )
            if everyone
            else self.tr(
                "Where you are signed in now: this window and any other Desk window or "
                "desk-admin session. Sign out any you do not recognise or no longer use."
            ),
            self,
        )
        intro.setObjectName("devicesIntroLabel")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("devicesTable")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setColumnHidden(COL_PERSON, not everyone)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the widest column takes the spare width (its tooltip has it whole when short of room)
        header.setSectionResizeMode(
            COL_PERSON if everyone else COL_WORKSTATION, QHeaderView.ResizeMode.Stretch
        )
        header.setStretchLastSection(False)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("devicesStatusLabel")
        self.status_label.setWordWrap(True)
        self.sign_out_button = QPushButton(self.tr("&Sign out selected"), self)
        self.sign_out_button.setObjectName("signOutDeviceButton")
        self.sign_out_button.setToolTip(
            self.tr("Sign out the selected session (not this one: use File → Sign out).")
        )
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setObjectName("devicesRefreshButton")
        for button in (self.sign_out_button, self.refresh_button):
            button.setAutoDefault(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.sign_out_button)
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(row)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.sign_out_button.clicked.connect(self._sign_out)
        self.refresh_button.clicked.connect(self.refresh_requested)
        self._selection_changed()
        fit_to_screen(self, 1180 if everyone else 860, 460)

    def set_sessions(self, sessions: list[SessionView]) -> None:
        """Show ``sessions`` (newest use first), keeping the selected one selected."""
        keep = self.selected()
        self.sessions = list(sessions)
        fill_rows(self.table, [cells(v) for v in self.sessions])
        for number, view in enumerate(self.sessions):
            for column in range(len(HEADERS)):
                item = self.table.item(number, column)
                if item is not None:
                    item.setToolTip(plain_tip(item.text()) or "")
            if keep is not None and view.id == keep.id:
                self.table.selectRow(number)
        people = len({v.username for v in self.sessions})
        if self.everyone:
            text = self.tr("{n} sessions of {people} people.").format(
                n=len(self.sessions), people=people
            )
        elif len(self.sessions) == 1:
            text = self.tr("You are signed in once.")
        else:
            text = self.tr("You are signed in {n} times.").format(n=len(self.sessions))
        self.status_label.setText(text)
        self._selection_changed()

    def selected(self) -> SessionView | None:
        """The session selected, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.sessions):
            return None
        return self.sessions[rows[0].row()]

    def select(self, session_id: int) -> bool:
        """Select session ``session_id``; tell whether it is listed."""
        for number, view in enumerate(self.sessions):
            if view.id == session_id:
                self.table.selectRow(number)
                return True
        return False

    def _selection_changed(self) -> None:
        view = self.selected()
        self.sign_out_button.setEnabled(view is not None and not view.current)

    def _sign_out(self) -> None:
        view = self.selected()
        if view is not None and not view.current:
            self.sign_out_requested.emit(view.id)

    def say(self, text: str) -> None:
        """Show what happened (a sign-out done, or why it was refused) under the list."""
        self.status_label.setText(text)
