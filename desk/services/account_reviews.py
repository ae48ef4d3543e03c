"""Security reviews of official accounts: the checklist answered, findings and actions kept.

Recording a review sets the account's last review and next due date, and brings its 2FA and
login-alert flags in line with what the reviewer found. Overdue reviews show on the
dashboard and in the handover (:mod:`desk.services.account_register`).
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from desk.core.account_register import (
    CHECKLIST,
    CheckResult,
    ReviewCheck,
    failed_checks,
    next_review_due,
)
from desk.core.errors import InvalidInput, NotFound
from desk.core.roles import Action
from desk.core.subject_access import local_day
from desk.services.account_register import OverdueReview, overdue_reviews, review_days
from desk.services.context import DeskContext
from desk.services.official_accounts import require_register_reader
from desk.services.signin import SignInService
from desk.store.tables import AccountReview, OfficialAccount

MAX_TEXT = 4000


@dataclass(frozen=True)
class ReviewView:
    """One recorded security review."""

    id: int
    account_id: int
    handle: str
    platform: str
    reviewed_on: date
    recorded_at: datetime
    reviewer: str
    results: dict[ReviewCheck, CheckResult]
    findings: str
    actions: str
    next_due_on: date

    @property
    def failed(self) -> tuple[ReviewCheck, ...]:
        """The checklist items that failed."""
        return failed_checks(self.results)


def _view(row: AccountReview, account: OfficialAccount) -> ReviewView:
    raw = json.loads(row.results)
    return ReviewView(
        id=row.id,
        account_id=row.account_id,
        handle=account.handle,
        platform=account.platform,
        reviewed_on=row.reviewed_on,
        recorded_at=row.recorded_at,
        reviewer=row.reviewer,
        results={c: CheckResult(raw[c.value]) for c in CHECKLIST if c.value in raw},
        findings=row.findings,
        actions=row.actions,
        next_due_on=row.next_due_on,
    )


def _text(value: str, what: str) -> str:
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"The {what} must be at most {MAX_TEXT} characters.")
    return text


class AccountReviewService:
    """Records and lists official accounts' security reviews."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    @staticmethod
    def checklist() -> tuple[ReviewCheck, ...]:
        """The checklist's items in order (``item.label()`` is the question)."""
        return CHECKLIST

    def record(
        self,
        token: str,
        account_id: int,
        results: Mapping[ReviewCheck, CheckResult],
        findings: str = "",
        actions: str = "",
        reviewed_on: date | None = None,
        next_due_on: date | None = None,
    ) -> ReviewView:
        """Record a review (administrators, communications); a failed item needs its action.

        ``reviewed_on`` defaults to today; ``next_due_on`` to one review interval after it
        (the ``account_review_days`` setting).
        """
        actor = self.signin.authorize(token, Action.REVIEW_ACCOUNT_SECURITY)
        missing = [c.value for c in CHECKLIST if c not in results]
        if missing:
            raise InvalidInput(f"Answer every checklist item: {', '.join(missing)} not answered.")
        found, to_do = _text(findings, "findings"), _text(actions, "actions")
        failed = failed_checks(results)
        if failed and not to_do:
            raise InvalidInput(
                f"{', '.join(c.value for c in failed)} failed: say what will be done about it "
                "(the actions)."
            )
        today = local_day(self.ctx.clock.now())
        day = reviewed_on or today
        if day > today:
            raise InvalidInput("A review cannot be recorded for a day still to come.")
        with self.ctx.db.write() as s:
            account = s.get(OfficialAccount, account_id)
            if account is None:
                raise NotFound(f"There is no official account #{account_id}.")
            if not account.active:
                raise InvalidInput(f"{account.handle} on {account.platform} is closed.")
            due = next_due_on or next_review_due(day, review_days(s))
            if due <= day:
                raise InvalidInput("The next review must be due after this one.")
            row = AccountReview(
                account_id=account.id,
                reviewed_on=day,
                recorded_at=self.ctx.clock.now(),
                reviewer=actor.username,
                results=json.dumps({c.value: results[c].value for c in CHECKLIST}),
                findings=found,
                actions=to_do,
                next_due_on=due,
            )
            s.add(row)
            if account.last_review_on is None or day >= account.last_review_on:
                account.last_review_on = day
                account.review_due_on = due
                # what the reviewer saw is what the register says
                for check, flag in (
                    (ReviewCheck.TWO_FACTOR, "two_factor"),
                    (ReviewCheck.LOGIN_ALERTS, "login_alerts"),
                ):
                    if results[check] is not CheckResult.NOT_APPLICABLE:
                        setattr(account, flag, results[check] is CheckResult.PASS)
            s.flush()
            self.ctx.audit.record(
                s,
                actor.username,
                "official_account.review",
                f"official_account:{account.id}",
                review=row.id,
                handle=account.handle,
                platform=account.platform,
                reviewed_on=day.isoformat(),
                next_due_on=due.isoformat(),
                failed=[c.value for c in failed],
            )
            return _view(row, account)

    def history(self, token: str, account_id: int) -> builtins.list[ReviewView]:
        """An account's reviews, newest first (administrators and communications)."""
        actor = self.signin.authorize(token)
        require_register_reader(actor)
        with self.ctx.db.read() as s:
            account = s.get(OfficialAccount, account_id)
            if account is None:
                raise NotFound(f"There is no official account #{account_id}.")
            rows = s.scalars(
                select(AccountReview)
                .where(AccountReview.account_id == account_id)
                .order_by(AccountReview.reviewed_on.desc(), AccountReview.id.desc())
            )
            return [_view(r, account) for r in rows]

    def overdue(self, token: str) -> builtins.list[OverdueReview]:
        """Open accounts whose security review is overdue, oldest due first."""
        self.signin.authorize(token)
        with self.ctx.db.read() as s:
            return overdue_reviews(s, local_day(self.ctx.clock.now()))
