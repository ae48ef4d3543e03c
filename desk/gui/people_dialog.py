"""Admin → People: add people, change roles (movers), disable leavers and re-enable them.

``PeopleMenu`` puts "People…" in the Admin menu and "Access review…" in the Supervisor and
Admin menus. Every service call runs on the window's worker; a dialog says ``submitted`` and
stays open until the service answers, so nothing typed is lost on a refusal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QFontDatabase, QPixmap
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

from desk.core.errors import (
    DeskError,
    InvalidInput,
    ReauthenticationRequired,
    SessionEnded,
)
from desk.core.roles import Action, Role, may
from desk.gui.access_review import AccessReviewDialog, AccessReviewView
from desk.gui.formatting import grouped
from desk.gui.messages import set_message, show_message
from desk.gui.setup_wizard import qr_png
from desk.services.accounts import check_new_password
from desk.services.people import REASSIGN, RELEASE, AccessReviewRow, LeaverResult
from desk.services.usernames import check_username
from desk.services.views import Enrolment

log = logging.getLogger(__name__)

ROLE_LABELS = {
    Role.OPERATOR: "Operator",
    Role.SUPERVISOR: "Supervisor",
    Role.COMMUNICATIONS: "Communications",
    Role.ADMINISTRATOR: "Administrator",
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
            self.role_combo.currentData(),
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
            ).format(name=person.display_name, username=person.username, role=person.role.value),
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
        self.approver_edit.setPlaceholderText(_tr("you, unless you name someone"))
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
        self.submitted.emit(self.role_combo.currentData(), self.approver_edit.text().strip())


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
                f"{taker.display_name} ({taker.username}, {taker.role.value})", taker.username
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


class PeopleDialog(QDialog):
    """The accounts (the access review) with Add, Change role, Disable and Enable."""

    add_requested = Signal()
    role_requested = Signal(object)  # AccessReviewRow
    disable_requested = Signal(object)
    enable_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("peopleDialog")
        self.setWindowTitle(self.tr("People"))
        self.resize(1400, 520)
        intro = QLabel(
            self.tr(
                "Everyone with an account: add starters, change the role of movers, disable "
                "leavers (at once: sessions end, credentials are destroyed, open cases move). "
                "This list is also the access review: export it as CSV for the periodic check."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.review = AccessReviewView(self)
        self.add_button = QPushButton(self.tr("&Add…"), self)
        self.add_button.setObjectName("addButton")
        self.role_button = QPushButton(self.tr("Change &role…"), self)
        self.role_button.setObjectName("roleButton")
        self.disable_button = QPushButton(self.tr("&Disable…"), self)
        self.disable_button.setObjectName("disableButton")
        self.enable_button = QPushButton(self.tr("&Enable…"), self)
        self.enable_button.setObjectName("enableButton")
        actions = QHBoxLayout()
        for button in (self.add_button, self.role_button, self.disable_button, self.enable_button):
            button.setAutoDefault(False)
            actions.addWidget(button)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(actions)
        layout.addWidget(self.review, 1)
        layout.addWidget(close)

        self.add_button.clicked.connect(self.add_requested)
        self.role_button.clicked.connect(lambda: self._about_selected(self.role_requested))
        self.disable_button.clicked.connect(lambda: self._about_selected(self.disable_requested))
        self.enable_button.clicked.connect(lambda: self._about_selected(self.enable_requested))
        self.review.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.review.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def set_rows(self, rows: list[AccessReviewRow]) -> None:
        """Show ``rows``, keeping the selected person selected."""
        chosen = self.review.selected()
        self.review.set_rows(rows)
        if chosen is not None:
            self.review.select(chosen.username)
        self._update_buttons()

    def _about_selected(self, signal: Any) -> None:
        person = self.review.selected()
        if person is not None:
            signal.emit(person)

    def _update_buttons(self, *_args: object) -> None:
        person = self.review.selected()
        self.role_button.setEnabled(person is not None and person.active)
        self.disable_button.setEnabled(person is not None and person.active)
        self.enable_button.setEnabled(person is not None and not person.active)


class PeopleMenu(QObject):
    """Admin → People… and Access review… (also under Supervisor), and their service calls."""

    changed = Signal()  # an account changed (the People list was refreshed)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.desk = window.desk
        self.dialog: PeopleDialog | None = None
        self.review_dialog: AccessReviewDialog | None = None
        self.step: QDialog | None = None
        ui = window.ui
        self.action_people = QAction(self.tr("&People…"), window)
        self.action_people.setObjectName("actionPeople")
        self.action_people.setStatusTip(
            self.tr("Add people, change roles, disable leavers and re-enable them.")
        )
        self.action_review = QAction(self.tr("Access &review…"), window)
        self.action_review.setObjectName("actionAccessReview")
        self.action_review.setStatusTip(
            self.tr("Every account, its role, last sign-in and who approved it.")
        )
        ui.menuAdmin.removeAction(ui.actionAdminPending)
        ui.actionAdminPending.setVisible(False)
        ui.menuAdmin.addAction(self.action_people)
        ui.menuAdmin.addAction(self.action_review)
        ui.menuSupervisor.addAction(self.action_review)
        self.action_people.triggered.connect(self.open_people)
        self.action_review.triggered.connect(self.open_review)
        # enabled by role, again after an unlock, like the window's own actions
        window._needs[self.action_people] = Action.MANAGE_USERS
        window._needs[self.action_review] = Action.VIEW_ACCESS_REVIEW
        for action, needed in (
            (self.action_people, Action.MANAGE_USERS),
            (self.action_review, Action.VIEW_ACCESS_REVIEW),
        ):
            action.setEnabled(may(window.actor.role, needed))

    # running calls -------------------------------------------------------------------------

    def _run(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        refused: Callable[[str], None] | None = None,
        step: QDialog | None = None,
    ) -> None:
        """Call ``fn`` on the worker; answer on the GUI thread."""

        def failed(exc: Exception) -> None:
            if isinstance(exc, SessionEnded | ReauthenticationRequired):
                if step is not None:
                    step.reject()
                self.window.calls.handle(exc)
            elif isinstance(exc, DeskError):
                if refused is not None:
                    refused(exc.message)
                else:
                    self.window.calls.handle(exc)
            else:
                log.error("people call failed: %s", type(exc).__name__)
                message = self.tr("Desk could not do that: see the log for details.")
                if refused is not None:
                    refused(message)
                else:
                    show_message(self.window, self.tr("People"), message)

        self.window.worker.run(fn, done, failed, context=self)

    def _notify(self, text: str) -> None:
        self.window.queue.notify(text)

    # the dialogs ---------------------------------------------------------------------------

    def open_people(self) -> PeopleDialog:
        """Show the People dialog (administrators)."""
        if self.dialog is None:
            dialog = PeopleDialog(self.window)
            dialog.add_requested.connect(self.add_person)
            dialog.role_requested.connect(self.change_role)
            dialog.disable_requested.connect(self.disable)
            dialog.enable_requested.connect(self.enable)
            dialog.review.refresh_requested.connect(self.refresh)
            dialog.review.exported.connect(
                lambda path: self._notify(
                    self.tr("Access review exported to {path}.").format(path=path)
                )
            )
            self.dialog = dialog
        self.refresh()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def open_review(self) -> AccessReviewDialog:
        """Show the access review on its own (supervisors; administrators too)."""
        if self.review_dialog is None:
            self.review_dialog = AccessReviewDialog(self.window)
            self.review_dialog.view.refresh_requested.connect(self._refresh_review)
        self._refresh_review()
        self.review_dialog.show()
        self.review_dialog.raise_()
        self.review_dialog.activateWindow()
        return self.review_dialog

    def _refresh_review(self) -> None:
        token = self.window.token
        dialog = self.review_dialog

        def done(rows: list[AccessReviewRow]) -> None:
            if dialog is not None:
                dialog.view.set_rows(rows)

        self._run(lambda: self.desk.people.access_review(token), done)

    def refresh(self) -> None:
        """Fetch the accounts again for the People dialog."""
        token = self.window.token
        dialog = self.dialog

        def done(rows: list[AccessReviewRow]) -> None:
            if dialog is not None:
                dialog.set_rows(rows)
                self.changed.emit()

        self._run(lambda: self.desk.people.access_review(token), done)

    def _open_step(self, step: QDialog) -> None:
        step.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        step.finished.connect(lambda _r: self._step_closed(step))
        self.step = step
        step.open()

    def _step_closed(self, step: QDialog) -> None:
        if self.step is step:
            self.step = None

    def _show_enrolment(self, enrolment: Enrolment) -> EnrolmentDialog:
        shown = EnrolmentDialog(enrolment, self.dialog or self.window)
        shown.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.step = shown
        shown.finished.connect(lambda _r: self._step_closed(shown))
        shown.open()
        return shown

    # the changes ---------------------------------------------------------------------------

    def add_person(self) -> None:
        """Add… : a new person with a role; then their enrolment, shown once."""
        step = AddPersonDialog(self.dialog or self.window)
        token = self.window.token

        def submitted(username: str, name: str, role: Role, password: str) -> None:
            def done(enrolment: Enrolment) -> None:
                step.finish()
                self._notify(self.tr("Added {username}.").format(username=enrolment.username))
                self.refresh()
                self._show_enrolment(enrolment)

            self._run(
                lambda: self.desk.accounts.add_user(token, username, name, role, password),
                done,
                step.refuse,
                step,
            )

        step.submitted.connect(submitted)
        self._open_step(step)

    def change_role(self, person: AccessReviewRow) -> None:
        """Change role… for the selected person."""
        step = ChangeRoleDialog(person, self.dialog or self.window)
        token = self.window.token

        def submitted(role: Role, approver: str) -> None:
            def done(_ended: int) -> None:
                step.finish()
                self._notify(
                    self.tr("{username} is now {role}.").format(
                        username=person.username, role=role.value
                    )
                )
                self.refresh()

            self._run(
                lambda: self.desk.people.change_role(
                    token, person.username, role, approver or None
                ),
                done,
                step.refuse,
                step,
            )

        step.submitted.connect(submitted)
        self._open_step(step)

    def takers(self, person: AccessReviewRow) -> list[AccessReviewRow]:
        """Return who can take over ``person``'s cases: active people who work cases."""
        rows = self.dialog.review.model.rows if self.dialog is not None else []
        return [
            r
            for r in rows
            if r.active and r.username != person.username and may(r.role, Action.WORK_CASES)
        ]

    def disable(self, person: AccessReviewRow) -> None:
        """Disable… the selected person, releasing or reassigning their cases."""
        step = DisableDialog(person, self.takers(person), self.dialog or self.window)
        token = self.window.token

        def submitted(cases: str, to: str | None, investigated: bool) -> None:
            def done(result: LeaverResult) -> None:
                step.finish()
                moved = len(result.released) + len(result.reassigned)
                if result.reassigned_to:
                    text = self.tr(
                        "Disabled {username}; {n} open case(s) reassigned to {to}."
                    ).format(username=result.username, n=moved, to=result.reassigned_to)
                else:
                    text = self.tr(
                        "Disabled {username}; {n} open case(s) released to the queue."
                    ).format(username=result.username, n=moved)
                self._notify(text)
                self.refresh()
                self.window.queue.refresh_queue()

            self._run(
                lambda: self.desk.people.disable(
                    token, person.username, cases=cases, to=to, under_investigation=investigated
                ),
                done,
                step.refuse,
                step,
            )

        step.submitted.connect(submitted)
        self._open_step(step)

    def enable(self, person: AccessReviewRow) -> None:
        """Enable… the selected person with a new password; show the fresh enrolment once."""
        step = EnableDialog(person, self.dialog or self.window)
        token = self.window.token

        def submitted(password: str) -> None:
            def done(enrolment: Enrolment) -> None:
                step.finish()
                self._notify(self.tr("Enabled {username}.").format(username=enrolment.username))
                self.refresh()
                self._show_enrolment(enrolment)

            self._run(
                lambda: self.desk.people.enable(token, person.username, password),
                done,
                step.refuse,
                step,
            )

        step.submitted.connect(submitted)
        self._open_step(step)
