"""Opening a profile: keyring check, database checks and migration, keys, helpers."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from desk.auth.keys import subkey
from desk.auth.passwords import PasswordVerifier
from desk.auth.sealing import Sealer
from desk.auth.secrets import KeyStore
from desk.core.clock import Clock, SystemClock
from desk.paths import Profile, private_database
from desk.services.key_check import ensure_key_check
from desk.services.shared_desk import chosen_database
from desk.store import migrate
from desk.store.audit_log import AuditWriter
from desk.store.db import Database
from desk.store.tables import Account, AuditEntry, Setting

log = logging.getLogger(__name__)


@dataclass
class DeskContext:
    """Everything a use case needs: the database, the keys' tools, the clock."""

    profile: Profile
    db: Database
    clock: Clock
    verifier: PasswordVerifier
    sealer: Sealer
    token_key: bytes
    audit: AuditWriter
    backup_made: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    def setting(self, key: str, default: Any) -> Any:
        """Return a desk-wide setting's value, or ``default`` when it was never set."""
        with self.db.read() as s:
            row = s.get(Setting, key)
            return json.loads(row.value) if row else default

    def close(self) -> None:
        """Release the database."""
        self.db.dispose()


def open_desk(
    profile: Profile, clock: Clock | None = None, db: Database | None = None
) -> DeskContext:
    """Open a profile: refuse a bad keyring or database, migrate, and load the keys.

    Without ``db``, the database is the server the profile is pointed at
    (``DESK_DATABASE_URL``, else its saved choice: desk.services.shared_desk), else its own
    SQLite file.
    """
    profile.create()
    keystore = KeyStore(profile.data_dir)
    keystore.check()
    if db is None:
        db = chosen_database(profile)
    # made before the file (so an empty file already there is told from the one made here),
    # which is made owner-only before SQLite opens it: its -wal and -shm take the same mode
    database = db or Database.sqlite(profile.db_path)
    if db is None:
        private_database(profile.db_path)
    try:
        return _open(profile, clock, database, keystore)
    except BaseException:
        database.dispose()
        raise


def _open(
    profile: Profile, clock: Clock | None, database: Database, keystore: KeyStore
) -> DeskContext:
    backup = migrate.upgrade(database, profile.backup_dir)
    with database.read() as s:
        has_history = bool(
            s.scalar(select(func.count()).select_from(Account))
            or s.scalar(select(func.count()).select_from(AuditEntry))
        )
    keys = keystore.load(create=not has_history)
    # a key from another desk would make every password look wrong: refuse first
    ensure_key_check(
        database,
        keystore.service,
        subkey(keys.desk_key, "token"),
        keys.audit_key,
        fresh=not has_history,
    )
    the_clock = clock or SystemClock()
    return DeskContext(
        profile=profile,
        db=database,
        clock=the_clock,
        verifier=PasswordVerifier(subkey(keys.desk_key, "pepper")),
        sealer=Sealer(subkey(keys.desk_key, "seal")),
        token_key=subkey(keys.desk_key, "token"),
        audit=AuditWriter(keys.audit_key, the_clock),
        backup_made=backup,
    )
