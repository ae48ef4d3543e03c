"""Supervisor → Suspected fake accounts…: the register of accounts impersonating the force.

Two tabs. The register: each suspect with what it imitates, when first seen, the report to
its platform (the day and the platform's reference) and the outcome; a report waiting too
long for an outcome says OVERDUE, and the reminders show above the table. The flagged
authors: authors Desk saw whose handle or name looks like an official account, each one key
away from being added as a suspect. A poller reminds communications and supervisors of
reports left without an outcome (:mod:`desk.gui.suspects_menu`, which also runs the calls).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk.core.impersonation import Outcome
from desk.core.shifts import LOCAL
from desk.core.subject_access import local_day
from desk.gui.action_buttons import FlowLayout
from desk.gui.labels import platform_label
from desk.gui.messages import set_message
from desk.gui.plain_text import plain_labels, plain_tip
from desk.gui.screen_fit import fit_to_screen
from desk.gui.table_rows import fill_rows
from desk.services.impersonation import FlaggedAuthor, Reminder, SuspectView

_CONTEXT = "SuspectsWindow"

COL_ID, COL_ACCOUNT, COL_RESEMBLES, COL_SEEN, COL_REPORTED, COL_REFERENCE, COL_OUTCOME = range(7)
HEADERS = ("#", "Account", "Imitates", "First seen", "Reported", "Reference", "Outcome")
FLAG_AUTHOR, FLAG_NAME, FLAG_WHY = range(3)
FLAG_HEADERS = ("Author", "Display name", "Looks like")
WARN_COLOUR = QColor("#b00020")


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def day_text(moment: datetime | None) -> str:
    """The local day of ``moment`` ('' for none)."""
    if moment is None:
        return ""
    day = local_day(moment)
    return f"{day.day} {day:%b %Y}"


def outcome_text(view: SuspectView) -> str:
    """Where the suspect stands: not reported, waiting (OVERDUE), removed, not removed."""
    if view.outcome is Outcome.REMOVED:
        return _tr("Removed {day}").format(day=day_text(view.outcome_at))
    if view.outcome is Outcome.NOT_REMOVED:
        return _tr("Not removed ({day})").format(day=day_text(view.outcome_at))
    if view.reported_at is None:
        return _tr("Not reported yet")
    return _tr("Waiting — OVERDUE") if view.overdue else _tr("Waiting for the platform")


def cells(view: SuspectView) -> tuple[str, ...]:
    """One suspect's cells, in column order."""
    return (
        f"#{view.id}",
        f"{view.handle} · {platform_label(view.platform)}",
        view.resembles or "",
        day_text(view.first_seen_at),
        day_text(view.reported_at),
        view.report_reference or "",
        outcome_text(view),
    )


def details_text(view: SuspectView) -> str:
    """The selected suspect's evidence and history in full."""
    lines = [
        _tr("{handle} on {platform}, added by {who} on {day}.").format(
            handle=view.handle,
            platform=platform_label(view.platform),
            who=view.added_by,
            day=day_text(view.added_at),
        )
    ]
    if view.link:
        lines.append(_tr("Profile: {link}").format(link=view.link))
    if view.links:
        lines.append(_tr("Evidence: {links}").format(links=" · ".join(view.links)))
    if view.item_ids:
        lines.append(_tr("Items seen: {ids}").format(ids=", ".join(f"#{i}" for i in view.item_ids)))
    if view.note:
        lines.append(_tr("Note: {note}").format(note=view.note))
    if view.reported_at is not None:
        lines.append(
            _tr("Reported {day} by {who}, reference {ref}.").format(
                day=day_text(view.reported_at),
                who=view.reported_by or "?",
                ref=view.report_reference,
            )
        )
    return "\n".join(lines)


def local_moment(day: date, today: date) -> datetime | None:
    """When a report made on ``day`` is recorded: now for today, else midday (UK) that day."""
    if day >= today:
        return None
    return datetime.combine(day, time(12, 0), tzinfo=LOCAL).astimezone(UTC)


