"""Supervisor → Continuity pack…: the pack for working on paper, shown, saved as PDF, printed.

The pack (:mod:`desk.services.continuity`) is compiled off the GUI thread and shown read-only.
Whether it holds the open cases is the service's decision (supervisors, administrators and
information managers); the window only says which it got.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desk.core.errors import DeskError
from desk.core.glyphs import spell_missing
from desk.gui.messages import set_message
from desk.gui.operations import QueryOp
from desk.gui.pdf_export import choose_save_path, write_pdf
from desk.gui.screen_fit import fit_to_screen
from desk.gui.shell import Shell
from desk.render.pdf import font_shows
from desk.services.continuity import PackDocument


class ContinuityWindow(QDialog):
    """Shows the continuity pack, with Save as PDF…, Print… and Refresh.

    The dialogs it would open are attributes, so that tests answer them without a person:
    ``choose_pdf_path`` and ``ask_printer``.
    """

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent or shell.window)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setObjectName("continuityWindow")
        self.setWindowTitle(self.tr("Continuity pack"))
        self.shell = shell
        self.document: PackDocument | None = None
        self.choose_pdf_path: Callable[[str], str | None] = lambda name: choose_save_path(
            self, self.tr("Save continuity pack"), name
        )
        self.ask_printer: Callable[[QPrinter], bool] = self._ask_printer

        self.state_label = QLabel(self.tr("Compiling the pack…"), self)
        self.state_label.setObjectName("stateLabel")
        self.state_label.setWordWrap(True)
        self.view = QTextBrowser(self)
        self.view.setObjectName("packView")
        self.view.setReadOnly(True)
        self.view.setOpenLinks(False)
        self.view.setAccessibleName(self.tr("Continuity pack"))
        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.setVisible(False)
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.pdf_button = QPushButton(self.tr("&Save as PDF…"), self)
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)
        self.refresh_button.clicked.connect(self.refresh)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_pack)
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.print_pack)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save_pdf)
        self._enable(False)
        fit_to_screen(self, 980, 720)

    def _enable(self, ready: bool) -> None:
        self.pdf_button.setEnabled(ready)
        self.print_button.setEnabled(ready)

    def refresh(self) -> None:
        """Compile the pack afresh (audited) and show it."""
        token = self.shell.token
        self.state_label.setText(self.tr("Compiling the pack…"))
        QueryOp(
            self.shell, lambda: self.shell.desk.continuity.pack(token), key="continuity pack"
        ).success(self._show).failure(self._refused).run()

    def _refused(self, exc: DeskError) -> None:
        self.state_label.setText(self.tr("The pack could not be compiled."))
        set_message(self.message_label, exc.message)

    def _show(self, doc: PackDocument) -> None:
        self.document = doc
        self.view.setHtml(spell_missing(doc.html, font_shows(self.view.font())))
        cases = doc.pack.open_cases
        if cases is None:
            state = self.tr(
                "Compiled {at}. Without the open cases: a supervisor, an administrator or an "
                "information manager prints the pack with them."
            )
        else:
            state = self.tr("Compiled {at}, with {n} open cases.")
        at = doc.title.split(" · ", 1)[-1]
        self.state_label.setText(state.format(at=at, n=0 if cases is None else len(cases)))
        set_message(self.message_label, "")
        self._enable(True)

    def save_pdf(self) -> Path | None:
        """Write the shown pack to a PDF the person chooses, marked on every page."""
        doc = self.document
        if doc is None:
            return None
        stamp = doc.pack.compiled_at.astimezone()
        chosen = self.choose_pdf_path(f"continuity-pack-{stamp:%Y-%m-%d-%H%M}.pdf")
        if not chosen:
            return None
        try:
            path = write_pdf(chosen, doc.title, doc.pdf_html, doc.marking)
        except DeskError as exc:
            set_message(self.message_label, exc.message)
            return None
        except OSError as exc:
            set_message(self.message_label, self.tr("Could not write the PDF: {e}").format(e=exc))
            return None
        set_message(self.message_label, self.tr("Saved {path}").format(path=path), "info")
        return path

    def print_pack(self) -> bool:
        """Print the shown pack on a printer the person chooses."""
        doc = self.document
        if doc is None:
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(doc.title)
        if not self.ask_printer(printer):
            return False
        text = QTextDocument(self)
        text.setHtml(spell_missing(doc.html, font_shows(text.defaultFont())))
        text.print_(printer)
        return True

    def _ask_printer(self, printer: QPrinter) -> bool:
        return QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted
