"""A shared desk: which database a profile uses, its password in the keyring, joining with keys.

Precedence: ``--database-url`` > ``DESK_DATABASE_URL`` > the profile's saved choice > the
profile's own SQLite file. A URL never carries the password: it is read from the OS keyring
(entry ``database-password:USER@HOST:PORT/DB`` of the profile's service) and put into the
URL only in memory.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from desk.auth.keys import subkey
from desk.auth.secrets import (
    DeskKeys,
    KeyFileRefused,
    KeyStore,
    key_file_desk,
    open_keys,
    seal_keys,
    store_keys,
)
from desk.core.clock import Clock
from desk.core.errors import Conflict, DatabaseProblem, InvalidInput
from desk.core.roles import Action
from desk.paths import Profile, open_private, private_database
from desk.services.key_check import KEY_CHECK_SETTING, check_values, wrong_keys
from desk.store.database_url import ENV_DATABASE_URL as ENV_DATABASE_URL
from desk.store.database_url import (
    FROM_PROFILE,
    ServerChoice,
    choose,
    forget_choice,
    parse_server_url,
    password_entry,
    save_choice,
    shown,
    with_password,
)
from desk.store.db import Database
from desk.store.server_copy import check_reachable
from desk.store.tables import Account, AuditEntry, Setting
from desk.workstation import this_workstation

if TYPE_CHECKING:
    from desk.services.desk import Desk

log = logging.getLogger(__name__)

MIN_PASSPHRASE = 12
SQLITE = "sqlite"


def server_choice(profile: Profile, flag: str | None = None) -> ServerChoice | None:
    """Return the server a profile uses (flag, environment, saved), or None for its SQLite file."""
    return choose(profile.config_dir, flag, os.environ.get(ENV_DATABASE_URL))


def open_server(profile: Profile, choice: ServerChoice) -> Database:
    """Open the chosen server with the password from the profile's keyring, checked reachable.

    Raises:
        DatabaseProblem: the server cannot be reached or refuses the sign-in (never naming
            the password).
        KeyringUnavailable: the keyring cannot be read.
    """
    password = KeyStore(profile.data_dir).read_text(choice.password_entry)
    db = Database(with_password(choice.url, password))
    try:
        check_reachable(db, password)
    except DatabaseProblem:
        db.dispose()
        raise
    log.info("using the database server %s (%s)", choice.shown, choice.source)
    return db


def chosen_database(profile: Profile, flag: str | None = None) -> Database | None:
    """Open the server the profile is pointed at, or return None for its own SQLite file."""
    choice = server_choice(profile, flag)
    return open_server(profile, choice) if choice is not None else None


def local_database(profile: Profile) -> Database:
    """Open the profile's own SQLite file whatever server is chosen (a demo profile's)."""
    db = Database.sqlite(profile.db_path)  # before the file is made: see open_desk
    private_database(profile.db_path)
    return db


def uses_server(profile: Profile, flag: str | None = None) -> bool:
    """Tell whether the profile is pointed at a server (so needs no SQLite file)."""
    return server_choice(profile, flag) is not None


@dataclass(frozen=True)
class DatabaseInfo:
    """Which database a profile uses, for ``desk-admin database show`` (never a password)."""

    kind: str  # "postgresql" or "sqlite"
    where: str  # the URL without password, or the SQLite file
    source: str  # which choice won: the flag, the environment, the profile, or the default
    password_stored: bool | None  # None for SQLite
    password_entry: str | None


def describe(profile: Profile, flag: str | None = None) -> DatabaseInfo:
    """Say which database the profile uses, and whether its password is in the keyring."""
    choice = server_choice(profile, flag)
    if choice is None:
        return DatabaseInfo(SQLITE, str(profile.db_path), "default", None, None)
    stored = KeyStore(profile.data_dir).read_text(choice.password_entry) is not None
    return DatabaseInfo("postgresql", choice.shown, choice.source, stored, choice.password_entry)


def set_server(profile: Profile, url_text: str) -> ServerChoice:
    """Save a server (URL without password) as the profile's database; the file is owner-only."""
    url = parse_server_url(url_text)
    save_choice(profile.config_dir, url)
    return ServerChoice(url, FROM_PROFILE)


def use_sqlite(profile: Profile) -> bool:
    """Point the profile back at its own SQLite file; return whether a server was saved."""
    return forget_choice(profile.config_dir)


def set_password(profile: Profile, password: str, flag: str | None = None) -> ServerChoice:
    """Keep the chosen server's password in the profile's keyring (replacing any there).

    Raises:
        InvalidInput: no server is chosen, or the password is empty.
    """
    choice = server_choice(profile, flag)
    if choice is None:
        raise InvalidInput(
            "This profile uses its own SQLite file, which has no password: choose a server "
            "first with 'desk-admin database set-url URL' (or --database-url)."
        )
    if not password:
        raise InvalidInput("The database password is empty: nothing was stored.")
    KeyStore(profile.data_dir).write_text(choice.password_entry, password)
    log.info("stored the password for %s in the keyring", choice.shown)
    return choice


# joining a second workstation: the keys, sealed ------------------------------------------


def desk_id(token_key: bytes, audit_key: bytes) -> str:
    """Name a desk by its keys' check values (kept in its database; they reveal no key)."""
    values = check_values(token_key, audit_key)
    return "-".join(values[name][:16] for name in sorted(values))


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short to protect the desk's keys."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(
            f"The passphrase is {len(passphrase)} characters long: a key file's passphrase "
            f"needs at least {MIN_PASSPHRASE}. Nothing was written."
        )


