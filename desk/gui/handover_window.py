"""Supervisor → Handover…: review a shift's handover, export or print it, and sign it off.

A handover describes its shift as of the shift's end. A shift still running is signed off only
with a reason ("Sign off early…"); the reason is kept with the signature and shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QListWidgetItem,
    QMessageBox,
    QWidget,
)

from desk.core.errors import DeskError
from desk.core.handover import (
    HandoverReport,
    closing_lines,
    early_line,
    render_html,
    title,
)
from desk.core.marking import DEFAULT_MARKING
from desk.core.roles import Action
from desk.core.shifts import (
    Shift,
    ShiftPattern,
    next_shift,
    previous_shift,
    shift_containing,
)
from desk.gui.case_dialogs import TextEntryDialog
from desk.gui.formatting import local_time
from desk.gui.forms.ui_handover_window import Ui_HandoverWindow
from desk.gui.messages import set_message
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.pdf_export import choose_save_path, write_pdf
from desk.gui.screen_fit import fit_to_screen
from desk.gui.shell import Shell
from desk.render.pdf import font_shows
from desk.services.handover import HandoverSummary

SEARCH_DELAY_MS = 300
# which shift to show, given the desk's pattern and the time now
Choose = Callable[[ShiftPattern, datetime], Shift]


def _ask_yes(parent: QWidget, heading: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        heading,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def _current(pattern: ShiftPattern, now: datetime) -> Shift:
    return shift_containing(pattern, now)


def _previous(pattern: ShiftPattern, now: datetime) -> Shift:
    return previous_shift(pattern, shift_containing(pattern, now))


class HandoverWindow(QDialog):
    """Review a shift's handover, export or print it, and sign it off as the incoming supervisor.

    The dialogs it would open (save as, print, are you sure) are attributes, so that tests can
    answer them without a person: ``choose_pdf_path``, ``ask_printer`` and ``confirm``.
    """

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent or shell.window)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.shell = shell
        self.desk = shell.desk
        self.pattern: ShiftPattern | None = None
        self.shift: Shift | None = None
        self.report: HandoverReport | None = None
        self.marking = DEFAULT_MARKING  # the protective marking on an exported PDF
        self.loading = False
        self.reason_dialog: TextEntryDialog | None = None
        self._ticket = 0  # the newest request: an older answer arriving late is dropped
        self.choose_pdf_path: Callable[[str], str | None] = lambda name: choose_save_path(
            self, self.tr("Export handover"), name
        )
        self.ask_printer: Callable[[QPrinter], bool] = self._ask_printer
        self.confirm: Callable[[str], bool] = lambda text: _ask_yes(
            self, self.tr("Sign off handover"), text
        )
        self._build()
        self.setObjectName("handoverWindow")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh_past)
        fit_to_screen(self, 1100, 680)
        self._update_buttons()

    # layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.ui = Ui_HandoverWindow()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        ui = self.ui
        self.title_label = ui.titleLabel
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title_label.setFont(font)
        self.previous_button = ui.previousButton
        self.current_button = ui.currentButton
        self.next_button = ui.nextButton
        self.refresh_button = ui.refreshButton
        self.search_edit = ui.searchEdit
        self.past_list = ui.pastList
        self.view = ui.view
        ui.splitter.setStretchFactor(0, 1)
        ui.splitter.setStretchFactor(1, 3)
        ui.splitter.setSizes([240, 760])
        self.signature_label = ui.signatureLabel
        self.message_label = ui.messageLabel
        set_message(self.message_label, "")
        self.export_button = ui.exportButton
        self.print_button = ui.printButton
        self.sign_button = ui.signButton
        self.close_button = ui.closeButton

        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.current_button.clicked.connect(self.show_current)
        self.refresh_button.clicked.connect(self._again)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.past_list.itemActivated.connect(self._past_chosen)
        self.past_list.itemClicked.connect(self._past_chosen)
        self.export_button.clicked.connect(self.export_pdf)
        self.print_button.clicked.connect(self.print_report)
        self.sign_button.clicked.connect(self.sign_off)
        self.close_button.clicked.connect(self.close)

    # which shift -------------------------------------------------------------------------

    def _step(self, by: int) -> None:
        shift = self.shift
        if shift is None:
            return
        self._load(lambda p, _now: previous_shift(p, shift) if by < 0 else next_shift(p, shift))

    def _again(self) -> None:
        shift = self.shift
        if shift is not None:
            self.show_shift(shift)

    def show_current(self) -> None:
        """Show the shift running now (compiled so far)."""
        self._load(_current)

    def show_previous(self) -> None:
        """Show the shift before the one running now (what an incoming supervisor signs)."""
        self._load(_previous)

    def show_shift(self, shift: Shift) -> None:
        """Show the handover of ``shift``."""
        self._load(lambda p, _now: shift_containing(p, shift.start))

    def _load(self, choose: Choose) -> None:
        """Compile (or read, when signed) the chosen shift's handover, off the GUI thread."""
        desk, token = self.desk, self.shell.token
        self._ticket += 1
        ticket = self._ticket

        def fetch() -> tuple[ShiftPattern, HandoverReport]:
            pattern = desk.handover.pattern()
            shift = choose(pattern, desk.ctx.clock.now())
            return pattern, desk.handover.get(token, shift.start)

        self.loading = True
        self.title_label.setText(self.tr("Compiling the handover…"))
        self.view.setPlainText(self.tr("Compiling the handover…"))
        self.signature_label.clear()
        self._update_buttons()
        QueryOp(self.shell, fetch).success(lambda got: self._arrived(ticket, got)).failure(
            lambda exc: self._failed(ticket, exc)
        ).run()
        QueryOp(self.shell, lambda: str(desk.settings.get("protective_marking"))).quiet().success(
            self._set_marking
        ).run()

    def _set_marking(self, marking: str) -> None:
        self.marking = marking

    def _arrived(self, ticket: int, got: tuple[ShiftPattern, HandoverReport]) -> None:
        if ticket != self._ticket:
            return  # the person moved on to another shift meanwhile
        self.pattern, report = got
        self._show(report)

    def _show(self, report: HandoverReport) -> None:
        self.loading = False
        self.report = report
        self.shift = report.shift
        self.title_label.setText(
            self.tr("Handover · {shift} · compiled {when}").format(
                shift=report.shift.label(), when=local_time(report.compiled_at)
            )
        )
        self.view.setHtml(render_html(report, font_shows(self.view.font())))
        sig = report.signature
        lines = closing_lines(report)
        self.signature_label.setText(
            " · ".join([*lines, self.tr("read-only")]) if sig else " · ".join(lines)
        )
        set_message(self.message_label, "")
        self._update_buttons()

    def _failed(self, ticket: int, error: DeskError) -> None:
        if ticket != self._ticket:
            return
        self.loading = False
        self.view.clear()
        set_message(self.message_label, error.message)
        self._update_buttons()

    @property
    def running(self) -> bool:
        """Tell whether the shown shift is still running (so signing it off is early)."""
        return self.shift is not None and self.shell.now() < self.shift.end

    def _update_buttons(self) -> None:
        ready = self.report is not None and not self.loading
        now = self.shell.now()
        started = self.shift is not None and self.shift.start <= now
        allowed = self.shell.can(Action.SIGN_OFF_HANDOVER)
        self.sign_button.setEnabled(ready and not self.signed and started and allowed)
        if self.running:
            self.sign_button.setText(self.tr("&Sign off early…"))
            self.sign_button.setToolTip(
                self.tr("The shift is still running: say why you sign it off before it ends")
            )
        else:
            self.sign_button.setText(self.tr("&Sign off as incoming"))
            self.sign_button.setToolTip(self.tr("Sign the handover off; it is then read-only"))
        self.export_button.setEnabled(ready)
        self.print_button.setEnabled(ready)
        for button in (self.previous_button, self.current_button, self.refresh_button):
            button.setEnabled(not self.loading)
        upcoming = (
            next_shift(self.pattern, self.shift)
            if self.pattern is not None and self.shift
            else None
        )
        self.next_button.setEnabled(
            not self.loading and upcoming is not None and upcoming.start <= now
        )

    @property
    def signed(self) -> bool:
        """Tell whether the shown handover is signed off (and so read-only)."""
        return self.report is not None and self.report.signature is not None

    # past handovers ----------------------------------------------------------------------

    def refresh_past(self) -> None:
        """List signed-off handovers (those matching the search box), off the GUI thread."""
        desk, token, text = self.desk, self.shell.token, self.search_edit.text()
        QueryOp(self.shell, lambda: desk.handover.list(token, text)).success(
            lambda found: self._list_past(found, text)
        ).run()

    def _list_past(self, found: list[HandoverSummary], text: str) -> None:
        self.past_list.clear()
        for h in found:
            shift = Shift(h.shift_start, h.shift_end)
            entry = QListWidgetItem(
                self.tr("{shift}\nsigned by {who}").format(shift=shift.label(), who=h.signed_by)
            )
            entry.setData(Qt.ItemDataRole.UserRole, shift)
            self.past_list.addItem(entry)
        if not found:
            entry = QListWidgetItem(self.tr("No match.") if text.strip() else self.tr("None yet."))
            entry.setFlags(Qt.ItemFlag.NoItemFlags)
            self.past_list.addItem(entry)

    def _past_chosen(self, entry: QListWidgetItem) -> None:
        shift = entry.data(Qt.ItemDataRole.UserRole)
        if isinstance(shift, Shift):
            self.show_shift(shift)

    # signing off -------------------------------------------------------------------------

    def sign_off(self) -> None:
        """Sign the shown handover off as the incoming supervisor; it becomes read-only.

        A shift still running asks first why it is signed off early.
        """
        if self.report is None or self.signed or self.shift is None:
            return
        if self.running:
            self._ask_reason(self.shift)
            return
        question = self.tr(
            "Sign off the handover for {shift} as {who}? It is compiled again now, as at the "
            "shift's end, frozen as signed and cannot be changed."
        ).format(shift=self.shift.label(), who=self.shell.actor.username)
        if not self.confirm(question):
            return
        self._sign(self.shift, "", None)

    def _ask_reason(self, shift: Shift) -> TextEntryDialog:
        dialog = TextEntryDialog(
            self.tr("Sign off early · {shift}").format(shift=shift.label()),
            self.tr(
                "This shift is still running: its handover would describe it so far, not as it "
                "ends. Say why you sign it off now; the reason is kept with the signature."
            ),
            self.tr("Sign off early"),
            self,
        )
        dialog.setObjectName("earlySignOffDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.submitted.connect(lambda reason: self._sign(shift, reason, dialog))
        dialog.finished.connect(lambda _r: setattr(self, "reason_dialog", None))
        self.reason_dialog = dialog
        dialog.open()
        return dialog

    def _sign(self, shift: Shift, reason: str, dialog: TextEntryDialog | None) -> None:
        desk, token = self.desk, self.shell.token
        op = ChangeOp(self.shell, lambda: desk.handover.sign_off(token, shift.start, reason))
        op.done(self._signed_text).success(self._signed_off)
        if dialog is not None:
            op.in_dialog(dialog)
        else:
            op.failure(lambda exc: set_message(self.message_label, exc.message))
        op.run()

    def _signed_text(self, report: HandoverReport) -> str:
        lines = closing_lines(report)
        return " · ".join(lines[:1] + ([early_line(report)] if report.early_reason else []))

    def _signed_off(self, report: HandoverReport) -> None:
        self._ticket += 1  # whatever was still being compiled is out of date now
        self._show(report)
        self.refresh_past()

    # export and print --------------------------------------------------------------------

    def export_pdf(self) -> Path | None:
        """Write the shown handover to a PDF the person chooses."""
        if self.report is None:
            return None
        start = self.report.shift_start.astimezone()
        chosen = self.choose_pdf_path(f"handover-{start:%Y-%m-%d-%H%M}.pdf")
        if not chosen:
            return None
        try:
            path = write_pdf(chosen, title(self.report), render_html(self.report), self.marking)
        except DeskError as exc:
            set_message(self.message_label, exc.message)
            return None
        except OSError as exc:
            set_message(self.message_label, self.tr("Could not write the PDF: {e}").format(e=exc))
            return None
        set_message(self.message_label, self.tr("Saved {path}").format(path=path), "info")
        return path

    def print_report(self) -> bool:
        """Print the shown handover on a printer the person chooses."""
        if self.report is None:
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title(self.report))
        if not self.ask_printer(printer):
            return False
        doc = QTextDocument(self)
        doc.setHtml(render_html(self.report, font_shows(doc.defaultFont())))
        doc.print_(printer)
        return True

    def _ask_printer(self, printer: QPrinter) -> bool:
        return QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted
