"""Admin → Official accounts…: the register, the open/close requests, reviews, the public list.

Two tabs. The register: every account with every register field (a closed one greyed, an
overdue review in bold and colour and saying OVERDUE, an insecure flag saying "No" in bold),
the selected account's entry in full under the table, and its buttons. The requests: asks to
open or close an account, waiting for communications or decided. The controller that runs
the service calls is :mod:`desk.gui.accounts_menu`; the service decides who may do what.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk.core.account_register import Purpose, RequestState
from desk.gui.account_texts import (
    COL_ADMINS,
    COL_ALERTS,
    COL_DUE,
    COL_PURPOSE,
    COL_TWO_FACTOR,
    HEADERS,
    REQ_STATE,
    REQUEST_HEADERS,
    cells,
    details_text,
    request_cells,
    request_details,
)
from desk.gui.action_buttons import FlowLayout
from desk.gui.plain_text import plain_labels, plain_tip
from desk.gui.screen_fit import fit_to_screen
from desk.gui.table_rows import fill_rows
from desk.services.account_requests import RequestView
from desk.services.official_accounts import RegisterEntry

_CONTEXT = "AccountsWindow"
WARN_COLOUR = QColor("#b00020")  # red: readable on the light and dark palettes' base
CLOSED_COLOUR = QColor("#6b6b6b")
COLUMN_PADDING = 12
MAX_COLUMN = 240  # pixels: a long team or name never pushes the review date out of sight


def _table(parent: QWidget, name: str, headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels([QCoreApplication.translate(_CONTEXT, h) for h in headers])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # a person may widen one
    header.setStretchLastSection(True)
    return table


def fit_columns(table: QTableWidget, widest: int = MAX_COLUMN) -> None:
    """Size each column to its contents, but no column wider than ``widest`` (tooltips say all)."""
    table.resizeColumnsToContents()
    for column in range(table.columnCount()):
        # a little room: the style sheet's bold font measures narrower than it paints
        table.setColumnWidth(column, min(table.columnWidth(column) + COLUMN_PADDING, widest))


def _label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    plain_labels(label)  # handles and names as typed, never HTML
    return label


def _mark(item: QTableWidgetItem, tip: str) -> None:
    font = QFont(item.font())
    font.setBold(True)
    item.setFont(font)
    item.setForeground(QBrush(WARN_COLOUR))
    item.setToolTip(tip)


class AccountsWindow(QDialog):
    """The register and the requests, with their buttons; says what it wants as signals."""

    refresh_requested = Signal()
    add_requested = Signal()
    open_requested = Signal()
    change_requested = Signal(int)
    review_requested = Signal(int)
    close_requested = Signal(int)
    export_requested = Signal()
    approve_requested = Signal(int)
    refuse_requested = Signal(int)

    def __init__(
        self, can_manage: bool, can_approve: bool, can_review: bool, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.can_manage, self.can_approve, self.can_review = can_manage, can_approve, can_review
        self.entries: list[RegisterEntry] = []
        self.requests: list[RequestView] = []
        self.setWindowTitle(self.tr("Official accounts"))
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("accountsTabs")
        register = QWidget(self.tabs)
        intro = _label(register, "accountsIntroLabel")
        intro.setText(
            self.tr(
                "Every official account, who runs it and how it is secured. Accounts open and "
                "close on a request that communications approve; each has a security review "
                "when due. Publish the list of public accounts on the force's website."
            )
        )
        self.show_closed = QCheckBox(self.tr("Show c&losed accounts"), register)
        self.show_closed.setObjectName("accountsShowClosed")
        self.table = _table(register, "accountsTable", HEADERS)
        self.details_label = _label(register, "accountsDetailsLabel")

        def button(parent: QWidget, text: str, name: str, tip: str) -> QPushButton:
            made = QPushButton(text, parent)
            made.setObjectName(name)
            made.setToolTip(tip)
            made.setAutoDefault(False)
            return made

        self.add_button = button(
            register,
            self.tr("&Enter existing…"),
            "accountsAddButton",
            self.tr("Enter an account that already exists on its platform"),
        )
        self.open_button = button(
            register,
            self.tr("Ask to &open…"),
            "accountsOpenButton",
            self.tr("Ask communications to approve a new account"),
        )
        self.change_button = button(
            register,
            self.tr("C&hange…"),
            "accountsChangeButton",
            self.tr("Change the selected account's entry"),
        )
        self.review_button = button(
            register,
            self.tr("Security re&view…"),
            "accountsReviewButton",
            self.tr("Answer the security checklist for the selected account"),
        )
        self.close_button = button(
            register,
            self.tr("Ask to clo&se…"),
            "accountsCloseButton",
            self.tr("Ask communications to approve closing the selected account"),
        )
        self.export_button = button(
            register,
            self.tr("&Public list…"),
            "accountsExportButton",
            self.tr("Save the list of public accounts for the force's website (HTML or CSV)"),
        )
        self.refresh_button = button(
            register, self.tr("Re&fresh"), "accountsRefreshButton", self.tr("Read it again")
        )
        row = QWidget(register)
        flow = FlowLayout(row)
        flow.setContentsMargins(0, 0, 0, 0)
        for made in (
            self.add_button,
            self.open_button,
            self.change_button,
            self.review_button,
            self.close_button,
            self.export_button,
            self.refresh_button,
        ):
            flow.addWidget(made)
        layout = QVBoxLayout(register)
        layout.addWidget(intro)
        layout.addWidget(self.show_closed)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details_label)
        layout.addWidget(row)
        self.tabs.addTab(register, self.tr("&Register"))

        asks = QWidget(self.tabs)
        self.requests_table = _table(asks, "accountRequestsTable", REQUEST_HEADERS)
        self.request_label = _label(asks, "accountRequestLabel")
        self.approve_button = button(
            asks,
            self.tr("&Approve…"),
            "requestApproveButton",
            self.tr("Approve the selected request: the account opens or closes now"),
        )
        self.refuse_button = button(
            asks,
            self.tr("Ref&use…"),
            "requestRefuseButton",
            self.tr("Refuse the selected request, saying why"),
        )
        asks_row = QHBoxLayout()
        asks_row.addWidget(self.approve_button)
        asks_row.addWidget(self.refuse_button)
        asks_row.addStretch(1)
        asks_layout = QVBoxLayout(asks)
        asks_layout.addWidget(self.requests_table, 1)
        asks_layout.addWidget(self.request_label)
        asks_layout.addLayout(asks_row)
        self.tabs.addTab(asks, self.tr("Re&quests"))

        self.status_label = _label(self, "accountsStatusLabel")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        foot = QHBoxLayout()
        foot.addWidget(self.status_label, 1)
        foot.addWidget(close)
        main = QVBoxLayout(self)
        main.addWidget(self.tabs, 1)
        main.addLayout(foot)

        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.requests_table.itemSelectionChanged.connect(self._request_selected)
        self.show_closed.toggled.connect(lambda _on: self.refresh_requested.emit())
        self.add_button.clicked.connect(self.add_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.change_button.clicked.connect(lambda: self._ask(self.change_requested))
        self.review_button.clicked.connect(lambda: self._ask(self.review_requested))
        self.close_button.clicked.connect(lambda: self._ask(self.close_requested))
        self.export_button.clicked.connect(self.export_requested)
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.approve_button.clicked.connect(lambda: self._decide(self.approve_requested))
        self.refuse_button.clicked.connect(lambda: self._decide(self.refuse_requested))
        self.add_button.setEnabled(can_manage)
        self.open_button.setEnabled(can_manage)
        self._selection_changed()
        self._request_selected()
        fit_to_screen(self, 1200, 700)

    # the register ------------------------------------------------------------------------

    def set_register(self, entries: list[RegisterEntry]) -> None:
        """Show ``entries``, keeping the selected account selected."""
        keep = self.selected()
        # the accounts that need something first: an overdue review, then the service's order
        self.entries = sorted(entries, key=lambda e: not (e.active and e.review_overdue))
        rows = fill_rows(self.table, [cells(e) for e in self.entries])
        for number, (entry, items) in enumerate(zip(self.entries, rows, strict=True)):
            for item in items:
                item.setToolTip(plain_tip(item.text()) or "")
                if not entry.active:
                    item.setForeground(QBrush(CLOSED_COLOUR))
            if entry.active:
                if entry.review_overdue:
                    _mark(items[COL_DUE], self.tr("The security review is overdue."))
                for column, flag in (
                    (COL_TWO_FACTOR, entry.two_factor),
                    (COL_ALERTS, entry.login_alerts),
                ):
                    if not flag:
                        _mark(items[column], self.tr("Off: turn it on and record a review."))
                if entry.administrators_disabled:
                    _mark(
                        items[COL_ADMINS],
                        self.tr("A named administrator's Desk account is disabled."),
                    )
                if entry.purpose is Purpose.INVESTIGATIONS:
                    _mark(items[COL_PURPOSE], self.tr("Desk does not import or work its items."))
            if keep is not None and entry.id == keep.id:
                self.table.selectRow(number)
        fit_columns(self.table)
        self.table.resizeRowsToContents()
        active = [e for e in self.entries if e.active]
        late = sum(1 for e in active if e.review_overdue)
        text = self.tr("{n} open accounts.").format(n=len(active))
        if late:
            text += " " + self.tr("{late} overdue for a security review.").format(late=late)
        self.status_label.setText(text)
        self._selection_changed()

    def selected(self) -> RegisterEntry | None:
        """The account selected, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.entries):
            return None
        return self.entries[rows[0].row()]

    def select(self, account_id: int) -> bool:
        """Select account ``account_id``; tell whether it is listed."""
        for number, entry in enumerate(self.entries):
            if entry.id == account_id:
                self.table.selectRow(number)
                self.table.scrollTo(self.table.model().index(number, 0))
                return True
        return False

    def _selection_changed(self) -> None:
        entry = self.selected()
        live = entry is not None and entry.active
        self.change_button.setEnabled(live and self.can_manage)
        self.close_button.setEnabled(live and self.can_manage)
        self.review_button.setEnabled(live and self.can_review)
        self.details_label.setText(details_text(entry) if entry is not None else "")

    def _ask(self, signal: Any) -> None:
        entry = self.selected()
        if entry is not None and entry.active:
            signal.emit(entry.id)

    # the requests ------------------------------------------------------------------------

    def set_requests(self, requests: list[RequestView]) -> None:
        """Show the requests (newest first); the tab says how many wait."""
        keep = self.selected_request()
        self.requests = list(requests)
        rows = fill_rows(self.requests_table, [request_cells(r) for r in self.requests])
        for number, (view, items) in enumerate(zip(self.requests, rows, strict=True)):
            for item in items:
                item.setToolTip(plain_tip(item.text()) or "")
            if view.state is RequestState.PENDING:
                font = QFont(items[REQ_STATE].font())
                font.setBold(True)
                items[REQ_STATE].setFont(font)
            if keep is not None and view.id == keep.id:
                self.requests_table.selectRow(number)
        fit_columns(self.requests_table)
        waiting = sum(1 for r in self.requests if r.state is RequestState.PENDING)
        self.tabs.setTabText(
            1,
            self.tr("Re&quests ({n} waiting)").format(n=waiting)
            if waiting
            else self.tr("Re&quests"),
        )
        self._request_selected()

    def selected_request(self) -> RequestView | None:
        """The request selected, if any."""
        rows = self.requests_table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.requests):
            return None
        return self.requests[rows[0].row()]

    def select_request(self, request_id: int) -> bool:
        """Select request ``request_id``; tell whether it is listed."""
        for number, view in enumerate(self.requests):
            if view.id == request_id:
                self.requests_table.selectRow(number)
                return True
        return False

    def _request_selected(self) -> None:
        view = self.selected_request()
        waiting = view is not None and view.state is RequestState.PENDING
        for made in (self.approve_button, self.refuse_button):
            made.setEnabled(waiting and self.can_approve)
        self.request_label.setText(request_details(view) if view is not None else "")

    def _decide(self, signal: Any) -> None:
        view = self.selected_request()
        if view is not None and view.state is RequestState.PENDING:
            signal.emit(view.id)

    def say(self, text: str) -> None:
        """Show what happened beside the Close button."""
        self.status_label.setText(text)
