"""What the queue window reads by itself (counts, surges, the drop folder), and imports.

Each periodic read is a :class:`~desk.gui.poller.Poller` (one run at a time, paused while the
window is locked); the counts are read again whenever a case changes.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from desk.core.roles import Action
from desk.core.surge import Surge
from desk.gui.import_dialog import ImportDialog
from desk.gui.labels import platform_label
from desk.gui.originals_compaction import OriginalsCompaction
from desk.gui.poller import Poller
from desk.gui.shell import Shell
from desk.services.drop_folder import DropResult
from desk.services.importing import ImportReport

log = logging.getLogger(__name__)

COUNTS_MS = 30_000
SURGE_MS = 60_000
DROP_MS = 15_000


class QueuePolls(QObject):
    """The counts, the surge banner, the drop folder and imports of one main window."""

    counts_changed = Signal()
    imported = Signal()  # new cases arrived (an import, the drop folder)

    def __init__(
        self,
        shell: Shell,
        ui: Any,
        counts_ms: int = COUNTS_MS,
        surge_ms: int = SURGE_MS,
        drop_ms: int = DROP_MS,
    ) -> None:
        super().__init__(shell)
        self.shell = shell
        self.desk = shell.desk
        self.ui = ui
        self.counts: dict[str, int] | None = None
        self.surges: list[Surge] = []
        self.accounts: list[Any] = []  # official accounts, for the Import dialog
        self.import_dialog: ImportDialog | None = None
        desk = self.desk
        self.counts_poller = Poller(
            shell,
            "counts",
            counts_ms,
            lambda: desk.queue.status_counts(shell.token),
            self._counted,
        )
        self.surge_poller = Poller(
            shell, "surges", surge_ms, lambda: desk.surges.surges(shell.token), self.show_surges
        )
        self.drop_poller = Poller(
            shell,
            "drop folder",
            drop_ms,
            self._scan,
            self._dropped,
            when=lambda: shell.can(Action.IMPORT_ITEMS),
        )
        # compresses what imports kept raw, after an import and when idle
        self.compaction = OriginalsCompaction(shell)
        ui.surgeBanner.hide()
        shell.case_changed.connect(lambda _case_id: self.refresh_counts())
        shell.cases_changed.connect(self.refresh_counts)

    def _scan(self) -> list[DropResult]:
        """Import what waits in the drop folder, if one is set (runs on the worker)."""
        if self.desk.drop_folder.folder() is None:
            return []
        return self.desk.drop_folder.scan(self.shell.token)

    def start(self) -> None:
        """Read the counts and surges now, and keep reading them (and the drop folder)."""
        self.counts_poller.start()
        self.surge_poller.start()
        self.drop_poller.start(now=False)

    def pause(self) -> None:
        """Skip reads while the window is locked."""
        for poller in (self.counts_poller, self.surge_poller, self.drop_poller):
            poller.pause()

    def resume(self) -> None:
        """Read again after an unlock (once now)."""
        for poller in (self.counts_poller, self.surge_poller):
            poller.resume()
        self.drop_poller.pause()
        self.drop_poller.start(now=False)

    def stop(self) -> None:
        """Stop for good (the session ended)."""
        for poller in (self.counts_poller, self.surge_poller, self.drop_poller):
            poller.stop()

    # counts and surges --------------------------------------------------------------------

    def refresh_counts(self) -> None:
        """Read the status bar's counts (new, mine, past target) now."""
        self.counts_poller.poll()

    def check_surges(self) -> None:
        """Ask whether arrivals are surging now."""
        self.surge_poller.poll()

    def _counted(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.counts_changed.emit()
        self.shell.status_changed.emit()

    def show_surges(self, surges: list[Surge]) -> None:
        """Show the surge banner for the biggest surge (or hide it)."""
        self.surges = surges
        banner = self.ui.surgeBanner
        if not surges:
            banner.hide()
            return
        ranked = sorted(surges, key=lambda s: (s.platform == "all", -s.multiple))
        top = ranked[0]
        where = (
            self.tr("across the desk")
            if top.platform == "all"
            else self.tr("on {platform}").format(platform=platform_label(top.platform))
        )
        text = self.tr("⚠ Surge: {multiple}x normal arrivals {where} in the last 15 min").format(
            multiple=f"{top.multiple:.1f}", where=where
        )
        if top.baseline < 1:
            text += " " + self.tr("({n} items; usually fewer than one).").format(n=top.arrivals)
        else:
            text += " " + self.tr("({n} items; usually about {usual}).").format(
                n=top.arrivals, usual=f"{top.baseline:.0f}"
            )
        others = [s for s in ranked[1:] if s.platform != "all"]
        if others:
            text += " " + self.tr("Also: {list}.").format(
                list=", ".join(f"{platform_label(s.platform)} {s.multiple:.1f}x" for s in others)
            )
        self.ui.surgeLabel.setText(text)
        banner.show()

    # imports ------------------------------------------------------------------------------

    def open_import(self) -> None:
        """Ctrl+I: the Import dialog."""
        if self.import_dialog is None:
            dialog = ImportDialog(
                self.desk,
                self.shell.worker,
                lambda: self.shell.token,
                self.accounts,
                self.shell.window,
            )
            dialog.setObjectName("importDialog")
            dialog.imported.connect(self._imported)
            dialog.service_refused.connect(self.shell.handle)
            self.import_dialog = dialog
        self.import_dialog.show()
        self.import_dialog.raise_()
        self.import_dialog.activateWindow()

    def _imported(self, report: ImportReport) -> None:
        self.shell.notify(
            self.tr("Imported {name}: {added} added, {dupes} already here.").format(
                name=report.source.rsplit("/", 1)[-1], added=report.added, dupes=report.duplicates
            )
        )
        self.shell.cases_changed.emit()

    def scan_drop_folder(self) -> None:
        """Import what waits in the drop folder now (off the GUI thread)."""
        self.drop_poller.poll()

    def _dropped(self, results: list[DropResult]) -> None:
        if not results:
            return
        imported = [
            self.tr("Drop folder: {name} imported ({n} added)").format(
                name=result.name, n=result.report.added
            )
            for result in results
            if result.report is not None
        ]
        for line in imported:
            log.info("%s", line)
        if imported:
            self.shell.notify(" · ".join(imported))
        for result in results:
            if result.report is None:  # it waits for someone to fix it: said until done
                log.info("drop folder: %s refused", result.name)
                self.shell.notify(
                    self.tr(
                        "Drop folder: {name} refused: {problem} It is now {filed}; nothing "
                        "from it was imported. Fix it and put it back in the drop folder."
                    ).format(name=result.name, problem=result.problem, filed=result.filed_as),
                    to_do=True,
                )
        self.shell.cases_changed.emit()
