"""The key-check value: the database says which keyring keys belong to it.

A keyring whose ``desk-key`` was replaced (another desk's key, or 32 bytes of anything) would
make every password look wrong, count as each person's failures and lock everyone out. The
database keeps, in the settings table under a name ``settings set`` refuses, an HMAC of a
fixed label with each key; Desk compares it at open and at each sign-in and refuses to start,
naming the keyring entry, when a key does not match. No one's failures are counted.

A profile made before the check existed gets its value on the first open (the keys it opens
with are the ones its accounts and audit were made with, or no one could have signed in).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

from sqlalchemy.orm import Session

from desk.auth.secrets import AUDIT_KEY, DESK_KEY
from desk.core.errors import KeyringUnavailable
from desk.store.db import Database
from desk.store.tables import Setting

log = logging.getLogger(__name__)

KEY_CHECK_SETTING = "keyring_check"  # not one of SETTINGS: no one can set it
_LABEL = b"desk/key-check/v1"


def check_values(token_key: bytes, audit_key: bytes) -> dict[str, str]:
    """Return the check value of each keyring key (the desk key through its token subkey)."""
    return {
        DESK_KEY: hmac.new(token_key, _LABEL, hashlib.sha256).hexdigest(),
        AUDIT_KEY: hmac.new(audit_key, _LABEL, hashlib.sha256).hexdigest(),
    }


def _stored(s: Session) -> dict[str, str] | None:
    row = s.get(Setting, KEY_CHECK_SETTING)
    if row is None:
        return None
    try:
        value = json.loads(row.value)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def wrong_keys(stored: dict[str, str], expected: dict[str, str]) -> list[str]:
    """Return the names of the keyring entries whose check value does not match."""
    return [
        name
        for name, value in expected.items()
        if not hmac.compare_digest(str(stored.get(name, "")), value)
    ]


def refusal(service: str, names: list[str]) -> KeyringUnavailable:
    """Return the refusal naming the keyring entries that do not belong to this database."""
    entries = " and ".join(f"'{n}'" for n in names)
    return KeyringUnavailable(
        f"Desk cannot start: the keyring entry {entries} of service '{service}' does not "
        "belong to this desk's database (it was replaced, or comes from another desk). "
        "No sign-in was tried and no one's failed attempts were counted. Fix: put back this "
        "desk's own key in that keyring entry (from the keyring backup, or the desktop account "
        "that holds it), or open the data folder the key belongs to."
    )


def ensure_key_check(
    db: Database, service: str, token_key: bytes, audit_key: bytes, *, fresh: bool
) -> None:
    """Compare the keys with the database's check value; write it when missing.

    On a ``fresh`` desk (no account, no audit entry) a value that does not match is replaced:
    nothing was made with the old keys.

    Raises:
        KeyringUnavailable: a key does not match the value the database keeps.
    """
    expected = check_values(token_key, audit_key)
    with db.read() as s:
        stored = _stored(s)
    if stored is not None:
        wrong = wrong_keys(stored, expected)
        if not wrong:
            return
        if not fresh:
            raise refusal(service, wrong)
    with db.write() as s:
        row = s.get(Setting, KEY_CHECK_SETTING)
        if row is None:
            s.add(Setting(key=KEY_CHECK_SETTING, value=json.dumps(expected, sort_keys=True)))
        else:
            row.value = json.dumps(expected, sort_keys=True)
    log.info("key-check value written for %s", service)


def require_matching_keys(s: Session, service: str, token_key: bytes, audit_key: bytes) -> None:
    """Refuse (before any password is checked) when the open keys no longer match the database.

    Raises:
        KeyringUnavailable: a key does not match the value the database keeps.
    """
    stored = _stored(s)
    if stored is None:
        return  # written at open; a database without one was opened before it existed
    wrong = wrong_keys(stored, check_values(token_key, audit_key))
    if wrong:
        raise refusal(service, wrong)
