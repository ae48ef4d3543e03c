"""The third-party apps register's dialogs: record or change an app, review it, revoke it.

Each dialog only asks: it says ``submitted`` and stays open; the menu
(:mod:`desk.gui.apps_window`) runs the service call as an operation, which then calls
``finish()`` (close) or ``refuse(message)`` (the answer inside the dialog, keeping the text).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.core.third_party_apps import AppAccess
from desk.gui.action_buttons import FlowLayout
from desk.gui.messages import set_message
from desk.gui.screen_fit import fit_to_screen
from desk.services.official_accounts import OfficialAccountView
from desk.services.third_party_apps import AppView

ACCESS_TEXT = {
    AppAccess.READ: "Read",
    AppAccess.PUBLISH: "Publish",
    AppAccess.MESSAGES: "Private messages",
    AppAccess.ADMIN: "Administer the account",
}  # translated when shown


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def _date_edit(parent: QWidget, day: date, latest: date | None) -> QDateEdit:
    edit = QDateEdit(_qdate(day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    if latest is not None:
        edit.setMaximumDate(_qdate(latest))
    return edit


def _message_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("appMessageLabel")
    label.setWordWrap(True)
    set_message(label, "")
    return label


class _Asking(QDialog):
    """What the three dialogs share: OK and Cancel, a refusal shown inside, busy while asked."""

    message_label: QLabel
    ok_button: QPushButton

    def _buttons(self, ok_text: str) -> QDialogButtonBox:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        return buttons

    def _ready(self) -> bool:
        return True

    def _changed(self) -> None:
        self.ok_button.setEnabled(self._ready())

    def _submit(self) -> None:
        """Say what was asked (overridden)."""

    def refuse(self, message: str) -> None:
        """Show why the service refused; keep what was typed."""
        set_message(self.message_label, message)

    def finish(self) -> None:
        """Close after the service accepted."""
        self.accept()

    def set_busy(self, busy: bool) -> None:
        """Grey OK out while the change is made."""
        self.ok_button.setEnabled(not busy and self._ready())


class AppEntryDialog(_Asking):
    """Record a new app, or change one: name, accounts, access, why, who approved and when."""

    submitted = Signal(dict)  # the fields, by the service's argument names

    def __init__(
        self,
        accounts: list[OfficialAccountView],
        approvers: list[tuple[str, str]],
        today: date,
        app: AppView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.app = app
        self.setWindowTitle(
            self.tr("Record a third-party app")
            if app is None
            else self.tr("Change {name} ({ref})").format(name=app.name, ref=app.reference)
        )
        self.name_edit = QLineEdit(app.name if app else "", self)
        self.name_edit.setObjectName("appNameEdit")
        self.name_edit.setPlaceholderText(self.tr("Such as Hootsuite"))
        self.accounts_list = QListWidget(self)
        self.accounts_list.setObjectName("appAccountsList")
        reached = {a.id for a in app.accounts} if app else set()
        for account in accounts:
            if not account.active:
                continue
            item = QListWidgetItem(
                self.tr("{handle} on {platform}").format(
                    handle=account.handle, platform=account.platform.value
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, account.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = account.id in reached
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.accounts_list.addItem(item)
        self.accounts_list.setMaximumHeight(120)
        access_box = QWidget(self)
        flow = FlowLayout(access_box)
        self.access_boxes: dict[AppAccess, QCheckBox] = {}
        for kind in AppAccess:
            box = QCheckBox(self.tr(ACCESS_TEXT[kind]), access_box)
            box.setObjectName(f"appAccess_{kind.value}")
            box.setChecked(bool(app and kind in app.access))
            flow.addWidget(box)
            self.access_boxes[kind] = box
        self.necessity_edit = QPlainTextEdit(app.necessity if app else "", self)
        self.necessity_edit.setObjectName("appNecessityEdit")
        self.necessity_edit.setPlaceholderText(
            self.tr("What would stop without it (the guidance allows only critical apps)")
        )
        self.necessity_edit.setTabChangesFocus(True)
        self.approver_combo = QComboBox(self)
        self.approver_combo.setObjectName("appApproverCombo")
        for username, name in approvers:
            self.approver_combo.addItem(
                self.tr("{name} ({username})").format(name=name, username=username), username
            )
        if app is not None:
            found = self.approver_combo.findData(app.approved_by)
            if found < 0:  # no longer an approver: shown, so that nothing changes silently
                self.approver_combo.addItem(app.approved_by_name, app.approved_by)
                found = self.approver_combo.count() - 1
            self.approver_combo.setCurrentIndex(found)
        self.approved_edit = _date_edit(self, app.approved_on if app else today, today)
        self.approved_edit.setObjectName("appApprovedOnEdit")
        note = QLabel(
            self.tr(
                "The approver is a communications officer on the desk: the people who approve "
                "opening an account approve what may reach it."
            ),
            self,
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self.tr("A&ccounts:"), self.accounts_list)
        form.addRow(self.tr("Access:"), access_box)
        form.addRow(self.tr("&Why critically necessary:"), self.necessity_edit)
        form.addRow(self.tr("Approved &by:"), self.approver_combo)
        form.addRow(self.tr("Approved &on:"), self.approved_edit)
        self.message_label = _message_label(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message_label)
        layout.addWidget(self._buttons(self.tr("Record app") if app is None else self.tr("Save")))
        self.name_edit.textChanged.connect(self._changed)
        self.necessity_edit.textChanged.connect(self._changed)
        self.accounts_list.itemChanged.connect(self._changed)
        for box in self.access_boxes.values():
            box.toggled.connect(self._changed)
        self._changed()
        fit_to_screen(self, 620, 600)

    def account_ids(self) -> list[int]:
        """The accounts ticked."""
        return [
            int(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.accounts_list.item(i) for i in range(self.accounts_list.count()))
            if item.checkState() == Qt.CheckState.Checked
        ]

    def access(self) -> list[AppAccess]:
        """The access ticked."""
        return [kind for kind, box in self.access_boxes.items() if box.isChecked()]

    def _ready(self) -> bool:
        return bool(
            self.name_edit.text().strip()
            and self.necessity_edit.toPlainText().strip()
            and self.account_ids()
            and self.access()
            and self.approver_combo.currentData()
        )

    def values(self) -> dict[str, Any]:
        """What the dialog asks, by the service's argument names."""
        return {
            "name": self.name_edit.text(),
            "account_ids": self.account_ids(),
            "access": self.access(),
            "necessity": self.necessity_edit.toPlainText(),
            "approved_by": str(self.approver_combo.currentData() or ""),
            "approved_on": _day(self.approved_edit),
        }

    def _submit(self) -> None:
        if self._ready():
            self.submitted.emit(self.values())


