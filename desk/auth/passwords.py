"""Password verifiers: argon2id over a keyed (peppered) digest of the password."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cached_property

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from desk.core.password_policy import normalise_password

# RFC 9106's second recommendation (m=64 MiB, t=3, p=4) is stronger than OWASP's minimum.
PARAMETERS = profiles.RFC_9106_LOW_MEMORY
# stored instead of a verifier when a leaver's credentials are destroyed: nothing matches it
DESTROYED = "!destroyed"


class PasswordVerifier:
    """Makes and checks password verifiers; useless without the desk's pepper key."""

    def __init__(self, pepper_key: bytes) -> None:
        self._pepper = pepper_key
        self._hasher = PasswordHasher.from_parameters(PARAMETERS)

    def _peppered(self, password: str) -> str:
        digest = hmac.new(
            self._pepper, normalise_password(password).encode("utf-8"), hashlib.sha256
        ).digest()
        return base64.b64encode(digest).decode("ascii")

    def make(self, password: str) -> str:
        """Return a verifier for ``password`` to store."""
        return self._hasher.hash(self._peppered(password))

    def check(self, verifier: str | None, password: str) -> bool:
        """Tell whether ``password`` matches ``verifier``; None costs the same as a real one."""
        usable = verifier is not None and verifier != DESTROYED
        target = verifier if usable and verifier else self._decoy
        try:
            ok = self._hasher.verify(target, self._peppered(password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        return ok and usable

    def needs_rehash(self, verifier: str) -> bool:
        """Tell whether ``verifier`` was made with weaker parameters than today's."""
        return self._hasher.check_needs_rehash(verifier)

    @cached_property
    def _decoy(self) -> str:
        return self._hasher.hash("decoy verifier for unknown usernames")
