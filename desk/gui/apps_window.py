"""Admin → Third-party apps…: the register of apps with access to official accounts.

A table (app, accounts, access, approved by, review due: an overdue review in bold and colour
and saying OVERDUE), the selected app's details, and Add / Change / Review / Revoke through
dialogs (:mod:`desk.gui.app_dialogs`). Every call runs as an operation; the service decides
who may do what (administrators and communications).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont
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
    QVBoxLayout,
    QWidget,
)

from desk.core.roles import Action
from desk.core.subject_access import local_day
from desk.gui.action_buttons import FlowLayout
from desk.gui.app_dialogs import AppEntryDialog, AppReviewDialog, AppRevokeDialog
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.plain_text import plain_labels, plain_tip
from desk.gui.screen_fit import fit_to_screen
from desk.gui.shell import Shell
from desk.gui.table_rows import fill_rows
from desk.services.official_accounts import OfficialAccountView
from desk.services.third_party_apps import AppView

_CONTEXT = "AppsWindow"

COL_APP, COL_ACCOUNTS, COL_ACCESS, COL_APPROVED, COL_REVIEW = range(5)
HEADERS = ("App", "Accounts", "Access", "Approved by", "Review due")  # translated when shown
OVERDUE_COLOUR = QColor("#b00020")  # red: readable on the light and dark palettes' base
REVOKED_COLOUR = QColor("#6b6b6b")


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def day_text(day: date) -> str:
    """A day as people read it: ``24 Feb 2027``."""
    return f"{day.day} {day:%b %Y}"


def review_text(view: AppView) -> str:
    """The review column: the day due, OVERDUE when it is, or when it was revoked."""
    if not view.active and view.revoked_on is not None:
        return _tr("Revoked {day}").format(day=day_text(view.revoked_on))
    due = day_text(view.review_due_on)
    return _tr("{day} — OVERDUE").format(day=due) if view.review_overdue else due


def accounts_text(view: AppView) -> str:
    """The accounts it reaches, a closed one marked."""
    return ", ".join(
        _tr("{handle} on {platform}").format(handle=a.handle, platform=a.platform)
        + ("" if a.active else " " + (_tr("(closed: revoke)") if view.active else _tr("(closed)")))
        for a in view.accounts
    )


def cells(view: AppView) -> tuple[str, ...]:
    """One app's cells, in column order."""
    return (
        f"{view.name} ({view.reference})",
        accounts_text(view),
        view.access_text,
        f"{view.approved_by_name} · {day_text(view.approved_on)}",
        review_text(view),
    )


def details_text(view: AppView) -> str:
    """The selected app's entry in full, for the label under the table."""
    lines = [
        _tr("{name} ({ref}). Why critically necessary: {why}").format(
            name=view.name, ref=view.reference, why=view.necessity
        ),
        _tr("Approved by {name} ({username}) on {day}; recorded by {by}.").format(
            name=view.approved_by_name,
            username=view.approved_by,
            day=day_text(view.approved_on),
            by=view.recorded_by,
        ),
    ]
    if view.last_review_on is not None:
        lines.append(
            _tr("Last reviewed {day} by {by}{note}.").format(
                day=day_text(view.last_review_on),
                by=view.last_reviewed_by,
                note=f": {view.review_note}" if view.review_note else "",
            )
        )
    if view.revoked_on is not None:
        lines.append(
            _tr("Revoked {day} by {by}: {why}").format(
                day=day_text(view.revoked_on), by=view.revoked_by, why=view.revoked_reason
            )
        )
    elif view.closed_accounts:
        lines.append(
            _tr("Revoke its access to {accounts}: that account has closed.").format(
                accounts=", ".join(a.label.removesuffix(" (closed)") for a in view.closed_accounts)
            )
        )
    return "\n".join(lines)


