"""Shift handover in the window: review, sign-off, past handovers, notes, the coverage log.

``HandoverActions`` (made with one line in the main window) adds Supervisor → Handover… and
Coverage log…, File → Handover note…, and Case → Flag as notable… / Clear notable flag (also
a "Handover" row of buttons in the case pane).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desk.core.errors import DeskError, ReauthenticationRequired, SessionEnded
from desk.core.handover import (
    COVERAGE_LABELS,
    CoverageReason,
    HandoverReport,
    render_html,
    signature_line,
    title,
)
from desk.core.items import Platform
from desk.core.roles import Action, may
from desk.core.shifts import Shift, next_shift, previous_shift
from desk.gui.case_dialogs import TextEntryDialog
from desk.gui.formatting import local_time
from desk.gui.messages import set_message
from desk.gui.table_rows import fill_rows
from desk.render.pdf import write_pdf
from desk.services.coverage import CoverageView
from desk.services.handover import HandoverSummary

log = logging.getLogger(__name__)

NOTE_SHORTCUT = "Ctrl+Shift+H"
NOTABLE_SHORTCUT = "Ctrl+Shift+N"
SEARCH_DELAY_MS = 300


def _ask_yes(parent: QWidget, heading: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        heading,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class HandoverWindow(QDialog):
    """Review a shift's handover, export or print it, and sign it off as the incoming supervisor.

    The dialogs it would open (save as, print, are you sure) are attributes, so that tests can
    answer them without a person: ``choose_pdf_path``, ``ask_printer`` and ``confirm``.
    """

    def __init__(self, main: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent or main)
        self.setObjectName("handoverWindow")
        self.setWindowTitle(self.tr("Handover"))
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.main = main
        self.desk = main.desk
        self.shift: Shift = self.desk.handover.shift_at(self.desk.ctx.clock.now())
        self.report: HandoverReport | None = None
        self.loading = False
        self.choose_pdf_path: Callable[[str], str | None] = self._choose_pdf_path
        self.ask_printer: Callable[[QPrinter], bool] = self._ask_printer
        self.confirm: Callable[[str], bool] = lambda text: _ask_yes(
            self, self.tr("Sign off handover"), text
        )
        self._build()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh_past)
        self.resize(1180, 820)

    # layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title_label = QLabel(self)
        self.title_label.setObjectName("handoverTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title_label.setFont(font)
        outer.addWidget(self.title_label)
        self.previous_button = QPushButton(self.tr("◀ &Previous shift"), self)
        self.current_button = QPushButton(self.tr("&Current shift"), self)
        self.next_button = QPushButton(self.tr("&Next shift ▶"), self)
        self.refresh_button = QPushButton(self.tr("Co&mpile again"), self)
        for button in (
            self.previous_button,
            self.current_button,
            self.next_button,
            self.refresh_button,
        ):
            button.setAutoDefault(False)
            top.addWidget(button)
        top.addStretch(1)
        outer.addLayout(top)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        past = QWidget(splitter)
        past_layout = QVBoxLayout(past)
        past_layout.setContentsMargins(0, 0, 0, 0)
        past_layout.addWidget(QLabel(self.tr("Signed-off handovers"), past))
        self.search_edit = QLineEdit(past)
        self.search_edit.setObjectName("handoverSearch")
        self.search_edit.setPlaceholderText(self.tr("Search past handovers…"))
        self.search_edit.setClearButtonEnabled(True)
        past_layout.addWidget(self.search_edit)
        self.past_list = QListWidget(past)
        self.past_list.setObjectName("pastHandovers")
        past_layout.addWidget(self.past_list, 1)
        self.view = QTextBrowser(splitter)
        self.view.setObjectName("handoverView")
        self.view.setOpenLinks(False)
        splitter.addWidget(past)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 820])
        outer.addWidget(splitter, 1)

        self.signature_label = QLabel(self)
        self.signature_label.setObjectName("handoverSignature")
        self.signature_label.setWordWrap(True)
        outer.addWidget(self.signature_label)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("deskMessage")
        self.message_label.setWordWrap(True)
        set_message(self.message_label, "")
        outer.addWidget(self.message_label)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.export_button = QPushButton(self.tr("&Export PDF…"), self)
        self.print_button = QPushButton(self.tr("P&rint…"), self)
        self.sign_button = QPushButton(self.tr("&Sign off as incoming"), self)
        self.sign_button.setObjectName("signOffButton")
        self.close_button = QPushButton(self.tr("Close"), self)
        for button in (self.export_button, self.print_button, self.sign_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        outer.addLayout(buttons)

        self.previous_button.clicked.connect(lambda: self.show_shift(self._step(-1)))
        self.next_button.clicked.connect(lambda: self.show_shift(self._step(1)))
        self.current_button.clicked.connect(self.show_current)
        self.refresh_button.clicked.connect(lambda: self.show_shift(self.shift))
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.past_list.itemActivated.connect(self._past_chosen)
        self.past_list.itemClicked.connect(self._past_chosen)
        self.export_button.clicked.connect(self.export_pdf)
        self.print_button.clicked.connect(self.print_report)
        self.sign_button.clicked.connect(self.sign_off)
        self.close_button.clicked.connect(self.close)

    # which shift -------------------------------------------------------------------------

    def _step(self, by: int) -> Shift:
        pattern = self.desk.handover.pattern()
        return previous_shift(pattern, self.shift) if by < 0 else next_shift(pattern, self.shift)

    def show_current(self) -> None:
        """Show the shift running now."""
        self.show_shift(self.desk.handover.shift_at(self.desk.ctx.clock.now()))

    def show_previous(self) -> None:
        """Show the shift before the one running now (what an incoming supervisor signs)."""
        now_shift = self.desk.handover.shift_at(self.desk.ctx.clock.now())
        self.show_shift(previous_shift(self.desk.handover.pattern(), now_shift))

    def show_shift(self, shift: Shift) -> None:
        """Compile (or read, when signed) the handover of ``shift``, off the GUI thread."""
        self.shift = shift
        self.loading = True
        self.title_label.setText(self.tr("Handover · {shift}").format(shift=shift.label()))
        self.view.setPlainText(self.tr("Compiling the handover…"))
        self.signature_label.clear()
        self._update_buttons()
        token, start = self.main.token, shift.start
        self.main.worker.run(
            lambda: self.desk.handover.get(token, start),
            self._arrived,
            self._failed,
            context=self,
        )

    def _arrived(self, report: HandoverReport) -> None:
        if report.shift_start != self.shift.start:
            return  # the person moved on to another shift meanwhile
        self.loading = False
        self.report = report
        self.title_label.setText(
            self.tr("Handover · {shift} · compiled {when}").format(
                shift=report.shift.label(), when=local_time(report.compiled_at)
            )
        )
        self.view.setHtml(render_html(report))
        sig = report.signature
        self.signature_label.setText(
            signature_line(sig) + self.tr(" · read-only") if sig else self.tr("Not signed off yet.")
        )
        set_message(self.message_label, "")
        self._update_buttons()

    def _failed(self, error: Exception) -> None:
        self.loading = False
        self.view.clear()
        if isinstance(error, DeskError):
            self.main.calls.handle(error)
            set_message(self.message_label, error.message)
        else:
            log.error("handover could not be compiled: %s", type(error).__name__)
            set_message(self.message_label, self.tr("Desk could not compile the handover."))
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self.report is not None and not self.loading
        signed = ready and self.report is not None and self.report.signature is not None
        started = self.shift.start <= self.desk.ctx.clock.now()
        allowed = may(self.main.actor.role, Action.SIGN_OFF_HANDOVER)
        self.sign_button.setEnabled(ready and not signed and started and allowed)
        self.export_button.setEnabled(ready)
        self.print_button.setEnabled(ready)
        self.next_button.setEnabled(self._step(1).start <= self.desk.ctx.clock.now())

    @property
    def signed(self) -> bool:
        """Tell whether the shown handover is signed off (and so read-only)."""
        return self.report is not None and self.report.signature is not None

    # past handovers ----------------------------------------------------------------------

    def refresh_past(self) -> None:
        """List signed-off handovers (those matching the search box)."""
        outcome = self.main.calls.call(
            self.desk.handover.list, self.main.token, self.search_edit.text()
        )
        if not outcome.ok or outcome.value is None:
            return
        self.past_list.clear()
        found: list[HandoverSummary] = outcome.value
        for h in found:
            shift = Shift(h.shift_start, h.shift_end)
            entry = QListWidgetItem(
                self.tr("{shift}\nsigned by {who}").format(shift=shift.label(), who=h.signed_by)
            )
            entry.setData(Qt.ItemDataRole.UserRole, shift)
            self.past_list.addItem(entry)
        if not found:
            entry = QListWidgetItem(
                self.tr("No match.") if self.search_edit.text().strip() else self.tr("None yet.")
            )
            entry.setFlags(Qt.ItemFlag.NoItemFlags)
            self.past_list.addItem(entry)

    def _past_chosen(self, entry: QListWidgetItem) -> None:
        shift = entry.data(Qt.ItemDataRole.UserRole)
        if isinstance(shift, Shift):
            self.show_shift(shift)

    # actions -----------------------------------------------------------------------------

    def sign_off(self) -> None:
        """Sign the shown handover off as the incoming supervisor; it becomes read-only."""
        if self.report is None or self.signed:
            return
        question = self.tr(
            "Sign off the handover for {shift} as {who}? It is then frozen as shown (compiled "
            "again now) and cannot be changed."
        ).format(shift=self.shift.label(), who=self.main.actor.username)
        if not self.confirm(question):
            return
        outcome = self.main.calls.call(
            self.desk.handover.sign_off, self.main.token, self.shift.start
        )
        if not outcome.ok or outcome.value is None:
            return
        self._arrived(outcome.value)
        sig = outcome.value.signature
        if sig is not None:
            self.main.queue.notify(signature_line(sig))
        self.refresh_past()

    def export_pdf(self) -> Path | None:
        """Write the shown handover to a PDF the person chooses."""
        if self.report is None:
            return None
        start = self.report.shift_start.astimezone()
        name = f"handover-{start:%Y-%m-%d-%H%M}.pdf"
        chosen = self.choose_pdf_path(name)
        if not chosen:
            return None
        try:
            path = write_pdf(chosen, title(self.report), render_html(self.report))
        except DeskError as exc:
            set_message(self.message_label, exc.message)
            return None
        except OSError as exc:
            set_message(self.message_label, self.tr("Could not write the PDF: {e}").format(e=exc))
            return None
        set_message(self.message_label, self.tr("Saved {path}").format(path=path), "info")
        return path

    def _choose_pdf_path(self, name: str) -> str | None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export handover"), str(Path.home() / name), self.tr("PDF (*.pdf)")
        )
        return path or None

    def print_report(self) -> bool:
        """Print the shown handover on a printer the person chooses."""
        if self.report is None:
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title(self.report))
        if not self.ask_printer(printer):
            return False
        doc = QTextDocument(self)
        doc.setHtml(render_html(self.report))
        doc.print_(printer)
        return True

    def _ask_printer(self, printer: QPrinter) -> bool:
        return QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted


class CoverageDialog(QDialog):
    """The coverage log: periods the desk was not monitored, and recording a new one."""

    def __init__(self, main: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent or main)
        self.setObjectName("coverageDialog")
        self.setWindowTitle(self.tr("Coverage log"))
        self.main = main
        self.desk = main.desk
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "Periods the desk was not monitored (local time). They show in the "
                    "handover of every shift they overlap."
                ),
                self,
            )
        )
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("coverageTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("From"),
                self.tr("To"),
                self.tr("Reason"),
                self.tr("Platform"),
                self.tr("Risk accepted"),
                self.tr("Recorded by"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        box = QGroupBox(self.tr("Record a period"), self)
        form = QFormLayout(box)
        now = self.desk.ctx.clock.now()
        self.from_edit = QDateTimeEdit(box)
        self.to_edit = QDateTimeEdit(box)
        for edit, moment in ((self.from_edit, now), (self.to_edit, now)):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
            edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(moment.timestamp())))
        self.reason_combo = QComboBox(box)
        for reason in CoverageReason:
            self.reason_combo.addItem(self.tr(COVERAGE_LABELS[reason]), reason.value)
        self.platform_combo = QComboBox(box)
        self.platform_combo.addItem(self.tr("(all platforms)"), None)
        for platform in Platform:
            self.platform_combo.addItem(platform.value, platform.value)
        self.risk_edit = QPlainTextEdit(box)
        self.risk_edit.setObjectName("riskEdit")
        self.risk_edit.setPlaceholderText(
            self.tr("The risk accepted, and who was told (e.g. control room aware)")
        )
        self.risk_edit.setFixedHeight(64)
        form.addRow(self.tr("&From"), self.from_edit)
        form.addRow(self.tr("&To"), self.to_edit)
        form.addRow(self.tr("&Reason"), self.reason_combo)
        form.addRow(self.tr("&Platform"), self.platform_combo)
        form.addRow(self.tr("Risk &accepted"), self.risk_edit)
        self.message_label = QLabel(box)
        self.message_label.setObjectName("deskMessage")
        self.message_label.setWordWrap(True)
        set_message(self.message_label, "")
        form.addRow(self.message_label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.record_button = QPushButton(self.tr("Re&cord period"), box)
        self.record_button.setObjectName("recordCoverageButton")
        self.record_button.setAutoDefault(False)
        self.record_button.setEnabled(may(main.actor.role, Action.RECORD_COVERAGE))
        close = QPushButton(self.tr("Close"), box)
        close.setAutoDefault(False)
        row.addWidget(self.record_button)
        row.addWidget(close)
        form.addRow(row)
        layout.addWidget(box)
        self.record_button.clicked.connect(self.record)
        close.clicked.connect(self.close)
        self.resize(900, 560)

    @staticmethod
    def _moment(edit: QDateTimeEdit) -> datetime:
        return datetime.fromtimestamp(edit.dateTime().toSecsSinceEpoch(), UTC)

    def set_period(self, start: datetime, end: datetime) -> None:
        """Put a period in the form (tests and callers that know it)."""
        self.from_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(start.timestamp())))
        self.to_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(end.timestamp())))

    def refresh(self) -> None:
        """List the recorded periods, newest first."""
        outcome = self.main.calls.call(self.desk.coverage.list, self.main.token)
        if not outcome.ok or outcome.value is None:
            return
        periods: list[CoverageView] = outcome.value
        rows = fill_rows(
            self.table,
            [
                [
                    local_time(p.starts_at),
                    local_time(p.ends_at),
                    self.tr(COVERAGE_LABELS[p.reason]),
                    p.platform or "",
                    p.risk_accepted,
                    p.recorded_by,
                ]
                for p in periods
            ],
        )
        for cell in (cell for row in rows for cell in row):
            cell.setToolTip(cell.text())

    def record(self) -> bool:
        """Record the period in the form; say what is wrong inside the dialog otherwise."""
        try:
            self.desk.coverage.record(
                self.main.token,
                self._moment(self.from_edit),
                self._moment(self.to_edit),
                str(self.reason_combo.currentData()),
                self.platform_combo.currentData(),
                self.risk_edit.toPlainText(),
            )
        except (SessionEnded, ReauthenticationRequired) as exc:
            self.main.calls.handle(exc)
            return False
        except DeskError as exc:
            set_message(self.message_label, exc.message)
            return False
        set_message(self.message_label, self.tr("Recorded."), "info")
        self.risk_edit.clear()
        self.refresh()
        self.main.queue.notify(self.tr("Coverage gap recorded."))
        return True


class HandoverActions(QObject):
    """The handover's menu actions on the main window, and the windows they open."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.handover_window: HandoverWindow | None = None
        self.coverage_dialog: CoverageDialog | None = None
        self.dialog: TextEntryDialog | None = None
        ui = window.ui

        self.action_handover = self._action(
            "actionHandover",
            self.tr("&Handover…"),
            self.open_handover,
            self.tr("Review the shift handover, export or print it, and sign it off"),
        )
        self.action_coverage = self._action(
            "actionCoverageLog",
            self.tr("Co&verage log…"),
            self.open_coverage,
            self.tr("Record when the desk was not monitored, and the risk accepted"),
        )
        menu = ui.menuSupervisor
        menu.addSeparator()
        menu.addAction(self.action_handover)
        menu.addAction(self.action_coverage)

        self.action_note = self._action(
            "actionHandoverNote",
            self.tr("Hando&ver note…"),
            self.add_note,
            self.tr("Write a note for this shift's handover"),
            NOTE_SHORTCUT,
        )
        file_menu = ui.menuFile
        file_menu.insertAction(ui.actionSignOut, self.action_note)
        file_menu.insertSeparator(ui.actionSignOut)

        self.action_flag = self._action(
            "actionFlagNotable",
            self.tr("Flag as &notable…"),
            self.flag_notable,
            self.tr("Flag the case for the shift handover, saying why"),
            NOTABLE_SHORTCUT,
        )
        self.action_unflag = self._action(
            "actionClearNotable",
            self.tr("Clear notable flag"),
            self.unflag_notable,
            self.tr("Take the case off the handover's notable cases"),
        )
        ui.menuCase.addSeparator()
        ui.menuCase.addAction(self.action_flag)  # the clearing is a case-pane button only
        window.addAction(self.action_unflag)
        window.ui.casePane.add_section(
            "handover", self.tr("Handover"), [self.action_flag, self.action_unflag], 2
        )

        needs = {
            self.action_handover: Action.SIGN_OFF_HANDOVER,
            self.action_coverage: Action.RECORD_COVERAGE,
            self.action_note: Action.WORK_CASES,
        }
        window._needs.update(needs)  # re-applied after an unlock, from the permission table
        for action, needed in needs.items():
            action.setEnabled(may(window.actor.role, needed))
        window.queue.case_selected.connect(lambda _case_id: self.update_case_actions())
        self.update_case_actions()

    def _action(
        self, name: str, text: str, slot: Callable[[], object], tip: str, keys: str = ""
    ) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.setStatusTip(tip)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        return action

    def update_case_actions(self) -> None:
        """Offer the notable flag when a case is selected and the role works cases."""
        if self.window.locked or self.window.ended:
            return
        usable = self.window.queue.selected_row() is not None and may(
            self.window.actor.role, Action.WORK_CASES
        )
        self.action_flag.setEnabled(usable)
        self.action_unflag.setEnabled(usable)

    # windows -----------------------------------------------------------------------------

    def open_handover(self) -> HandoverWindow:
        """Supervisor → Handover…: the previous shift's handover (the one to sign off)."""
        if self.handover_window is None:
            self.handover_window = HandoverWindow(self.window)
            self.handover_window.show_previous()
        self.handover_window.show()
        self.handover_window.raise_()
        self.handover_window.activateWindow()
        self.handover_window.refresh_past()
        return self.handover_window

    def open_coverage(self) -> CoverageDialog:
        """Supervisor → Coverage log…."""
        if self.coverage_dialog is None:
            self.coverage_dialog = CoverageDialog(self.window)
        self.coverage_dialog.refresh()
        self.coverage_dialog.show()
        self.coverage_dialog.raise_()
        self.coverage_dialog.activateWindow()
        return self.coverage_dialog

    def _text_dialog(self, heading: str, prompt: str, ok: str, name: str) -> TextEntryDialog:
        dialog = TextEntryDialog(heading, prompt, ok, self.window)
        dialog.setObjectName(name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        return dialog

    def _in_dialog(self, dialog: TextEntryDialog, call: Callable[[], object], done: str) -> bool:
        try:
            call()
        except (SessionEnded, ReauthenticationRequired) as exc:
            dialog.reject()
            self.window.calls.handle(exc)
            return False
        except DeskError as exc:
            dialog.refuse(exc.message)
            return False
        dialog.finish()
        self.window.queue.notify(done)
        return True

    def add_note(self) -> TextEntryDialog:
        """File → Handover note…: a note for the handover of the shift running now."""
        shift = self.window.desk.handover.shift_at(self.window.desk.ctx.clock.now())
        dialog = self._text_dialog(
            self.tr("Handover note · {shift}").format(shift=shift.label()),
            self.tr("For the incoming shift: what they need to know from yours."),
            self.tr("Add to handover"),
            "handoverNoteDialog",
        )
        dialog.submitted.connect(
            lambda text: self._in_dialog(
                dialog,
                lambda: self.window.desk.handover.add_note(self.window.token, shift.start, text),
                self.tr("Note added to the handover for {shift}.").format(shift=shift.label()),
            )
        )
        dialog.open()
        return dialog

    def flag_notable(self) -> TextEntryDialog | None:
        """Case → Flag as notable…: the case goes in the handover's notable cases."""
        row = self.window.queue.selected_row()
        if row is None:
            self.window.queue.notify(self.tr("Select a case first."))
            return None
        case_id = row.case_id
        dialog = self._text_dialog(
            self.tr("Flag case #{id} as notable").format(id=case_id),
            self.tr("Why should the incoming shift know about this case?"),
            self.tr("Flag"),
            "notableDialog",
        )

        def flagged(text: str) -> None:
            if self._in_dialog(
                dialog,
                lambda: self.window.desk.handover.flag_notable(self.window.token, case_id, text),
                self.tr("Case #{id} flagged as notable for the handover.").format(id=case_id),
            ):
                self.window.queue.case_changed.emit(case_id)
                self.window.queue._after_action(case_id)

        dialog.submitted.connect(flagged)
        dialog.open()
        return dialog

    def unflag_notable(self) -> None:
        """Case → Clear notable flag."""
        row = self.window.queue.selected_row()
        if row is None:
            return
        case_id = row.case_id
        outcome = self.window.calls.call(
            self.window.desk.handover.unflag_notable, self.window.token, case_id
        )
        if outcome.ok:
            self.window.queue.notify(self.tr("Case #{id} is no longer notable.").format(id=case_id))
            self.window.queue.case_changed.emit(case_id)
            self.window.queue._after_action(case_id)
