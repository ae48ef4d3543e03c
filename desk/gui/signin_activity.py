"""Sign-in activity for supervisors: successes, failures (with reasons), locks and alerts."""

from __future__ import annotations

import json
from dataclasses import dataclass
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
from PySide6.QtWidgets import QDialog, QHeaderView, QWidget

from desk.gui.formatting import audit_time
from desk.gui.forms.ui_signin_activity_dialog import Ui_SigninActivityDialog
from desk.gui.plain_text import plain_tip
from desk.services.views import AuditView

_CONTEXT = "SigninActivity"

COL_TIME, COL_EVENT, COL_ACCOUNT, COL_DETAIL = range(4)
HEADERS = ("Time", "Event", "Account", "Detail")  # translated in headerData

# Why a sign-in failed, in words for supervisors (never shown to the person signing in).
REASONS = {
    "password": "wrong password",
    "code": "wrong or expired code",
    "code_reused": "code already used",
    "unknown_user": "no such account",
    "disabled": "account disabled",
    "locked": "account locked",
    "throttled": "refused: waiting after repeated failures",
    "not_enrolled": "no authenticator set up",
    "seal_broken": "authenticator key unreadable (keyring changed?)",
}
KINDS = {"gui": "desk window", "cli": "desk-admin"}
EMPHASISED_BACKGROUND = QColor("#fff0c2")


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


@dataclass(frozen=True)
class ActivityRow:
    """One audit entry put into words for the table."""

    seq: int
    time: str
    event: str
    account: str
    detail: str
    emphasised: bool


def _details(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _attempts(count: int) -> str:
    if count == 1:
        return _tr("1 failed attempt")
    return _tr("{n} failed attempts").format(n=count)


def _kind(details: dict[str, Any]) -> str | None:
    kind = details.get("kind")
    return _tr(KINDS[kind]) if kind in KINDS else None


def describe(entry: AuditView) -> ActivityRow:
    """Put a sign-in audit entry into words: what happened, to whom, and why."""
    details = _details(entry.details)
    account = entry.object.removeprefix("account:")
    parts: list[str] = []
    emphasised = False
    failures = int(details.get("failures", 0) or 0)
    if entry.action == "signin.success":
        event = _tr("Signed in")
        before = int(details.get("failures_before", 0) or 0)
        if before:
            parts.append(_tr("after {attempts}").format(attempts=_attempts(before)))
        parts.append(_kind(details) or "")
    elif entry.action == "signin.failure":
        event = _tr("Sign-in failed")
        reason = str(details.get("reason", ""))
        parts.append(_tr(REASONS[reason]) if reason in REASONS else reason)
        if failures:
            parts.append(_tr("{n} in a row").format(n=failures))
        parts.append(_kind(details) or "")
    elif entry.action == "signin.alert":
        event = _tr("ALERT: signed in after failures")
        emphasised = True
        parts.append(
            _tr("{attempts} first; the person was warned").format(attempts=_attempts(failures))
        )
    elif entry.action == "signin.lock":
        event = _tr("LOCKED: account locked")
        emphasised = True
        parts.append(
            _tr("after {attempts}; an administrator must unlock it").format(
                attempts=_attempts(failures)
            )
        )
    elif entry.action == "signin.unlock":
        event = _tr("Unlocked")
        parts.append(_tr("by {actor}").format(actor=entry.actor))
        if failures:
            parts.append(_tr("cleared {attempts}").format(attempts=_attempts(failures)))
    else:
        event = entry.action
        parts.extend(f"{key}: {value}" for key, value in sorted(details.items()))
    return ActivityRow(
        seq=entry.seq,
        time=audit_time(entry.at),
        event=event,
        account=account,
        detail="; ".join(p for p in parts if p),
        emphasised=emphasised,
    )


class SigninActivityModel(QAbstractTableModel):
    """A small read-only table over the newest sign-in events (fully loaded, at most 500)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ActivityRow] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_entries(self, entries: list[AuditView]) -> None:
        """Replace the rows with ``entries`` (newest first)."""
        self.beginResetModel()
        self._rows = [describe(e) for e in entries]
        self.endResetModel()

    def row_at(self, row: int) -> ActivityRow:
        """Return the described entry shown in ``row``."""
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Return the number of events (a table has no children)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Return the number of columns."""
        return 0 if parent.isValid() else len(HEADERS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Return a cell's text, and bold type and a tint for alerts and locks."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.time, row.event, row.account, row.detail)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:  # a name typed at sign-in: never read as HTML
            return plain_tip((row.time, row.event, row.account, row.detail)[index.column()])
        if role == Qt.ItemDataRole.FontRole and row.emphasised:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and row.emphasised:
            return QBrush(EMPHASISED_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and row.emphasised:
            return QBrush(QColor("#1a1a1a"))
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


class SigninActivityDialog(QDialog):
    """Shows sign-in activity with a filter box; asks its window to fetch on Refresh."""

    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_SigninActivityDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.model = SigninActivityModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.ui.activityTable.setModel(self.proxy)
        header = self.ui.activityTable.horizontalHeader()
        for column in (COL_TIME, COL_EVENT, COL_ACCOUNT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        # a long detail wraps onto a second line rather than being cut off
        rows = self.ui.activityTable.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.ui.filterEdit.textChanged.connect(self._filter)
        self.ui.refreshButton.clicked.connect(self.refresh_requested)

    def set_entries(self, entries: list[AuditView]) -> None:
        """Show ``entries`` (newest first), keeping the filter."""
        self.model.set_entries(entries)
        self._count()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._count()

    def _count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == total:
            text = self.tr("{n} events").format(n=total)
        else:
            text = self.tr("{shown} of {total} events match the filter").format(
                shown=shown, total=total
            )
        self.ui.countLabel.setText(text)

    def visible_rows(self) -> list[ActivityRow]:
        """Return the rows the filter lets through, in the order shown."""
        return [
            self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
            for r in range(self.proxy.rowCount())
        ]
