"""Map a CSV export's columns to Desk's fields, check every row, save the mapping (issue 17).

Opened from the Import dialog's "Map columns…" with a CSV file from a tool Desk has no mapping
for. It shows the file's columns with its first rows, offers a combo per Desk field (each field's
label is its buddy: keyboard first), checks the mapping against every row off the GUI thread
(problems listed by row and column; nothing is stored), and saves it under a name in the
database for the next export from the same tool (``CsvMappingService``, audited).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QTableWidgetItem, QWidget

from desk.core.errors import DeskError, ReauthenticationRequired, SessionEnded
from desk.core.items import ItemKind, Platform
from desk.gui.forms.ui_csv_mapping_dialog import Ui_CsvMappingDialog
from desk.gui.labels import kind_label, platform_label
from desk.gui.messages import set_message
from desk.gui.plain_text import plain_labels
from desk.gui.workers import Worker
from desk.services.csv_mappings import (
    DESK_FIELDS,
    REQUIRED,
    CsvMapping,
    CsvPreview,
    MappingCheck,
    build_mapping,
)
from desk.services.desk import Desk

log = logging.getLogger(__name__)

FIELD_NAMES: dict[str, Any] = {  # Any: QT_TRANSLATE_NOOP is typed as object
    "platform": QT_TRANSLATE_NOOP("CsvMappingDialog", "Platform"),
    "account": QT_TRANSLATE_NOOP("CsvMappingDialog", "Official account"),
    "kind": QT_TRANSLATE_NOOP("CsvMappingDialog", "Kind (reply, comment…)"),
    "id": QT_TRANSLATE_NOOP("CsvMappingDialog", "Message id"),
    "author_id": QT_TRANSLATE_NOOP("CsvMappingDialog", "Author id"),
    "author_handle": QT_TRANSLATE_NOOP("CsvMappingDialog", "Author handle"),
    "author_name": QT_TRANSLATE_NOOP("CsvMappingDialog", "Author name"),
    "text": QT_TRANSLATE_NOOP("CsvMappingDialog", "Text"),
    "posted_at": QT_TRANSLATE_NOOP("CsvMappingDialog", "Posted at"),
    "received_at": QT_TRANSLATE_NOOP("CsvMappingDialog", "Received at"),
    "link": QT_TRANSLATE_NOOP("CsvMappingDialog", "Link"),
    "media": QT_TRANSLATE_NOOP("CsvMappingDialog", "Media addresses"),
    "thread_id": QT_TRANSLATE_NOOP("CsvMappingDialog", "Thread id"),
    "thread_title": QT_TRANSLATE_NOOP("CsvMappingDialog", "Thread title"),
}
DELIMITERS: tuple[tuple[str, Any], ...] = (
    (",", QT_TRANSLATE_NOOP("CsvMappingDialog", "Comma ( , )")),
    (";", QT_TRANSLATE_NOOP("CsvMappingDialog", "Semicolon ( ; )")),
    ("\t", QT_TRANSLATE_NOOP("CsvMappingDialog", "Tab")),
    ("|", QT_TRANSLATE_NOOP("CsvMappingDialog", "Bar ( | )")),
)
FIXED = "="  # a combo's data for a fixed value (not a column): "=facebook"
SAMPLE_LENGTH = 24
WANTED_SIZE = (960, 720)


class _Relay(QObject):
    """Carries the check's progress from the worker thread to the GUI thread."""

    progressed = Signal(int)