@dataclass(frozen=True)
class KeysImported:
    """What ``keys import`` did."""

    desk: str
    stored: bool  # False: the very same keys were already in this profile's keyring
    server: str


def import_keys(
    profile: Profile,
    data: bytes,
    passphrase: str,
    flag: str | None = None,
    clock: Clock | None = None,
) -> KeysImported:
    """Store a key file's keys in this workstation's keyring, once they match the server's.

    The server is the one the profile is pointed at (flag, environment or saved choice).
    Nothing is stored when the passphrase is wrong, the file is for another desk, or this
    profile's keyring already holds other keys. Audited on the server once stored.

    Raises:
        InvalidInput: not a key file, wrong passphrase, or no server chosen.
        Conflict: the file's keys are not the server's desk's.
    """
    choice = server_choice(profile, flag)
    if choice is None:
        raise InvalidInput(
            "Say which shared desk to join: give --database-url URL (or save it with "
            "'desk-admin database set-url URL') before importing its keys."
        )
    try:
        named = key_file_desk(data)
    except KeyFileRefused:
        raise InvalidInput("That file is not a Desk key file: nothing was stored.") from None
    db = open_server(profile, choice)
    try:
        with db.read() as s:
            row = s.get(Setting, KEY_CHECK_SETTING)
        if row is None:
            raise Conflict(
                f"The server {choice.shown} holds no desk yet (or one made before key checks): "
                "there is nothing to join. Move a desk onto it with 'desk-admin migrate-to'."
            )
        try:
            opened_desk, keys = open_keys(data, passphrase)
        except KeyFileRefused:
            raise InvalidInput(
                "The passphrase does not open that key file (or the file was changed): "
                "nothing was stored. Type the passphrase given when the keys were exported."
            ) from None
        stored_values = json.loads(row.value)
        expected = check_values(subkey(keys.desk_key, "token"), keys.audit_key)
        if opened_desk != named or wrong_keys(stored_values, expected):
            raise Conflict(
                f"That key file belongs to another desk, not the one on {choice.shown}: "
                "nothing was stored. Export the keys again on a workstation of this desk."
            )
        keystore = KeyStore(profile.data_dir)
        stored = store_keys(keystore, keys, replace_unused=_unused_own_desk(profile))
    finally:
        db.dispose()
    if stored:
        _audit_import(profile, choice, clock)
    return KeysImported(named, stored, choice.shown)


def _unused_own_desk(profile: Profile) -> bool:
    """Tell whether the profile's own SQLite desk is absent or unused (no account, no entry).

    Keys that such a desk's first start made sealed nothing, so imported keys may replace them.
    """
    if not profile.db_path.is_file():
        return True
    db = Database.sqlite(profile.db_path)
    try:
        with db.read() as s:
            used = s.scalar(select(func.count()).select_from(Account)) or s.scalar(
                select(func.count()).select_from(AuditEntry)
            )
    except SQLAlchemyError:
        return False
    finally:
        db.dispose()
    return not used


def join(
    profile: Profile,
    url_text: str,
    password: str,
    key_data: bytes,
    passphrase: str,
    clock: Clock | None = None,
) -> KeysImported:
    """Join a shared desk from a new workstation (the first-run wizard's "Join a shared desk").

    The server's password goes to the keyring, the key file's keys are checked against the
    server and stored, and only then is the server saved as the profile's database.

    Raises:
        InvalidInput: a bad URL, key file or passphrase.
        Conflict: the key file is another desk's, or the server holds no desk.
        DatabaseProblem: the server cannot be reached or refuses the password.
    """
    url = parse_server_url(url_text)
    if password:
        KeyStore(profile.data_dir).write_text(password_entry(url), password)
    done = import_keys(profile, key_data, passphrase, shown(url), clock)
    save_choice(profile.config_dir, url)
    return done


def _audit_import(profile: Profile, choice: ServerChoice, clock: Clock | None) -> None:
    from desk.services.context import open_desk

    ctx = open_desk(profile, clock, db=open_server(profile, choice))
    try:
        with ctx.db.write() as s:
            ctx.audit.record(
                s,
                "system",
                "keys.import",
                "keyring",
                workstation=this_workstation(),
                profile=str(profile.data_dir),
            )
    finally:
        ctx.close()


def export_keys(desk: Desk, token: str, out: Path, passphrase: str) -> str:
    """Write the desk's keys sealed with ``passphrase`` to a new owner-only file; audited.

    Only an administrator may; the file must not exist yet. Returns the desk's id.
    """
    actor = desk.signin.authorize(token, Action.CHANGE_SETTINGS)
    check_passphrase(passphrase)
    if out.exists():
        raise InvalidInput(f"{out} already exists: give a new file name. Nothing was written.")
    keys = KeyStore(desk.profile.data_dir).load(create=False)
    name = desk_id(subkey(keys.desk_key, "token"), keys.audit_key)
    sealed = _seal(keys, passphrase, name)
    with desk.ctx.db.write() as s:
        desk.ctx.audit.record(s, actor.username, "keys.export", "keyring", file=out.name, desk=name)
        try:
            with open_private(out, "xb") as fh:
                fh.write(sealed)
        except FileExistsError:
            raise InvalidInput(
                f"{out} already exists: give a new file name. Nothing was written."
            ) from None
        except OSError as exc:  # the audit entry goes only with a file written
            raise InvalidInput(
                f"Desk cannot write {out}: {exc.strerror or exc}. Nothing was written."
            ) from None
    return name


def _seal(keys: DeskKeys, passphrase: str, name: str) -> bytes:
    return seal_keys(keys, passphrase, name)
