"""Desk's keys in the OS keyring, and the refusal to run without a usable one."""

from __future__ import annotations

import base64
import configparser
import json
import logging
import os
import queue
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

import keyring
import keyring.backend
import keyring.errors
from keyring.util import platform_

from desk.core.errors import KeyringUnavailable

log = logging.getLogger(__name__)

KEYRING_TIMEOUT_SECONDS = 5.0
DESK_KEY = "desk-key"
AUDIT_KEY = "audit-key"
# not a key: the audit chain's head (seq, hash, time) as this workstation last saw it
AUDIT_HEAD = "audit-head"
_T = TypeVar("_T")

_FIX = (
    "Desk keeps its keys only in the operating system's keyring. "
    "On Linux, install and unlock a Secret Service keyring (GNOME Keyring or KWallet), "
    "for example 'apt-get install gnome-keyring' and sign in to a desktop session; "
    "on Windows the Credential Manager and on macOS the Keychain are used."
)

_REFUSED_BACKENDS = {
    "keyring.backends.fail.Keyring": "no keyring backend is available",
    "keyring.backends.null.Keyring": "the keyring is switched off (null backend)",
}


def service_name(data_dir: Path) -> str:
    """Return the keyring service for a profile: the data folder makes it unique."""
    return f"Desk ({data_dir.resolve()})"


def _qualified(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _leaf_backends(
    backend: keyring.backend.KeyringBackend,
) -> list[keyring.backend.KeyringBackend]:
    inner = getattr(backend, "backends", None)
    if isinstance(inner, list | tuple):
        return [leaf for b in inner for leaf in _leaf_backends(b)]
    return [backend]


def refusal_reason(backend: keyring.backend.KeyringBackend) -> str | None:
    """Return why this one backend cannot hold Desk's keys, or None when it is acceptable."""
    name = _qualified(backend)
    if name in _REFUSED_BACKENDS:
        return _REFUSED_BACKENDS[name]
    if name.startswith("keyrings.alt."):
        return (
            f"the only keyring found is {type(backend).__name__} from keyrings.alt, "
            "which keeps secrets in a plain or weakly protected file"
        )
    return None


def choose_backend(backend: keyring.backend.KeyringBackend) -> keyring.backend.KeyringBackend:
    """Return the best acceptable backend inside ``backend`` (which may be a chain).

    Desk never uses keyring's chain itself: a chain falls through to the next backend when
    the first fails, which could put a key in a plain file when the Secret Service is locked.
    """
    leaves = _leaf_backends(backend)
    acceptable = [leaf for leaf in leaves if refusal_reason(leaf) is None]
    if acceptable:
        return max(acceptable, key=lambda b: float(getattr(b, "priority", 0) or 0))
    reason = refusal_reason(leaves[0]) if leaves else None
    raise KeyringUnavailable(
        f"Desk cannot start: {reason or 'no keyring backend is available'}. " + _FIX
    )


def _with_timeout(what: str, call: Callable[[], _T]) -> _T:
    """Run a keyring call, failing closed if the keyring does not answer in time."""
    answers: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=1)

    def run() -> None:
        try:
            answers.put((True, call()))
        except BaseException as exc:
            answers.put((False, exc))

    threading.Thread(target=run, name=f"keyring-{what}", daemon=True).start()
    try:
        ok, value = answers.get(timeout=KEYRING_TIMEOUT_SECONDS)
    except queue.Empty:
        raise KeyringUnavailable(
            f"The OS keyring did not answer within {KEYRING_TIMEOUT_SECONDS:.0f} seconds "
            f"({what}). It may be locked and waiting for a password: unlock it and start "
            "Desk again. " + _FIX
        ) from None
    if ok:
        return value  # type: ignore[return-value]
    if isinstance(value, keyring.errors.KeyringLocked):
        raise KeyringUnavailable(
            "The OS keyring is locked: unlock it (for example by signing in to the desktop) "
            "and start Desk again."
        ) from None
    if isinstance(value, keyring.errors.KeyringError):
        raise KeyringUnavailable(
            f"The OS keyring refused a request ({what}): {type(value).__name__}. " + _FIX
        ) from None
    raise KeyringUnavailable(
        f"The OS keyring failed ({what}): {type(value).__name__}. " + _FIX
    ) from None


def _configured_backend() -> str:
    """Name the backend a person configured (PYTHON_KEYRING_BACKEND or keyringrc.cfg), if any."""
    named = os.environ.get("PYTHON_KEYRING_BACKEND", "").strip()
    if named:
        return named
    try:  # read as text: loading the backend it names is what failed
        config = configparser.RawConfigParser()
        config.read(Path(platform_.config_root()) / "keyringrc.cfg", encoding="utf-8")
        return config.get("backend", "default-keyring", fallback="").strip()
    except (OSError, configparser.Error):
        return ""


