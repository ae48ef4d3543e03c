"""The official accounts register: purposes, areas, the security review and its timing.

The rules here come from the practice guidance's security section: every official account is
known with who runs it and how it is secured, engagement accounts are kept apart from accounts
used for investigations, accounts are opened and closed only on an approved request, and each
account has a security review at a set interval (a checklist, recorded per review).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from desk.core.errors import InvalidInput

# A quarter: the guidance asks for regular reviews without a figure; 90 days matches the
# quarterly access review most forces already run, and is short enough that a leaver's
# administrator rights or a forgotten third-party app are found within one quarter.
DEFAULT_REVIEW_DAYS = 90
MIN_REVIEW_DAYS = 7
MAX_REVIEW_DAYS = 366
# "" in the area column: the account serves the whole force
FORCE_WIDE = ""
MAX_ADMINISTRATORS = 20


class Purpose(StrEnum):
    """What an official account is for."""

    ENGAGEMENT = "engagement"  # public engagement: Desk's work
    INVESTIGATIONS = "investigations"  # used by investigators: Desk never touches its items

    def label(self) -> str:
        """A readable name."""
        return "public engagement" if self is Purpose.ENGAGEMENT else "investigations"


def parse_purpose(text: str) -> Purpose:
    """Turn a typed purpose into a ``Purpose``, or say which exist."""
    value = text.strip().lower().replace("-", "_").replace(" ", "_")
    aliases = {"public_engagement": Purpose.ENGAGEMENT, "investigation": Purpose.INVESTIGATIONS}
    if value in aliases:
        return aliases[value]
    try:
        return Purpose(value)
    except ValueError:
        raise InvalidInput(
            f"Unknown purpose {text!r}: use engagement (public engagement) or investigations."
        ) from None


def parse_area(text: str) -> str:
    """Return the area as stored: ``""`` for force-wide, else the neighbourhood's name."""
    value = " ".join(text.split())
    if value.lower() in ("", "force-wide", "force wide", "forcewide", "force"):
        return FORCE_WIDE
    if len(value) > 120:
        raise InvalidInput("An area's name must be at most 120 characters.")
    return value


def area_label(area: str) -> str:
    """A readable area: the neighbourhood, or 'force-wide'."""
    return area or "force-wide"


def parse_link(text: str) -> str:
    """Return a web address for the account (https or http), ``""`` for none, or refuse it."""
    value = text.strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("https", "http") or not parts.netloc or " " in value:
        raise InvalidInput(
            f"The link {value!r} is not a web address: give it in full, such as "
            "https://x.com/ExampleshirePolice."
        )
    if len(value) > 500:
        raise InvalidInput("A link must be at most 500 characters.")
    return value


def parse_administrators(names: Iterable[str]) -> tuple[str, ...]:
    """Return the named administrators (comma-separated text allowed), without repeats."""
    seen: dict[str, str] = {}
    for chunk in names:
        for name in chunk.split(","):
            cleaned = " ".join(name.split())
            if cleaned and cleaned.casefold() not in seen:
                if len(cleaned) > 120:
                    raise InvalidInput("An administrator's name must be at most 120 characters.")
                seen[cleaned.casefold()] = cleaned
    if len(seen) > MAX_ADMINISTRATORS:
        raise InvalidInput(f"Name at most {MAX_ADMINISTRATORS} administrators for one account.")
    return tuple(seen.values())


# "password: hunter2", "pin=1234", "secret - abc": a label then a value
_LABELLED_SECRET = re.compile(
    r"\b(password|passwd|pwd|passcode|passphrase|pin|secret|seed|recovery code)s?\s*[:=\-]\s*\S",
    re.IGNORECASE,
)
# an authenticator seed (base32) or a recovery code block
_SEED = re.compile(r"\b[A-Z2-7]{16,}\b|\b(?:[a-z0-9]{4,5}-){2,}[a-z0-9]{4,5}\b")


def _looks_random(word: str) -> bool:
    """A word of 10+ characters mixing kinds of character within a part: a password."""
    if len(word) < 10 or "://" in word or "@" in word[1:]:
        return False
    kinds = sum(
        (
            any(c.islower() for c in word),
            any(c.isupper() for c in word),
            any(c.isdigit() for c in word),
            any(not c.isalnum() for c in word),
        )
    )
    if kinds < 3:
        return False
    # names join plain words and numbers ("SharedFolder-Comms", "Vault-2024"); a password
    # mixes letters with digits or symbols inside one part ("Summer2026!", "Tr0ub4dor")
    for part in re.split(r"[-_/.]+", word):
        if not (part.isalpha() or part.isdigit() or not part):
            return True
    return False


def looks_like_secret(text: str) -> bool:
    """Tell whether text meant to say WHERE credentials are kept seems to hold one instead."""
    if _LABELLED_SECRET.search(text) or _SEED.search(text):
        return True
    return any(_looks_random(word.strip(".,;:()'\"")) for word in text.split())


def parse_credentials_location(text: str) -> str:
    """Return where the credentials are kept, refusing text that looks like a secret itself."""
    value = " ".join(text.split())
    if len(value) > 300:
        raise InvalidInput("Where the credentials are kept must be at most 300 characters.")
    if looks_like_secret(value):
        raise InvalidInput(
            "That looks like a password, code or seed. Say only where the credentials are "
            "kept (such as 'force password manager, vault Corporate Comms'): Desk never "
            "stores the credentials themselves."
        )
    return value


