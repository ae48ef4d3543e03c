"""What arrives on an official account: platforms, kinds, authors and incoming items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

UNKNOWN_AUTHOR_PREFIX = "unknown:"
"""Starts the author id of an item whose platform did not say who wrote it (then the item's id
follows: each such item is its own unknown author, never merged with another)."""


class Platform(StrEnum):
    """A social media platform the desk watches."""

    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    X = "x"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    NEXTDOOR = "nextdoor"
    LINKEDIN = "linkedin"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    WHATSAPP = "whatsapp"
    OTHER = "other"


class ItemKind(StrEnum):
    """How an item reached the official account."""

    COMMENT = "comment"
    REPLY = "reply"
    MENTION = "mention"
    DIRECT_MESSAGE = "direct_message"
    REVIEW = "review"


@dataclass(frozen=True, slots=True)
class Author:
    """Who wrote an item, as the platform names them."""

    platform_user_id: str
    handle: str
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class IncomingItem:
    """One item as read from an import file, before it is stored.

    ``account`` is the official account's handle; None when the file does not say (the
    importer then asks which account, or takes ``--account``).
    """

    platform: Platform
    account: str | None
    kind: ItemKind
    platform_id: str
    author: Author
    text: str
    posted_at: datetime
    received_at: datetime | None = None
    link: str | None = None
    media: tuple[str, ...] = field(default_factory=tuple)
    thread_id: str | None = None
    thread_title: str | None = None
    # the record's bytes as received (evidence); ``original_exact`` is False when the format
    # gave no offsets and these are the record's JSON object re-serialised canonically
    original: bytes | None = field(default=None, compare=False, repr=False)
    original_exact: bool = field(default=True, compare=False, repr=False)
    # the handles the record is addressed to (the account it replies to, then its mentions):
    # the import places it on the first that is an official account when ``account`` is None
    addressed: tuple[str, ...] = field(default=(), compare=False)
    # the platform id of the post it directly replies to (to find its conversation's desk)
    reply_to: str | None = field(default=None, compare=False)
    # where the record is in its file: "line 3", "$.data[5]", "row 7" (for messages)
    where: str | None = field(default=None, compare=False, repr=False)


def unknown_author(item_id: str) -> Author:
    """The author of an item whose platform did not say who wrote it, keyed by the item's id."""
    return Author(f"{UNKNOWN_AUTHOR_PREFIX}{item_id}", "unknown commenter", "")


def is_unknown_author(platform_user_id: str) -> bool:
    """Whether an author id stands for "the platform did not say who wrote this"."""
    return platform_user_id.startswith(UNKNOWN_AUTHOR_PREFIX)


class PassReason(StrEnum):
    """Why a record was read but not stored as an item (the import report sums them)."""

    REPOST = "repost"  # a repost, boost or retweet: someone else's words passed on
    REACTION = "reaction"  # a like, favourite or other reaction
    FOLLOW = "follow"  # a follow or follow request
    NOT_AN_ITEM = "not_an_item"  # another notification or activity that carries no words
    UNSUPPORTED = "unsupported"  # an activity or object type Desk does not read
    NOT_CONNECTED = "not_connected"  # addressed to no official account, in none's conversation


PASS_REASONS: dict[PassReason, str] = {
    PassReason.REPOST: "reposts (someone else's words passed on)",
    PassReason.REACTION: "likes and other reactions",
    PassReason.FOLLOW: "follows",
    PassReason.NOT_AN_ITEM: "notifications or activities that carry no words",
    PassReason.UNSUPPORTED: "activities or objects Desk does not read",
    PassReason.NOT_CONNECTED: (
        "posts addressed to no official account and in no conversation of one"
    ),
}
"""What each reason means, in plain English (the command line and the drop folder's notes)."""


@dataclass
class PassedOver:
    """The records an import passed over, summed by reason, with the first place of each."""

    counts: dict[PassReason, int] = field(default_factory=dict)
    first: dict[PassReason, str] = field(default_factory=dict)

    def add(self, where: str, reason: PassReason) -> None:
        """Count one record at ``where`` (a JSON path, "line 3", "row 7") passed over."""
        self.counts[reason] = self.counts.get(reason, 0) + 1
        self.first.setdefault(reason, where)

    def merge(self, other: PassedOver) -> PassedOver:
        """Return both tallies summed (the first place of each reason from ``self`` first)."""
        merged = PassedOver(dict(self.counts), dict(self.first))
        for reason, count in other.counts.items():
            merged.counts[reason] = merged.counts.get(reason, 0) + count
            merged.first.setdefault(reason, other.first[reason])
        return merged

    @property
    def total(self) -> int:
        """Every record passed over."""
        return sum(self.counts.values())

    def lines(self) -> list[str]:
        """One plain-English line per reason, most first: "reposts (...): 3 (first at $[2])".

        The count comes after its words, so that one record reads as well as many.
        """
        ordered = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0].value))
        return [
            f"{PASS_REASONS[reason]}: {count} (first at {self.first[reason]})"
            for reason, count in ordered
        ]
