"""The login dialog: username, password and one-time code, checked off the GUI thread."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractEventDispatcher, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QDialog, QWidget

from desk.core.errors import DatabaseDamaged, DeskError
from desk.gui.fields import code_validator
from desk.gui.formatting import spaced_code
from desk.gui.forms.ui_login_dialog import Ui_LoginDialog
from desk.gui.messages import set_message
from desk.gui.workers import Worker

# The dialog is the first window of a cold start, shown before the profile is open: it imports
# only Qt and light modules; the services (SQLAlchemy and the rest) come with the open desk.
if TYPE_CHECKING:
    from desk.services.desk import Desk
    from desk.services.views import SignInResult

log = logging.getLogger(__name__)

# The Qt namespace's enums take ~15 ms to make in PySide6 (all of them, on its first import),
# and this window is the first a cold start shows: the form's few flag properties are set by
# value here instead of in ui/login_dialog.ui (tests/gui/test_login_dialog.py checks
# each against Qt's own enum).
_FORM_FLAGS: dict[str, tuple[str, int]] = {
    "formLayout": ("labelAlignment", 0x0082),  # Qt.AlignRight | Qt.AlignVCenter
    "codeEdit": ("inputMethodHints", 0x10000),  # Qt.ImhDigitsOnly
    "demoCodeLabel": ("textInteractionFlags", 0x1),  # Qt.TextSelectableByMouse
    "messageLabel": ("textInteractionFlags", 0x1),
    "footerLabel": ("textInteractionFlags", 0x1),
}


class LoginDialog(QDialog):
    """Asks for username, password and code; emits ``signed_in`` with the session."""

    signed_in = Signal(object)  # SignInResult: token, actor view, previous sign-in, failures
    first_painted = Signal()  # once, when the event loop is first idle after a paint

    def __init__(
        self,
        desk: Desk | None,
        worker: Worker,
        message: str = "",
        username: str = "",
        parent: QWidget | None = None,
        demo_tick_ms: int = 1000,
        profile_name: str = "",
    ) -> None:
        """Make the dialog; with ``desk`` None it waits for :meth:`set_desk` (still opening)."""
        super().__init__(parent)
        self.desk: Desk | None = None
        self.worker = worker
        self._painted = False
        self._demo = False
        self._demo_tick_ms = demo_tick_ms
        self._demo_timer = QTimer(self)
        self.ui = Ui_LoginDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        for name, (flag, value) in _FORM_FLAGS.items():
            getattr(self.ui, name).setProperty(flag, value)
        self.ui.codeEdit.setValidator(code_validator(self.ui.codeEdit))
        self.ui.signInButton.clicked.connect(self._submit)
        self.ui.quitButton.clicked.connect(self.reject)
        self.ui.usernameEdit.setText(username)
        self.ui.demoCodeLabel.setVisible(False)
        if message:
            set_message(self.ui.messageLabel, message, "info")
        else:  # not shown yet: nothing to re-polish (re-polishing makes the Qt namespace)
            self.ui.messageLabel.setVisible(False)
        if desk is None:
            self.setWindowTitle(self.tr("Desk"))
            self.ui.headingLabel.setText(self.tr("Desk"))
            self.ui.footerLabel.setText(
                self.tr("Profile: {profile} · opening…").format(profile=profile_name)
            )
            self.ui.signInButton.setEnabled(False)
            self.ui.signInButton.setText(self.tr("Opening the desk…"))
        else:
            self.set_desk(desk)
        (self.ui.passwordEdit if username else self.ui.usernameEdit).setFocus()

    def set_desk(self, desk: Desk) -> None:
        """The profile is open: name it, show the demo code if any, and allow signing in."""
        from desk.services import demo
        from desk.services.keyring_status import keyring_name

        self.desk = desk
        desk_name = str(desk.settings.get("desk_name"))
        self.setWindowTitle(self.tr("Desk — {name}").format(name=desk_name))
        self.ui.headingLabel.setText(desk_name)
        self.ui.footerLabel.setText(
            self.tr("Profile: {profile} · Keyring: {keyring}").format(
                profile=desk.profile.name, keyring=keyring_name()
            )
        )
        self._demo = demo.is_demo(desk)
        self.ui.demoCodeLabel.setVisible(self._demo)
        if self._demo:
            self._demo_timer.setInterval(self._demo_tick_ms)
            self._demo_timer.timeout.connect(self._show_demo_code)
            self.ui.usernameEdit.textChanged.connect(self._show_demo_code)
            self._demo_timer.start()
            self._show_demo_code()
        self._set_busy(False)

    @property
    def ready(self) -> bool:
        """Tell whether the profile is open, so that a sign-in can be checked."""
        return self.desk is not None

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint; the first time, say so once the event loop is next idle (the start goes on)."""
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # not before the loop is idle: the work it starts (the profile opened on a worker
            # thread) then takes the interpreter lock from nothing the window still has to do
            dispatcher = QAbstractEventDispatcher.instance(self.thread())
            if dispatcher is None:
                QTimer.singleShot(0, self.first_painted.emit)
            else:
                dispatcher.aboutToBlock.connect(self._idle_after_paint)

    def _idle_after_paint(self) -> None:
        dispatcher = QAbstractEventDispatcher.instance(self.thread())
        if dispatcher is not None:
            dispatcher.aboutToBlock.disconnect(self._idle_after_paint)
        self.first_painted.emit()

    # the throw-away demo profile ----------------------------------------------------------

    def _show_demo_code(self) -> None:
        from desk.services import demo

        assert self.desk is not None
        typed = self.ui.usernameEdit.text()
        code = demo.current_code(self.desk, typed) if typed.strip() else None
        if code is None:
            names = ", ".join(name for name, _display, _role in demo.DEMO_PEOPLE)
            text = self.tr(
                "DEMO PROFILE — type a demo username ({names}) to see its current code"
            ).format(names=names)
        else:
            text = self.tr("DEMO PROFILE — current code for {username}: {code}").format(
                username=typed.strip().lower(), code=spaced_code(code)
            )
        self.ui.demoCodeLabel.setText(text)

    # signing in ---------------------------------------------------------------------------

    def _submit(self) -> None:
        from desk.services.signin import GUI
        from desk.workstation import this_workstation

        desk = self.desk
        if desk is None:
            return  # the button is disabled until the profile is open
        username = self.ui.usernameEdit.text()
        password = self.ui.passwordEdit.text()
        code = self.ui.codeEdit.text()
        if not (username.strip() and password and code.strip()):
            set_message(self.ui.messageLabel, self.tr("Enter your username, password and code."))
            return
        self._set_busy(True)
        self.worker.run(
            lambda: desk.signin.sign_in(username, password, code, GUI, this_workstation()),
            self._succeeded,
            self._failed,
            context=self,
        )

    def _set_busy(self, busy: bool) -> None:
        self.ui.signInButton.setEnabled(not busy)
        self.ui.signInButton.setText(self.tr("Checking…") if busy else self.tr("&Sign in"))
        for field in (self.ui.usernameEdit, self.ui.passwordEdit, self.ui.codeEdit):
            field.setReadOnly(busy)
        if busy:
            from PySide6.QtCore import Qt  # see _FORM_FLAGS

            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def _succeeded(self, result: SignInResult) -> None:
        self._set_busy(False)
        self._demo_timer.stop()
        self.ui.passwordEdit.clear()
        self.ui.codeEdit.clear()
        set_message(self.ui.messageLabel, "")
        self.signed_in.emit(result)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self._set_busy(False)
        if isinstance(error, DatabaseDamaged):
            from desk.gui.damage import stop_for_damage

            stop_for_damage(self, error.message)
            return
        if isinstance(error, DeskError):
            text = error.message  # SignInFailed's never says which part was wrong
        else:
            log.error("sign-in could not be checked: %s", type(error).__name__)
            text = self.tr(
                "Desk could not check the sign-in. Try again; if it keeps failing, "
                "tell your supervisor."
            )
        set_message(self.ui.messageLabel, text)
        self.ui.passwordEdit.clear()
        self.ui.codeEdit.clear()
        self.ui.passwordEdit.setFocus()

    def done(self, result: int) -> None:
        """Stop the demo code's timer whenever the dialog closes."""
        self._demo_timer.stop()
        super().done(result)

    @property
    def message(self) -> str:
        """The message the dialog is showing ('' when none)."""
        return self.ui.messageLabel.text()
