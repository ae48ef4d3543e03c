"""Purpose-bound subkeys derived from the per-desk key, so no key serves two jobs."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def subkey(desk_key: bytes, purpose: str) -> bytes:
    """Derive the 32-byte key for ``purpose`` (e.g. 'seal', 'pepper', 'token')."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"desk/{purpose}/v1".encode()
    ).derive(desk_key)
