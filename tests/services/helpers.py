"""Building items for service tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from desk.core.items import Author, IncomingItem, ItemKind, Platform
from tests.conftest import START


def item(
    pid: str,
    text: str,
    *,
    author: str = "u1",
    handle: str = "@resident",
    thread: str | None = "post-1",
    minutes: float = 0,
    platform: Platform = Platform.X,
    account: str | None = "@ExampleshirePolice",
    kind: ItemKind = ItemKind.REPLY,
) -> IncomingItem:
    """Return one incoming item received ``minutes`` after the test clock's start."""
    at: datetime = START + timedelta(minutes=minutes)
    return IncomingItem(
        platform=platform,
        account=account,
        kind=kind,
        platform_id=pid,
        author=Author(author, handle, handle.strip("@").title()),
        text=text,
        posted_at=at,
        received_at=at,
        link=f"https://x.example/{pid}",
        thread_id=thread,
        thread_title="Road closures this weekend" if thread else None,
    )
