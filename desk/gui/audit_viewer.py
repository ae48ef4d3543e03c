"""Supervisor → Audit log…: read the audit chain filtered, page back, export CSV or JSON.

Supervisors and administrators both open it from the Supervisor menu (one place). Pages are
read newest first with keyset paging (``Show older`` asks for entries before the last one
shown), so the viewer stays quick on a log of a million entries.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QHeaderView, QWidget

from desk.core.audit_export import audit_json, details_value, write_audit_csv
from desk.core.audit_filter import AuditFilter
from desk.core.errors import DeskError, InvalidInput
from desk.core.roles import Action
from desk.core.shifts import parse_moment
from desk.gui.formatting import local_time
from desk.gui.forms.ui_audit_viewer import Ui_AuditViewer
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.messages import set_message
from desk.gui.operations import QueryOp
from desk.gui.pdf_export import choose_save_path
from desk.gui.plain_text import plain_tip
from desk.gui.screen_fit import fit_to_screen
from desk.gui.shell import Shell
from desk.services.audit import AuditExport
from desk.services.views import AuditView

PAGE = 200
COLUMNS = ("#", "When", "Person", "Action", "Object", "Details")
COL_OBJECT = 4
COL_DETAILS = 5


def _when(text: str) -> str:
    try:
        return local_time(datetime.fromisoformat(text.replace("Z", "+00:00")), with_seconds=True)
    except ValueError:
        return text


def _details(text: str) -> str:
    value = details_value(text)
    if not isinstance(value, dict):
        return text
    return "  ".join(
        f"{k}={v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}"
        for k, v in value.items()
    )


class AuditModel(QAbstractTableModel):
    """The entries shown, newest first; pages are appended."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[AuditView] = []
        self._cells: list[tuple[str, ...]] = []

    def set_entries(self, entries: list[AuditView], append: bool = False) -> None:
        """Show ``entries`` (after those shown when ``append``)."""
        self.beginResetModel()
        self.entries = (self.entries if append else []) + list(entries)
        self._cells = [
            (str(e.seq), _when(e.at), e.actor, e.action, e.object, _details(e.details))
            for e in self.entries
        ]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """The number of entries shown."""
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """The number of columns."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        """The cell's text (and the whole details as a tooltip)."""
        if not index.isValid():
            return None
        text = self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (COL_OBJECT, COL_DETAILS):
            return plain_tip(text)  # handles and names: never read as HTML
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        """The column headings."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section])
        return None


class AuditViewer(QDialog):
    """The filters, the entries and the export buttons; asks, never reads the desk itself."""

    search = Signal()  # the filters were applied: read the first page
    older = Signal()  # read the next page
    export = Signal(str)  # "csv" or "json"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_AuditViewer()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setObjectName("auditViewer")
        self.model = AuditModel(self)
        self.ui.entriesTable.setModel(self.model)
        header = self.ui.entriesTable.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_DETAILS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_OBJECT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_OBJECT, 260)  # the whole name is in the tooltip
        self.has_more = False
        self.ui.applyButton.clicked.connect(self.search)
        for edit in (
            self.ui.caseEdit,
            self.ui.actorEdit,
            self.ui.actionEdit,
            self.ui.sinceEdit,
            self.ui.untilEdit,
        ):
            edit.returnPressed.connect(self.search)
        self.ui.moreButton.clicked.connect(self.older)
        self.ui.exportCsvButton.clicked.connect(lambda: self.export.emit("csv"))
        self.ui.exportJsonButton.clicked.connect(lambda: self.export.emit("json"))
        self._update()
        fit_to_screen(self, 1200, 640)

    def filters(self) -> AuditFilter:
        """Return the filters typed, or raise InvalidInput naming the field that is wrong."""
        ui = self.ui
        case_text = ui.caseEdit.text().strip().removeprefix("#")
        case_id = None
        if case_text:
            if not case_text.isdigit():
                raise InvalidInput(
                    self.tr("Case: '{text}' is not a case number.").format(text=case_text)
                )
            case_id = int(case_text)
        since = self._moment(self.tr("From"), ui.sinceEdit.text())
        until = self._moment(self.tr("To"), ui.untilEdit.text())
        return AuditFilter(
            case_id=case_id,
            actor=ui.actorEdit.text().strip(),
            action_prefix=ui.actionEdit.text().strip(),
            since=since,
            until=until,
        )

    @staticmethod
    def _moment(field: str, text: str) -> datetime | None:
        if not text.strip():
            return None
        try:
            return parse_moment(text)
        except InvalidInput as exc:
            raise InvalidInput(f"{field}: {exc.message}") from None

    def show_page(self, entries: list[AuditView], append: bool) -> None:
        """Show a page read (after those shown when ``append``)."""
        self.has_more = len(entries) == PAGE
        self.model.set_entries(entries, append)
        set_message(self.ui.messageLabel, "")
        self._update()

    def last_seq(self) -> int | None:
        """The oldest entry shown: the next page starts before it."""
        return self.model.entries[-1].seq if self.model.entries else None

    def refuse(self, message: str) -> None:
        """Say what is wrong with the filters or the export."""
        set_message(self.ui.messageLabel, message)

    def said(self, message: str) -> None:
        """Say what was done."""
        set_message(self.ui.messageLabel, message, "info")

    def _update(self) -> None:
        count = len(self.model.entries)
        if count == 0:
            text = self.tr("No entries match these filters.")
        elif self.has_more:
            text = self.tr("{n} newest entries shown; Show older for more.").format(n=count)
        else:
            text = self.tr("{n} entries: all that match.").format(n=count)
        self.ui.countLabel.setText(text)
        self.ui.moreButton.setEnabled(self.has_more)
        self.ui.exportCsvButton.setEnabled(count > 0)
        self.ui.exportJsonButton.setEnabled(count > 0)


def write_export(path: Path, export: AuditExport, kind: str) -> Path:
    """Write an audit export to ``path`` as marked CSV or JSON; return the path."""
    try:
        if kind == "csv":
            with path.open("w", encoding="utf-8", newline="") as out:
                write_audit_csv(out, export.entries, export.marking)
        else:
            data = audit_json(
                export.entries,
                export.marking,
                export.filters,
                export.exported_at,
                export.exported_by,
            )
            path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    except OSError as exc:
        raise InvalidInput(f"Could not write {path}: {exc.strerror or exc}.") from None
    return path


class AuditLogMenu(QObject):
    """Supervisor → Audit log… (supervisors and administrators)."""

    def __init__(self, shell: Shell, ui: Ui_MainWindow) -> None:
        super().__init__(shell)
        self.shell = shell
        self.viewer: AuditViewer | None = None
        self.where = AuditFilter()
        self.action = QAction(self.tr("Audit &log…"), shell.window)
        self.action.setObjectName("actionAuditLog")
        self.action.setStatusTip(
            self.tr("Read the audit log by case, person, action and period; export it")
        )
        ui.menuSupervisor.addAction(self.action)
        shell.guard(self.action, Action.VIEW_AUDIT)
        self.action.triggered.connect(self.open)
        self.choose_path: Callable[[str], str | None] = self._ask_path  # tests replace it

    def _ask_path(self, kind: str) -> str | None:
        kinds = self.tr("CSV files (*.csv)") if kind == "csv" else self.tr("JSON files (*.json)")
        return choose_save_path(
            self.shell.window,
            self.tr("Export the audit log"),
            f"audit-log.{kind}",
            kinds,
            suffix=f".{kind}",
        )

    def open(self) -> AuditViewer:
        """Open the viewer and read the newest entries."""
        viewer = AuditViewer(self.shell.window)
        viewer.search.connect(self._search)
        viewer.older.connect(self._older)
        viewer.export.connect(self._export)
        viewer.destroyed.connect(self._gone)
        self.viewer = viewer
        self.shell.open_dialog(viewer, "auditViewer")
        self._search()
        return viewer

    def _gone(self) -> None:
        self.viewer = None

    def _read(self, before: int | None) -> None:
        viewer = self.viewer
        if viewer is None:
            return
        desk, token, where = self.shell.desk, self.shell.token, self.where
        QueryOp(self.shell, lambda: desk.audit.find(token, where, PAGE, before)).success(
            lambda page: viewer.show_page(page, before is not None)
        ).failure(lambda exc: viewer.refuse(exc.message)).run()

    def _search(self) -> None:
        viewer = self.viewer
        if viewer is None:
            return
        try:
            self.where = viewer.filters()
        except DeskError as exc:
            viewer.refuse(exc.message)
            return
        self._read(None)

    def _older(self) -> None:
        if self.viewer is not None and self.viewer.has_more:
            self._read(self.viewer.last_seq())

    def _export(self, kind: str) -> None:
        viewer = self.viewer
        chosen = self.choose_path(kind)
        if viewer is None or not chosen:
            return
        desk, token, where, path = self.shell.desk, self.shell.token, self.where, Path(chosen)
        QueryOp(
            self.shell, lambda: write_export(path, desk.audit.export(token, where), kind)
        ).success(
            lambda written: viewer.said(self.tr("Exported to {name}.").format(name=written.name))
        ).failure(lambda exc: viewer.refuse(exc.message)).run()
