"""Run slow service calls (password hashing) on a thread pool; answer on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot
from shiboken6 import isValid


class _Delivery(QObject):
    """Carries one call's outcome from the pool thread back to the GUI thread."""

    finished = Signal(object, object)

    def __init__(
        self,
        on_result: Callable[[Any], None],
        on_error: Callable[[Exception], None],
        context: QObject | None,
        done: Callable[[_Delivery], None],
        parent: QObject,
    ) -> None:
        # Owned by the worker (not by Python), so that a reference dropped on the pool thread
        # never destroys it there; it deletes itself on the GUI thread once delivered.
        super().__init__(parent)
        self._on_result = on_result
        self._on_error = on_error
        self._context = context
        self._done = done
        # The receiver (self) lives in the GUI thread, so an emit from the pool is queued.
        self.finished.connect(self._deliver)

    @Slot(object, object)
    def _deliver(self, result: Any, error: Exception | None) -> None:
        self._done(self)
        self.deleteLater()
        if self._context is not None and not isValid(self._context):
            return  # the window that asked has gone: nobody to tell
        if error is None:
            self._on_result(result)
        else:
            self._on_error(error)


class Worker(QObject):
    """Runs plain functions on a thread pool and calls back on the GUI thread."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._pending: set[_Delivery] = set()

    def run(
        self,
        fn: Callable[[], Any],
        on_result: Callable[[Any], None],
        on_error: Callable[[Exception], None],
        context: QObject | None = None,
    ) -> None:
        """Call ``fn()`` off the GUI thread; then ``on_result(value)`` or ``on_error(exc)``.

        Nothing is called back if ``context`` (usually the asking window) was deleted meanwhile.
        """
        delivery = _Delivery(on_result, on_error, context, self._pending.discard, self)
        self._pending.add(delivery)

        def job() -> None:
            try:
                value = fn()
            except Exception as exc:  # handed back to the GUI thread, never swallowed
                delivery.finished.emit(None, exc)
            else:
                delivery.finished.emit(value, None)

        self.pool.start(job)

    @property
    def busy(self) -> bool:
        """Tell whether a call has not yet been answered."""
        return bool(self._pending)

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for running calls to end (at shutdown); return False on timeout."""
        return self.pool.waitForDone(msecs)
