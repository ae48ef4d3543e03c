"""Moderation by published community guidelines: the kinds of action and the repeat-offender rule.

Every moderation action names the guideline broken. Hiding, deleting, blocking and restricting
are done to the public, so each needs the explanation the public is given; unhiding and
reporting to the platform may go without one.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from desk.core.cases import Outcome
from desk.core.errors import InvalidInput
from desk.core.items import ItemKind, Platform


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


# what applies to which item ------------------------------------------------------------------


class ItemState(StrEnum):
    """Where an item stands after the moderation actions recorded on it."""

    VISIBLE = "visible"
    HIDDEN = "hidden"
    DELETED = "deleted"


class AuthorState(StrEnum):
    """Where an author stands after the moderation actions recorded against them."""

    NONE = "none"
    RESTRICTED = "restricted"
    BLOCKED = "blocked"


ITEM_NOUN: dict[ItemKind, str] = {
    ItemKind.COMMENT: "comment",
    ItemKind.REPLY: "reply",
    ItemKind.MENTION: "mention",
    ItemKind.DIRECT_MESSAGE: "direct message",
    ItemKind.REVIEW: "review",
}

# what is done to the item itself, rather than to its author or the platform's moderators
ON_THE_ITEM = frozenset({ModerationKind.HIDE, ModerationKind.UNHIDE, ModerationKind.DELETE})
_AUTHOR_ONLY = frozenset({ModerationKind.BLOCK, ModerationKind.RESTRICT, ModerationKind.REPORT})

# Comments and replies sit under the force's own posts, so the account can hide or delete
# them. A mention or a review sits on the author's own post or page, and a direct message is
# not public: none of them can be hidden or deleted by the force, only its author dealt with.
_BY_ITEM_KIND: dict[ItemKind, frozenset[ModerationKind]] = {
    ItemKind.COMMENT: frozenset(ModerationKind),
    ItemKind.REPLY: frozenset(ModerationKind),
    ItemKind.MENTION: _AUTHOR_ONLY,
    ItemKind.REVIEW: _AUTHOR_ONLY,
    ItemKind.DIRECT_MESSAGE: _AUTHOR_ONLY,
}
_WHY_NOT_ON_ITEM: dict[ItemKind, str] = {
    ItemKind.MENTION: "it is on the author's own post, not the force's",
    ItemKind.REVIEW: "it is on the force's page as a review, which only the platform removes",
    ItemKind.DIRECT_MESSAGE: "it is not public",
}

# What a platform does not let an account do to others' comments and replies.
_PLATFORM_LACKS: dict[Platform, frozenset[ModerationKind]] = {
    # hiding replies exists; deleting another's post or "restricting" does not
    Platform.X: frozenset({ModerationKind.DELETE, ModerationKind.RESTRICT}),
    Platform.BLUESKY: frozenset({ModerationKind.DELETE, ModerationKind.RESTRICT}),
    Platform.MASTODON: frozenset(
        {ModerationKind.HIDE, ModerationKind.UNHIDE, ModerationKind.DELETE, ModerationKind.RESTRICT}
    ),
    Platform.LINKEDIN: frozenset(
        {ModerationKind.HIDE, ModerationKind.UNHIDE, ModerationKind.RESTRICT}
    ),
    Platform.NEXTDOOR: frozenset(
        {ModerationKind.HIDE, ModerationKind.UNHIDE, ModerationKind.DELETE, ModerationKind.RESTRICT}
    ),
    # every item on WhatsApp is a message in a chat
    Platform.WHATSAPP: ON_THE_ITEM,
}

_VERB: dict[ModerationKind, str] = {
    ModerationKind.HIDE: "hidden",
    ModerationKind.UNHIDE: "unhidden",
    ModerationKind.DELETE: "deleted",
    ModerationKind.BLOCK: "blocked",
    ModerationKind.RESTRICT: "restricted",
    ModerationKind.REPORT: "reported",
}
_INFINITIVE: dict[ModerationKind, str] = {
    ModerationKind.HIDE: "hide",
    ModerationKind.UNHIDE: "unhide",
    ModerationKind.DELETE: "delete",
    ModerationKind.BLOCK: "block the author of",
    ModerationKind.RESTRICT: "restrict the author of",
    ModerationKind.REPORT: "report",
}
_DOING: dict[ModerationKind, str] = {
    ModerationKind.HIDE: "hide it",
    ModerationKind.UNHIDE: "unhide it",
    ModerationKind.DELETE: "delete it",
    ModerationKind.BLOCK: "block the author",
    ModerationKind.RESTRICT: "restrict the author",
    ModerationKind.REPORT: "report it",
}


def item_noun(kind: ItemKind | str) -> str:
    """Return the plain English name of an item kind ("direct message")."""
    try:
        return ITEM_NOUN[ItemKind(kind)]
    except ValueError:
        return "item"


def _item_kind(kind: ItemKind | str) -> ItemKind:
    try:
        return ItemKind(kind)
    except ValueError:
        return ItemKind.COMMENT  # an unknown kind is treated as the commonest


def _platform(platform: Platform | str) -> Platform:
    try:
        return Platform(platform)
    except ValueError:
        return Platform.OTHER


def offered_for(item_kind: ItemKind | str, platform: Platform | str) -> frozenset[ModerationKind]:
    """Return the actions that exist for an item of this kind on this platform."""
    return _BY_ITEM_KIND[_item_kind(item_kind)] - _PLATFORM_LACKS.get(
        _platform(platform), frozenset()
    )


def item_state(kinds: Iterable[ModerationKind | str]) -> ItemState:
    """Return an item's state after the actions recorded on it (``kinds``, oldest first)."""
    state = ItemState.VISIBLE
    for kind in kinds:
        if kind == ModerationKind.DELETE:
            state = ItemState.DELETED
        elif state is ItemState.DELETED:
            continue
        elif kind == ModerationKind.HIDE:
            state = ItemState.HIDDEN
        elif kind == ModerationKind.UNHIDE:
            state = ItemState.VISIBLE
    return state


