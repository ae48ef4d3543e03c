"""The official accounts register's dialogs: an account's entry, a request, a decision.

Each dialog only asks: it says ``submitted`` and stays open; the menu
(:mod:`desk.gui.accounts_menu`) runs the service call as an operation, which then calls
``finish()`` (close) or ``refuse(message)`` (the answer inside the dialog, keeping the text).
The security review checklist is :mod:`desk.gui.review_dialog`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.core.account_register import Purpose
from desk.core.items import Platform
from desk.gui.action_buttons import FlowLayout
from desk.gui.labels import platform_label
from desk.gui.messages import set_message
from desk.gui.screen_fit import fit_to_screen
from desk.services.official_accounts import RegisterDetails, RegisterEntry


def qdate(day: date) -> QDate:
    """A day as Qt holds it."""
    return QDate(day.year, day.month, day.day)


def py_date(edit: QDateEdit) -> date:
    """The day a date field shows."""
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def date_edit(parent: QWidget, day: date, latest: date | None = None) -> QDateEdit:
    """A date field with a calendar, never past ``latest``."""
    edit = QDateEdit(qdate(day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    if latest is not None:
        edit.setMaximumDate(qdate(latest))
    return edit


def wrapped(text: str, parent: QWidget, name: str = "") -> QLabel:
    """A label whose text wraps to the dialog's width."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


class AskingDialog(QDialog):
    """What the register's dialogs share: OK and Cancel, a refusal inside, busy while asked."""

    message_label: QLabel
    ok_button: QPushButton

    def _buttons(self, ok_text: str) -> QDialogButtonBox:
        self.message_label = wrapped("", self, "accountMessageLabel")
        set_message(self.message_label, "")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        return buttons

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
        self.ok_button.setEnabled(not busy)


