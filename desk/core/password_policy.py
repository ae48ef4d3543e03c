"""What makes an acceptable new password (NIST SP 800-63B style: length, not composition)."""

from __future__ import annotations

import unicodedata
from collections.abc import Container

MIN_LENGTH = 12
MAX_LENGTH = 128


def normalise_password(password: str) -> str:
    """Return the form a password is compared in (NFKC), so look-alikes type the same."""
    return unicodedata.normalize("NFKC", password)


def password_problem(password: str, common: Container[str], username: str = "") -> str | None:
    """Return why ``password`` is not acceptable as a new password, or None when it is."""
    text = normalise_password(password)
    length = len(text)
    if length < MIN_LENGTH:
        return f"The password must be at least {MIN_LENGTH} characters (it has {length})."
    if length > MAX_LENGTH:
        return f"The password must be at most {MAX_LENGTH} characters (it has {length})."
    if text.lower() in common or text in common:
        return "That password is on the list of common or breached passwords: choose another."
    if username and text.lower() == username.strip().lower():
        return "The password must not be the username."
    if len(set(text)) == 1:
        return "The password must not be one character repeated."
    return None
