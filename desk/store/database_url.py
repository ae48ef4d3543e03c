"""Which database a profile uses: a PostgreSQL server URL (never with its password), or SQLite.

The choice a person saved lives in the profile's config folder as ``database.json`` (owner-only,
no password); the password lives in the OS keyring and is put into the URL only in memory.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from desk.core.errors import DatabaseProblem, InvalidInput
from desk.paths import open_private

log = logging.getLogger(__name__)

ENV_DATABASE_URL = "DESK_DATABASE_URL"
CHOICE_FILE = "database.json"
DRIVER = "postgresql+psycopg"
_ACCEPTED_DRIVERS = frozenset({"postgresql", "postgresql+psycopg", "postgres"})
SET_PASSWORD_COMMAND = "desk-admin database set-password"  # noqa: S105 (a command, not a password)

# where the choice came from, strongest first
FROM_FLAG = "--database-url"
FROM_ENV = ENV_DATABASE_URL
FROM_PROFILE = "the profile's saved choice"


@dataclass(frozen=True)
class ServerChoice:
    """A PostgreSQL server chosen for a profile, and where the choice came from."""

    url: URL
    source: str

    @property
    def shown(self) -> str:
        """The URL as it may be shown or logged (never a password)."""
        return shown(self.url)

    @property
    def password_entry(self) -> str:
        """The keyring entry that holds this server's password."""
        return password_entry(self.url)


def shown(url: URL) -> str:
    """Render ``url`` without any password."""
    return url.set(password=None).render_as_string(hide_password=True)


def password_entry(url: URL) -> str:
    """Name the keyring entry for the password of ``url``'s user on its server and database."""
    port = url.port or 5432
    return f"database-password:{url.username}@{url.host}:{port}/{url.database}"


def parse_server_url(text: str) -> URL:
    """Read a PostgreSQL URL; refuse one with a password, or one that is not PostgreSQL.

    Raises:
        InvalidInput: naming what is wrong (the password itself is never repeated).
    """
    raw = text.strip()
    if not raw:
        raise InvalidInput("The database URL is empty: give postgresql+psycopg://USER@HOST/DB.")
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):
        raise InvalidInput(
            "The database URL is not a URL Desk can read: give it as "
            "postgresql+psycopg://USER@HOST:PORT/DATABASE (options such as ?sslmode=require "
            "may follow)."
        ) from None
    if url.password is not None:
        raise InvalidInput(
            f"The database URL {shown(url)} carries a password: Desk never takes one on the "
            f"command line, in the environment or in a settings file. Give the URL without "
            f"it and store the password in the OS keyring with '{SET_PASSWORD_COMMAND}'."
        )
    if url.drivername not in _ACCEPTED_DRIVERS:
        raise InvalidInput(
            f"The database URL {shown(url)} is not a PostgreSQL server "
            f"({url.drivername}): give postgresql+psycopg://USER@HOST:PORT/DATABASE. A desk "
            "on this workstation alone needs no URL (it uses the profile's SQLite file)."
        )
    missing = [
        what
        for what, value in (("user", url.username), ("host", url.host), ("database", url.database))
        if not value
    ]
    if missing:
        raise InvalidInput(
            f"The database URL {shown(url)} names no {' or '.join(missing)}: give "
            "postgresql+psycopg://USER@HOST:PORT/DATABASE."
        )
    return url.set(drivername=DRIVER)


def with_password(url: URL, password: str | None) -> URL:
    """Return ``url`` with ``password`` in it: only ever kept in memory."""
    return url.set(password=password) if password else url


def choice_path(config_dir: Path) -> Path:
    """The file that keeps a profile's chosen server (no password)."""
    return config_dir / CHOICE_FILE


def saved_choice(config_dir: Path) -> URL | None:
    """Return the server the profile saved, or None (the profile's SQLite file).

    Raises:
        DatabaseProblem: the file is there but cannot be read as a choice.
    """
    path = choice_path(config_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DatabaseProblem(f"Desk cannot read {path}: {exc.strerror or exc}.") from None
    try:
        value = json.loads(text)
        url_text = value["url"] if isinstance(value, dict) else None
    except (ValueError, KeyError):
        url_text = None
    if not isinstance(url_text, str):
        raise DatabaseProblem(
            f"The file {path} does not say which database to use: remove it (the profile then "
            "uses its own SQLite file) or save a server again with 'desk-admin database "
            "set-url URL'."
        )
    try:
        return parse_server_url(url_text)
    except InvalidInput as exc:
        raise DatabaseProblem(f"The file {path}: {exc.message}") from None


def save_choice(config_dir: Path, url: URL) -> Path:
    """Save ``url`` (without any password) as the profile's server, owner-only."""
    path = choice_path(config_dir)
    with open_private(path, "w", encoding="utf-8") as fh:
        json.dump({"url": shown(url)}, fh)
        fh.write("\n")
    log.info("the profile's database is now %s", shown(url))
    return path


def forget_choice(config_dir: Path) -> bool:
    """Go back to the profile's SQLite file; return whether a server had been saved."""
    path = choice_path(config_dir)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    log.info("the profile's database is its SQLite file again")
    return True


def choose(config_dir: Path, flag: str | None, env: str | None) -> ServerChoice | None:
    """Return the server to use: the flag, else the environment, else the saved choice.

    None means the profile's own SQLite file.
    """
    if flag is not None and flag.strip():
        return ServerChoice(parse_server_url(flag), FROM_FLAG)
    if env is not None and env.strip():
        return ServerChoice(parse_server_url(env), FROM_ENV)
    saved = saved_choice(config_dir)
    return ServerChoice(saved, FROM_PROFILE) if saved is not None else None
