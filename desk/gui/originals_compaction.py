"""Compressing the records imports kept raw, in the background, after an import and when idle.

An import keeps each record's bytes raw, for speed (docs/evidence.md); this runs
``ImportService.compact_originals`` a few batches at a time on the worker: a little while after
an import (any change to the cases list), then every few minutes, and again soon while records
remain. Every batch is its own transaction: closing the window part-way loses nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from desk.core.roles import Action
from desk.gui.poller import Poller
from desk.gui.shell import Shell
from desk.services.importing import Compaction

COMPACT_MS = 300_000  # look for raw records every five minutes
AFTER_IMPORT_MS = 10_000  # and this long after the cases list changed (an import)
AGAIN_MS = 2_000  # a pass that left records raw goes on this soon
PASS_BATCHES = 5  # batches (transactions) per pass: well under a second on the worker


class OriginalsCompaction(QObject):
    """Runs compaction passes for one main window; the poller pauses while it is locked."""

    def __init__(
        self,
        shell: Shell,
        interval_ms: int = COMPACT_MS,
        after_import_ms: int = AFTER_IMPORT_MS,
        again_ms: int = AGAIN_MS,
    ) -> None:
        super().__init__(shell)
        self.shell = shell
        self._after = 0  # where the next pass goes on from (past records that do not match)
        self._again_ms = again_ms
        self.reported: set[int] = set()  # records already named as not matching
        self.last: Compaction | None = None
        self.poller = Poller(
            shell,
            "originals",
            interval_ms,
            self._pass,
            self._passed,
            when=lambda: shell.can(Action.IMPORT_ITEMS),
        )
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(after_import_ms)
        self._soon.timeout.connect(self.poller.poll)
        shell.cases_changed.connect(self._soon.start)
        shell.closing.connect(self._soon.stop)
        self.poller.start(now=False)

    def _pass(self) -> tuple[Compaction, tuple[int, ...]]:
        """Compress up to PASS_BATCHES batches, on the worker.

        Returns the last batch's answer, and every record found not to match on the way.
        """
        importer = self.shell.desk.importer
        token = self.shell.token
        damaged: tuple[int, ...] = ()
        done = importer.compact_originals(token, after=self._after)
        damaged += done.damaged
        for _ in range(PASS_BATCHES - 1):
            if done.done or not done.remaining:
                break
            done = importer.compact_originals(token, after=done.next_after)
            damaged += done.damaged
        return done, damaged

    def _passed(self, result: tuple[Compaction, tuple[int, ...]]) -> None:
        done, damaged = result
        self.last = done
        # go on past what this pass looked at; start over once there was nothing left
        self._after = 0 if done.done or not done.remaining else done.next_after
        fresh = [i for i in damaged if i not in self.reported]
        if fresh:
            self.reported.update(fresh)
            self.shell.notify(
                self.tr(
                    "{n} kept original record(s) no longer match the SHA-256 taken at import "
                    "(items {ids}); they were left as they are. Tell the administrator."
                ).format(n=len(fresh), ids=", ".join(map(str, fresh))),
                to_do=True,
                warning=True,
            )
        if done.remaining and not done.done:
            self._soon.start(self._again_ms)
