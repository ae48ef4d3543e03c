"""The leaver review: a leaver's last 30 days of actions, read and signed off by a supervisor.

Disabling a person as a leaver under a professional standards investigation
(:meth:`desk.services.people.PeopleService.disable` with ``under_investigation``) ends their
sessions at once and opens a review (:func:`open_review`, in the same transaction). Until a
supervisor records it reviewed, supervisors are reminded that it waits (a to-do notice in
the window). Supervisors and administrators read the review (``REVIEW_LEAVERS``); only a
supervisor records it done (``RECORD_LEAVER_REVIEW``). Reading and recording are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.core.audit_filter import AuditFilter
from desk.core.errors import Conflict, InvalidInput, NotFound
from desk.core.leavers import case_of, review_window
from desk.core.roles import Action
from desk.services.context import DeskContext
from desk.services.settings import protective_marking
from desk.services.signin import SignInService
from desk.services.usernames import canonical_username
from desk.store import audit_log
from desk.store.tables import Account, LeaverReview

# at most this many actions are listed (``complete`` says when there were more)
ACTIVITY_MAX = 20_000
NOTE_MAX = 2000


@dataclass(frozen=True)
class LeaverAction:
    """One action of the leaver, from the audit: when, what, on what, and the case if any."""

    seq: int
    at: str  # as the audit stores it: UTC, ISO 8601 with a Z
    action: str
    object: str
    case_id: int | None


@dataclass(frozen=True)
class PendingReview:
    """A leaver whose review waits for a supervisor."""

    id: int
    username: str
    display_name: str
    disabled_at: datetime
    disabled_by: str


@dataclass(frozen=True)
class LeaverReviewView:
    """A leaver's review: their actions in the 30 days before they were disabled, oldest first.

    ``review_id`` is None for a leaver who was not under investigation (nothing to record);
    ``reviewed_at``/``reviewed_by``/``note`` say whether a supervisor recorded it done.
    """

    username: str
    display_name: str
    disabled_at: datetime
    since: datetime
    under_investigation: bool
    actions: tuple[LeaverAction, ...]
    complete: bool
    marking: str
    review_id: int | None
    reviewed_at: datetime | None
    reviewed_by: str | None
    note: str


def open_review(s: Session, ctx: DeskContext, account: Account, at: datetime, by: str) -> int:
    """Open a review of ``account``'s last 30 days, disabled at ``at`` by ``by``; audited.

    Called inside the disabling's unit of work; returns the review's number.
    """
    review = LeaverReview(account_id=account.id, disabled_at=at, disabled_by=by, note="")
    s.add(review)
    s.flush()
    ctx.audit.record(s, by, "leaver.review_due", f"account:{account.username}", review=review.id)
    return review.id


class LeaverService:
    """Reads a leaver's review, lists the reviews waiting, records one done."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    @staticmethod
    def _account(s: Session, username: str) -> Account:
        name = canonical_username(username)
        acct = s.scalar(select(Account).where(Account.username == name))
        if acct is None:
            raise NotFound(f"There is no account called {username.strip()!r}.")
        return acct

    @staticmethod
    def _latest(s: Session, account_id: int) -> LeaverReview | None:
        return s.scalar(
            select(LeaverReview)
            .where(LeaverReview.account_id == account_id)
            .order_by(LeaverReview.id.desc())
            .limit(1)
        )

    def leaver_review(self, token: str, username: str) -> LeaverReviewView:
        """Return a leaver's actions in the 30 days before they were disabled; audited.

        A disabled person's period ends when they were disabled; a person re-enabled since
        an investigation is reviewed up to that last disabling. Anyone else is refused.
        """
        actor = self.signin.authorize(token, Action.REVIEW_LEAVERS)
        with self.ctx.db.read() as s:
            acct = self._account(s, username)
            review = self._latest(s, acct.id)
            if not acct.active and acct.disabled_at is not None:
                disabled_at = acct.disabled_at
                if review is not None and review.disabled_at != disabled_at:
                    review = None  # that review was of an earlier leaving
            elif review is not None:
                disabled_at = review.disabled_at
            else:
                raise Conflict(
                    f"{acct.username} is not a leaver: the review lists the 30 days before a "
                    "person was disabled."
                )
            since, until = review_window(disabled_at)
            where = AuditFilter(actor=acct.username, since=since, until=until)
            found: list[LeaverAction] = []
            before: int | None = None
            while len(found) <= ACTIVITY_MAX:
                page = audit_log.find(s, where, min(5000, ACTIVITY_MAX + 1 - len(found)), before)
                if not page:
                    break
                found.extend(
                    LeaverAction(r.seq, r.at, r.action, r.object, case_of(r.object, r.details))
                    for r in page
                )
                before = page[-1].seq
            view = LeaverReviewView(
                username=acct.username,
                display_name=acct.display_name,
                disabled_at=disabled_at,
                since=since,
                under_investigation=review is not None,
                actions=tuple(reversed(found[:ACTIVITY_MAX])),
                complete=len(found) <= ACTIVITY_MAX,
                marking=protective_marking(self.ctx),
                review_id=review.id if review is not None else None,
                reviewed_at=review.reviewed_at if review is not None else None,
                reviewed_by=review.reviewed_by if review is not None else None,
                note=review.note if review is not None else "",
            )
        with self.ctx.db.write() as s:
            self.ctx.audit.record(
                s,
                actor.username,
                "leaver.review_read",
                f"account:{view.username}",
                actions=len(view.actions),
            )
        return view

    def pending_reviews(self, token: str) -> list[PendingReview]:
        """Return the leaver reviews no supervisor has recorded done, oldest first."""
        self.signin.authorize(token, Action.REVIEW_LEAVERS)
        with self.ctx.db.read() as s:
            rows = s.execute(
                select(LeaverReview, Account)
                .join(Account, Account.id == LeaverReview.account_id)
                .where(LeaverReview.reviewed_at.is_(None))
                .order_by(LeaverReview.disabled_at, LeaverReview.id)
            ).tuples()
            return [
                PendingReview(
                    id=review.id,
                    username=acct.username,
                    display_name=acct.display_name,
                    disabled_at=review.disabled_at,
                    disabled_by=review.disabled_by,
                )
                for review, acct in rows
            ]

    def record_reviewed(self, token: str, username: str, note: str = "") -> PendingReview:
        """Record that a supervisor reviewed a leaver's actions (with an optional note).

        Refused when no review of that person waits. Returns the review recorded.
        """
        actor = self.signin.authorize(token, Action.RECORD_LEAVER_REVIEW)
        text = note.strip()
        if len(text) > NOTE_MAX:
            raise InvalidInput(f"The review note can be at most {NOTE_MAX} characters.")
        with self.ctx.db.write() as s:
            acct = self._account(s, username)
            review = self._latest(s, acct.id)
            if review is None or review.reviewed_at is not None:
                raise Conflict(
                    f"No leaver review of {acct.username} is waiting"
                    + (
                        f": {review.reviewed_by} recorded it reviewed."
                        if review is not None
                        else " (reviews open when a leaver under investigation is disabled)."
                    )
                )
            if acct.id == actor.account_id:
                raise InvalidInput("You cannot record a review of your own actions.")
            review.reviewed_at = self.ctx.clock.now()
            review.reviewed_by = actor.username
            review.note = text
            self.ctx.audit.record(
                s,
                actor.username,
                "leaver.reviewed",
                f"account:{acct.username}",
                review=review.id,
                note=bool(text),
            )
            return PendingReview(
                id=review.id,
                username=acct.username,
                display_name=acct.display_name,
                disabled_at=review.disabled_at,
                disabled_by=review.disabled_by,
            )
