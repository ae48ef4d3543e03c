"""The force's own posts (thread context) and finding the desk a post is on, for imports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from desk.store.tables import Item, OwnPost

__all__ = [
    "OWN_POST_COLUMNS",
    "desks_of_posts",
    "existing_own_posts",
    "insert_own_posts",
    "own_posts_in",
]

_IN_BATCH = 500

OWN_POST_COLUMNS = (
    "platform", "official_account_id", "platform_id", "text", "link", "media", "thread_id",
    "reply_to", "posted_at", "imported_at", "original",
)  # fmt: skip


def _batches(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _IN_BATCH):
        yield values[start : start + _IN_BATCH]


def existing_own_posts(
    s: Session, wanted: Iterable[tuple[str, int, str]]
) -> set[tuple[str, int, str]]:
    """Which of (platform, official account id, platform id) are stored own posts already."""
    by_account: dict[tuple[str, int], list[str]] = {}
    for platform, account_id, platform_id in wanted:
        by_account.setdefault((platform, account_id), []).append(platform_id)
    found: set[tuple[str, int, str]] = set()
    for (platform, account_id), ids in by_account.items():
        for some in _batches(ids):
            rows = s.scalars(
                select(OwnPost.platform_id).where(
                    OwnPost.platform == platform,
                    OwnPost.official_account_id == account_id,
                    OwnPost.platform_id.in_(some),
                )
            )
            found.update((platform, account_id, pid) for pid in rows)
    return found


def insert_own_posts(s: Session, rows: list[dict[str, Any]]) -> None:
    """Store own posts (each a dict of :data:`OWN_POST_COLUMNS`) in one statement."""
    if rows:
        s.execute(insert(OwnPost), rows)


def desks_of_posts(s: Session, wanted: dict[str, set[str]]) -> dict[tuple[str, str], int]:
    """The official account each post is on: (platform, platform id) -> account id.

    ``wanted`` names platform ids by platform; items and own posts are both looked at (an item
    on two desks gives one of them).
    """
    found: dict[tuple[str, str], int] = {}
    for platform, ids in wanted.items():
        for some in _batches(sorted(ids)):
            for table in (Item, OwnPost):
                rows = s.execute(
                    select(table.platform_id, table.official_account_id).where(
                        table.platform == platform, table.platform_id.in_(some)
                    )
                )
                for platform_id, account_id in rows:
                    found.setdefault((platform, platform_id), account_id)
    return found


def own_posts_in(
    s: Session, wanted: dict[str, set[str]], account_ids: set[int] | None
) -> list[OwnPost]:
    """The own posts that are, or start, or reply within, the given posts' conversations.

    ``wanted`` names platform ids by platform (a case's items, their threads and the posts
    they reply to); ``account_ids`` limits them to those accounts (None: all).
    """
    posts: dict[int, OwnPost] = {}
    for platform, ids in wanted.items():
        for some in _batches(sorted(ids)):
            query = select(OwnPost).where(
                OwnPost.platform == platform,
                or_(OwnPost.platform_id.in_(some), OwnPost.thread_id.in_(some)),
            )
            if account_ids is not None:
                query = query.where(OwnPost.official_account_id.in_(account_ids))
            for post in s.scalars(query):
                posts[post.id] = post
    return sorted(posts.values(), key=lambda p: (p.posted_at, p.id))
