"""The access review: every account, its role and state, last sign-in and who approved it.

Administrators see it as a tab of the People dialog; supervisors open it read-only from the
Supervisor menu. Either can export it as CSV for the force's periodic access review.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.core.csv_safety import write_csv as write_marked_csv
from desk.core.marking import DEFAULT_MARKING
from desk.core.roles import role_name
from desk.gui.formatting import local_time
from desk.gui.pdf_export import choose_save_path
from desk.gui.plain_text import plain_tip
from desk.gui.screen_fit import fit_to_screen
from desk.services.people import AccessReviewRow

_CONTEXT = "AccessReview"

(
    COL_USERNAME,
    COL_NAME,
    COL_ROLE,
    COL_STATUS,
    COL_LAST_SIGNIN,
    COL_APPROVED_BY,
    COL_ROLE_CHANGED,
    COL_INVESTIGATION,
) = range(8)
HEADERS = (
    "Username",
    "Name",
    "Role",
    "Status",
    "Last sign-in",
    "Approved by",
    "Role changed",
    "Investigation",
)  # translated in headerData
DISABLED_FOREGROUND = QColor("#5c5c5c")
INVESTIGATION_BACKGROUND = QColor("#fff0c2")


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def status_text(row: AccessReviewRow) -> str:
    """Return 'Active', 'Active (locked)' or 'Disabled <when>'."""
    if not row.active:
        if row.disabled_at is None:
            return _tr("Disabled")
        return _tr("Disabled {when}").format(when=local_time(row.disabled_at))
    return _tr("Active (locked)") if row.locked else _tr("Active")


def cells(row: AccessReviewRow) -> tuple[str, ...]:
    """Return one account's cells, in column order, as shown and exported."""
    return (
        row.username,
        row.display_name,
        role_name(row.role),
        status_text(row),
        local_time(row.last_login_at) if row.last_login_at else _tr("never"),
        row.approved_by or _tr("not recorded"),
        local_time(row.role_changed_at) if row.role_changed_at else "",
        _tr("yes") if row.under_investigation else _tr("no"),
    )


def write_csv(path: Path, rows: list[AccessReviewRow], marking: str = DEFAULT_MARKING) -> None:
    """Write the access review to ``path`` as marked, formula-safe UTF-8 CSV."""
    with path.open("w", encoding="utf-8", newline="") as out:
        write_marked_csv(out, [_tr(h) for h in HEADERS], (cells(r) for r in rows), marking)


class AccessReviewModel(QAbstractTableModel):
    """Every account (a small list, fully loaded); disabled ones greyed, investigations tinted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AccessReviewRow] = []
        self._cells: list[tuple[str, ...]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: list[AccessReviewRow]) -> None:
        """Replace the accounts shown."""
        self.beginResetModel()
        self._rows = list(rows)
        self._cells = [cells(r) for r in self._rows]
        self.endResetModel()

    @property
    def rows(self) -> list[AccessReviewRow]:
        """The accounts, in username order."""
        return list(self._rows)

    def row_at(self, row: int) -> AccessReviewRow:
        """Return the account in ``row``."""
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Return the number of accounts (a table has no children)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Return the number of columns."""
        return 0 if parent.isValid() else len(HEADERS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Return a cell's text; grey for disabled accounts, a tint for investigations."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(self._cells[index.row()][index.column()])
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.under_investigation:
                return QBrush(QColor("#1a1a1a"))
            if not row.active:
                return QBrush(DISABLED_FOREGROUND)
        if role == Qt.ItemDataRole.BackgroundRole and row.under_investigation:
            return QBrush(INVESTIGATION_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole and row.under_investigation:
            return self._bold
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Return the column titles."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return _tr(HEADERS[section])
        return None


class AccessReviewView(QWidget):
    """The review's table with a filter box, a count, Refresh and Export CSV."""

    refresh_requested = Signal()
    exported = Signal(str)  # the file written

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AccessReviewModel(self)
        self.marking = DEFAULT_MARKING
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("reviewFilterEdit")
        self.filter_edit.setPlaceholderText(self.tr("Filter by name, role, approver…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.table = QTableView(self)
        self.table.setObjectName("accessReviewTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_USERNAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the name takes the spare width, or gives it up first (its tooltip has it whole):
        # every other column, the last one too, keeps room for its heading
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("reviewCountLabel")
        self.count_label.setWordWrap(True)
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setObjectName("reviewRefreshButton")
        self.export_button = QPushButton(self.tr("&Export CSV…"), self)
        self.export_button.setObjectName("exportCsvButton")
        for button in (self.refresh_button, self.export_button):
            button.setAutoDefault(False)

        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.refresh_button)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.filter_edit.textChanged.connect(self._filter)
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.export_button.clicked.connect(self._ask_export)

    def set_marking(self, marking: str) -> None:
        """Set the protective marking the exported CSV carries."""
        self.marking = marking

    def set_rows(self, rows: list[AccessReviewRow]) -> None:
        """Show ``rows``, keeping the filter."""
        self.model.set_rows(rows)
        self._count()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._count()

    def _count(self) -> None:
        rows = self.model.rows
        active = sum(1 for r in rows if r.active)
        text = self.tr("{n} accounts: {active} active, {disabled} disabled").format(
            n=len(rows), active=active, disabled=len(rows) - active
        )
        if self.proxy.rowCount() != len(rows):
            text += " · " + self.tr("{shown} match the filter").format(shown=self.proxy.rowCount())
        self.count_label.setText(text)

    def visible_rows(self) -> list[AccessReviewRow]:
        """Return the accounts the filter lets through, in the order shown."""
        return [
            self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
            for r in range(self.proxy.rowCount())
        ]

    def selected(self) -> AccessReviewRow | None:
        """Return the selected account, if any."""
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def select(self, username: str) -> bool:
        """Select the account called ``username``; tell whether it is shown."""
        for r in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(r, 0))
            if self.model.row_at(source.row()).username == username:
                self.table.selectRow(r)
                self.table.setCurrentIndex(self.proxy.index(r, 0))
                return True
        return False

    def _ask_export(self) -> None:
        path = choose_save_path(
            self,
            self.tr("Export the access review"),
            "access-review.csv",
            self.tr("CSV files (*.csv)"),
            suffix=".csv",
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write every account (not only the filtered ones) to ``path`` as CSV."""
        try:
            write_csv(path, self.model.rows, self.marking)
        except OSError as exc:
            self.count_label.setText(
                self.tr("The review was not exported: {problem}").format(
                    problem=exc.strerror or str(exc)
                )
            )
            return
        self.count_label.setText(self.tr("Exported to {path}").format(path=str(path)))
        self.exported.emit(str(path))


class AccessReviewDialog(QDialog):
    """The access review on its own, read-only (the Supervisor menu)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accessReviewDialog")
        self.setWindowTitle(self.tr("Access review"))
        intro = QLabel(
            self.tr(
                "Every account on this desk: its role, whether it is active, the last sign-in "
                "and who approved it. Administrators change these from Admin → People."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.view = AccessReviewView(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 1240, 540)