def _table(parent: QWidget, name: str, headers: tuple[str, ...], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels([_tr(h) for h in headers])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _button(parent: QWidget, text: str, name: str, tip: str) -> QPushButton:
    made = QPushButton(text, parent)
    made.setObjectName(name)
    made.setToolTip(tip)
    made.setAutoDefault(False)
    return made


class SuspectsWindow(QDialog):
    """The register and the flagged authors, with their buttons; says what it wants."""

    refresh_requested = Signal()
    add_requested = Signal(object)  # a FlaggedAuthor, or None
    evidence_requested = Signal(int)
    report_requested = Signal(int)
    outcome_requested = Signal(int)

    def __init__(self, can_flag: bool, can_manage: bool, parent: Any = None) -> None:
        super().__init__(parent)
        self.can_flag, self.can_manage = can_flag, can_manage
        self.suspects: list[SuspectView] = []
        self.flagged: list[FlaggedAuthor] = []
        self.setWindowTitle(self.tr("Suspected fake accounts"))
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("suspectsTabs")
        page = QWidget(self.tabs)
        self.reminders_label = QLabel(page)
        self.reminders_label.setObjectName("suspectsRemindersLabel")
        self.reminders_label.setWordWrap(True)
        set_message(self.reminders_label, "")
        self.show_closed = QCheckBox(self.tr("Show removed and &not removed"), page)
        self.show_closed.setObjectName("suspectsShowClosed")
        self.table = _table(page, "suspectsTable", HEADERS, COL_ACCOUNT)
        self.details_label = QLabel(page)
        self.details_label.setObjectName("suspectsDetailsLabel")
        self.details_label.setWordWrap(True)
        plain_labels(self.details_label)  # handles and names as typed, never HTML
        self.add_button = _button(
            page, self.tr("&Add suspect…"), "suspectsAddButton", self.tr("Add an account")
        )
        self.evidence_button = _button(
            page,
            self.tr("Add e&vidence…"),
            "suspectsEvidenceButton",
            self.tr("Add links, items or a note to the selected suspect"),
        )
        self.report_button = _button(
            page,
            self.tr("Record &report…"),
            "suspectsReportButton",
            self.tr("Record that it was reported to the platform, with its reference"),
        )
        self.outcome_button = _button(
            page,
            self.tr("Record &outcome…"),
            "suspectsOutcomeButton",
            self.tr("Record what the platform did"),
        )
        self.refresh_button = _button(
            page, self.tr("R&efresh"), "suspectsRefreshButton", self.tr("Read it again")
        )
        row = QWidget(page)
        flow = FlowLayout(row)
        flow.setContentsMargins(0, 0, 0, 0)
        for made in (
            self.add_button,
            self.evidence_button,
            self.report_button,
            self.outcome_button,
            self.refresh_button,
        ):
            flow.addWidget(made)
        layout = QVBoxLayout(page)
        layout.addWidget(self.reminders_label)
        layout.addWidget(self.show_closed)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details_label)
        layout.addWidget(row)
        self.tabs.addTab(page, self.tr("&Suspects"))

        authors = QWidget(self.tabs)
        intro = QLabel(
            self.tr(
                "Authors whose handle or display name looks like an official account (look-alike "
                "letters, an added word, one letter different, the force's name). Not every "
                "one is a fake: look at the account before adding it."
            ),
            authors,
        )
        intro.setObjectName("flaggedIntroLabel")
        intro.setWordWrap(True)
        self.flagged_table = _table(authors, "flaggedAuthorsTable", FLAG_HEADERS, FLAG_WHY)
        self.suspect_button = _button(
            authors,
            self.tr("Add as s&uspect…"),
            "flaggedAddButton",
            self.tr("Add the selected author to the register"),
        )
        authors_row = QHBoxLayout()
        authors_row.addWidget(self.suspect_button)
        authors_row.addStretch(1)
        authors_layout = QVBoxLayout(authors)
        authors_layout.addWidget(intro)
        authors_layout.addWidget(self.flagged_table, 1)
        authors_layout.addLayout(authors_row)
        self.tabs.addTab(authors, self.tr("&Flagged authors"))

        self.status_label = QLabel(self)
        plain_labels(self.status_label)
        self.status_label.setObjectName("suspectsStatusLabel")
        self.status_label.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        foot = QHBoxLayout()
        foot.addWidget(self.status_label, 1)
        foot.addWidget(close)
        main = QVBoxLayout(self)
        main.addWidget(self.tabs, 1)
        main.addLayout(foot)

        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.flagged_table.itemSelectionChanged.connect(self._flag_selected)
        self.show_closed.toggled.connect(lambda _on: self.refresh_requested.emit())
        self.add_button.clicked.connect(lambda: self.add_requested.emit(None))
        self.suspect_button.clicked.connect(self._add_flagged)
        self.evidence_button.clicked.connect(lambda: self._ask(self.evidence_requested))
        self.report_button.clicked.connect(lambda: self._ask(self.report_requested))
        self.outcome_button.clicked.connect(lambda: self._ask(self.outcome_requested))
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.add_button.setEnabled(can_flag)
        self._selection_changed()
        self._flag_selected()
        fit_to_screen(self, 1100, 640)

    def set_register(
        self, suspects: list[SuspectView], flagged: list[FlaggedAuthor], reminders: list[Reminder]
    ) -> None:
        """Show the register, the flagged authors and the reminders."""
        keep = self.selected()
        self.suspects = list(suspects)
        rows = fill_rows(self.table, [cells(v) for v in self.suspects])
        for number, (view, items) in enumerate(zip(self.suspects, rows, strict=True)):
            for item in items:
                item.setToolTip(plain_tip(item.text()) or "")
            if view.overdue or (view.reported_at is None and view.outcome is Outcome.PENDING):
                cell = items[COL_OUTCOME]
                font = QFont(cell.font())
                font.setBold(True)
                cell.setFont(font)
                if view.overdue:
                    cell.setForeground(QBrush(WARN_COLOUR))
            if keep is not None and view.id == keep.id:
                self.table.selectRow(number)
        self.flagged = list(flagged)
        flag_rows = fill_rows(
            self.flagged_table,
            [
                (
                    f"{a.handle} · {platform_label(a.platform)}",
                    a.display_name,
                    a.impersonates.removeprefix("resembles "),
                )
                for a in self.flagged
            ],
        )
        for items in flag_rows:
            for item in items:
                item.setToolTip(plain_tip(item.text()) or "")
        self.tabs.setTabText(
            1,
            self.tr("&Flagged authors ({n})").format(n=len(self.flagged))
            if self.flagged
            else self.tr("&Flagged authors"),
        )
        set_message(self.reminders_label, "\n".join(r.text for r in reminders), "error")
        waiting = sum(1 for v in self.suspects if v.reported_at is None)
        text = self.tr("{n} suspects listed.").format(n=len(self.suspects))
        if waiting:
            text += " " + self.tr("{n} not reported to the platform yet.").format(n=waiting)
        self.status_label.setText(text)
        self._selection_changed()
        self._flag_selected()

    def selected(self) -> SuspectView | None:
        """The suspect selected, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.suspects):
            return None
        return self.suspects[rows[0].row()]

    def select(self, suspect_id: int) -> bool:
        """Select suspect ``suspect_id``; tell whether it is listed."""
        for number, view in enumerate(self.suspects):
            if view.id == suspect_id:
                self.table.selectRow(number)
                self.table.scrollTo(self.table.model().index(number, 0))
                return True
        return False

    def _selection_changed(self) -> None:
        view = self.selected()
        self.evidence_button.setEnabled(view is not None and self.can_flag)
        removed = view is not None and view.outcome is Outcome.REMOVED
        self.report_button.setEnabled(view is not None and self.can_manage and not removed)
        self.outcome_button.setEnabled(
            view is not None and self.can_manage and view.reported_at is not None
        )
        self.details_label.setText(details_text(view) if view is not None else "")

    def _flag_selected(self) -> None:
        rows = self.flagged_table.selectionModel().selectedRows()
        self.suspect_button.setEnabled(bool(rows) and self.can_flag)

    def _add_flagged(self) -> None:
        rows = self.flagged_table.selectionModel().selectedRows()
        if rows and 0 <= rows[0].row() < len(self.flagged):
            self.add_requested.emit(self.flagged[rows[0].row()])

    def _ask(self, signal: Any) -> None:
        view = self.selected()
        if view is not None:
            signal.emit(view.id)

    def say(self, text: str) -> None:
        """Show what happened beside the Close button."""
        self.status_label.setText(text)
