"""Authenticated encryption of small secrets (TOTP seeds) bound to what they belong to."""

from __future__ import annotations

import base64
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from desk.core.errors import DeskError

_PREFIX = "v1:"


class SealBroken(DeskError):
    """Sealed material does not open with this desk's key (wrong key or tampered)."""

    code = "seal.broken"


class Sealer:
    """Seals and opens secrets with AES-256-GCM; the label binds a seal to its owner."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, secret: bytes, label: str) -> str:
        """Return ``secret`` sealed for storage, bound to ``label``."""
        nonce = secrets.token_bytes(12)
        box = self._aead.encrypt(nonce, secret, label.encode("utf-8"))
        return _PREFIX + base64.b64encode(nonce + box).decode("ascii")

    def open(self, sealed: str, label: str) -> bytes:
        """Return the secret inside ``sealed``, or raise ``SealBroken``."""
        if not sealed.startswith(_PREFIX):
            raise SealBroken("Sealed material has an unknown format.")
        try:
            raw = base64.b64decode(sealed[len(_PREFIX) :], validate=True)
            return self._aead.decrypt(raw[:12], raw[12:], label.encode("utf-8"))
        except (InvalidTag, ValueError):  # binascii.Error too: a changed byte, not a crash
            raise SealBroken(
                "Sealed material does not open with this desk's key: it was changed, "
                "moved to another account, or the keyring holds a different key."
            ) from None