class AccountEntryDialog(AskingDialog):
    """An account's register entry: enter one that exists, ask to open one, or change one.

    ``mode``: ``"add"`` (an account already on its platform), ``"request"`` (ask to open a new
    one: a reason too) or ``"change"`` (``entry``'s fields; platform and handle stay).
    """

    submitted = Signal(
        object
    )  # a dict: add/request: platform, handle, display_name, details[, reason]

    def __init__(
        self, mode: str, today: date, entry: RegisterEntry | None = None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.mode = mode
        self.entry = entry
        self.today = today
        titles = {
            "add": self.tr("Enter an existing official account"),
            "request": self.tr("Ask to open an official account"),
            "change": self.tr("Change an official account's entry"),
        }
        self.setWindowTitle(titles[mode])
        intro = {
            "add": self.tr(
                "For an account that already exists on its platform. A new account is opened "
                "by a request that communications approve."
            ),
            "request": self.tr(
                "Communications decide; the account enters the register when approved."
            ),
            "change": self.tr("Every change is kept in the audit log with the value before it."),
        }[mode]
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.platform_combo = QComboBox(self)
        self.platform_combo.setObjectName("accountPlatformCombo")
        for platform in Platform:
            self.platform_combo.addItem(platform_label(platform.value), platform.value)
        self.handle_edit = QLineEdit(self)
        self.handle_edit.setObjectName("accountHandleEdit")
        self.handle_edit.setPlaceholderText(self.tr("Such as @ExampleshirePolice"))
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("accountNameEdit")
        self.link_edit = QLineEdit(self)
        self.link_edit.setObjectName("accountLinkEdit")
        self.link_edit.setPlaceholderText(self.tr("https://x.com/ExampleshirePolice"))
        self.purpose_combo = QComboBox(self)
        self.purpose_combo.setObjectName("accountPurposeCombo")
        self.purpose_combo.addItem(self.tr("Public engagement"), Purpose.ENGAGEMENT.value)
        self.purpose_combo.addItem(
            self.tr("Investigations (Desk never works its items)"), Purpose.INVESTIGATIONS.value
        )
        self.team_edit = QLineEdit(self)
        self.team_edit.setObjectName("accountTeamEdit")
        self.area_edit = QLineEdit(self)
        self.area_edit.setObjectName("accountAreaEdit")
        self.area_edit.setPlaceholderText(self.tr("Empty for force-wide, or the neighbourhood"))
        self.admins_edit = QLineEdit(self)
        self.admins_edit.setObjectName("accountAdminsEdit")
        self.admins_edit.setPlaceholderText(self.tr("Names or usernames, separated by commas"))
        self.credentials_edit = QLineEdit(self)
        self.credentials_edit.setObjectName("accountCredentialsEdit")
        self.credentials_edit.setPlaceholderText(
            self.tr("Where they are kept, never the password itself")
        )
        self.opened_known = QCheckBox(self.tr("Opened &on (if known):"), self)
        self.opened_known.setObjectName("accountOpenedKnown")
        self.opened_edit = date_edit(self, today, today)
        self.opened_edit.setObjectName("accountOpenedEdit")
        self.opened_known.toggled.connect(self.opened_edit.setEnabled)
        self.opened_edit.setEnabled(False)
        flags = QWidget(self)
        flow = FlowLayout(flags)
        flow.setContentsMargins(0, 0, 0, 0)
        self.verified_check = QCheckBox(self.tr("&Verified by the platform"), flags)
        self.two_factor_check = QCheckBox(self.tr("&Two-factor on"), flags)
        self.alerts_check = QCheckBox(self.tr("&Login alerts on"), flags)
        self.managed_check = QCheckBox(self.tr("Ma&naged in the management platform"), flags)
        self.messages_check = QCheckBox(self.tr("P&rivate messages"), flags)
        self.messages_check.setChecked(True)
        for name, box in (
            ("accountVerifiedCheck", self.verified_check),
            ("accountTwoFactorCheck", self.two_factor_check),
            ("accountAlertsCheck", self.alerts_check),
            ("accountManagedCheck", self.managed_check),
            ("accountMessagesCheck", self.messages_check),
        ):
            box.setObjectName(name)
            flow.addWidget(box)
        self.messages_check.setVisible(mode != "request")
        form.addRow(self.tr("&Platform:"), self.platform_combo)
        form.addRow(self.tr("&Handle:"), self.handle_edit)
        form.addRow(self.tr("&Display name:"), self.name_edit)
        form.addRow(self.tr("Lin&k:"), self.link_edit)
        form.addRow(self.tr("P&urpose:"), self.purpose_combo)
        form.addRow(self.tr("O&wning team:"), self.team_edit)
        form.addRow(self.tr("&Area:"), self.area_edit)
        form.addRow(self.tr("Ad&ministrators:"), self.admins_edit)
        form.addRow(self.tr("&Credentials kept:"), self.credentials_edit)
        form.addRow(self.opened_known, self.opened_edit)
        form.addRow(self.tr("Security:"), flags)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setObjectName("accountReasonEdit")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(self.tr("Why the force needs this account"))
        self.reason_edit.setFixedHeight(64)
        if mode == "request":
            form.addRow(self.tr("&Reason:"), self.reason_edit)
        else:
            self.reason_edit.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(intro, self, "accountIntroLabel"))
        layout.addLayout(form)
        layout.addStretch(1)
        ok = {"add": self.tr("&Enter"), "request": self.tr("&Submit"), "change": self.tr("&Save")}
        buttons = self._buttons(ok[mode])
        layout.addWidget(self.message_label)
        layout.addWidget(buttons)
        if entry is not None:
            self._fill(entry)
        fit_to_screen(self, 640, 640)

    def _fill(self, entry: RegisterEntry) -> None:
        self.platform_combo.setCurrentIndex(self.platform_combo.findData(entry.platform.value))
        self.platform_combo.setEnabled(False)
        self.handle_edit.setText(entry.handle)
        self.handle_edit.setReadOnly(True)
        self.name_edit.setText(entry.display_name)
        self.link_edit.setText(entry.link)
        self.purpose_combo.setCurrentIndex(self.purpose_combo.findData(entry.purpose.value))
        self.team_edit.setText(entry.owning_team)
        self.area_edit.setText(entry.area)
        self.admins_edit.setText(", ".join(entry.administrators))
        self.credentials_edit.setText(entry.credentials_location)
        if entry.opened_on is not None:
            self.opened_known.setChecked(True)
            self.opened_edit.setDate(qdate(entry.opened_on))
        self.verified_check.setChecked(entry.verified)
        self.two_factor_check.setChecked(entry.two_factor)
        self.alerts_check.setChecked(entry.login_alerts)
        self.managed_check.setChecked(entry.managed)
        self.messages_check.setChecked(entry.direct_messages)

    def details(self) -> RegisterDetails:
        """The register fields as typed (the service checks them)."""
        return RegisterDetails(
            link=self.link_edit.text(),
            purpose=Purpose(self.purpose_combo.currentData()),
            owning_team=self.team_edit.text(),
            area=self.area_edit.text(),
            administrators=tuple(self.admins_edit.text().split(",")),
            verified=self.verified_check.isChecked(),
            two_factor=self.two_factor_check.isChecked(),
            login_alerts=self.alerts_check.isChecked(),
            managed=self.managed_check.isChecked(),
            credentials_location=self.credentials_edit.text(),
            opened_on=py_date(self.opened_edit) if self.opened_known.isChecked() else None,
        )

    def changes(self) -> dict[str, Any]:
        """What differs from the entry shown (mode ``change``), by register field name."""
        assert self.entry is not None
        typed = self.details().as_changes()
        typed["display_name"] = self.name_edit.text()
        typed["direct_messages"] = self.messages_check.isChecked()
        entry = self.entry
        was: dict[str, Any] = {
            **{name: getattr(entry, name) for name in typed if name != "administrators"},
            "administrators": entry.administrators,
        }
        out = {}
        for name, value in typed.items():
            if name == "administrators":
                value = tuple(v for v in (" ".join(a.split()) for a in value) if v)
            elif isinstance(value, str):
                value = " ".join(value.split()) if name != "link" else value.strip()
            if value != was[name]:
                out[name] = value
        return out

    def _submit(self) -> None:
        if self.mode == "change":
            changes = self.changes()
            if not changes:
                self.refuse(self.tr("Nothing was changed."))
                return
            self.submitted.emit(changes)
            return
        values: dict[str, Any] = {
            "platform": Platform(self.platform_combo.currentData()),
            "handle": self.handle_edit.text(),
            "display_name": self.name_edit.text(),
            "details": self.details(),
        }
        if self.mode == "request":
            values["reason"] = self.reason_edit.toPlainText()
        else:
            values["direct_messages"] = self.messages_check.isChecked()
        self.submitted.emit(values)