class AppReviewDialog(_Asking):
    """Record that an app was reviewed and is still critically necessary."""

    submitted = Signal(str)  # the note

    def __init__(self, app: AppView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.setWindowTitle(
            self.tr("Review {name} ({ref})").format(name=app.name, ref=app.reference)
        )
        intro = QLabel(
            self.tr(
                "Check that {name} is still critically necessary and that its access ({access}) "
                "to {accounts} is still right. If it is not, revoke it instead. Why it was "
                "needed: {why}"
            ).format(
                name=app.name,
                access=app.access_text,
                accounts=", ".join(a.label for a in app.accounts),
                why=app.necessity,
            ),
            self,
        )
        intro.setObjectName("appReviewIntro")
        intro.setWordWrap(True)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setObjectName("appReviewNoteEdit")
        self.note_edit.setPlaceholderText(self.tr("What the review found (optional)"))
        self.note_edit.setTabChangesFocus(True)
        self.message_label = _message_label(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.note_edit, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(self._buttons(self.tr("Record review")))
        self._changed()
        fit_to_screen(self, 560, 360)

    def _submit(self) -> None:
        self.submitted.emit(self.note_edit.toPlainText())


class AppRevokeDialog(_Asking):
    """Record that an app's access was revoked: the day and why."""

    submitted = Signal(str, object)  # the reason, the day (a date)

    def __init__(self, app: AppView, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.setWindowTitle(
            self.tr("Revoke {name} ({ref})").format(name=app.name, ref=app.reference)
        )
        intro = QLabel(
            self.tr(
                "Revoke {name}'s access on each platform first ({accounts}), then record it "
                "here. The entry stays in the register, with the day, you and the reason."
            ).format(name=app.name, accounts=", ".join(a.label for a in app.accounts)),
            self,
        )
        intro.setObjectName("appRevokeIntro")
        intro.setWordWrap(True)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setObjectName("appRevokeReasonEdit")
        self.reason_edit.setPlaceholderText(self.tr("Why its access was revoked (required)"))
        self.reason_edit.setTabChangesFocus(True)
        self.day_edit = _date_edit(self, today, today)
        self.day_edit.setObjectName("appRevokedOnEdit")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("&Reason:"), self.reason_edit)
        form.addRow(self.tr("Revoked &on:"), self.day_edit)
        self.message_label = _message_label(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(self._buttons(self.tr("Record revocation")))
        self.reason_edit.textChanged.connect(self._changed)
        self._changed()
        fit_to_screen(self, 560, 360)

    def _ready(self) -> bool:
        return bool(self.reason_edit.toPlainText().strip())

    def _submit(self) -> None:
        if self._ready():
            self.submitted.emit(self.reason_edit.toPlainText(), _day(self.day_edit))
