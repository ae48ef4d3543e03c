"""Where a profile's files live: platformdirs by default, or one folder given by the user."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import platformdirs

APP = "Desk"
ENV_DATA_DIR = "DESK_DATA_DIR"
FOLDER_MODE = 0o700  # a profile's folders: their owner only
FILE_MODE = 0o600  # every file Desk writes: its owner only, whatever the umask
DESK_UMASK = 0o077  # the umask Desk runs under (desk-admin and the window set it)
_POSIX = os.name == "posix"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Profile:
    """The folders of one Desk profile."""

    data_dir: Path
    config_dir: Path
    log_dir: Path
    tightened: list[Path] = field(default_factory=list, compare=False, repr=False)
    """Folders :meth:`create` found open to others and made owner-only again."""

    @property
    def db_path(self) -> Path:
        """The SQLite database file."""
        return self.data_dir / "desk.sqlite3"

    @property
    def backup_dir(self) -> Path:
        """Where backups (and the copy made before each schema upgrade) go."""
        return self.data_dir / "backups"

    @property
    def name(self) -> str:
        """A short name for the profile, shown in the status bar and login window."""
        return "default" if self.data_dir == _default_data_dir() else str(self.data_dir)

    def create(self) -> Profile:
        """Create the profile's folders owner-only; tighten (and note) any found looser."""
        folders = [self.data_dir, self.config_dir, self.log_dir]
        if self.backup_dir.is_dir():  # made with the first backup; checked when it exists
            folders.append(self.backup_dir)
        for folder in folders:
            if private_folder(folder) and folder not in self.tightened:
                self.tightened.append(folder)
        return self

    def looser_folders_warning(self) -> str | None:
        """Say which profile folders were open to others (now owner-only), or None."""
        if not self.tightened:
            return None
        names = ", ".join(str(f) for f in self.tightened)
        return (
            f"The profile folder {names} could be read by other people on this computer; "
            "Desk has made it readable by you only. Check who else could have read it."
        )


def private_folder(folder: Path) -> bool:
    """Make ``folder`` exist with mode 0700; return True when it existed open to others.

    A folder found with any group or other permission is tightened to 0700 (and the caller
    warns): Desk never keeps people's data in a folder others can list or read.
    """
    folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    if not _POSIX:
        return False
    mode = stat.S_IMODE(folder.stat().st_mode)
    if not mode & 0o077:
        return False
    os.chmod(folder, FOLDER_MODE)
    log.warning("folder %s was open to others (mode %o): now 0700", folder, mode)
    return True


def private_file(path: Path) -> Path:
    """Make sure ``path`` exists (empty when new) with mode 0600; its bytes are never touched.

    Used before SQLite or a copy opens a file: SQLite gives its -wal and -shm files the
    database file's own mode, so an owner-only database keeps its journal owner-only too.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, FILE_MODE)
    except FileExistsError:  # only its mode changes: not opened, so it needs no write access
        tighten_files(path)
        return path
    try:
        _owner_only(fd)
    finally:
        os.close(fd)
    return path


def tighten_files(*paths: Path) -> None:
    """Give each of ``paths`` that exists (and is a regular file, not a link) mode 0600."""
    if not _POSIX:
        return
    for path in paths:
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            continue
        if stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) != FILE_MODE:
            os.chmod(path, FILE_MODE)


def private_database(path: Path) -> Path:
    """Make the SQLite file ``path`` (and any -wal, -shm, -journal beside it) owner-only."""
    private_file(path)
    tighten_files(*(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal")))
    return path


@contextmanager
def open_private(path: Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open ``path`` for writing with mode 0600, whatever the umask.

    ``mode`` is ``w``/``wb`` (replace), ``a``/``ab`` (append), or ``x``/``xb``: a new file
    only, never written through a link (FileExistsError when the name is taken). An existing
    file is made owner-only before anything is written to it.
    """
    flags = os.O_WRONLY | os.O_CREAT
    if mode.startswith("x"):
        flags |= os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        mode = "w" + mode[1:]
    else:
        flags |= os.O_APPEND if mode.startswith("a") else os.O_TRUNC
    fd = os.open(path, flags, FILE_MODE)
    try:
        _owner_only(fd)
        fh = open(fd, mode, **kwargs)  # noqa: SIM115 (closed by the with below)
    except BaseException:
        os.close(fd)
        raise
    with fh:
        yield fh


def write_private_text(path: Path, text: str, encoding: str = "utf-8", **kwargs: Any) -> None:
    """Write ``text`` to ``path``, readable by its owner only."""
    with open_private(path, "w", encoding=encoding, **kwargs) as fh:
        fh.write(text)


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, readable by its owner only."""
    with open_private(path, "wb") as fh:
        fh.write(data)


def _owner_only(fd: int) -> None:
    if _POSIX and stat.S_IMODE(os.fstat(fd).st_mode) != FILE_MODE:
        os.fchmod(fd, FILE_MODE)


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False)).resolve()


def resolve_profile(data_dir: str | os.PathLike[str] | None = None) -> Profile:
    """Return the profile named by ``--data-dir``, else ``DESK_DATA_DIR``, else the default."""
    chosen = data_dir or os.environ.get(ENV_DATA_DIR) or None
    if chosen:
        root = Path(chosen).expanduser().resolve()
        return Profile(root, root / "config", root / "logs")
    return Profile(
        _default_data_dir(),
        Path(platformdirs.user_config_dir(APP, appauthor=False)).resolve(),
        Path(platformdirs.user_log_dir(APP, appauthor=False)).resolve(),
    )
