"""Which official account's desk a record belongs to, when it does not say (issue 17).

A home timeline, a search or a thread export holds replies between members of the public and
the force's own posts beside the items addressed to the force. The rules, in order:

1. A post whose author is an official account is the force's own post: thread context, never
   an item (:func:`is_own_post`).
2. A record that names its official account (Desk's formats, or ``--account``) is that desk's.
3. A record addressed to an official account (the account it replies to, then its mentions)
   is the first such account's.
4. A record that replies to a post on a desk (an item or an own post), directly or further
   down the thread, or whose conversation an official account's post started, is that desk's
   (:func:`connect`), whether the post is in the same file or stored already.
5. Anything else is connected to no official account: passed over and counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from desk.core.items import Platform

__all__ = ["NAMED_ONLY", "HandleIndex", "connect", "handle_key"]

NAMED_ONLY = frozenset({Platform.FACEBOOK, Platform.NEXTDOOR, Platform.WHATSAPP, Platform.OTHER})
"""Platforms whose authors have names, not unique handles: anyone may take a page's name, so a
post there is the force's own only when the file is the page's and the name is the page's."""

T = TypeVar("T")


def handle_key(handle: str) -> str:
    """A handle as compared: without the leading "@", case folded ("@Police" == "police")."""
    return handle.strip().lstrip("@").casefold()


class HandleIndex:
    """The official accounts of each platform by handle, matched as the platforms match them.

    "@police" matches "@police@social.example" (a Mastodon account named on its own server
    leaves the server out), but "@police@a.example" never matches "@police@b.example".
    """

    def __init__(self, accounts: Iterable[tuple[str, str, str, int]]) -> None:
        """Index ``(platform, handle, display name, account id)`` of each official account."""
        self._full: dict[tuple[str, str], int] = {}
        self._local: dict[tuple[str, str], list[tuple[str, int]]] = {}
        self._names: dict[int, set[str]] = {}
        for platform, handle, name, account_id in accounts:
            key = handle_key(handle)
            self._names[account_id] = {key, handle_key(name)} - {""}
            self._full.setdefault((platform, key), account_id)
            local = key.split("@", 1)[0]
            self._local.setdefault((platform, local), []).append((key, account_id))

    def find(self, platform: str, handle: str) -> int | None:
        """The id of the official account ``handle`` names on ``platform``, or None."""
        key = handle_key(handle)
        if not key:
            return None
        found = self._full.get((platform, key))
        if found is not None:
            return found
        local = key.split("@", 1)[0]
        for official, account_id in self._local.get((platform, local), ()):
            if "@" not in official or "@" not in key:
                return account_id
        return None

    def own_post(self, platform: str, author: str, declared: int | None) -> int | None:
        """The official account whose own post this is, by its ``author``'s handle, or None.

        On :data:`NAMED_ONLY` platforms only the account the record is declared on
        (``declared``, from the file or ``--account``) counts, and by its handle or name.
        """
        if platform in NAMED_ONLY:
            if declared is not None and handle_key(author) in self._names.get(declared, ()):
                return declared
            return None
        return self.find(platform, author)

    def first(self, platform: str, handles: Sequence[str]) -> int | None:
        """The first of ``handles`` that is an official account on ``platform``, or None."""
        for handle in handles:
            found = self.find(platform, handle)
            if found is not None:
                return found
        return None


def connect(
    pending: Sequence[T],
    links: Callable[[T], tuple[str, str, tuple[str, ...]]],
    known: Mapping[tuple[str, str], int],
) -> tuple[list[tuple[int, T]], list[T]]:
    """Place each pending record on the desk of a post it is connected to.

    ``links(record)`` gives its platform, its own platform id and the ids it hangs from (the
    post it replies to, then its conversation's first post); ``known`` maps (platform,
    platform id) of posts already on a desk (items and own posts, in the file or stored) to
    the account's id. A record placed is known in turn, so a reply to a reply to the force's
    post is placed however the file orders them. Returns the placed records with their
    account ids, in the order given, and the records connected to no desk.
    """
    placed: dict[int, int] = {}
    # each record under the posts it hangs from, to place a reply's replies once it is placed
    children: dict[tuple[str, str], list[int]] = {}
    ready: list[tuple[int, str, str]] = []  # placed, still to place its replies: index, ids
    for index, record in enumerate(pending):
        platform, own_id, parents = links(record)
        for parent in parents:
            children.setdefault((platform, parent), []).append(index)
        account = next((known[(platform, p)] for p in parents if (platform, p) in known), None)
        if account is not None:
            placed[index] = account
            ready.append((index, platform, own_id))
    while ready:
        index, platform, own_id = ready.pop()
        for child in children.get((platform, own_id), ()):
            if child not in placed:
                placed[child] = placed[index]
                _platform, child_id, _parents = links(pending[child])
                ready.append((child, platform, child_id))
    return (
        [(placed[i], r) for i, r in enumerate(pending) if i in placed],
        [r for i, r in enumerate(pending) if i not in placed],
    )