class AppsWindow(QDialog):
    """The register's table, the selected app's details and the buttons."""

    refresh_requested = Signal()
    add_requested = Signal()
    edit_requested = Signal(int)
    review_requested = Signal(int)
    revoke_requested = Signal(int)

    def __init__(self, can_manage: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.can_manage = can_manage
        self.apps: list[AppView] = []
        self.setWindowTitle(self.tr("Third-party apps"))
        intro = QLabel(
            self.tr(
                "Every app with access to an official account: keep only those that are "
                "critically necessary. Review each when due; revoke an app no longer needed, "
                "and every app on an account that closes."
            ),
            self,
        )
        intro.setObjectName("appsIntroLabel")
        intro.setWordWrap(True)
        self.show_revoked = QCheckBox(self.tr("Show &revoked apps"), self)
        self.show_revoked.setObjectName("appsShowRevoked")
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("appsTable")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_ACCOUNTS, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.details_label = QLabel(self)
        self.details_label.setObjectName("appsDetailsLabel")
        self.details_label.setWordWrap(True)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("appsStatusLabel")
        self.status_label.setWordWrap(True)
        plain_labels(self.details_label, self.status_label)  # names as typed, never HTML

        def button(text: str, name: str, tip: str) -> QPushButton:
            made = QPushButton(text, self)
            made.setObjectName(name)
            made.setToolTip(tip)
            made.setAutoDefault(False)
            return made

        self.add_button = button(
            self.tr("&Add app…"), "appsAddButton", self.tr("Record an app with access")
        )
        self.edit_button = button(
            self.tr("&Change…"), "appsEditButton", self.tr("Change the selected app's entry")
        )
        self.review_button = button(
            self.tr("Re&view…"), "appsReviewButton", self.tr("Record the selected app's review")
        )
        self.revoke_button = button(
            self.tr("Rev&oke…"), "appsRevokeButton", self.tr("Record that its access was revoked")
        )
        self.refresh_button = button(
            self.tr("Re&fresh"), "appsRefreshButton", self.tr("Read the register again")
        )
        buttons = QWidget(self)
        flow = FlowLayout(buttons)
        for made in (
            self.add_button,
            self.edit_button,
            self.review_button,
            self.revoke_button,
            self.refresh_button,
        ):
            flow.addWidget(made)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(buttons, 1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.show_revoked)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details_label)
        layout.addWidget(self.status_label)
        layout.addLayout(row)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.show_revoked.toggled.connect(lambda _on: self.refresh_requested.emit())
        self.add_button.clicked.connect(self.add_requested)
        self.edit_button.clicked.connect(lambda: self._ask(self.edit_requested))
        self.review_button.clicked.connect(lambda: self._ask(self.review_requested))
        self.revoke_button.clicked.connect(lambda: self._ask(self.revoke_requested))
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.add_button.setEnabled(can_manage)
        self._selection_changed()
        fit_to_screen(self, 1100, 560)

    def set_apps(self, apps: list[AppView]) -> None:
        """Show ``apps``, keeping the selected one selected."""
        keep = self.selected()
        self.apps = list(apps)
        rows = fill_rows(self.table, [cells(v) for v in self.apps])
        for number, (view, items) in enumerate(zip(self.apps, rows, strict=True)):
            for item in items:
                item.setToolTip(plain_tip(item.text()) or "")
                if not view.active:
                    item.setForeground(QBrush(REVOKED_COLOUR))
            due = items[COL_REVIEW]
            if view.review_overdue:
                font = QFont(due.font())
                font.setBold(True)
                due.setFont(font)
                due.setForeground(QBrush(OVERDUE_COLOUR))
                due.setToolTip(self.tr("The review is overdue: review or revoke this app."))
            if keep is not None and view.id == keep.id:
                self.table.selectRow(number)
        self.table.resizeRowsToContents()
        late = sum(1 for v in self.apps if v.review_overdue)
        active = sum(1 for v in self.apps if v.active)
        text = self.tr("{n} apps with access.").format(n=active)
        if late:
            text += " " + self.tr("{late} overdue for review.").format(late=late)
        self.status_label.setText(text)
        self._selection_changed()

    def selected(self) -> AppView | None:
        """The app selected, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.apps):
            return None
        return self.apps[rows[0].row()]

    def select(self, app_id: int) -> bool:
        """Select app ``app_id``; tell whether it is listed."""
        for number, view in enumerate(self.apps):
            if view.id == app_id:
                self.table.selectRow(number)
                return True
        return False

    def _selection_changed(self) -> None:
        view = self.selected()
        live = view is not None and view.active and self.can_manage
        for made in (self.edit_button, self.review_button, self.revoke_button):
            made.setEnabled(live)
        self.details_label.setText(details_text(view) if view is not None else "")

    def _ask(self, signal: Any) -> None:
        view = self.selected()
        if view is not None and view.active:
            signal.emit(view.id)

    def say(self, text: str) -> None:
        """Show what happened under the table."""
        self.status_label.setText(text)


class AppsMenu(QObject):
    """Admin → Third-party apps…: opens the register and runs its calls."""

    def __init__(self, shell: Shell, ui: Ui_MainWindow) -> None:
        super().__init__(shell)
        self.shell = shell
        self.desk = shell.desk
        self.window: AppsWindow | None = None
        self.entry_dialog: AppEntryDialog | None = None
        self.review_dialog: AppReviewDialog | None = None
        self.revoke_dialog: AppRevokeDialog | None = None
        self.action = QAction(self.tr("Third-party &apps…"), shell.window)
        self.action.setObjectName("actionThirdPartyApps")
        self.action.setStatusTip(
            self.tr("Apps with access to official accounts: why, who approved, reviews.")
        )
        ui.menuAdmin.addAction(self.action)
        self.action.triggered.connect(lambda: self.open())
        shell.guard(self.action, Action.MANAGE_THIRD_PARTY_APPS)

    def _today(self) -> date:
        return local_day(self.shell.now())

    def open(self) -> AppsWindow:
        """Show the register."""
        window = AppsWindow(self.shell.can(Action.MANAGE_THIRD_PARTY_APPS), self.shell.window)
        window.refresh_requested.connect(self.refresh)
        window.add_requested.connect(lambda: self.open_entry(None))
        window.edit_requested.connect(self.open_entry)
        window.review_requested.connect(self.open_review)
        window.revoke_requested.connect(self.open_revoke)
        window.finished.connect(lambda _result: self._closed(window))
        self.window = window
        self.shell.open_dialog(window, "thirdPartyAppsWindow")
        self.refresh()
        return window

    def _closed(self, window: AppsWindow) -> None:
        if self.window is window:
            self.window = None

    def refresh(self, then: str = "", select: int | None = None) -> None:
        """Read the register again (and say ``then``, select ``select``)."""
        window = self.window
        if window is None:
            return
        desk, token = self.desk, self.shell.token
        everything = window.show_revoked.isChecked()

        def show(apps: list[AppView]) -> None:
            if self.window is window:
                window.set_apps(apps)
                if select is not None:
                    window.select(select)
                if then:
                    window.say(then)

        QueryOp(self.shell, lambda: desk.third_party_apps.list(token, everything)).success(
            show
        ).run()

    def _find(self, app_id: int) -> AppView | None:
        window = self.window
        return next((v for v in window.apps if v.id == app_id), None) if window else None

    def open_entry(self, app_id: int | None) -> None:
        """Ask for a new app's entry (or a change to ``app_id``'s): accounts and approvers first."""
        app = self._find(app_id) if app_id is not None else None
        if app_id is not None and app is None:
            return
        desk, token = self.desk, self.shell.token

        def ask(found: tuple[list[OfficialAccountView], list[tuple[str, str]]]) -> None:
            if self.window is None:
                return
            accounts, approvers = found
            dialog = AppEntryDialog(accounts, approvers, self._today(), app, self.window)
            dialog.setObjectName("appEntryDialog")
            dialog.submitted.connect(lambda values: self._save(dialog, app, values))
            self.entry_dialog = dialog
            dialog.open()

        QueryOp(
            self.shell,
            lambda: (desk.official_accounts.list(token), desk.third_party_apps.approvers(token)),
        ).success(ask).run()

    def _save(self, dialog: AppEntryDialog, app: AppView | None, values: dict[str, Any]) -> None:
        desk, token = self.desk, self.shell.token
        if app is None:
            op = ChangeOp(self.shell, lambda: desk.third_party_apps.add(token, **values))
            said = self.tr("Recorded {name} ({ref}); its review is due {day}.")
        else:
            app_id = app.id
            op = ChangeOp(self.shell, lambda: desk.third_party_apps.update(token, app_id, **values))
            said = self.tr("Saved the changes to {name} ({ref}).")

        def text(view: AppView) -> str:
            return said.format(name=view.name, ref=view.reference, day=day_text(view.review_due_on))

        op.in_dialog(dialog).done(text).success(
            lambda view: self.refresh(text(view), view.id)
        ).run()

    def open_review(self, app_id: int) -> None:
        """Ask for the review of ``app_id``."""
        app = self._find(app_id)
        if app is None or self.window is None:
            return
        dialog = AppReviewDialog(app, self.window)
        dialog.setObjectName("appReviewDialog")
        desk, token = self.desk, self.shell.token

        def text(view: AppView) -> str:
            return self.tr("Recorded the review of {name}; the next is due {day}.").format(
                name=view.name, day=day_text(view.review_due_on)
            )

        dialog.submitted.connect(
            lambda note: (
                ChangeOp(self.shell, lambda: desk.third_party_apps.review(token, app_id, note))
                .in_dialog(dialog)
                .done(text)
                .success(lambda view: self.refresh(text(view), view.id))
                .run()
            )
        )
        self.review_dialog = dialog
        dialog.open()

    def open_revoke(self, app_id: int) -> None:
        """Ask why ``app_id``'s access was revoked."""
        app = self._find(app_id)
        if app is None or self.window is None:
            return
        dialog = AppRevokeDialog(app, self._today(), self.window)
        dialog.setObjectName("appRevokeDialog")
        desk, token = self.desk, self.shell.token

        def text(view: AppView) -> str:
            return self.tr("Recorded that {name} ({ref}) was revoked.").format(
                name=view.name, ref=view.reference
            )

        dialog.submitted.connect(
            lambda reason, day: (
                ChangeOp(
                    self.shell, lambda: desk.third_party_apps.revoke(token, app_id, reason, day)
                )
                .in_dialog(dialog)
                .done(text)
                .success(lambda view: self.refresh(text(view)))
                .run()
            )
        )
        self.revoke_dialog = dialog
        dialog.open()
