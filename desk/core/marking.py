"""The force's protective marking (Government Security Classifications) on every export."""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any

from desk.core.errors import InvalidInput

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
MARKING_FIELD = "protective_marking"
MARKING_HEADER = "X-Protective-Marking"
MAX_LENGTH = 60
_ALLOWED = re.compile(r"[A-Za-z0-9][A-Za-z0-9 \-/:,.()]*")


def parse_marking(text: str) -> str:
    """Return a marking as typed (spaces collapsed), or refuse one that is empty or odd."""
    value = " ".join(text.split())
    if not value:
        raise InvalidInput(
            "The protective marking cannot be empty (for example OFFICIAL-SENSITIVE)."
        )
    if len(value) > MAX_LENGTH:
        raise InvalidInput(f"The protective marking must be at most {MAX_LENGTH} characters.")
    if not _ALLOWED.fullmatch(value):
        raise InvalidInput(
            "The protective marking may hold only letters, digits, spaces and - / : , . ( ), "
            "and must start with a letter or digit."
        )
    return value


def marked(data: dict[str, Any], marking: str) -> dict[str, Any]:
    """Return a JSON export's top object with the marking as its first field."""
    return {MARKING_FIELD: marking, **{k: v for k, v in data.items() if k != MARKING_FIELD}}


def marked_text(text: str, marking: str) -> str:
    """Return plain text with the marking as its first and last line."""
    body = text if text.endswith("\n") else text + "\n"
    return f"{marking}\n\n{body}\n{marking}\n"


def mark_eml(message: EmailMessage, marking: str) -> EmailMessage:
    """Mark a plain-text draft: a header line, and the first and last line of its body."""
    del message[MARKING_HEADER]
    message[MARKING_HEADER] = marking
    body = message.get_content()
    message.set_content(marked_text(body, marking))
    return message