def author_state(kinds: Iterable[ModerationKind | str]) -> AuthorState:
    """Return an author's state after the actions against them (``kinds``, oldest first)."""
    state = AuthorState.NONE
    for kind in kinds:
        if kind == ModerationKind.BLOCK:
            state = AuthorState.BLOCKED
        elif kind == ModerationKind.RESTRICT and state is AuthorState.NONE:
            state = AuthorState.RESTRICTED
    return state


def _offered_text(offered: Iterable[ModerationKind]) -> str:
    doing = [_DOING[k] for k in ModerationKind if k in set(offered)]
    return ", ".join(doing) if doing else "nothing"


def refusal(
    kind: ModerationKind,
    item_kind: ItemKind | str,
    platform: Platform | str,
    item: ItemState = ItemState.VISIBLE,
    author: AuthorState = AuthorState.NONE,
) -> str | None:
    """Say why ``kind`` does not apply to this item and its author now; None when it does."""
    ikind, where = _item_kind(item_kind), _platform(platform)
    noun = item_noun(ikind)
    offered = offered_for(ikind, where)
    article = "An" if noun[0] in "aeiou" else "A"
    if kind not in _BY_ITEM_KIND[ikind]:
        return (
            f"{article} {noun} cannot be {_VERB[kind]}: {_WHY_NOT_ON_ITEM[ikind]} "
            f"(on this item you can {_offered_text(offered)})."
        )
    if kind not in offered:
        name = "X" if where is Platform.X else where.value.capitalize()
        return (
            f"On {name} the force's account cannot {_INFINITIVE[kind]} {article.lower()} {noun} "
            f"(there you can {_offered_text(offered)})."
        )
    if item is ItemState.DELETED and kind in ON_THE_ITEM:
        return f"This {noun} was deleted: it cannot be {_VERB[kind]} any more."
    if kind is ModerationKind.HIDE and item is ItemState.HIDDEN:
        return f"This {noun} is already hidden."
    if kind is ModerationKind.UNHIDE and item is not ItemState.HIDDEN:
        return f"This {noun} is not hidden: there is nothing to unhide."
    if kind is ModerationKind.BLOCK and author is AuthorState.BLOCKED:
        return "The author is already blocked."
    if kind is ModerationKind.RESTRICT and author is AuthorState.BLOCKED:
        return "The author is blocked: restricting them adds nothing."
    if kind is ModerationKind.RESTRICT and author is AuthorState.RESTRICTED:
        return "The author is already restricted."
    return None


# the shipped guideline (resources/guidelines.toml) each risk category points at, strongest first
GUIDELINE_FOR_RISK: tuple[tuple[str, str], ...] = (
    ("hate", "CG-2"),
    ("threat_to_life", "CG-1"),
    ("officer_abuse", "CG-1"),
    ("personal_data", "CG-3"),
    ("crime_in_progress", "CG-8"),
    ("domestic_abuse", "CG-8"),
)


def default_guideline(risk: Iterable[str], active_codes: Collection[str]) -> str | None:
    """Return the guideline a case's matched risk categories suggest, if it is active."""
    matched = {r.strip() for r in risk}
    for category, code in GUIDELINE_FOR_RISK:
        if category in matched and code in active_codes:
            return code
    return None
