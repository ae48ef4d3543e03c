"""The third-party apps register: which apps reach official accounts, why, and their reviews.

The practice guidance asks forces to retain only critically necessary third-party apps on
their official accounts. Every app with access is recorded with the accounts it reaches, what
it may do there, why it is critically necessary, who approved it, and when its access is next
reviewed; an app no longer needed is revoked (the record stays, with when, by whom and why).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum

from desk.core.errors import InvalidInput

# A quarter, as for the accounts' own security reviews: the guidance asks for regular checks
# without a figure, and an app reviewed on the same rhythm as the accounts it reaches is
# looked at by the same people at the same time.
DEFAULT_APP_REVIEW_DAYS = 90
MIN_APP_REVIEW_DAYS = 7
MAX_APP_REVIEW_DAYS = 366
MAX_NAME = 200
MAX_TEXT = 2000
# "because we use it" is not a reason: say what would stop without it
MIN_NECESSITY = 10


class AppAccess(StrEnum):
    """What an app may do on the accounts it reaches."""

    READ = "read"  # read posts, mentions, statistics
    PUBLISH = "publish"  # post, schedule or delete on the account's behalf
    MESSAGES = "messages"  # read or send private messages
    ADMIN = "admin"  # change the account's settings, people or other apps

    def label(self) -> str:
        """A readable name."""
        return _LABELS[self]


_LABELS: dict[AppAccess, str] = {
    AppAccess.READ: "read",
    AppAccess.PUBLISH: "publish",
    AppAccess.MESSAGES: "private messages",
    AppAccess.ADMIN: "administer the account",
}
_ALIASES = {
    "read_only": AppAccess.READ,
    "readonly": AppAccess.READ,
    "post": AppAccess.PUBLISH,
    "posting": AppAccess.PUBLISH,
    "write": AppAccess.PUBLISH,
    "dm": AppAccess.MESSAGES,
    "dms": AppAccess.MESSAGES,
    "direct_messages": AppAccess.MESSAGES,
    "message": AppAccess.MESSAGES,
    "administer": AppAccess.ADMIN,
    "administrator": AppAccess.ADMIN,
}


def parse_access(texts: Iterable[str]) -> tuple[AppAccess, ...]:
    """Return the access asked for (comma-separated text allowed), in a fixed order.

    Raises ``InvalidInput`` naming an unknown kind, or when none is given.
    """
    found: set[AppAccess] = set()
    for chunk in texts:
        for word in chunk.split(","):
            key = word.strip().lower().replace("-", "_").replace(" ", "_")
            if not key:
                continue
            if key in _ALIASES:
                found.add(_ALIASES[key])
                continue
            try:
                found.add(AppAccess(key))
            except ValueError:
                names = ", ".join(a.value for a in AppAccess)
                raise InvalidInput(f"Unknown access {word.strip()!r}: use {names}.") from None
    if not found:
        raise InvalidInput("Say what access the app has: read, publish, messages or admin.")
    return tuple(a for a in AppAccess if a in found)


def access_text(access: Iterable[AppAccess]) -> str:
    """The access as people read it: ``read, publish``."""
    return ", ".join(a.value for a in access)


def parse_app_name(text: str) -> str:
    """Return the app's name as stored, or say what is wrong."""
    value = " ".join(text.split())
    if not value:
        raise InvalidInput("Give the app's name (such as 'Hootsuite').")
    if len(value) > MAX_NAME:
        raise InvalidInput(f"An app's name must be at most {MAX_NAME} characters.")
    return value


def parse_necessity(text: str) -> str:
    """Return why the app is critically necessary: required, and more than a word."""
    value = text.strip()
    if not value:
        raise InvalidInput(
            "Say why the app is critically necessary: the guidance allows only apps the "
            "accounts cannot do without."
        )
    if len(value) < MIN_NECESSITY:
        raise InvalidInput(
            "Say in a sentence why the app is critically necessary (what would stop without it)."
        )
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"Why the app is necessary must be at most {MAX_TEXT} characters.")
    return value


def parse_reason(text: str, what: str) -> str:
    """Return a required reason (revoking), or say it is missing naming ``what``."""
    value = text.strip()
    if not value:
        raise InvalidInput(f"Give the reason {what}.")
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"The reason must be at most {MAX_TEXT} characters.")
    return value


def parse_note(text: str) -> str:
    """Return an optional note (a review's), refusing one too long."""
    value = text.strip()
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"A note must be at most {MAX_TEXT} characters.")
    return value


def parse_app_review_days(text: str | int) -> int:
    """Return the app review interval in days (the ``app_review_days`` setting)."""
    try:
        days = int(str(text).strip().removesuffix("d"))
    except ValueError:
        raise InvalidInput(
            f"The app review interval {text!r} is not a whole number of days."
        ) from None
    if not MIN_APP_REVIEW_DAYS <= days <= MAX_APP_REVIEW_DAYS:
        raise InvalidInput(
            f"The app review interval must be between {MIN_APP_REVIEW_DAYS} and "
            f"{MAX_APP_REVIEW_DAYS} days."
        )
    return days


def check_approved_on(day: date, today: date) -> date:
    """Refuse an approval dated in the future."""
    if day > today:
        raise InvalidInput("An approval cannot be dated on a day still to come.")
    return day


def next_app_review(last: date, interval_days: int) -> date:
    """The day an app's next review is due after its approval or last review on ``last``."""
    return last + timedelta(days=interval_days)


def app_review_overdue(due: date, today: date, revoked: bool = False) -> bool:
    """An app's review is overdue from the day after it was due; a revoked app never is."""
    return not revoked and today > due


def app_reference(app_id: int) -> str:
    """How people name an app's entry: ``APP-7``."""
    return f"APP-{app_id}"


def parse_app_reference(text: str) -> int:
    """Turn ``APP-7`` or ``7`` into 7, or say what is expected."""
    value = text.strip().upper().removeprefix("APP-")
    if not value.isdigit():
        raise InvalidInput(f"{text!r} is not an app: use APP-7 or 7.")
    return int(value)
