"""The desk's Ed25519 signing key (in the OS keyring): signatures a third party can check.

An HMAC with the audit key proves nothing to someone who does not hold that key; an Ed25519
signature is checked with the public key alone, which can be handed to anyone. Used for audit
anchors (and meant for evidence bundles).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from desk.auth.secrets import KeyStore

SIGNING_KEY = "signing-key"


class DeskSigner:
    """Signs bytes with the desk's private key; tells its public key."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        self.public_raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def public_key(self) -> str:
        """The public key as base64 text (32 raw bytes): what a checker needs."""
        return base64.b64encode(self.public_raw).decode("ascii")

    @property
    def fingerprint(self) -> str:
        """A short name for the public key: the first 16 hex digits of its SHA-256."""
        return key_fingerprint(self.public_key)

    def sign(self, data: bytes) -> str:
        """Return the Ed25519 signature of ``data`` as base64 text."""
        return base64.b64encode(self._private.sign(data)).decode("ascii")


def key_fingerprint(public_key: str) -> str:
    """Return the first 16 hex digits of the SHA-256 of a base64 public key's bytes."""
    try:
        raw = base64.b64decode(public_key, validate=True)
    except (binascii.Error, ValueError):
        raw = public_key.encode("utf-8", "replace")
    return hashlib.sha256(raw).hexdigest()[:16]


def signature_valid(public_key: str, data: bytes, signature: str) -> bool:
    """Tell whether ``signature`` (base64) is ``public_key``'s (base64) signature of ``data``."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
        key.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


class SigningKeyStore(KeyStore):
    """The profile's Ed25519 key, kept beside the other keys in the OS keyring."""

    def signer(self, *, create: bool = True) -> DeskSigner | None:
        """Return the desk's signer; make the key on first use when ``create`` is true."""
        seed = self._get(SIGNING_KEY)
        if seed is None:
            if not create:
                return None
            seed = self._create(SIGNING_KEY)  # 32 random bytes: an Ed25519 private key
        return DeskSigner(Ed25519PrivateKey.from_private_bytes(seed))


def load_signer(data_dir: Path) -> DeskSigner:
    """Return the signer for the profile in ``data_dir`` (its key made on first use)."""
    signer = SigningKeyStore(data_dir).signer(create=True)
    assert signer is not None
    return signer
