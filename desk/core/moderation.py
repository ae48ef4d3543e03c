"""Moderation by published community guidelines: the kinds of action and the repeat-offender rule.

Every moderation action names the guideline broken. Hiding, deleting, blocking and restricting
are done to the public, so each needs the explanation the public is given; unhiding and
reporting to the platform may go without one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from desk.core.cases import Outcome
from desk.core.errors import InvalidInput


class ModerationKind(StrEnum):
    """What was done to an item or its author on the platform."""

    HIDE = "hide"
    UNHIDE = "unhide"
    DELETE = "delete"
    BLOCK = "block"
    RESTRICT = "restrict"
    REPORT = "report"


# done to the public: the explanation given to them is required
NEEDS_EXPLANATION = frozenset(
    {ModerationKind.HIDE, ModerationKind.DELETE, ModerationKind.BLOCK, ModerationKind.RESTRICT}
)
# an unhide undoes an action: it does not count against the author
AGAINST_AUTHOR = frozenset(ModerationKind) - {ModerationKind.UNHIDE}

REPEAT_THRESHOLD = 3
REPEAT_WINDOW = timedelta(days=90)
MAX_EXPLANATION = 2_000

_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,11}-[0-9A-Z][0-9A-Z.]{0,15}$")

# what goes on the case's timeline ("Hidden under CG-1")
PAST_TENSE: dict[ModerationKind, str] = {
    ModerationKind.HIDE: "Hidden",
    ModerationKind.UNHIDE: "Unhidden",
    ModerationKind.DELETE: "Deleted",
    ModerationKind.BLOCK: "Author blocked",
    ModerationKind.RESTRICT: "Author restricted",
    ModerationKind.REPORT: "Reported to the platform",
}

_OUTCOMES: dict[ModerationKind, Outcome] = {
    ModerationKind.HIDE: Outcome.HIDDEN,
    ModerationKind.DELETE: Outcome.DELETED,
    ModerationKind.BLOCK: Outcome.AUTHOR_BLOCKED,
}


def parse_kind(text: str) -> ModerationKind:
    """Turn a typed action name into a ``ModerationKind``, or say which names exist."""
    try:
        return ModerationKind(text.strip().lower())
    except ValueError:
        names = ", ".join(k.value for k in ModerationKind)
        raise InvalidInput(f"Unknown moderation action {text!r}: use one of {names}.") from None


def needs_explanation(kind: ModerationKind) -> bool:
    """Tell whether ``kind`` is done to the public and so needs the explanation given to them."""
    return kind in NEEDS_EXPLANATION


def counts_against_author(kind: ModerationKind) -> bool:
    """Tell whether an action of ``kind`` goes on the author's record."""
    return kind in AGAINST_AUTHOR


def check_explanation(kind: ModerationKind, text: str) -> str:
    """Return the explanation, stripped, or say why it cannot be used for ``kind``."""
    explanation = text.strip()
    if needs_explanation(kind) and not explanation:
        raise InvalidInput(
            f"Say what the public is told: a {kind.value} needs the explanation given to them."
        )
    if len(explanation) > MAX_EXPLANATION:
        raise InvalidInput(
            f"The explanation can be at most {MAX_EXPLANATION:,} characters "
            f"(this has {len(explanation):,})."
        )
    return explanation


def normalise_code(text: str) -> str:
    """Return a guideline code in its stored form (``cg-1`` → ``CG-1``), or say what is wrong."""
    code = text.strip().upper()
    if not _CODE.match(code):
        raise InvalidInput(
            f"{text.strip()!r} is not a guideline code: use letters, a dash and a number, "
            "like CG-1 or CG-2.1."
        )
    return code


def is_repeat_offender(
    times: Iterable[datetime],
    now: datetime,
    threshold: int = REPEAT_THRESHOLD,
    window: timedelta = REPEAT_WINDOW,
) -> bool:
    """Tell whether ``threshold`` or more actions against an author fall in the last ``window``.

    ``times`` are when the actions that count against the author (see
    :func:`counts_against_author`) were recorded.
    """
    since = now - window
    return sum(1 for t in times if since <= t <= now) >= threshold


def outcome_for(kind: ModerationKind) -> Outcome | None:
    """Return the case outcome an action of ``kind`` suggests when the case is closed."""
    return _OUTCOMES.get(kind)


def timeline_text(kind: ModerationKind, code: str) -> str:
    """Return the case timeline's line for an action (``Hidden under CG-1``)."""
    return f"{PAST_TENSE[kind]} under {code}"
