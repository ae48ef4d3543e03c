"""What a feature controller is given instead of the main window.

The shell holds the open desk, the session (token and actor), the worker, the notices, the
permission check and the signals every view listens to. Controllers (escalations, moderation,
replies, people, handover...) take a shell; none of them imports the main window or reaches
into another object's private members.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from desk.core.errors import (
    DatabaseDamaged,
    DeskError,
    PermissionDenied,
    ReauthenticationRequired,
    SessionEnded,
)
from desk.core.roles import Action, may
from desk.gui.damage import stop_for_damage
from desk.gui.messages import show_message
from desk.gui.notices import Notices
from desk.gui.workers import Worker
from desk.services.desk import Desk
from desk.services.views import Actor

log = logging.getLogger(__name__)

# a check for work not yet saved: returns what would be lost ('' when nothing)
UnsavedCheck = Callable[[], str]


class Shell(QObject):
    """The open desk and the signed-in session, as the feature controllers see them."""

    case_changed = Signal(int)  # an action changed this case: every view showing it refreshes
    cases_changed = Signal()  # many cases changed (an import, a group close): views reload
    case_refused = Signal(int, str)  # an action on this case was refused, with the reason
    permissions_changed = Signal()  # the session's role or lock changed: re-check actions
    dialog_closed = Signal()  # a dialog opened through the shell closed: back to the queue
    reauthentication_required = Signal(str)
    session_ended = Signal(str)
    settled = Signal()  # the last running operation has finished
    case_selected = Signal(int)  # the case shown in the case pane changed (0: none)
    status_changed = Signal()  # something the status bar shows changed: redraw it
    lock_changed = Signal(bool)  # the window was locked (True) or unlocked (False)
    closing = Signal()  # the session is ending: stop timers and polls for good

    def __init__(
        self,
        desk: Desk,
        token: str,
        actor: Actor,
        worker: Worker,
        window: QWidget,
        notices: Notices | None = None,
    ) -> None:
        super().__init__(window)
        self.desk = desk
        self.worker = worker
        self.window = window
        self.notices = notices or Notices(desk.ctx.clock, self)
        self._token = token
        self._actor = actor
        self._guarded: dict[QAction, Action] = {}
        self._running: dict[str, int] = {}
        self._unsaved: list[UnsavedCheck] = []
        self.dialog: Any = None  # the dialog opened last through the shell (tests, screenshots)
        self.ended = False
        self.locked = False
        self._selection: Callable[[], Any] = lambda: None

    # the selected case ---------------------------------------------------------------------

    def set_selection_source(self, source: Callable[[], Any]) -> None:
        """Say where the selected case comes from (the queue: a ``QueueRow`` or None)."""
        self._selection = source

    def selected_case(self) -> Any:
        """The queue's selected case (a ``QueueRow``), or None."""
        return self._selection()

    def require_case(self) -> Any:
        """The selected case, or None after telling the operator to select one."""
        row = self._selection()
        if row is None:
            self.notify(self.tr("Select a case first (J and K move through the queue)."))
        return row

    def set_locked(self, locked: bool) -> None:
        """Record that the window was locked or unlocked, and tell the controllers."""
        self.locked = locked
        self.lock_changed.emit(locked)

    def close_session(self) -> None:
        """Record that the session is ending and tell everything to stop."""
        if not self.ended:
            self.ended = True
            self.closing.emit()

    # the session ---------------------------------------------------------------------------

    @property
    def token(self) -> str:
        """The session token every service call carries."""
        return self._token

    @property
    def actor(self) -> Actor:
        """Who is signed in."""
        return self._actor

    def renewed(self, token: str, actor: Actor) -> None:
        """Take the session's new token and actor (after an unlock) and re-check actions."""
        self._token = token
        self._actor = actor
        self.apply_permissions()

    def now(self) -> datetime:
        """The desk's clock."""
        return self.desk.ctx.clock.now()

    # permissions ---------------------------------------------------------------------------

    def can(self, action: Action) -> bool:
        """Tell whether the signed-in person's role includes ``action`` (the domain decides)."""
        return may(self._actor.role, action)

    def guard(self, qaction: QAction, needed: Action) -> None:
        """Enable ``qaction`` only for roles that include ``needed``, saying why when not."""
        self._guarded[qaction] = needed
        self._apply(qaction, needed)

    def apply_permissions(self) -> None:
        """Re-check every guarded action (after an unlock or a change of role)."""
        for qaction, needed in self._guarded.items():
            self._apply(qaction, needed)
        self.permissions_changed.emit()

    def _apply(self, qaction: QAction, needed: Action) -> None:
        allowed = self.can(needed)
        qaction.setEnabled(allowed)
        why = (
            ""
            if allowed
            else self.tr("Your role ({role}) does not include this: ask an administrator.").format(
                role=self._actor.role.value
            )
        )
        qaction.setToolTip(why or qaction.text().replace("&", ""))
        qaction.setStatusTip(why)

    # telling -------------------------------------------------------------------------------

    def notify(self, text: str, *, to_do: bool = False, warning: bool = False) -> None:
        """Say something in the status bar; ``to_do`` keeps it until the operator dismisses it."""
        self.notices.say(text, to_do=to_do, warning=warning)

    def tell(self, title: str, text: str, *, warning: bool = False) -> QMessageBox:
        """Say something that needs reading now, in a message box (also kept as a notice)."""
        self.notices.say(text, warning=warning)
        icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
        return show_message(self.window, title, text, icon)

    def handle(self, exc: DeskError) -> None:
        """Route a domain error: lock, end the session, or show why it was refused."""
        log.info("service call refused: %s", exc.code)
        if isinstance(exc, ReauthenticationRequired):
            self.reauthentication_required.emit(exc.message)
        elif isinstance(exc, SessionEnded):
            self.session_ended.emit(exc.message)
        elif isinstance(exc, DatabaseDamaged):  # nothing more can be trusted: say so, stop
            self.notices.say(exc.message, warning=True)
            stop_for_damage(self.window, exc.message)
        elif isinstance(exc, PermissionDenied):
            self.tell(self.tr("Not allowed"), exc.message, warning=True)
        else:
            self.tell(self.tr("Not done"), exc.message)

    def failed(self, exc: BaseException) -> None:
        """Say that something unexpected stopped an action (the details go to the log only)."""
        log.error("an action failed: %s", type(exc).__name__, exc_info=exc)
        self.tell(
            self.tr("Not done"),
            self.tr(
                "Desk could not finish that ({kind}). Nothing was half-done: try again, and "
                "tell your administrator if it happens again."
            ).format(kind=type(exc).__name__),
            warning=True,
        )

    def open_link(self, url: str) -> bool:
        """Open ``url`` in the browser; if none opens, say so and leave the link to copy."""
        if QDesktopServices.openUrl(QUrl(url)):
            return True
        self.notify(
            self.tr("Desk could not open a browser. Open this link yourself: {url}").format(
                url=url
            ),
            to_do=True,
        )
        return False

    # dialogs -------------------------------------------------------------------------------

    def open_dialog(self, dialog: QDialog, name: str) -> QDialog:
        """Open a window-modal dialog that deletes itself; focus returns to the queue after."""
        dialog.setObjectName(name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.finished.connect(lambda _result: self._dialog_finished(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_finished(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        if not self.ended:
            self.dialog_closed.emit()

    # unsaved work --------------------------------------------------------------------------

    def watch_unsaved(self, check: UnsavedCheck) -> None:
        """Register a check for unsaved work, asked before signing out or quitting."""
        self._unsaved.append(check)

    def unsaved(self) -> list[str]:
        """What would be lost by ending the session now (empty when nothing)."""
        return [text for check in self._unsaved if (text := check())]

    # running operations --------------------------------------------------------------------

    def begin(self, key: str) -> bool:
        """Note that an operation named ``key`` runs; False if one with that key already does."""
        if key and self._running.get(key):
            return False
        self._running[key] = self._running.get(key, 0) + 1
        return True

    def end(self, key: str) -> None:
        """Note that an operation named ``key`` finished."""
        left = self._running.get(key, 0) - 1
        if left > 0:
            self._running[key] = left
        else:
            self._running.pop(key, None)
        if not self._running:
            self.settled.emit()

    @property
    def busy(self) -> bool:
        """Tell whether an operation is still running."""
        return bool(self._running)
