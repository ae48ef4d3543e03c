"""Time-based one-time codes (RFC 6238) and the normalisation of what people type."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pyotp

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
ISSUER = "Desk"
_SEPARATORS = frozenset(" -\u00a0\u2009\u202f\u2007._")

_DIGESTS: dict[str, Callable[..., Any]] = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha512": hashlib.sha512,
}


def new_seed() -> str:
    """Return a fresh random base32 seed of 160 bits (RFC 4226's recommended length)."""
    return pyotp.random_base32(length=32)


def time_step(moment: datetime) -> int:
    """Return the RFC 6238 time step that ``moment`` falls in."""
    return int(moment.timestamp()) // STEP_SECONDS


def _totp(seed: str, digits: int, digest: str) -> pyotp.TOTP:
    return pyotp.TOTP(seed, digits=digits, interval=STEP_SECONDS, digest=_DIGESTS[digest])


def code_at(seed: str, step: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """Return the code for time step ``step`` (the demo profile shows it; tests use it)."""
    return _totp(seed, digits, digest).at(step * STEP_SECONDS)


def normalise_code(text: str, digits: int = DIGITS) -> str | None:
    """Return the typed code as ASCII digits, or None if it is not ``digits`` digits.

    Look-alike digits (full-width, Arabic-Indic, Devanagari...) count as the same digit,
    so a code typed in another script is the same code, and is refused a second time.
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text.strip()):
        if ch in _SEPARATORS:
            continue
        value = unicodedata.decimal(ch, None)
        if value is None:
            return None
        out.append(str(value))
    code = "".join(out)
    return code if len(code) == digits else None


def matching_step(
    seed: str,
    typed: str,
    moment: datetime,
    *,
    digits: int = DIGITS,
    digest: str = "sha1",
    drift: int = DRIFT_STEPS,
) -> int | None:
    """Return the time step whose code equals ``typed`` within ``drift`` steps, else None."""
    code = normalise_code(typed, digits)
    if code is None:
        return None
    now_step = time_step(moment)
    found: int | None = None
    for step in range(now_step - drift, now_step + drift + 1):
        # compare every candidate so the time taken does not depend on which one matched
        if hmac.compare_digest(code_at(seed, step, digits=digits, digest=digest), code):
            found = step if found is None else found
    return found


def provisioning_uri(seed: str, username: str, issuer: str = ISSUER) -> str:
    """Return the ``otpauth://`` URI an authenticator app scans."""
    return _totp(seed, DIGITS, "sha1").provisioning_uri(name=username, issuer_name=issuer)
