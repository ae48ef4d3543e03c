"""An in-memory keyring for the benchmark's throw-away profiles (never the real keyring)."""

from __future__ import annotations

import keyring
import keyring.backend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Keeps secrets in a dict for the life of the process."""

    priority = 1

    def __init__(self, entries: list[list[str]] | None = None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.entries: dict[tuple[str, str], str] = {
            (service, username): password for service, username, password in entries or []
        }

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise PasswordDeleteError(username) from None

    def dump(self) -> list[list[str]]:
        """Return the entries, to hand to a child process (over a pipe, never a file)."""
        return [[service, user, password] for (service, user), password in self.entries.items()]


def install(entries: list[list[str]] | None = None) -> MemoryKeyring:
    """Make a fresh in-memory keyring the active backend for this process and return it."""
    backend = MemoryKeyring(entries)
    keyring.set_keyring(backend)
    return backend
