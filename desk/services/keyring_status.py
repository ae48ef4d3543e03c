"""The keyring as the sign-in window names it: the GUI asks here, never ``desk.auth``."""

from __future__ import annotations

from desk.auth.secrets import describe_backend


def keyring_name() -> str:
    """Return a short human name for the keyring in use ("none usable" when there is none)."""
    return describe_backend()
