"""What arrives on an official account: platforms, kinds, authors and incoming items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


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
