"""The small dialogs of Admin → People: starters, movers, leavers, returners, enrolments.

Add a starter, change a mover's role, disable a leaver, re-enable a returner, and show a new
authenticator enrolment once. Each step dialog says ``submitted`` and stays open, greyed,
until the service answers (an operation calls ``refuse``, ``finish`` or ``set_busy``), so
nothing typed is lost.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFontDatabase, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desk.core.errors import InvalidInput
from desk.core.roles import Role, role_name
from desk.gui.formatting import grouped
from desk.gui.messages import set_message
from desk.gui.setup_wizard import qr_png
from desk.services.accounts import check_new_password
from desk.services.people import REASSIGN, RELEASE, AccessReviewRow
from desk.services.usernames import check_username
from desk.services.views import Enrolment

ROLE_LABELS = {
    Role.OPERATOR: "Operator",
    Role.SUPERVISOR: "Supervisor",
    Role.COMMUNICATIONS: "Communications",
    Role.ADMINISTRATOR: "Administrator",
    Role.INFORMATION_MANAGER: "Information manager",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("People", text)


def _buttons(dialog: QDialog, ok_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setDefault(True)
    box.rejected.connect(dialog.reject)
    return box, ok


def _message_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("messageLabel")
    label.setWordWrap(True)
    set_message(label, "")
    return label


def _password_fields(parent: QWidget) -> tuple[QLineEdit, QLineEdit]:
    password = QLineEdit(parent)
    password.setObjectName("passwordEdit")
    password.setEchoMode(QLineEdit.EchoMode.Password)
    confirm = QLineEdit(parent)
    confirm.setObjectName("confirmEdit")
    confirm.setEchoMode(QLineEdit.EchoMode.Password)
    return password, confirm


def _password_problem(username: str, password: str, confirm: str) -> str:
    if not password:
        return ""
    try:
        check_new_password(password, username)
    except InvalidInput as exc:
        return exc.message
    if confirm and confirm != password:
        return _tr("The two passwords differ.")
    return ""


class _StepDialog(QDialog):
    """A small dialog that says ``submitted`` and waits for the service's answer."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.message_label = _message_label(self)

    def refuse(self, message: str) -> None:
        """Show why the service refused; keep what was typed."""
        self.set_busy(False)
        set_message(self.message_label, message)

    def set_busy(self, busy: bool) -> None:
        """Grey the dialog while the service works."""
        self.setEnabled(not busy)

    def finish(self) -> None:
        """Close after the service accepted."""
        self.accept()