class CsvMappingDialog(QDialog):
    """Builds, checks and saves a CSV column mapping for one file."""

    saved = Signal(str)  # the name the mapping was saved under

    def __init__(
        self,
        desk: Desk,
        worker: Worker,
        token: Callable[[], str],
        path: Path,
        start_from: CsvMapping | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.worker = worker
        self.token = token
        self.path = path
        self.start_from = start_from
        self.ui = Ui_CsvMappingDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        plain_labels(self.ui.fileNameLabel)
        self.ui.fileNameLabel.setText(self.tr("File: {path}").format(path=path))
        for value, text in DELIMITERS:
            self.ui.delimiterCombo.addItem(self.tr(text), value)
        self.combos: dict[str, QComboBox] = {}
        self.ui.fieldsScroll.viewport().setAutoFillBackground(False)  # the dialog's own colour
        self.ui.fieldsWidget.setAutoFillBackground(False)
        self._build_fields()
        self.preview: CsvPreview | None = None
        self.checked: tuple[CsvMapping, MappingCheck] | None = None
        self._cancel = threading.Event()
        self._busy = False
        self.relay = _Relay(self)
        self.relay.progressed.connect(self._progressed)
        self.ui.problemsList.hide()
        set_message(self.ui.messageLabel, "")
        if start_from is not None:
            self.ui.nameEdit.setText(start_from.name)
            self.ui.timeFormatEdit.setText(start_from.time_format or "")
            self.ui.timezoneEdit.setText(start_from.timezone or "")
        self.ui.delimiterCombo.activated.connect(lambda _i: self.load_preview(self._delimiter()))
        self.ui.checkButton.clicked.connect(self.check)
        self.ui.saveButton.clicked.connect(self.save)
        self.ui.cancelButton.clicked.connect(self.reject)
        self._fit()
        self._set_busy(True)
        self.load_preview(start_from.delimiter if start_from is not None else None)

    def _fit(self) -> None:
        """Open as large as the form wants, within the screen (the fields scroll if need be)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        width, height = WANTED_SIZE
        if screen is not None:
            area = screen.availableGeometry()
            width, height = min(width, area.width() - 40), min(height, area.height() - 60)
        self.resize(width, height)

    # the fields --------------------------------------------------------------------------

    def _build_fields(self) -> None:
        grid = self.ui.fieldsLayout
        previous: QWidget = self.ui.previewTable
        for number, field in enumerate(DESK_FIELDS):
            name = self.tr(FIELD_NAMES[field])
            label = QLabel(f"{name} *" if field in REQUIRED else name, self.ui.fieldsWidget)
            combo = QComboBox(self.ui.fieldsWidget)
            combo.setObjectName(f"field_{field}")
            combo.setAccessibleName(
                self.tr("{field}: which column holds it").format(field=name)
                + (self.tr(" (required)") if field in REQUIRED else "")
            )
            combo.currentIndexChanged.connect(self._changed)
            label.setBuddy(combo)
            row, pair = divmod(number, 2)
            grid.addWidget(label, row, pair * 2)
            grid.addWidget(combo, row, pair * 2 + 1)
            grid.setColumnStretch(pair * 2 + 1, 1)
            self.setTabOrder(previous, combo)
            previous = combo
            self.combos[field] = combo
        self.setTabOrder(previous, self.ui.nameEdit)

    def _fill_fields(self, preview: CsvPreview) -> None:
        """Offer the file's columns in every field's combo; choose the likely ones."""
        chosen = self._current_choices()
        if not chosen and self.start_from is not None:
            chosen = {f: c for f, c in self.start_from.columns.items()}
            chosen.update({f: FIXED + v for f, v in self.start_from.defaults.items()})
        if not chosen:
            chosen = {f: c for f, c in self.desk.csv_mappings.guess(preview.header).items()}
        first = preview.rows[0] if preview.rows else ()
        for field, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("— not in this file —"), "")
            for i, column in enumerate(preview.header):
                sample = first[i] if i < len(first) else ""
                sample = " ".join(sample.split())
                if len(sample) > SAMPLE_LENGTH:
                    sample = sample[: SAMPLE_LENGTH - 1] + "…"
                text = self.tr("{column}  (e.g. {sample})").format(column=column, sample=sample)
                combo.addItem(text if sample else column, column)
            if field == "platform":
                for platform in Platform:
                    combo.addItem(
                        self.tr("Always {platform}").format(
                            platform=platform_label(platform.value)
                        ),
                        FIXED + platform.value,
                    )
            elif field == "kind":
                for kind in ItemKind:
                    combo.addItem(
                        self.tr("Always {kind}").format(kind=kind_label(kind.value)),
                        FIXED + kind.value,
                    )
            found = combo.findData(chosen.get(field, ""))
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    def _current_choices(self) -> dict[str, str]:
        return {f: str(c.currentData()) for f, c in self.combos.items() if c.currentData()}

    def choose(self, field: str, column: str) -> None:
        """Choose ``column`` (or ``=value``, a fixed value) for ``field``, as a person would."""
        combo = self.combos[field]
        found = combo.findData(column)
        if found < 0:
            raise ValueError(f"{column!r} is not offered for {field}")
        combo.setCurrentIndex(found)

    def _changed(self) -> None:
        self.checked = None  # a changed mapping must be checked again

    def _delimiter(self) -> str:
        return str(self.ui.delimiterCombo.currentData())

    # the preview -------------------------------------------------------------------------

    def load_preview(self, delimiter: str | None = None) -> None:
        """Read the header and first rows off the GUI thread (the separator guessed if None)."""
        path, mappings = self.path, self.desk.csv_mappings
        encoding = self.start_from.encoding if self.start_from is not None else "utf-8-sig"
        self._set_busy(True)
        self.worker.run(
            lambda: mappings.preview(path, delimiter, encoding),
            self._previewed,
            self._failed,
            context=self,
        )

    def _previewed(self, preview: CsvPreview) -> None:
        self._set_busy(False)
        self.preview = preview
        self.checked = None
        found = self.ui.delimiterCombo.findData(preview.delimiter)
        self.ui.delimiterCombo.setCurrentIndex(max(found, 0))
        table = self.ui.previewTable
        table.clear()
        table.setColumnCount(len(preview.header))
        table.setRowCount(len(preview.rows))
        table.setHorizontalHeaderLabels(list(preview.header))
        for r, row in enumerate(preview.rows):
            for c, cell in enumerate(row[: len(preview.header)]):
                table.setItem(r, c, QTableWidgetItem(" ".join(cell.split())))
        table.resizeColumnsToContents()
        for c in range(table.columnCount()):
            table.setColumnWidth(c, min(table.columnWidth(c), 220))
        self._fill_fields(preview)
        self.combos["platform"].setFocus()

    # checking and saving -----------------------------------------------------------------

    def mapping(self) -> CsvMapping | str:
        """Return the mapping the dialog describes, or what is wrong with it."""
        columns: dict[str, str] = {}
        defaults: dict[str, str] = {}
        for field, value in self._current_choices().items():
            if value.startswith(FIXED):
                defaults[field] = value[len(FIXED) :]
            else:
                columns[field] = value
        missing = [self.tr(FIELD_NAMES[f]) for f in REQUIRED if f not in columns | defaults]
        if missing:
            return self.tr("Choose a column for: {fields}.").format(fields=", ".join(missing))
        settings: dict[str, Any] = {"columns": columns, "defaults": defaults}
        if self.start_from is not None:
            settings["encoding"] = self.start_from.encoding
        if text := self.ui.timeFormatEdit.text().strip():
            settings["time_format"] = text
        if text := self.ui.timezoneEdit.text().strip():
            settings["timezone"] = text
        name = " ".join(self.ui.nameEdit.text().split()) or self.path.stem
        try:
            return build_mapping(name, self._delimiter(), **settings)
        except DeskError as exc:
            return exc.message

    def check(self, then: Callable[[], None] | None = None) -> None:
        """Read every row through the mapping off the GUI thread; store nothing."""
        if self._busy:
            return
        made = self.mapping()
        if isinstance(made, str):
            set_message(self.ui.messageLabel, made)
            return
        path, mappings, relay = self.path, self.desk.csv_mappings, self.relay
        cancel = self._cancel = threading.Event()
        self._set_busy(True)
        set_message(self.ui.messageLabel, self.tr("Checking every row…"), "info")

        def job() -> MappingCheck:
            return mappings.check(path, made, relay.progressed.emit, cancel.is_set)

        def done(result: MappingCheck) -> None:
            self._set_busy(False)
            self.checked = (made, result)
            self._show_check(result)
            if then is not None and result.ok:
                then()

        self.worker.run(job, done, self._failed, context=self)

    def _progressed(self, rows: int) -> None:
        if self._busy:
            set_message(
                self.ui.messageLabel,
                self.tr("Checking every row… {n} read").format(n=f"{rows:,}"),
                "info",
            )

    def _show_check(self, result: MappingCheck) -> None:
        problems = self.ui.problemsList
        problems.clear()
        if result.ok:
            problems.hide()
            set_message(
                self.ui.messageLabel,
                self.tr("All {n} rows read cleanly through this mapping.").format(
                    n=f"{result.rows:,}"
                ),
                "info",
            )
            return
        for p in result.problems:
            problems.addItem(f"{p.place}: {p.problem}" if p.place else p.problem)
        if result.more:
            problems.addItem(self.tr("… and {n} more problems").format(n=f"{result.more:,}"))
        problems.show()
        count = len(result.problems) + result.more
        set_message(
            self.ui.messageLabel,
            self.tr(
                "{n} problems in {rows} rows: nothing can be imported through this mapping "
                "yet. Change the columns or the time format, then check again."
            ).format(n=f"{count:,}", rows=f"{result.rows:,}"),
        )
        problems.setCurrentRow(0)

    def save(self) -> None:
        """Check every row (unless this mapping was just checked), then save it by name."""
        if self._busy:
            return
        if not self.ui.nameEdit.text().strip():
            set_message(
                self.ui.messageLabel,
                self.tr("Give the mapping a name, such as the tool the export comes from."),
            )
            self.ui.nameEdit.setFocus()
            return
        made = self.mapping()
        if isinstance(made, str):
            set_message(self.ui.messageLabel, made)
            return
        if self.checked is None or self.checked[0] != made:
            self.check(then=self.save)
            return
        if not self.checked[1].ok:
            return  # the problems are listed: nothing is saved
        mappings, token = self.desk.csv_mappings, self.token()
        self._set_busy(True)
        self.worker.run(lambda: mappings.save(token, made), self._saved, self._failed, context=self)

    def _saved(self, mapping: CsvMapping) -> None:
        self._set_busy(False)
        log.info("CSV mapping saved")
        self.saved.emit(mapping.name)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self._set_busy(False)
        if isinstance(error, (SessionEnded, ReauthenticationRequired)):
            self.reject()
            return
        if isinstance(error, DeskError):
            set_message(self.ui.messageLabel, error.message)
        else:
            log.error("CSV mapping failed unexpectedly: %s", type(error).__name__)
            set_message(
                self.ui.messageLabel,
                self.tr("Desk could not read the file (the details are in Desk's log)."),
            )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.ui.checkButton, self.ui.saveButton, self.ui.delimiterCombo):
            widget.setEnabled(not busy)

    @property
    def busy(self) -> bool:
        """Whether a preview, check or save is under way."""
        return self._busy

    @property
    def message(self) -> str:
        """What the dialog's message line says."""
        return self.ui.messageLabel.text()

    def problems(self) -> list[str]:
        """Return the listed problems, as shown."""
        listed = self.ui.problemsList
        return [listed.item(i).text() for i in range(listed.count())]

    def reject(self) -> None:
        """Closing stops a check under way."""
        self._cancel.set()
        super().reject()