def usable_backend() -> keyring.backend.KeyringBackend:
    """Return the keyring backend Desk uses, or raise ``KeyringUnavailable`` saying what to fix."""
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # keyring raises whatever its backend raised
        # e.g. keyrings.alt's EncryptedKeyring chosen in the configuration, without the
        # library it needs, ends in a RuntimeError while keyring loads it
        named = _configured_backend()
        if named.startswith("keyrings.alt."):
            reason = (
                f"the configured keyring is {named.rsplit('.', 1)[-1]} from keyrings.alt, "
                "which keeps secrets in a plain or weakly protected file"
            )
        else:
            reason = f"the configured keyring{f' ({named})' if named else ''} could not be loaded"
        raise KeyringUnavailable(
            f"Desk cannot start: {reason} ({type(exc).__name__}). Remove that choice "
            "(PYTHON_KEYRING_BACKEND or keyringrc.cfg). " + _FIX
        ) from None
    return choose_backend(backend)


def describe_backend() -> str:
    """Return a short human name for the keyring in use (for the login window)."""
    try:
        backend = usable_backend()
    except KeyringUnavailable:
        return "none usable"
    name = getattr(backend, "name", None) or type(backend).__name__
    return str(name)


@dataclass(frozen=True)
class DeskKeys:
    """The profile's keys, read from the keyring."""

    desk_key: bytes
    audit_key: bytes


class KeyStore:
    """Reads and creates a profile's keys in the OS keyring."""

    def __init__(self, data_dir: Path) -> None:
        self.service = service_name(data_dir)

    def _get(self, name: str) -> bytes | None:
        backend = usable_backend()
        text = _with_timeout(f"reading {name}", lambda: backend.get_password(self.service, name))
        if text is None:
            return None
        try:
            raw = base64.b64decode(text, validate=True)
        except ValueError:
            raw = b""
        if len(raw) != 32:
            raise KeyringUnavailable(
                f"The keyring entry '{name}' for {self.service} is not a Desk key. "
                "Restore it from backup or remove the profile."
            )
        return raw

    def _create(self, name: str) -> bytes:
        backend = usable_backend()
        raw = secrets.token_bytes(32)
        encoded = base64.b64encode(raw).decode("ascii")
        _with_timeout(f"storing {name}", lambda: backend.set_password(self.service, name, encoded))
        if self._get(name) != raw:
            raise KeyringUnavailable(
                f"The OS keyring did not keep the key '{name}' that Desk stored. " + _FIX
            )
        log.info("created keyring entry %s for %s", name, self.service)
        return raw

    def read_text(self, name: str) -> str | None:
        """Return the keyring entry ``name`` as text (not a key), or None when there is none."""
        backend = usable_backend()
        text = _with_timeout(f"reading {name}", lambda: backend.get_password(self.service, name))
        return None if text is None else str(text)

    def write_text(self, name: str, text: str) -> None:
        """Store ``text`` as the keyring entry ``name`` (not a key), replacing what was there."""
        backend = usable_backend()
        _with_timeout(f"storing {name}", lambda: backend.set_password(self.service, name, text))

    def check(self) -> None:
        """Probe the keyring once so that a broken or locked one is reported at start."""
        backend = usable_backend()
        _with_timeout("probing", lambda: backend.get_password(self.service, "probe"))

    def load(self, *, create: bool) -> DeskKeys:
        """Return the profile's keys; create missing ones only when ``create`` is true."""
        found: dict[str, bytes] = {}
        for name in (DESK_KEY, AUDIT_KEY):
            value = self._get(name)
            if value is None:
                if not create:
                    raise KeyringUnavailable(
                        f"The keyring has no '{name}' for {self.service}, but the profile "
                        "already holds accounts and audit entries sealed with it. Restore the "
                        "keyring (or sign in to the desktop account that holds it); Desk will "
                        "not make a new key, which would lock everyone out."
                    )
                value = self._create(name)
            found[name] = value
        return DeskKeys(desk_key=found[DESK_KEY], audit_key=found[AUDIT_KEY])

    def delete_all(self) -> None:
        """Remove the profile's keys (used when a throw-away demo profile is discarded)."""
        backend = usable_backend()
        for name in (DESK_KEY, AUDIT_KEY, AUDIT_HEAD):
            try:
                _with_timeout(
                    f"deleting {name}", partial(backend.delete_password, self.service, name)
                )
            except KeyringUnavailable:
                log.warning("could not delete keyring entry %s", name)


# a workstation joining a shared desk: the keys sealed with a passphrase -------------------

KEY_FILE_FORMAT = "desk-keys/1"
SCRYPT_N = 2**15  # scrypt's cost: 32 MiB and a fraction of a second per try
SCRYPT_R = 8
SCRYPT_P = 1
_NONCE_BYTES = 12


