"""The one path from a window to the services: domain errors become what the person sees."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, ParamSpec, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desk.core.errors import DeskError, PermissionDenied, ReauthenticationRequired, SessionEnded
from desk.gui.messages import show_message

log = logging.getLogger(__name__)
T = TypeVar("T")
P = ParamSpec("P")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """A service call's result: ``ok`` is False when an error was already shown or handled."""

    ok: bool
    value: T | None = None


class ServiceCalls(QObject):
    """Makes service calls for one window and handles the errors every call can raise.

    ``ReauthenticationRequired`` asks the window to lock, ``SessionEnded`` asks it to return
    to the login dialog; ``PermissionDenied`` and other ``DeskError``s are shown as a message.
    """

    reauthentication_required = Signal(str)
    session_ended = Signal(str)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window

    def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Outcome[T]:
        """Call a service; on a domain error, react to it and return a failed outcome."""
        try:
            return Outcome(True, fn(*args, **kwargs))
        except DeskError as exc:
            self.handle(exc)
            return Outcome(False)

    def handle(self, exc: DeskError) -> None:
        """React to a domain error raised by a service call (also one run on a worker)."""
        log.info("service call refused: %s", exc.code)
        if isinstance(exc, ReauthenticationRequired):
            self.reauthentication_required.emit(exc.message)
        elif isinstance(exc, SessionEnded):
            self.session_ended.emit(exc.message)
        elif isinstance(exc, PermissionDenied):
            show_message(self._window, self.tr("Not allowed"), exc.message)
        else:
            show_message(self._window, self.tr("Desk"), exc.message, QMessageBox.Icon.Information)
