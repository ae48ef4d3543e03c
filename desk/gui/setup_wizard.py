"""The first-run set-up wizard: the first administrator, their authenticator, a code to prove it.

The pages' layouts come from ``ui/setup_*.ui``; every call into the domain goes through
``FirstRunSetup``, so the pages only move text between fields and it. Where the window's
start-up offers it (:meth:`SetupWizard.offer_join`), a button leads instead to "Join a shared
desk" (desk.gui.join_page).
"""

from __future__ import annotations

import io

import segno
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFontDatabase, QPixmap
from PySide6.QtWidgets import QWidget, QWizard, QWizardPage

from desk.core.errors import Conflict, InvalidInput
from desk.gui.fields import code_validator
from desk.gui.formatting import grouped
from desk.gui.forms.ui_setup_account_page import Ui_AccountPage
from desk.gui.forms.ui_setup_code_page import Ui_CodePage
from desk.gui.forms.ui_setup_enrolment_page import Ui_EnrolmentPage
from desk.gui.join_page import Join, JoinPage
from desk.gui.messages import set_message
from desk.gui.theme import app_icon
from desk.services.accounts import AccountService, check_new_password
from desk.services.usernames import check_username
from desk.services.views import Enrolment

QR_SCALE = 6


def _tr(text: str) -> str:
    return QCoreApplication.translate("FirstRunSetup", text)


def qr_png(uri: str, scale: int = QR_SCALE) -> bytes:
    """Return a QR code for ``uri`` as PNG bytes, made in memory (never written to disk)."""
    buf = io.BytesIO()
    segno.make(uri, micro=False).save(buf, kind="png", scale=scale, border=4)
    return buf.getvalue()


class FirstRunSetup:
    """What the wizard asks of the domain: checks, the enrolment, and creating the account."""

    def __init__(self, accounts: AccountService) -> None:
        self.accounts = accounts
        self.username = ""
        self.display_name = ""
        self._password = ""
        self._enrolment: Enrolment | None = None
        self.created = False

    @staticmethod
    def account_problem(username: str, password: str, confirm: str) -> str | None:
        """Return what is wrong with the typed account details ('' when nothing is typed yet)."""
        try:
            name = check_username(username)
        except InvalidInput as exc:
            return exc.message
        if not password:
            return ""
        try:
            check_new_password(password, name)
        except InvalidInput as exc:
            return exc.message
        if not confirm:
            return _tr("Type the password again in Confirm password.")
        if confirm != password:
            return _tr("The two passwords are different: type them again.")
        return None

    def choose(self, username: str, display_name: str, password: str) -> None:
        """Remember the account details the person chose on the first page."""
        self.username = check_username(username)
        self.display_name = display_name.strip()
        self._password = password

    def enrolment(self) -> Enrolment:
        """Return the authenticator enrolment, kept while the username stays the same."""
        if self._enrolment is None or self._enrolment.username != self.username:
            self._enrolment = self.accounts.new_enrolment(self.username)
        return self._enrolment

    def finish(self, code: str) -> None:
        """Create the first administrator; raises ``InvalidInput`` if the code does not match."""
        enrolment = self.enrolment()
        self.accounts.create_first_admin(
            self.username, self.display_name, self._password, enrolment.seed, code
        )
        self._password = ""
        self.created = True