def _passphrase_key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _header_bytes(header: dict[str, object]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def seal_keys(keys: DeskKeys, passphrase: str, desk_id: str, *, n: int = SCRYPT_N) -> bytes:
    """Return a key file: both keys sealed (AES-256-GCM) under a key scrypt makes of ``passphrase``.

    ``desk_id`` names the desk the keys belong to; it is bound to the sealed keys, so a file
    edited to claim another desk does not open.
    """
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt = secrets.token_bytes(16)
    header: dict[str, object] = {
        "format": KEY_FILE_FORMAT,
        "desk": desk_id,
        "kdf": {"name": "scrypt", "n": n, "r": SCRYPT_R, "p": SCRYPT_P,
                "salt": base64.b64encode(salt).decode("ascii")},
    }  # fmt: skip
    nonce = secrets.token_bytes(_NONCE_BYTES)
    key = _passphrase_key(passphrase, salt, n, SCRYPT_R, SCRYPT_P)
    sealed = AESGCM(key).encrypt(nonce, keys.desk_key + keys.audit_key, _header_bytes(header))
    document = {
        **header,
        "nonce": base64.b64encode(nonce).decode("ascii"),
        "sealed": base64.b64encode(sealed).decode("ascii"),
    }
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")


class KeyFileRefused(ValueError):
    """A key file that is not one, or a passphrase that does not open it (no detail leaks)."""


def key_file_desk(data: bytes) -> str:
    """Return the desk a key file says it belongs to (read before asking for its passphrase).

    Raises:
        KeyFileRefused: the bytes are not a Desk key file.
    """
    return _read_key_file(data)[0]["desk"]  # type: ignore[return-value]


def _read_key_file(data: bytes) -> tuple[dict[str, object], bytes, bytes, dict[str, object]]:
    try:
        document = json.loads(data.decode("utf-8"))
        header = {k: document[k] for k in ("format", "desk", "kdf")}
        kdf = dict(document["kdf"])
        nonce = base64.b64decode(document["nonce"], validate=True)
        sealed = base64.b64decode(document["sealed"], validate=True)
        ok = (
            header["format"] == KEY_FILE_FORMAT
            and isinstance(header["desk"], str)
            and kdf.get("name") == "scrypt"
            and all(isinstance(kdf.get(k), int) for k in ("n", "r", "p"))
            and len(nonce) == _NONCE_BYTES
        )
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        ok = False
    if not ok:
        raise KeyFileRefused("not a Desk key file")
    return header, nonce, sealed, kdf


def open_keys(data: bytes, passphrase: str) -> tuple[str, DeskKeys]:
    """Return the desk a key file names and its keys; refuse a wrong passphrase or a changed file.

    Raises:
        KeyFileRefused: not a key file, or the passphrase (or the file) is wrong.
    """
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header, nonce, sealed, kdf = _read_key_file(data)
    try:
        salt = base64.b64decode(str(kdf["salt"]), validate=True)
        n, r, p = int(str(kdf["n"])), int(str(kdf["r"])), int(str(kdf["p"]))
        if not (2**14 <= n <= 2**22 and 1 <= r <= 32 and 1 <= p <= 16):
            raise ValueError("scrypt cost out of range")
        key = _passphrase_key(passphrase, salt, n, r, p)
        raw = AESGCM(key).decrypt(nonce, sealed, _header_bytes(header))
    except (InvalidTag, ValueError, KeyError):
        raise KeyFileRefused("wrong passphrase, or the file was changed") from None
    if len(raw) != 64:
        raise KeyFileRefused("not a Desk key file")
    return str(header["desk"]), DeskKeys(desk_key=raw[:32], audit_key=raw[32:])


def store_keys(keystore: KeyStore, keys: DeskKeys, *, replace_unused: bool = False) -> bool:
    """Put ``keys`` in the profile's keyring; False when the very same keys were there already.

    Other keys already there are replaced only with ``replace_unused`` (the caller has made
    sure nothing was ever sealed with them: a profile's own desk with no account or entry).

    Raises:
        KeyringUnavailable: the keyring already holds other keys for this profile (they are
            left as they are), or did not keep the ones stored.
    """
    wanted = {DESK_KEY: keys.desk_key, AUDIT_KEY: keys.audit_key}
    found = {name: keystore._get(name) for name in wanted}
    if all(found[name] == wanted[name] for name in wanted):
        return False
    if any(value is not None for value in found.values()) and not replace_unused:
        raise KeyringUnavailable(
            f"The keyring already holds other Desk keys for {keystore.service}: this profile "
            "belongs to another desk. Nothing was changed. Join the shared desk with a new "
            "profile folder (--data-dir)."
        )
    backend = usable_backend()
    for name, raw in wanted.items():
        encoded = base64.b64encode(raw).decode("ascii")
        _with_timeout(
            f"storing {name}", partial(backend.set_password, keystore.service, name, encoded)
        )
        if keystore._get(name) != raw:
            raise KeyringUnavailable(
                f"The OS keyring did not keep the key '{name}' that Desk stored. " + _FIX
            )
    log.info("stored imported keys for %s", keystore.service)
    return True
