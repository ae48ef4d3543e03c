"""The watched drop folder: files put there are imported whole, then filed away.

Each file is read once, one item at a time, into one transaction (``ImportService.import_file``:
every record validated as it is stored), so a file of a million items needs no more memory than a
small one; a bad record, a repeated item or an item without its account stores nothing.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from desk.core.errors import DeskError, InvalidInput
from desk.core.roles import Action
from desk.services.context import DeskContext
from desk.services.importing import AccountNeeded, ImportReport, ImportService
from desk.services.signin import SignInService

log = logging.getLogger(__name__)

DONE = "imported"
REFUSED = "refused"
WORKING = "importing"
SETTLE = timedelta(seconds=2)  # a file still being written is left for the next scan
ABANDONED_AFTER = timedelta(minutes=1)
"""A file in importing/ this long, that no window holds, was left by a crash: it goes back."""

try:
    import fcntl
except ImportError:  # not on Windows: a file left in importing/ is only reported there
    fcntl = None  # type: ignore[assignment]


@contextmanager
def _held(path: Path) -> Iterator[bool]:
    """Hold an exclusive lock on ``path`` while importing it; yield whether it was got.

    The lock belongs to the process: if it dies (a crash, a kill, a power cut), the system
    lets go, so another window can tell a file being imported from one left behind.
    """
    if fcntl is None:
        yield True
        return
    with path.open("rb") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


@dataclass(frozen=True)
class DropResult:
    """What happened to one file from the drop folder."""

    name: str
    report: ImportReport | None
    problem: str | None
    filed_as: Path


def check_drop_folder(text: str) -> str:
    """Return a usable drop-folder path, or raise saying what is wrong with it."""
    folder = Path(text).expanduser()
    if not folder.is_absolute():
        raise InvalidInput(f"The drop folder must be a full path ({text!r} is not).")
    if not folder.is_dir():
        raise InvalidInput(f"The drop folder {folder} does not exist or is not a folder.")
    return str(folder)


class DropFolderService:
    """Imports each settled file in the drop folder and files it under imported/ or refused/."""

    def __init__(self, ctx: DeskContext, signin: SignInService, importer: ImportService) -> None:
        self.ctx = ctx
        self.signin = signin
        self.importer = importer

    def folder(self) -> Path | None:
        """Return the configured drop folder, or None when there is none."""
        text = self.ctx.setting("drop_folder", "")
        return Path(text) if text else None

    def pending(self) -> list[Path]:
        """Return the files waiting in the drop folder, oldest first."""
        folder = self.folder()
        if folder is None or not folder.is_dir():
            return []
        now = self.ctx.clock.now().timestamp()
        files = [
            p
            for p in folder.iterdir()
            if p.is_file()
            and not p.name.startswith(".")
            and not p.name.endswith(".error.txt")
            and now - p.stat().st_mtime >= SETTLE.total_seconds()
        ]
        return sorted(files, key=lambda p: p.stat().st_mtime)

    def claim(self, path: Path) -> Path | None:
        """Move a waiting file into importing/ so that only one desk window imports it.

        The file's modification time is set to the desk's "now": that stamp, not the system's
        change time, says how long it has been there, so the age of a claim is measured on one
        clock (the desk's) from start to end.
        """
        working = path.parent / WORKING
        working.mkdir(exist_ok=True)
        target = working / path.name
        try:
            # a rename within one folder tree is atomic: of two windows, one gets the file
            os.rename(path, target)
        except FileNotFoundError:
            return None
        claimed = self.ctx.clock.now().timestamp()
        os.utime(target, (claimed, claimed))
        return target

    def _file(self, path: Path, where: str) -> Path:
        target_dir = path.parent.parent / where
        target_dir.mkdir(exist_ok=True)
        stamp = self.ctx.clock.now().strftime("%Y%m%dT%H%M%SZ")
        target = target_dir / f"{stamp}-{path.name}"
        shutil.move(str(path), target)
        return target

    def recover(self) -> list[Path]:
        """Put back in the drop folder the files a crashed import left in importing/.

        A window holds a lock on the file it imports (:func:`_held`); a file there for
        :data:`ABANDONED_AFTER` that nobody holds goes back to be imported again. That is
        safe: an import is one transaction (a crash keeps nothing of it) and idempotent (one
        that had finished only finds its items already here). Returns the files put back.
        """
        folder = self.folder()
        working = folder / WORKING if folder is not None else None
        if working is None or not working.is_dir() or fcntl is None:
            return []
        since = self.ctx.clock.now().timestamp() - ABANDONED_AFTER.total_seconds()
        back = []
        for path in sorted(working.iterdir()):
            # mtime: the desk's clock when a window claimed it (see :meth:`claim`); that
            # window holds the lock from before the move until it files the file away
            with suppress(FileNotFoundError):  # filed away by its window meanwhile
                if not path.is_file() or path.stat().st_mtime > since:
                    continue
                with _held(path) as free:
                    if not free:
                        continue  # a window is importing it now
                    target = self._free_name(working.parent / path.name)
                    os.rename(path, target)
                    back.append(target)
                    log.warning("drop folder file %s was left by a crash: back in line", path.name)
        return back

    @staticmethod
    def _free_name(wanted: Path) -> Path:
        """Return ``wanted``, or the same name with a number if a file has it already."""
        candidate, number = wanted, 1
        while candidate.exists():
            candidate = wanted.with_name(f"{wanted.stem}-{number}{wanted.suffix}")
            number += 1
        return candidate

    def scan(self, token: str) -> list[DropResult]:
        """Import every waiting file; a refused file is filed with a note saying why.

        Files a crashed import left in importing/ are put back in line first (:meth:`recover`).
        """
        self.signin.authorize(token, Action.IMPORT_ITEMS)
        self.recover()
        results = []
        for waiting in self.pending():
            try:
                # locked before the move, so no window ever sees it in importing/ unheld
                with _held(waiting) as mine:
                    path = self.claim(waiting) if mine else None
                    if path is not None:
                        results.append(self._import(token, path))
            except FileNotFoundError:
                continue  # another window took it first
        return results

    def _import(self, token: str, path: Path) -> DropResult:
        """Import one claimed file, then file it under imported/ or refused/."""
        try:
            report = self.importer.import_file(token, path).report
        except AccountNeeded as exc:
            problem = (
                f"{exc.message} Files in the drop folder must name the official account "
                "of every item; import this one from the Import dialog instead."
            )
        except DeskError as exc:
            problem = exc.message
        else:
            return DropResult(path.name, report, None, self._file(path, DONE))
        filed = self._file(path, REFUSED)
        # the reader named the file where it was read (importing/): name where it is now
        problem = problem.replace(str(path), str(filed)).replace(path.name + ":", filed.name + ":")
        note = f"{filed}\nRefused: {problem}\nNothing from this file was imported.\n"
        filed.with_name(filed.name + ".error.txt").write_text(note, encoding="utf-8")
        log.warning("drop folder file %s refused", path.name)
        return DropResult(path.name, None, problem, filed)
