"""The one way a window calls a service: an operation run off the GUI thread.

Modelled on Anki's ``aqt.operations``: a :class:`ChangeOp` changes something and then tells
every view (``case_changed``), a :class:`QueryOp` reads something and hands it over. Both own
what follows the call: the busy state of the dialog that asked, a domain error turned into what the
person sees (a refusal inside the dialog, a notice, a message box, the lock screen, the login
window), and the refresh after. Controllers never catch ``DeskError`` themselves.

    ChangeOp(shell, lambda: desk.cases.claim(token, case_id), case_id=case_id).done(
        tr("You claimed case #{id}.").format(id=case_id)
    ).run()
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from desk.core.errors import (
    Conflict,
    DatabaseDamaged,
    DeskError,
    ReauthenticationRequired,
    SessionEnded,
)
from desk.gui.shell import Shell

log = logging.getLogger(__name__)
T = TypeVar("T")


class AsksDialog(Protocol):
    """A dialog an operation answers: it shows a refusal inside itself or closes when done."""

    def refuse(self, message: str) -> None:
        """Show why the action was refused, keeping what was typed."""

    def finish(self) -> None:
        """Close after the action was done."""

    def reject(self) -> None:
        """Close without doing anything."""


class _Op(Generic[T]):
    """What both kinds of operation share: the call, its key, and the hooks."""

    def __init__(self, shell: Shell, call: Callable[[], T], key: str = "") -> None:
        self._shell = shell
        self._call = call
        self._key = key
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[DeskError], None] | None = None

    def success(self, fn: Callable[[T], None]) -> Any:
        """Call ``fn(result)`` on the GUI thread when the call succeeds."""
        self._on_success = fn
        return self

    def failure(self, fn: Callable[[DeskError], None]) -> Any:
        """Call ``fn(error)`` instead of showing a refusal (session errors are still routed)."""
        self._on_failure = fn
        return self

    def run(self) -> bool:
        """Start the call on the worker; False if one with the same key is still running."""
        if not self._shell.begin(self._key):
            return False
        self._started()
        self._shell.worker.run(self._call, self._finished, self._errored, context=self._shell)
        return True

    def _started(self) -> None:
        """Hook: the call was handed to the worker."""

    def _finished(self, result: T) -> None:
        try:
            self._succeeded(result)
        finally:
            self._shell.end(self._key)

    def _errored(self, exc: Exception) -> None:
        try:
            if isinstance(exc, (SessionEnded, ReauthenticationRequired, DatabaseDamaged)):
                self._dropped()  # a damaged database stops Desk, even from a quiet read
                self._shell.handle(exc)
            elif isinstance(exc, DeskError):
                self._refused(exc)
            else:
                self._broke(exc)
        finally:
            self._shell.end(self._key)

    def _succeeded(self, result: T) -> None:
        if self._on_success is not None:
            self._on_success(result)

    def _dropped(self) -> None:
        """Hook: the session cannot act any more (the lock screen or login comes next)."""

    def _refused(self, exc: DeskError) -> None:
        if self._on_failure is not None:
            self._on_failure(exc)
        else:
            self._shell.handle(exc)

    def _broke(self, exc: Exception) -> None:
        self._shell.failed(exc)


class QueryOp(_Op[T]):
    """Read something off the GUI thread and hand it to ``success``; errors are routed."""

    def __init__(self, shell: Shell, call: Callable[[], T], key: str = "") -> None:
        super().__init__(shell, call, key)
        self._quiet = False

    def quiet(self) -> QueryOp[T]:
        """Log refusals and failures instead of showing them (background reads, polls)."""
        self._quiet = True
        return self

    def _refused(self, exc: DeskError) -> None:
        if self._on_failure is not None:
            self._on_failure(exc)
        elif self._quiet:
            log.info("background read refused: %s", exc.code)
        else:
            self._shell.handle(exc)

    def _broke(self, exc: Exception) -> None:
        if self._quiet:
            log.warning("background read failed: %s", type(exc).__name__, exc_info=exc)
        else:
            super()._broke(exc)


class ChangeOp(_Op[T]):
    """Change something off the GUI thread, then tell every view what changed.

    ``case_id`` names the case changed (its views refresh it); ``many`` says many cases
    changed (the queue reloads); neither for a change to no case (a setting, an account).
    With ``in_dialog(d)`` the dialog shows it is busy, closes when done, and shows a refusal
    inside itself, keeping what was typed.
    """

    def __init__(
        self,
        shell: Shell,
        call: Callable[[], T],
        case_id: int | None = None,
        *,
        many: bool = False,
        key: str | None = None,
    ) -> None:
        if key is None:
            key = f"case {case_id}" if case_id is not None else ""
        super().__init__(shell, call, key)
        self.case_id = case_id
        self._many = many
        self._done: str | Callable[[T], str] = ""
        self._dialog: AsksDialog | None = None
        self._to_do = False

    def done(self, text: str | Callable[[T], str], *, to_do: bool = False) -> ChangeOp[T]:
        """Say ``text`` (or ``text(result)``) when done; ``to_do`` keeps it until dismissed."""
        self._done = text
        self._to_do = to_do
        return self

    def in_dialog(self, dialog: AsksDialog) -> ChangeOp[T]:
        """Answer ``dialog``: busy while running, closed when done, the refusal inside it."""
        self._dialog = dialog
        return self

    def run(self) -> bool:
        """Start the change; if the same case is still being changed, say so and wait."""
        if super().run():
            return True
        if self.case_id is not None:
            self._shell.notify(
                self._shell.tr("Still working on case #{id}: try again in a moment.").format(
                    id=self.case_id
                )
            )
        return False

    def _busy(self, busy: bool) -> None:
        set_busy = getattr(self._dialog, "set_busy", None)
        if callable(set_busy):
            set_busy(busy)

    def _started(self) -> None:
        self._busy(True)

    def _succeeded(self, result: T) -> None:
        self._busy(False)
        if self._dialog is not None:
            self._dialog.finish()
        text = self._done(result) if callable(self._done) else self._done
        if text:
            self._shell.notify(text, to_do=self._to_do)
        super()._succeeded(result)
        self._changed()

    def _dropped(self) -> None:
        self._busy(False)
        if self._dialog is not None:
            self._dialog.reject()

    def _refused(self, exc: DeskError) -> None:
        self._busy(False)
        if self._on_failure is not None:
            self._on_failure(exc)
        elif self._dialog is not None:
            self._dialog.refuse(exc.message)
            self._shell.notify(exc.message)
        else:
            self._shell.handle(exc)
        if isinstance(exc, Conflict):
            # what the person saw was out of date: show them the case as it is now
            if self.case_id is not None:
                self._shell.case_refused.emit(self.case_id, exc.message)
            self._changed()

    def _broke(self, exc: Exception) -> None:
        self._busy(False)
        if self._dialog is not None:
            self._dialog.refuse(
                self._shell.tr("Desk could not finish that. Nothing was changed: try again.")
            )
        super()._broke(exc)

    def _changed(self) -> None:
        if self.case_id is not None:
            self._shell.case_changed.emit(self.case_id)
        if self._many:
            self._shell.cases_changed.emit()