class ReasonDialog(AskingDialog):
    """Ask for a reason (closing request, refusal) or a note and a day (approval)."""

    submitted = Signal(str, object)  # the text; the day (approval) or None

    def __init__(
        self,
        title: str,
        text: str,
        ok_text: str,
        today: date | None = None,
        day_label: str = "",
        note_optional: bool = False,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.note_optional = note_optional
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setObjectName("accountReasonEdit")
        self.text_edit.setTabChangesFocus(True)
        self.day_edit: QDateEdit | None = None
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("&Note:") if note_optional else self.tr("&Reason:"), self.text_edit)
        if today is not None:
            self.day_edit = date_edit(self, today, today)
            self.day_edit.setObjectName("accountDayEdit")
            form.addRow(day_label, self.day_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(text, self, "accountRequestLabel"))
        layout.addLayout(form)
        buttons = self._buttons(ok_text)
        layout.addWidget(self.message_label)
        layout.addWidget(buttons)
        fit_to_screen(self, 560, 360)

    def _submit(self) -> None:
        text = self.text_edit.toPlainText().strip()
        if not text and not self.note_optional:
            self.refuse(self.tr("Give the reason."))
            return
        self.submitted.emit(text, py_date(self.day_edit) if self.day_edit else None)


class ExportDialog(AskingDialog):
    """Choose the public list's format and file: an accessible HTML page or CSV."""

    submitted = Signal(str, object)  # "html" | "csv"; the Path to write

    def __init__(self, folder: Path, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Public list of official accounts"))
        intro = wrapped(
            self.tr(
                "The open public-engagement accounts, with public fields only, for the force's "
                "website. Investigations accounts and closed accounts are never listed."
            ),
            self,
            "exportIntroLabel",
        )
        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("exportFormatCombo")
        self.format_combo.addItem(self.tr("Web page (HTML)"), "html")
        self.format_combo.addItem(self.tr("Spreadsheet (CSV)"), "csv")
        self.path_edit = QLineEdit(str(folder / "official-accounts.html"), self)
        self.path_edit.setObjectName("exportPathEdit")
        self.choose_button = QPushButton(self.tr("C&hoose…"), self)
        self.choose_button.setObjectName("exportChooseButton")
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self._choose)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.choose_button)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("&Format:"), self.format_combo)
        form.addRow(self.tr("Save &as:"), path_row)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        buttons = self._buttons(self.tr("&Save"))
        layout.addWidget(self.message_label)
        layout.addWidget(buttons)
        fit_to_screen(self, 600, 260)

    def _format_changed(self) -> None:
        path = Path(self.path_edit.text().strip() or "official-accounts")
        self.path_edit.setText(str(path.with_suffix("." + self.format_combo.currentData())))

    def _choose(self) -> None:
        fmt = self.format_combo.currentData()
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the public list"),
            self.path_edit.text(),
            self.tr("HTML page (*.html)") if fmt == "html" else self.tr("CSV file (*.csv)"),
        )
        if chosen:
            self.path_edit.setText(chosen)

    def _submit(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            self.refuse(self.tr("Say where to save the list."))
            return
        self.submitted.emit(self.format_combo.currentData(), Path(text).expanduser())