class AddPersonDialog(_StepDialog):
    """Username, name, role and a first password for a new person."""

    submitted = Signal(str, str, object, str)  # username, display name, Role, password

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Add a person"), parent)
        self.setObjectName("addPersonDialog")
        self.username_edit = QLineEdit(self)
        self.username_edit.setObjectName("usernameEdit")
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("displayNameEdit")
        self.role_combo = QComboBox(self)
        self.role_combo.setObjectName("roleCombo")
        for role in Role:
            self.role_combo.addItem(_tr(ROLE_LABELS[role]), role)
        self.password_edit, self.confirm_edit = _password_fields(self)
        form = QFormLayout()
        form.addRow(_tr("&Username"), self.username_edit)
        form.addRow(_tr("&Name shown"), self.name_edit)
        form.addRow(_tr("&Role"), self.role_combo)
        form.addRow(_tr("&Password"), self.password_edit)
        form.addRow(_tr("&Again"), self.confirm_edit)
        box, self.ok_button = _buttons(self, _tr("Add"))
        box.accepted.connect(self._submit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(box)
        for edit in (self.username_edit, self.password_edit, self.confirm_edit):
            edit.textChanged.connect(self._changed)
        self._changed()

    def _check(self) -> tuple[str, bool]:
        """Return what is wrong so far ('' if nothing) and whether it can be added."""
        username = self.username_edit.text()
        if not username.strip():
            return "", False
        try:
            name = check_username(username)
        except InvalidInput as exc:
            return exc.message, False
        password, confirm = self.password_edit.text(), self.confirm_edit.text()
        problem = _password_problem(name, password, confirm)
        return problem, not problem and bool(password) and confirm == password

    def _changed(self) -> None:
        problem, ready = self._check()
        set_message(self.message_label, problem)
        self.ok_button.setEnabled(ready)

    def _submit(self) -> None:
        if not self.ok_button.isEnabled():
            return
        self.set_busy(True)
        self.submitted.emit(
            self.username_edit.text(),
            self.name_edit.text(),
            Role(self.role_combo.currentData()),  # Qt hands a StrEnum back as a plain str
            self.password_edit.text(),
        )


class ChangeRoleDialog(_StepDialog):
    """A new role for a mover, and who approved it."""

    submitted = Signal(object, str)  # Role, approved by ('' for the acting administrator)

    def __init__(self, person: AccessReviewRow, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Change {username}'s role").format(username=person.username), parent)
        self.setObjectName("changeRoleDialog")
        intro = QLabel(
            _tr(
                "{name} ({username}) is {role}. Their sessions end when the role changes, so "
                "the new role applies the next time they sign in."
            ).format(
                name=person.display_name, username=person.username, role=role_name(person.role)
            ),
            self,
        )
        intro.setWordWrap(True)
        self.role_combo = QComboBox(self)
        self.role_combo.setObjectName("roleCombo")
        for role in Role:
            if role is not person.role:
                self.role_combo.addItem(_tr(ROLE_LABELS[role]), role)
        self.approver_edit = QLineEdit(self)
        self.approver_edit.setObjectName("approverEdit")
        self.approver_edit.setPlaceholderText(
            _tr("you, or a supervisor's or administrator's username")
        )
        form = QFormLayout()
        form.addRow(_tr("New &role"), self.role_combo)
        form.addRow(_tr("Approved &by"), self.approver_edit)
        box, self.ok_button = _buttons(self, _tr("Change role"))
        box.accepted.connect(self._submit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(box)

    def _submit(self) -> None:
        self.set_busy(True)
        role = Role(self.role_combo.currentData())  # Qt hands a StrEnum back as a plain str
        self.submitted.emit(role, self.approver_edit.text().strip())


class DisableDialog(_StepDialog):
    """Disable a leaver: release or reassign their open cases; under investigation or not."""

    submitted = Signal(str, object, bool)  # "release"/"reassign", username or None, flag

    def __init__(
        self, person: AccessReviewRow, takers: list[AccessReviewRow], parent: QWidget | None = None
    ) -> None:
        super().__init__(_tr("Disable {username}").format(username=person.username), parent)
        self.setObjectName("disableDialog")
        self.person = person
        cases = (
            _tr("They own no open cases.")
            if person.open_cases == 0
            else _tr("They own 1 open case.")
            if person.open_cases == 1
            else _tr("They own {n} open cases.").format(n=person.open_cases)
        )
        self.intro_label = intro = QLabel(
            _tr(
                "Disabling {name} ({username}) is immediate: their sessions end and their "
                "password and authenticator key are destroyed. Re-enabling them later needs a "
                "new password and a fresh authenticator enrolment."
            ).format(name=person.display_name, username=person.username)
            + " "
            + cases,
            self,
        )
        intro.setWordWrap(True)
        self.release_radio = QRadioButton(_tr("&Release their open cases to the queue"), self)
        self.release_radio.setObjectName("releaseRadio")
        self.reassign_radio = QRadioButton(_tr("Re&assign their open cases to:"), self)
        self.reassign_radio.setObjectName("reassignRadio")
        group = QButtonGroup(self)
        group.addButton(self.release_radio)
        group.addButton(self.reassign_radio)
        self.release_radio.setChecked(True)
        self.person_combo = QComboBox(self)
        self.person_combo.setObjectName("personCombo")
        for taker in takers:
            self.person_combo.addItem(
                f"{taker.display_name} ({taker.username}, {role_name(taker.role)})", taker.username
            )
        self.investigation_check = QCheckBox(
            _tr("Leaver &under investigation: their cases must be reassigned at once"), self
        )
        self.investigation_check.setObjectName("investigationCheck")
        reassign_row = QHBoxLayout()
        reassign_row.addWidget(self.reassign_radio)
        reassign_row.addWidget(self.person_combo, 1)
        box, self.ok_button = _buttons(self, _tr("Disable now"))
        box.accepted.connect(self._submit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.release_radio)
        layout.addLayout(reassign_row)
        layout.addWidget(self.investigation_check)
        layout.addWidget(self.message_label)
        layout.addWidget(box)
        self.release_radio.toggled.connect(self._changed)
        self.investigation_check.toggled.connect(self._changed)
        self._changed()

    def _changed(self) -> None:
        investigated = self.investigation_check.isChecked()
        if investigated:
            self.reassign_radio.setChecked(True)
        self.release_radio.setEnabled(not investigated)
        reassign = self.reassign_radio.isChecked()
        self.person_combo.setEnabled(reassign)
        if reassign and self.person_combo.count() == 0:
            set_message(
                self.message_label,
                _tr("Nobody active works cases to take them over: add or enable someone first."),
            )
            self.ok_button.setEnabled(False)
        else:
            set_message(self.message_label, "")
            self.ok_button.setEnabled(True)

    def _submit(self) -> None:
        if not self.ok_button.isEnabled():
            return
        self.set_busy(True)
        if self.reassign_radio.isChecked():
            self.submitted.emit(
                REASSIGN, self.person_combo.currentData(), self.investigation_check.isChecked()
            )
        else:
            self.submitted.emit(RELEASE, None, False)


class EnableDialog(_StepDialog):
    """A new password for a returning person (their old one was destroyed)."""

    submitted = Signal(str)

    def __init__(self, person: AccessReviewRow, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Enable {username}").format(username=person.username), parent)
        self.setObjectName("enableDialog")
        self.person = person
        intro = QLabel(
            _tr(
                "{username}'s credentials were destroyed when they were disabled. Give them a "
                "new password; Desk then shows a fresh authenticator enrolment to set up."
            ).format(username=person.username),
            self,
        )
        intro.setWordWrap(True)
        self.password_edit, self.confirm_edit = _password_fields(self)
        form = QFormLayout()
        form.addRow(_tr("New &password"), self.password_edit)
        form.addRow(_tr("&Again"), self.confirm_edit)
        box, self.ok_button = _buttons(self, _tr("Enable"))
        box.accepted.connect(self._submit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(box)
        self.password_edit.textChanged.connect(self._changed)
        self.confirm_edit.textChanged.connect(self._changed)
        self._changed()

    def _changed(self) -> None:
        password, confirm = self.password_edit.text(), self.confirm_edit.text()
        problem = _password_problem(self.person.username, password, confirm)
        set_message(self.message_label, problem)
        self.ok_button.setEnabled(not problem and bool(password) and confirm == password)

    def _submit(self) -> None:
        if self.ok_button.isEnabled():
            self.set_busy(True)
            self.submitted.emit(self.password_edit.text())


class EnrolmentDialog(QDialog):
    """Shows a new enrolment once: the QR code, the key in groups of four, and the link."""

    def __init__(self, enrolment: Enrolment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enrolmentDialog")
        self.setWindowTitle(_tr("Authenticator for {username}").format(username=enrolment.username))
        intro = QLabel(
            _tr(
                "Shown once: {username} scans this QR code with their authenticator app now "
                "(or types the key). Desk keeps only a sealed copy and cannot show it again."
            ).format(username=enrolment.username),
            self,
        )
        intro.setWordWrap(True)
        self.qr_label = QLabel(self)
        self.qr_label.setObjectName("qrLabel")
        pixmap = QPixmap()
        pixmap.loadFromData(qr_png(enrolment.uri), "PNG")
        self.qr_label.setPixmap(pixmap)
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_label.setAccessibleName(_tr("QR code for the authenticator app"))
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSizeF(max(fixed.pointSizeF(), 13.0))
        self.seed_label = QLabel(grouped(enrolment.seed), self)
        self.seed_label.setObjectName("seedLabel")
        self.seed_label.setFont(fixed)
        self.seed_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.uri_edit = QLineEdit(enrolment.uri, self)
        self.uri_edit.setObjectName("uriEdit")
        self.uri_edit.setReadOnly(True)
        self.uri_edit.setCursorPosition(0)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        box.button(QDialogButtonBox.StandardButton.Ok).setText(_tr("Done: it is set up"))
        box.accepted.connect(self.accept)
        form = QFormLayout()
        form.addRow(_tr("Key"), self.seed_label)
        form.addRow(_tr("Link"), self.uri_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.qr_label)
        layout.addLayout(form)
        layout.addWidget(box)
