"""What a username may look like."""

from __future__ import annotations

import re

from desk.core.errors import InvalidInput

_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")


def canonical_username(text: str) -> str:
    """Return the stored form of a typed username (trimmed, lower case)."""
    return text.strip().lower()


def check_username(text: str) -> str:
    """Return the canonical username, or raise saying what a username must look like."""
    name = canonical_username(text)
    if not _USERNAME.match(name):
        raise InvalidInput(
            f"Username {text!r} is not valid: use 2 to 32 characters, starting with a letter, "
            "then letters, digits, '.', '_' or '-'."
        )
    return name


def loggable_username(text: str) -> str:
    """Return a typed username safe to put in the audit (a password typed there is not)."""
    name = canonical_username(text)
    return name if _USERNAME.match(name) else "(not a valid username)"
