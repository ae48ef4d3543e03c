"""Which reply templates to offer first for a case, and how long a reply may be per platform.

The picker lists the approved templates in this order: with search words, the templates that
have them in their title or key come before those that have them only in their wording; then
(and with no search at all) the templates that suit the case's matched risk and platform; then
by title. A threat to life puts the "call 999 now" signpost first, hate a hide notice, a
complaint about an officer the Professional Standards signposting, a direct message a
private reply.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from desk.core.items import ItemKind, Platform
from desk.core.templates import TemplateKind

EMERGENCY_TEMPLATE = "call-999-now"
"""The key of the scripted reply for someone in immediate danger."""

REPLY_LIMITS: dict[Platform, int] = {
    Platform.X: 280,
    Platform.BLUESKY: 300,
    Platform.MASTODON: 500,
    Platform.LINKEDIN: 1_250,
    Platform.INSTAGRAM: 2_200,
    Platform.TIKTOK: 150,
    Platform.YOUTUBE: 10_000,
    Platform.FACEBOOK: 8_000,
    Platform.NEXTDOOR: 5_000,
    Platform.WHATSAPP: 4_096,
}
"""The most characters a reply may have on each platform (None for one not listed)."""

# risk categories where the person may be in danger now: the 999 script comes first
_DANGER = frozenset({"threat_to_life", "self_harm", "crime_in_progress"})

# for each matched risk, the kinds of template that suit it, best first
RISK_KINDS: dict[str, tuple[TemplateKind, ...]] = {
    "threat_to_life": (TemplateKind.REDIRECT, TemplateKind.PRIVATE_REPLY),
    "self_harm": (TemplateKind.REDIRECT, TemplateKind.PRIVATE_REPLY),
    "crime_in_progress": (TemplateKind.REDIRECT, TemplateKind.PUBLIC_REPLY),
    "domestic_abuse": (TemplateKind.REDIRECT, TemplateKind.PRIVATE_REPLY),
    "child_safeguarding": (TemplateKind.REDIRECT, TemplateKind.PRIVATE_REPLY),
    "hate": (TemplateKind.HIDE_NOTICE, TemplateKind.DELETION_NOTICE, TemplateKind.BLOCK_NOTICE),
    "officer_abuse": (TemplateKind.HIDE_NOTICE, TemplateKind.BLOCK_NOTICE),
    "personal_data": (TemplateKind.DELETION_NOTICE, TemplateKind.HIDE_NOTICE),
    "conduct_complaint": (TemplateKind.COMPLAINT_SIGNPOSTING, TemplateKind.PUBLIC_REPLY),
    "misinformation": (TemplateKind.PUBLIC_REPLY, TemplateKind.REDIRECT),
}

# with no matched risk: an everyday reply first, an appeal's acknowledgement last
_EVERYDAY: tuple[TemplateKind, ...] = (
    TemplateKind.PUBLIC_REPLY,
    TemplateKind.REDIRECT,
    TemplateKind.PRIVATE_REPLY,
    TemplateKind.COMPLAINT_SIGNPOSTING,
    TemplateKind.HIDE_NOTICE,
    TemplateKind.DELETION_NOTICE,
    TemplateKind.BLOCK_NOTICE,
    TemplateKind.HOLDING_STATEMENT,  # for the continuity pack more than a case
    TemplateKind.APPEAL_ACKNOWLEDGEMENT,
)


class Rankable(Protocol):
    """What ranking needs to know of a template."""

    @property
    def key(self) -> str:
        """The template's key."""

    @property
    def kind(self) -> TemplateKind:
        """What the template is for."""

    @property
    def title(self) -> str:
        """The template's title."""

    @property
    def text_en(self) -> str:
        """The English wording."""

    @property
    def text_cy(self) -> str:
        """The Welsh wording."""


T = TypeVar("T", bound=Rankable)


def reply_limit(platform: Platform | str) -> int | None:
    """Return the most characters a reply may have on ``platform`` (None: no known limit)."""
    try:
        return REPLY_LIMITS.get(Platform(platform))
    except ValueError:
        return None


def _private_first(platform: str, item_kind: str | None) -> bool:
    return platform == Platform.WHATSAPP.value or item_kind == ItemKind.DIRECT_MESSAGE.value


def suited_kinds(
    risk: Iterable[str], platform: str = "", item_kind: str | None = None
) -> tuple[TemplateKind, ...]:
    """Return the template kinds that suit a case, best first (every kind appears once)."""
    order: list[TemplateKind] = []
    for category in risk:
        order += [k for k in RISK_KINDS.get(category, ()) if k not in order]
    if _private_first(platform, item_kind):
        order.insert(0, TemplateKind.PRIVATE_REPLY)
        order = list(dict.fromkeys(order))
    order += [k for k in _EVERYDAY if k not in order]
    return tuple(order)


def matches(template: Rankable, words: Sequence[str]) -> int | None:
    """Return how well ``template`` matches the search words (0 best), or None if it does not.

    0: every word is in the title or key; 1: every word is somewhere, some only in the wording.
    """
    head = f"{template.title} {template.key} {template.kind.value}".lower()
    body = f"{template.text_en} {template.text_cy}".lower()
    if not all(w in head or w in body for w in words):
        return None
    return 0 if all(w in head for w in words) else 1


def rank(
    templates: Iterable[T],
    risk: Iterable[str] = (),
    platform: str = "",
    query: str = "",
    item_kind: str | None = None,
    language: str = "en",
) -> list[T]:
    """Return the templates that match ``query`` (all when empty), the best for the case first."""
    risk = tuple(risk)
    words = query.lower().split()
    kinds = suited_kinds(risk, platform, item_kind)
    danger = bool(_DANGER.intersection(risk))
    limit = reply_limit(platform) if platform else None

    def score(template: T) -> tuple[int, int, int, int, str]:
        match = matches(template, words) or 0
        emergency = 0 if danger and template.key == EMERGENCY_TEMPLATE else 1
        text = template.text_cy if language == "cy" and template.text_cy else template.text_en
        too_long = 1 if limit is not None and len(text) > limit else 0
        return (match, emergency, kinds.index(template.kind), too_long, template.title.lower())

    found = [t for t in templates if matches(t, words) is not None]
    return sorted(found, key=score)
