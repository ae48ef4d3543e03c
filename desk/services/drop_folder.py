"""The watched drop folder: files put there are imported whole, then filed away.

Each file is read once, one item at a time, into one transaction (``ImportService.import_file``:
every record validated as it is stored), so a file of a million items needs no more memory than a
small one; a bad record, a repeated item or an item without its account stores nothing.

Only ordinary files are read. A symbolic link, a hard link (a file with another name
elsewhere), a named pipe, a device or a socket is refused without being opened: it is moved
(the entry itself, never what it points to) to refused/ with a note, and the note never says
what the link pointed to. Desk's own folders there are 0700 and its notes 0600.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from desk.core.errors import DeskError, InvalidInput
from desk.core.roles import Action
from desk.paths import FOLDER_MODE, open_private
from desk.services.context import DeskContext
from desk.services.csv_mappings import CsvMappingService
from desk.services.importing import AccountNeeded, ImportReport, ImportService, ImportSource
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

# opening never follows a link, and never waits on a named pipe that nobody writes to
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def not_ordinary(st: os.stat_result) -> str | None:
    """Say what an entry is when it is not an ordinary file Desk may read, else None."""
    mode = st.st_mode
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if not stat.S_ISREG(mode):
        return "not an ordinary file"
    if st.st_nlink > 1:
        return "a hard link (a file that also has a name elsewhere)"
    return None


@contextmanager
def _held(path: Path) -> Iterator[os.stat_result | None]:
    """Hold an exclusive lock on ``path`` while importing it; yield what was locked, or None.

    The lock belongs to the process: if it dies (a crash, a kill, a power cut), the system
    lets go, so another window can tell a file being imported from one left behind. The file
    is opened without following a link; anything but an ordinary file yields None unread.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:  # gone, or a link (O_NOFOLLOW): not one to import
        yield None
        return
    try:
        st = os.fstat(fd)
        if not_ordinary(st) is not None:
            yield None
            return
        if fcntl is None:
            yield st
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield None
            return
        try:
            yield st
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _subfolder(folder: Path, name: str) -> Path:
    """Return Desk's folder ``name`` in the drop folder, made 0700; refuse a link there."""
    path = folder / name
    try:
        os.mkdir(path, FOLDER_MODE)
    except FileExistsError:
        st = os.lstat(path)
        if not stat.S_ISDIR(st.st_mode):  # a link to a folder elsewhere included
            raise InvalidInput(
                f"The drop folder's {name} folder ({path}) is a link or not a folder: "
                "Desk files nothing through it. Remove it and Desk makes a new one."
            ) from None
    return path


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

    def _entries(self) -> list[tuple[Path, os.stat_result]]:
        """Return the drop folder's own entries (not Desk's folders or notes), unfollowed."""
        folder = self.folder()
        if folder is None or not folder.is_dir():
            return []
        found = []
        for p in folder.iterdir():
            if p.name.startswith(".") or p.name.endswith(".error.txt"):
                continue
            with suppress(FileNotFoundError):  # taken by another window meanwhile
                st = os.lstat(p)
                if not stat.S_ISDIR(st.st_mode):
                    found.append((p, st))
        return found

    def pending(self) -> list[Path]:
        """Return the ordinary files waiting in the drop folder, oldest first."""
        now = self.ctx.clock.now().timestamp()
        files = [
            (p, st)
            for p, st in self._entries()
            if not_ordinary(st) is None and now - st.st_mtime >= SETTLE.total_seconds()
        ]
        return [p for p, _ in sorted(files, key=lambda f: f[1].st_mtime)]

    def strays(self) -> list[tuple[Path, str]]:
        """Return the entries Desk refuses to read (links, pipes, devices), with what each is."""
        found = []
        for p, st in self._entries():
            kind = not_ordinary(st)
            if kind is not None:
                found.append((p, kind))
        return sorted(found)

    def claim(self, path: Path) -> Path | None:
        """Move a waiting file into importing/ so that only one desk window imports it.

        The file's modification time is set to the desk's "now": that stamp, not the system's
        change time, says how long it has been there, so the age of a claim is measured on one
        clock (the desk's) from start to end.
        """
        working = _subfolder(path.parent, WORKING)
        target = working / path.name
        try:
            # a rename within one folder tree is atomic: of two windows, one gets the file
            os.rename(path, target)
        except FileNotFoundError:
            return None
        claimed = self.ctx.clock.now().timestamp()
        os.utime(target, (claimed, claimed))
        return target

    def _file(self, path: Path, where: str, root: Path | None = None) -> Path:
        """Move ``path`` (the entry itself: a link stays a link) to ``where``, stamped."""
        target_dir = _subfolder(root or path.parent.parent, where)
        stamp = self.ctx.clock.now().strftime("%Y%m%dT%H%M%SZ")
        target = self._free_name(target_dir / f"{stamp}-{path.name}")
        os.rename(path, target)  # within the drop folder: a rename, atomic
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
                st = os.lstat(path)
                if not_ordinary(st) is not None or st.st_mtime > since:
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
        """Return ``wanted``, or the same name with a number if it (or its note) is taken.

        A dangling link counts as taken: nothing is ever written through one.
        """

        def taken(p: Path) -> bool:
            return os.path.lexists(p) or os.path.lexists(p.with_name(p.name + ".error.txt"))

        candidate, number = wanted, 1
        while taken(candidate):
            candidate = wanted.with_name(f"{wanted.stem}-{number}{wanted.suffix}")
            number += 1
        return candidate

    def scan(self, token: str) -> list[DropResult]:
        """Import every waiting file; a refused file is filed with a note saying why.

        Files a crashed import left in importing/ are put back in line first (:meth:`recover`).
        Links, pipes and devices are refused unread (:meth:`strays`).
        """
        self.signin.authorize(token, Action.IMPORT_ITEMS)
        self.recover()
        results = []
        for stray, kind in self.strays():
            with suppress(FileNotFoundError):  # another window filed it first
                results.append(self._refuse_unread(stray, kind))
        for waiting in self.pending():
            try:
                # locked before the move, so no window ever sees it in importing/ unheld
                with _held(waiting) as held:
                    path = self.claim(waiting) if held is not None else None
                    if path is None or held is None:
                        continue
                    now = os.lstat(path)
                    if (now.st_dev, now.st_ino) != (held.st_dev, held.st_ino):
                        # swapped for something else between the lock and the move
                        kind = not_ordinary(now) or "not the file that was put there"
                        results.append(self._refuse_unread(path, kind, waiting.parent))
                        continue
                    results.append(self._import(token, path))
            except FileNotFoundError:
                continue  # another window took it first
        return results

    def _refuse_unread(self, path: Path, kind: str, root: Path | None = None) -> DropResult:
        """File a link, pipe or device under refused/ without opening it, with a note."""
        filed = self._file(path, REFUSED, root or path.parent)
        problem = (
            f"{path.name} is {kind}: Desk imports only ordinary files put in the drop folder "
            "itself, and did not open it or follow it."
        )
        self._note(filed, problem)
        log.warning("drop folder entry refused unread: %s", kind)
        return DropResult(path.name, None, problem, filed)

    @staticmethod
    def _note(filed: Path, problem: str) -> None:
        """Write the refusal note beside ``filed``: a new file (never through a link), 0600."""
        note = f"{filed}\nRefused: {problem}\nNothing from this file was imported.\n"
        with open_private(filed.with_name(filed.name + ".error.txt"), "x", encoding="utf-8") as fh:
            fh.write(note)

    @staticmethod
    def _passed_note(filed: Path, report: ImportReport) -> None:
        """Say beside an imported file what of it was not stored as items, and why."""
        added = "item" if report.added == 1 else "items"
        lines = [f"{filed}", f"Imported: {report.added} {added} added."]
        if report.own_posts or report.own_posts_known:
            lines.append(
                f"The force's own posts: {report.own_posts} kept as thread context "
                f"({report.own_posts_known} already here); never queued."
            )
        if report.passed.total:
            records = "record" if report.passed.total == 1 else "records"
            lines.append(f"Passed over {report.passed.total} {records}:")
            lines += [f"  {line}" for line in report.passed.lines()]
        note = filed.with_name(filed.name + ".passed.txt")
        with suppress(FileExistsError), open_private(note, "x", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")

    def _import(self, token: str, path: Path) -> DropResult:
        """Import one claimed file, then file it under imported/ or refused/."""
        try:
            # "[NAME] export.csv" is read with the saved CSV mapping NAME (issue 17)
            mapping = CsvMappingService(self.ctx, self.signin).for_drop_file(path)
            source = ImportSource(path, mapping=mapping) if mapping is not None else path
            report = self.importer.import_file(token, source).report
        except AccountNeeded as exc:
            problem = (
                f"{exc.message} Files in the drop folder must name the official account "
                "of every item; import this one from the Import dialog instead."
            )
        except DeskError as exc:
            problem = exc.message
        else:
            filed = self._file(path, DONE)
            if report.passed.total or report.own_posts:
                self._passed_note(filed, report)
            return DropResult(path.name, report, None, filed)
        filed = self._file(path, REFUSED)
        # the reader named the file where it was read (importing/): name where it is now
        named = problem.replace(str(path), str(filed))
        if named == problem:  # only its name was given
            named = problem.replace(path.name + ":", filed.name + ":")
        problem = named
        self._note(filed, problem)
        log.warning("drop folder file %s refused", path.name)
        return DropResult(path.name, None, problem, filed)
