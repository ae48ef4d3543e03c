"""Where a profile's files live: platformdirs by default, or one folder given by the user."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP = "Desk"
ENV_DATA_DIR = "DESK_DATA_DIR"


@dataclass(frozen=True)
class Profile:
    """The folders of one Desk profile."""

    data_dir: Path
    config_dir: Path
    log_dir: Path

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
        """Create the profile's folders, readable by their owner only."""
        for folder in (self.data_dir, self.config_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self


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