def parse_day(text: str, what: str) -> date:
    """Return a calendar day typed as YYYY-MM-DD, or say what is wrong naming ``what``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"The {what} {text!r} is not a date: use YYYY-MM-DD.") from None


def parse_review_days(text: str | int) -> int:
    """Return the review interval in days (the ``account_review_days`` setting)."""
    try:
        days = int(str(text).strip().removesuffix("d"))
    except ValueError:
        raise InvalidInput(f"The review interval {text!r} is not a whole number of days.") from None
    if not MIN_REVIEW_DAYS <= days <= MAX_REVIEW_DAYS:
        raise InvalidInput(
            f"The review interval must be between {MIN_REVIEW_DAYS} and {MAX_REVIEW_DAYS} days."
        )
    return days


def next_review_due(last: date, interval_days: int) -> date:
    """The day the next security review is due after one done (or the opening) on ``last``."""
    return last + timedelta(days=interval_days)


def review_overdue(due: date, today: date) -> bool:
    """A review is overdue from the day after it was due."""
    return today > due


# --- the security review checklist ------------------------------------------------------------


class ReviewCheck(StrEnum):
    """One question of the security review, drawn from the guidance's security section."""

    TWO_FACTOR = "two_factor"
    LOGIN_ALERTS = "login_alerts"
    PASSWORD_MANAGER = "password_manager"  # noqa: S105 (a checklist item, not a password)
    NO_PERSONAL_EMAIL = "no_personal_email"
    APPS_CHECKED = "apps_checked"
    DEVICES_LOGGED_OUT = "devices_logged_out"
    ADMINS_RIGHT = "admins_right"

    def label(self) -> str:
        """The question as a reviewer reads it."""
        return _QUESTIONS[self]


_QUESTIONS: dict[ReviewCheck, str] = {
    ReviewCheck.TWO_FACTOR: "Two-factor authentication is on",
    ReviewCheck.LOGIN_ALERTS: "Login alerts are on and go to the team",
    ReviewCheck.PASSWORD_MANAGER: "A unique password or passkey, held in the password manager",
    ReviewCheck.NO_PERSONAL_EMAIL: "No personal email address or phone number on the account",
    ReviewCheck.APPS_CHECKED: "Third-party apps checked: only critically necessary ones remain",
    ReviewCheck.DEVICES_LOGGED_OUT: "Unknown or old devices and sessions logged out",
    ReviewCheck.ADMINS_RIGHT: "The administrators are still the right people (movers, leavers)",
}

CHECKLIST: tuple[ReviewCheck, ...] = tuple(ReviewCheck)


class CheckResult(StrEnum):
    """A checklist item's answer."""

    PASS = "pass"  # noqa: S105 (an answer, not a password)
    FAIL = "fail"
    NOT_APPLICABLE = "na"


def parse_results(answers: Mapping[str, str]) -> dict[ReviewCheck, CheckResult]:
    """Return every checklist item's answer; refuse unknown items, bad answers or gaps."""
    results: dict[ReviewCheck, CheckResult] = {}
    for key, answer in answers.items():
        try:
            check = ReviewCheck(key.strip().lower().replace("-", "_"))
        except ValueError:
            names = ", ".join(c.value for c in CHECKLIST)
            raise InvalidInput(f"Unknown checklist item {key!r}: the items are {names}.") from None
        try:
            results[check] = CheckResult(answer.strip().lower().replace("n/a", "na"))
        except ValueError:
            raise InvalidInput(
                f"The answer for {check.value} must be pass, fail or na, not {answer!r}."
            ) from None
    missing = [c.value for c in CHECKLIST if c not in results]
    if missing:
        raise InvalidInput(f"Answer every checklist item: {', '.join(missing)} not answered.")
    return {c: results[c] for c in CHECKLIST}


def parse_result_pairs(pairs: Iterable[str]) -> dict[ReviewCheck, CheckResult]:
    """Parse ``item=answer`` pairs (``all=pass`` answers every item not named otherwise)."""
    answers: dict[str, str] = {}
    default: str | None = None
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise InvalidInput(f"{pair!r} is not ITEM=ANSWER (such as two_factor=pass).")
        if key.strip().lower() == "all":
            default = value
        else:
            answers[key] = value
    if default is not None:
        for check in CHECKLIST:
            if not any(k.strip().lower().replace("-", "_") == check.value for k in answers):
                answers[check.value] = default
    return parse_results(answers)


def failed_checks(results: Mapping[ReviewCheck, CheckResult]) -> tuple[ReviewCheck, ...]:
    """The checklist items that failed, in checklist order."""
    return tuple(c for c in CHECKLIST if results.get(c) is CheckResult.FAIL)


# --- opening and closing ---------------------------------------------------------------------


class RequestKind(StrEnum):
    """What a request asks."""

    OPEN = "open"
    CLOSE = "close"


class RequestState(StrEnum):
    """Where a request stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class InvestigationsAccount(InvalidInput):
    """Items on an investigations account: Desk does not import or work them."""

    code = "account.investigations"

    def __init__(self, accounts: Iterable[tuple[str, str]], doing: str) -> None:
        self.accounts = tuple(accounts)
        named = ", ".join(f"{handle} on {platform}" for platform, handle in self.accounts)
        one = len(self.accounts) == 1
        super().__init__(
            f"{named} {'is an account' if one else 'are accounts'} used for investigations: "
            f"Desk does not {doing} {'its' if one else 'their'} items. Desk is for public "
            "engagement; investigations accounts are kept apart from it (the register "
            "records each account's purpose)."
        )