class AccountPage(QWizardPage):
    """Page 1: username, display name, password and confirmation, checked as they are typed."""

    def __init__(self, setup: FirstRunSetup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setup = setup
        self.ui = Ui_AccountPage()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        for field in (
            self.ui.usernameEdit,
            self.ui.displayNameEdit,
            self.ui.passwordEdit,
            self.ui.confirmEdit,
        ):
            field.textChanged.connect(self._changed)
        set_message(self.ui.messageLabel, "")

    def _problem(self) -> str | None:
        return self.setup.account_problem(
            self.ui.usernameEdit.text(), self.ui.passwordEdit.text(), self.ui.confirmEdit.text()
        )

    def _changed(self) -> None:
        set_message(self.ui.messageLabel, self._problem() or "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        """Let Next work only when the details are acceptable."""
        return self._problem() is None

    def validatePage(self) -> bool:
        """Hand the chosen details to the set-up before the enrolment page."""
        self.setup.choose(
            self.ui.usernameEdit.text(), self.ui.displayNameEdit.text(), self.ui.passwordEdit.text()
        )
        return True


class EnrolmentPage(QWizardPage):
    """Page 2: the QR code, the key grouped in fours, and the otpauth:// link."""

    def __init__(self, setup: FirstRunSetup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setup = setup
        self.ui = Ui_EnrolmentPage()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSizeF(max(fixed.pointSizeF(), 13.0))
        self.ui.seedLabel.setFont(fixed)

    def initializePage(self) -> None:
        """Show the enrolment for the username chosen on page 1."""
        enrolment = self.setup.enrolment()
        pixmap = QPixmap()
        pixmap.loadFromData(qr_png(enrolment.uri), "PNG")
        self.ui.qrLabel.setPixmap(pixmap)
        self.ui.qrLabel.setAccessibleName(self.tr("QR code for your authenticator app"))
        self.ui.accountLabel.setText(
            self.tr("The app will list it as Desk ({username}).").format(
                username=enrolment.username
            )
        )
        self.ui.seedLabel.setText(grouped(enrolment.seed))
        self.ui.uriEdit.setText(enrolment.uri)
        self.ui.uriEdit.setCursorPosition(0)


class CodePage(QWizardPage):
    """Page 3: a code from the authenticator; the account is created only if it matches."""

    def __init__(self, setup: FirstRunSetup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setup = setup
        self.ui = Ui_CodePage()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.ui.codeEdit.setValidator(code_validator(self.ui.codeEdit))
        self.ui.codeEdit.textChanged.connect(self.completeChanged)
        set_message(self.ui.messageLabel, "")

    def initializePage(self) -> None:
        """Start with an empty code field."""
        self.ui.codeEdit.clear()
        set_message(self.ui.messageLabel, "")
        self.ui.codeEdit.setFocus()

    def nextId(self) -> int:
        """Nothing follows (the join page, if offered, is on another path)."""
        return -1

    def isComplete(self) -> bool:
        """Let Finish work once something is typed."""
        return bool(self.ui.codeEdit.text().strip())

    def validatePage(self) -> bool:
        """Create the account; on a wrong code say so and stay on this page."""
        self.setCursor(Qt.CursorShape.BusyCursor)
        try:
            self.setup.finish(self.ui.codeEdit.text())
        except (InvalidInput, Conflict) as exc:
            set_message(self.ui.messageLabel, exc.message)
            self.ui.codeEdit.clear()
            self.ui.codeEdit.setFocus()
            return False
        finally:
            self.unsetCursor()
        return True


class SetupWizard(QWizard):
    """Creates the first administrator; finishes only when the account exists."""

    admin_created = Signal(str)  # the new administrator's username
    joined = Signal(str)  # the shared desk's server (no password) this workstation joined
    JOIN_PAGE = 10

    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setup = FirstRunSetup(accounts)
        self.setWindowTitle(self.tr("Set up Desk"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Create account"))
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, app_icon().pixmap(48, 48))
        self.account_page = AccountPage(self.setup)
        self.enrolment_page = EnrolmentPage(self.setup)
        self.code_page = CodePage(self.setup)
        for page in (self.account_page, self.enrolment_page, self.code_page):
            self.addPage(page)
        self.join_page: JoinPage | None = None
        self.currentIdChanged.connect(self._show_switch)
        self.customButtonClicked.connect(self._switch)
        self.resize(760, 600)

    def offer_join(self, join: Join) -> None:
        """Offer "Join a shared desk" beside the first page; ``join`` does the joining."""
        self.join_page = JoinPage(join)
        self.setPage(self.JOIN_PAGE, self.join_page)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self._show_switch(self.currentId())

    def _show_switch(self, page_id: int) -> None:
        if self.join_page is None:
            return
        button = self.button(QWizard.WizardButton.CustomButton1)
        first = page_id == self.startId()
        button.setVisible(first)
        button.setText(
            self.tr("Set up a &new desk instead")
            if page_id == self.JOIN_PAGE
            else self.tr("&Join a shared desk…")
        )

    def _switch(self, which: int) -> None:
        if which != QWizard.WizardButton.CustomButton1.value or self.join_page is None:
            return
        joining = self.currentId() != self.JOIN_PAGE
        self.setStartId(self.JOIN_PAGE if joining else self.pageIds()[0])
        self.restart()

    def done(self, result: int) -> None:
        """Finish only once the last page has created the account; then say who it is."""
        super().done(result)  # QWizard validates the current page before accepting
        if result != QWizard.DialogCode.Accepted or self.isVisible():
            return
        if self.setup.created:
            self.admin_created.emit(self.setup.username)
        elif self.join_page is not None and self.join_page.joined_to:
            self.joined.emit(self.join_page.joined_to)
