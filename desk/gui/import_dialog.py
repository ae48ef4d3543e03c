"""File → Import…: read a file and store its items off the GUI thread, with progress and Cancel.

A file is imported whole or not at all (``ImportService.import_file``): it is read once, each
record checked as it is stored in one transaction, and a bad record rolls it all back. Progress
shows in the dialog's own row below its fields; Cancel there stops at the next check and nothing
from the file is stored. When the file does not say which official account its items came to,
the dialog asks, then starts again. A CSV export from a tool Desk has no mapping for is mapped
with "Map columns…" (:mod:`desk.gui.csv_mapping_dialog`); saved mappings are offered by name.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from desk.core.errors import DeskError, ReauthenticationRequired, SessionEnded
from desk.gui.case_dialogs import ChoiceDialog
from desk.gui.csv_mapping_dialog import CsvMappingDialog
from desk.gui.forms.ui_import_dialog import Ui_ImportDialog
from desk.gui.labels import format_label, platform_label
from desk.gui.messages import set_message
from desk.gui.workers import Worker
from desk.services.desk import Desk
from desk.services.importing import (
    FORMATS,
    AccountNeeded,
    FileImport,
    ImportCancelled,
    ImportRefused,
    ImportSource,
    UnknownOfficialAccounts,
)
from desk.services.official_accounts import OfficialAccountView

log = logging.getLogger(__name__)
FILE_FILTER = "Exports (*.jsonl *.ndjson *.json *.csv);;All files (*)"
PASSED_REASONS: dict[str, Any] = {  # PassReason codes (desk.core.items) in words
    "repost": QT_TRANSLATE_NOOP("ImportDialog", "reposts"),
    "reaction": QT_TRANSLATE_NOOP("ImportDialog", "likes and other reactions"),
    "follow": QT_TRANSLATE_NOOP("ImportDialog", "follows"),
    "not_an_item": QT_TRANSLATE_NOOP("ImportDialog", "notifications without words"),
    "unsupported": QT_TRANSLATE_NOOP("ImportDialog", "activities Desk does not read"),
    "not_connected": QT_TRANSLATE_NOOP(
        "ImportDialog", "posts addressed to no official account of this desk"
    ),
}


class _Relay(QObject):
    """Carries progress from the worker thread to the GUI thread (a queued signal)."""

    progressed = Signal(int, int)  # records checked and stored, about how many (0: unknown)


class ImportDialog(QDialog):
    """Chooses a file, format, account and CSV mapping; imports with progress and Cancel."""

    imported = Signal(object)  # ImportReport, after a file was stored
    service_refused = Signal(object)  # a DeskError the window handles (session ended...)

    def __init__(
        self,
        desk: Desk,
        worker: Worker,
        token: Callable[[], str],
        accounts: list[OfficialAccountView],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.worker = worker
        self.token = token
        self.accounts = accounts
        self.ui = Ui_ImportDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.ui.formatCombo.addItem(self.tr("Auto-detect from the file"), "")
        for fmt in FORMATS:
            self.ui.formatCombo.addItem(format_label(fmt), fmt)
        self.ui.accountCombo.addItem(self.tr("As the file says"), -1)
        for number, account in enumerate(accounts):
            self.ui.accountCombo.addItem(self._account_text(account), number)
        self.ui.browseButton.clicked.connect(self._browse)
        self.ui.mappingBrowseButton.clicked.connect(self._browse_mapping)
        self.ui.mapColumnsButton.clicked.connect(self.map_columns)
        self.ui.savedMappingCombo.currentIndexChanged.connect(self._saved_mapping_chosen)
        self.mapping_dialog: CsvMappingDialog | None = None
        self.ui.importButton.clicked.connect(self.start)
        self.ui.cancelImportButton.clicked.connect(self.cancel)
        self.ui.progressPanel.setVisible(False)
        self.relay = _Relay(self)
        self.relay.progressed.connect(self._progressed)
        self._cancel = threading.Event()
        self._running = False
        self._name = ""
        self._load_saved_mappings()
        set_message(self.ui.messageLabel, "")
        self.ui.fileEdit.setFocus()

    def _account_text(self, account: OfficialAccountView) -> str:
        return self.tr("{handle} ({platform})").format(
            handle=account.handle, platform=platform_label(account.platform)
        )

    @property
    def running(self) -> bool:
        """Tell whether an import is under way."""
        return self._running

    @property
    def message(self) -> str:
        """The report or refusal shown in the dialog."""
        return self.ui.messageLabel.text()

    # choosing -----------------------------------------------------------------------------

    def _browse(self) -> None:
        start = self.ui.fileEdit.text().strip() or str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose an export file"), start, self.tr(FILE_FILTER)
        )
        if chosen:
            self.ui.fileEdit.setText(chosen)

    def _browse_mapping(self) -> None:
        start = self.ui.mappingEdit.text().strip() or self.ui.fileEdit.text().strip()
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a CSV column mapping"),
            start or str(Path.home()),
            self.tr("Mappings (*.json);;All files (*)"),
        )
        if chosen:
            self.ui.mappingEdit.setText(chosen)

    # saved CSV mappings (issue 17) ----------------------------------------------------------

    def _load_saved_mappings(self, select: str = "") -> None:
        combo = self.ui.savedMappingCombo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("Typical export headers"), "")
        for name in self.desk.csv_mappings.names():
            combo.addItem(name, name)
        combo.setCurrentIndex(max(combo.findData(select), 0))
        combo.blockSignals(False)
        self._saved_mapping_chosen()

    def _saved_mapping_chosen(self) -> None:
        named = bool(self.ui.savedMappingCombo.currentData())
        self.ui.mappingEdit.setEnabled(not named and not self._running)
        self.ui.mappingBrowseButton.setEnabled(not named and not self._running)

    def saved_mapping(self) -> str:
        """The saved mapping chosen ('' for none)."""
        return str(self.ui.savedMappingCombo.currentData() or "")

    def choose_saved_mapping(self, name: str) -> None:
        """Choose the saved mapping ``name`` ('' for none), as a person would."""
        self.ui.savedMappingCombo.setCurrentIndex(max(self.ui.savedMappingCombo.findData(name), 0))

    def map_columns(self) -> CsvMappingDialog | None:
        """Open the column mapping for the chosen CSV file (starting from the chosen mapping)."""
        text = self.ui.fileEdit.text().strip()
        if not text:
            set_message(self.ui.messageLabel, self.tr("Choose the CSV file to map first."))
            self.ui.fileEdit.setFocus()
            return None
        name = self.saved_mapping()
        start = None
        if name:
            try:
                start = self.desk.csv_mappings.named(name)
            except DeskError as exc:
                set_message(self.ui.messageLabel, exc.message)
                return None
        dialog = CsvMappingDialog(
            self.desk, self.worker, self.token, Path(text).expanduser(), start, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.saved.connect(self._mapping_saved)
        dialog.destroyed.connect(lambda _o=None: setattr(self, "mapping_dialog", None))
        self.mapping_dialog = dialog
        dialog.open()
        return dialog

    def _mapping_saved(self, name: str) -> None:
        self._load_saved_mappings(select=name)
        self.ui.formatCombo.setCurrentIndex(max(self.ui.formatCombo.findData("csv"), 0))
        set_message(
            self.ui.messageLabel,
            self.tr("Saved the mapping “{name}”: Import reads the file through it.").format(
                name=name
            ),
            "info",
        )
        self.ui.importButton.setFocus()

    def set_file(self, path: Path, fmt: str = "") -> None:
        """Fill in the file (and format) as if chosen with Browse."""
        self.ui.fileEdit.setText(str(path))
        found = self.ui.formatCombo.findData(fmt)
        self.ui.formatCombo.setCurrentIndex(max(found, 0))

    def _chosen_account(self) -> OfficialAccountView | None:
        number = int(self.ui.accountCombo.currentData())
        return self.accounts[number] if number >= 0 else None

    # running ------------------------------------------------------------------------------

    def start(self) -> None:
        """Import the chosen file on the worker, showing progress."""
        if self._running:
            return
        text = self.ui.fileEdit.text().strip()
        if not text:
            set_message(self.ui.messageLabel, self.tr("Choose a file to import."))
            self.ui.fileEdit.setFocus()
            return
        path = Path(text).expanduser()
        fmt = str(self.ui.formatCombo.currentData()) or None
        account = self._chosen_account()
        mapping_text = self.ui.mappingEdit.text().strip()
        source = ImportSource(
            path,
            fmt,
            account.handle if account else None,
            Path(mapping_text).expanduser() if mapping_text else None,
            account.platform if account else None,
        )
        saved, mappings = self.saved_mapping(), self.desk.csv_mappings
        importer, token, relay = self.desk.importer, self.token(), self.relay
        cancel = self._cancel = threading.Event()
        expected = [0]

        def told(count: int | None) -> None:
            expected[0] = count or 0
            relay.progressed.emit(0, expected[0])

        def job() -> FileImport:
            chosen = replace(source, mapping=mappings.named(saved)) if saved else source
            # read once, each record checked as it is stored: a bad one rolls it all back
            return importer.import_file(
                token,
                chosen,
                progress=lambda n: relay.progressed.emit(n, expected[0]),
                cancelled=cancel.is_set,
                expected=told,
            )

        self._name = path.name
        set_message(self.ui.messageLabel, "")
        self._set_running(True, path)
        log.info("import of %s started", path.name)
        self.worker.run(job, self._finished, self._failed, context=self)

    def _set_running(self, running: bool, path: Path | None = None) -> None:
        """Show the progress row under the fields (and lock the fields) while importing."""
        self._running = running
        for widget in (
            self.ui.fileEdit,
            self.ui.browseButton,
            self.ui.formatCombo,
            self.ui.accountCombo,
            self.ui.mappingEdit,
            self.ui.mappingBrowseButton,
            self.ui.savedMappingCombo,
            self.ui.mapColumnsButton,
            self.ui.importButton,
        ):
            widget.setEnabled(not running)
        if not running:
            self._saved_mapping_chosen()
        panel = self.ui.progressPanel
        if running and path is not None:
            self.ui.progressLabel.setText(self.tr("Reading {name}…").format(name=path.name))
            self.ui.progressBar.setRange(0, 0)  # busy until the count is known
            self.ui.cancelImportButton.setEnabled(True)
            panel.setVisible(True)
            self._fit_height()
            self.ui.cancelImportButton.setFocus()
        elif not running:
            had_focus = panel.isAncestorOf(self.focusWidget())
            panel.setVisible(False)
            if had_focus:
                self.ui.importButton.setFocus()

    def _fit_height(self) -> None:
        """Grow the dialog (never shrink it) so that the progress row fits below the fields."""
        layout = self.ui.mainLayout
        width = self.width()
        needed = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if needed > self.height():
            self.resize(width, needed)

    def cancel(self) -> None:
        """Stop the import at its next check; nothing from the file is stored."""
        if self._running:
            self._cancel.set()
            self.ui.cancelImportButton.setEnabled(False)
            self.ui.progressLabel.setText(self.tr("Cancelling: nothing will be imported…"))

    @property
    def progress_text(self) -> str:
        """What the progress row says ('' when no import is under way)."""
        return self.ui.progressLabel.text() if self._running else ""

    def _progressed(self, done: int, total: int) -> None:
        if not self._running or self._cancel.is_set():
            return
        if not total:  # a format that cannot tell how many records are coming
            self.ui.progressLabel.setText(
                self.tr("Checking and storing {name}: {n} records").format(
                    name=self._name, n=f"{done:,}"
                )
            )
        else:
            self.ui.progressLabel.setText(
                self.tr("Checking and storing {name}: {done} of about {total} records").format(
                    name=self._name, done=f"{done:,}", total=f"{total:,}"
                )
            )
            self.ui.progressBar.setRange(0, max(total, 1))
            self.ui.progressBar.setValue(min(done, total))

    def _close_progress(self) -> None:
        self._set_running(False)

    def _finished(self, result: FileImport) -> None:
        self._close_progress()
        report = result.report
        name = Path(report.source).name
        parts = [
            self.tr("{n} records").format(n=f"{report.total:,}"),
            self.tr("{n} added").format(n=f"{report.added:,}"),
            self.tr("{n} already here").format(n=f"{report.duplicates:,}"),
            self.tr("{n} new cases").format(n=f"{report.cases_opened:,}"),
            self.tr("{n} joined open cases").format(n=f"{report.cases_joined:,}"),
        ]
        text = self.tr("Imported {name} ({format}): {parts}.").format(
            name=name, format=format_label(result.format), parts=" · ".join(parts)
        )
        if report.by_priority:
            text += " " + self.tr("New by priority: {list}.").format(
                list=" · ".join(f"P{p} {n}" for p, n in sorted(report.by_priority.items()))
            )
        passed = result.passed
        if passed.total:
            ordered = sorted(passed.counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
            reasons = " · ".join(
                f"{self.tr(PASSED_REASONS.get(str(reason), str(reason)))}: {count:,}"
                for reason, count in ordered
            )
            text += " " + self.tr("Passed over: {reasons}.").format(reasons=reasons)
        elif result.skipped:
            text += " " + self.tr(
                "Records that were not items (likes, follows), passed over: {n}."
            ).format(n=result.skipped)
        set_message(self.ui.messageLabel, text, "info")
        log.info("import of %s finished: %s added", name, report.added)
        self.imported.emit(report)

    def _failed(self, error: Exception) -> None:
        self._close_progress()
        if isinstance(error, AccountNeeded):
            self._ask_account(error)
        elif isinstance(error, UnknownOfficialAccounts):
            self._unknown_accounts(error)
        elif isinstance(error, ImportCancelled):
            set_message(
                self.ui.messageLabel,
                self.tr("Import cancelled: nothing from the file was imported."),
                "info",
            )
        elif isinstance(error, (SessionEnded, ReauthenticationRequired)):
            self.service_refused.emit(error)
        elif isinstance(error, ImportRefused) and error.row == 1 and error.column is not None:
            # the mapping's columns are not this file's: offer to map them (issue 17)
            set_message(
                self.ui.messageLabel,
                error.message.rstrip(".")
                + ". "
                + self.tr("Use Map columns… to tell Desk which column holds each field."),
            )
            self.ui.mapColumnsButton.setFocus()
        elif isinstance(error, DeskError):
            set_message(self.ui.messageLabel, error.message)  # names file, line, field
        else:
            log.error("import failed unexpectedly: %s", type(error).__name__)
            set_message(
                self.ui.messageLabel,
                self.tr(
                    "Desk could not import the file (the details are in Desk's log). "
                    "Nothing from it was imported."
                ),
            )

    def _unknown_accounts(self, error: UnknownOfficialAccounts) -> None:
        """Name every account the file uses that the desk does not have, at once."""
        named = [
            self.tr("{handle} on {platform}").format(handle=h, platform=platform_label(p))
            for p, h, _record in error.accounts
        ]
        if len(named) == 1:
            text = self.tr(
                "Nothing was imported: the file names an account that is not an official "
                "account of this desk: {accounts}. An administrator adds it (desk-admin "
                "official-account add), then import the file again."
            )
        else:
            text = self.tr(
                "Nothing was imported: the file names {n} accounts that are not official "
                "accounts of this desk: {accounts}. An administrator adds them (desk-admin "
                "official-account add), then import the file again."
            )
        set_message(self.ui.messageLabel, text.format(n=len(named), accounts="; ".join(named)))

    def _ask_account(self, error: AccountNeeded) -> None:
        set_message(self.ui.messageLabel, error.message)
        choices = [(self._account_text(a), n) for n, a in enumerate(self.accounts)]
        dialog = ChoiceDialog(
            self.tr("Which official account?"),
            self.tr(
                "{problem}\n\nWhich official account did these items arrive on? "
                "Records that name their account keep it."
            ).format(problem=error.message),
            choices,
            self.tr("Import with this account"),
            self,
        )
        dialog.setObjectName("accountChoice")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.submitted.connect(lambda number: self._account_chosen(dialog, int(number)))
        dialog.open()

    def _account_chosen(self, dialog: ChoiceDialog, number: int) -> None:
        dialog.finish()
        found = self.ui.accountCombo.findData(number)
        self.ui.accountCombo.setCurrentIndex(max(found, 0))
        self.start()

    def reject(self) -> None:
        """Closing while importing cancels the import first."""
        self.cancel()
        super().reject()
