"""What changed on the desk since a window last looked: the change feed behind live updates.

Every change to a case or item writes an audit entry in its own transaction, so the audit log
is the feed: :meth:`LiveService.changes_since` turns the entries after a cursor into the case
ids they name, "the queue changed" for the rest that touch the queue (imports, escalations and
acknowledgements, replies, moderation, holds, erasures), and "presence changed" when who looks
at which case moved (presence is written without audit). :meth:`LiveService.watch` starts the
wake-ups (PostgreSQL LISTEN/NOTIFY, or a cheap poll of a SQLite file) that say when to ask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desk.core.roles import Action
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.store import change_listener
from desk.store.change_listener import Watch

# audit actions that never change what the queue or a case pane shows
_QUIET = frozenset(
    {
        "signin",
        "session",
        "audit",
        "sar",
        "template",
        "guideline",
        "quality",
        "coverage",
        "account_request",
        "third_party_app",
        "escalation_target",
        "setting",
    }
)


@dataclass(frozen=True)
class ChangeCursor:
    """Where a reader of the change feed is: the last audit entry seen, and presence as seen."""

    audit_seq: int
    presence: str


@dataclass(frozen=True)
class Changes:
    """What changed after a cursor, and the cursor to ask from next time."""

    cursor: ChangeCursor
    case_ids: tuple[int, ...] = ()
    queue_changed: bool = False  # new items, imports, escalations...: the queue reloads
    presence_changed: bool = False

    @property
    def any(self) -> bool:
        """Whether anything changed at all."""
        return bool(self.case_ids) or self.queue_changed or self.presence_changed


def case_id_of(obj: str) -> int | None:
    """The case an audit object names (``case:41`` is 41), or None."""
    kind, _, number = obj.partition(":")
    return int(number) if kind == "case" and number.isdigit() else None


class LiveService:
    """The change feed: a cursor, what changed since it, and the wake-ups that say when."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def cursor(self, token: str) -> ChangeCursor:
        """Return the cursor for now: changes from here on are reported."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            return ChangeCursor(change_listener.head_seq(s), change_listener.presence_mark(s))

    def changes_since(self, token: str, cursor: ChangeCursor) -> Changes:
        """Return the cases changed (and whether the queue or presence changed) after ``cursor``.

        Only numbers come back, never a case's contents: a window reads what it shows through
        the queue, which checks the reader's areas as always.
        """
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            found = change_listener.audit_since(s, cursor.audit_seq)
            presence = change_listener.presence_mark(s)
        moved = presence != cursor.presence
        after = ChangeCursor(found.head, presence)
        if found.overflow:
            return Changes(after, (), True, moved)
        ids: dict[int, None] = {}
        queue = False
        for action, obj in found.objects:
            case_id = case_id_of(obj)
            if case_id is not None:
                ids[case_id] = None
            elif action.partition(".")[0] not in _QUIET:
                queue = True
        return Changes(after, tuple(ids), queue, moved)

    def watch(self, wake: Callable[[], None]) -> Watch:
        """Call ``wake()`` (from another thread) whenever the desk may have changed.

        PostgreSQL: a dedicated connection listening on ``desk_changes``; SQLite: a poll of
        the file every half second. ``close()`` the returned watch to stop it.
        """
        db = self.ctx.db
        path = str(db.path) if db.path is not None else None
        return change_listener.watch(db.engine, path, wake)
