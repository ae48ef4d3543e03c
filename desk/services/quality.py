"""Quality assurance: sampling closed cases per operator each month, reviews and results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, cast, func, select

from desk.core.cases import CaseStatus
from desk.core.errors import Conflict, InvalidInput, NotFound
from desk.core.quality import (
    CHECKS,
    DEFAULT_SAMPLES_PER_MONTH,
    Check,
    CheckShare,
    draw,
    parse_month,
)
from desk.core.roles import Action
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.store.tables import Account, Case, QualityReview

MAX_COMMENT = 4000


@dataclass(frozen=True)
class SampledCase:
    """A case drawn for review, with the review when there is one."""

    id: int
    case_id: int
    operator: str
    operator_name: str
    month: str
    sampled_at: datetime
    sampled_by: str
    priority: int
    summary: str
    closed_at: datetime | None
    outcome: str | None
    reviewed_at: datetime | None
    reviewer: str | None
    answers: dict[str, bool | None]
    comment: str

    @property
    def reviewed(self) -> bool:
        """Tell whether the review has been recorded."""
        return self.reviewed_at is not None


@dataclass(frozen=True)
class OperatorResult:
    """One operator's results for a month."""

    operator: str
    operator_name: str
    sampled: int
    reviewed: int
    checks: dict[str, CheckShare]


def _view(row: QualityReview, acct: Account, c: Case) -> SampledCase:
    return SampledCase(
        id=row.id,
        case_id=row.case_id,
        operator=acct.username,
        operator_name=acct.display_name,
        month=row.month,
        sampled_at=row.sampled_at,
        sampled_by=row.sampled_by,
        priority=c.priority,
        summary=c.summary,
        closed_at=c.closed_at,
        outcome=c.outcome,
        reviewed_at=row.reviewed_at,
        reviewer=row.reviewer,
        answers={check.value: getattr(row, check.value) for check in CHECKS},
        comment=row.comment,
    )


class QualityService:
    """Draws the monthly samples, records reviews and reports results per operator."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def samples_per_month(self) -> int:
        """How many closed cases per operator a month's sample holds (a desk setting)."""
        return int(self.ctx.setting("qa_samples_per_month", DEFAULT_SAMPLES_PER_MONTH))

    def sample(self, token: str, month: str) -> list[SampledCase]:
        """Draw the month's sample: up to the setting's number of closed cases per operator.

        Cases already sampled are never drawn again; an operator who already has some
        samples for the month gets only the rest. Returns the cases newly drawn.
        """
        actor = self.signin.authorize(token, Action.REVIEW_QUALITY)
        month_text, start, end = parse_month(month)
        if start > self.ctx.clock.now():
            raise InvalidInput(f"Month {month_text} has not started yet: nothing to sample.")
        wanted = self.samples_per_month()
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            already: dict[int, int] = {
                int(operator_id): int(n)
                for operator_id, n in s.execute(
                    select(QualityReview.operator_id, func.count())
                    .where(QualityReview.month == month_text)
                    .group_by(QualityReview.operator_id)
                )
            }
            sampled_ids = select(QualityReview.case_id)
            rows = s.execute(
                select(Case.owner_id, Case.id).where(
                    Case.status == CaseStatus.CLOSED.value,
                    Case.closed_at >= start,
                    Case.closed_at < end,
                    Case.owner_id.is_not(None),
                    Case.id.not_in(sampled_ids),
                )
            ).all()
            candidates: dict[int, list[int]] = {}
            for owner_id, case_id in rows:
                candidates.setdefault(int(owner_id), []).append(int(case_id))
            drawn: list[tuple[int, int]] = []
            for operator_id in sorted(candidates):
                room = wanted - int(already.get(operator_id, 0))
                seed = f"{month_text}:{operator_id}:{already.get(operator_id, 0)}"
                drawn += [(operator_id, c) for c in draw(candidates[operator_id], room, seed)]
            added = []
            for operator_id, case_id in drawn:
                row = QualityReview(
                    case_id=case_id,
                    operator_id=operator_id,
                    month=month_text,
                    sampled_at=now,
                    sampled_by=actor.username,
                )
                s.add(row)
                added.append(row)
            s.flush()
            self.ctx.audit.record(
                s,
                actor.username,
                "quality.sample",
                f"month:{month_text}",
                per_operator=wanted,
                cases=[case_id for _, case_id in drawn],
            )
            ids = [r.id for r in added]
        return [r for r in self._list(month_text) if r.id in set(ids)]

    def samples(self, token: str, month: str | None = None) -> list[SampledCase]:
        """Return the sampled cases (of one month, or all), by operator then case."""
        self.signin.authorize(token, Action.REVIEW_QUALITY)
        return self._list(parse_month(month)[0] if month else None)

    def _list(self, month: str | None) -> list[SampledCase]:
        with self.ctx.db.read() as s:
            query = (
                select(QualityReview, Account, Case)
                .join(Account, Account.id == QualityReview.operator_id)
                .join(Case, Case.id == QualityReview.case_id)
                .order_by(QualityReview.month.desc(), Account.username, QualityReview.case_id)
            )
            if month:
                query = query.where(QualityReview.month == month)
            return [_view(r, a, c) for r, a, c in s.execute(query).all()]

    def get(self, token: str, review_id: int) -> SampledCase:
        """Return one sampled case and its review."""
        self.signin.authorize(token, Action.REVIEW_QUALITY)
        with self.ctx.db.read() as s:
            found = s.execute(
                select(QualityReview, Account, Case)
                .join(Account, Account.id == QualityReview.operator_id)
                .join(Case, Case.id == QualityReview.case_id)
                .where(QualityReview.id == review_id)
            ).first()
            if found is None:
                raise NotFound(f"There is no quality review #{review_id}.")
            return _view(*found)

    def review(
        self,
        token: str,
        review_id: int,
        thrive_complete: bool | None,
        grade_justified: bool | None,
        right_template: bool | None,
        target_met: bool | None,
        comment: str = "",
    ) -> SampledCase:
        """Record the checklist for a sampled case (None: the item does not apply)."""
        actor = self.signin.authorize(token, Action.REVIEW_QUALITY)
        text = comment.strip()
        if len(text) > MAX_COMMENT:
            raise InvalidInput(f"The review comment is over {MAX_COMMENT} characters.")
        answers = {
            Check.THRIVE_COMPLETE: thrive_complete,
            Check.GRADE_JUSTIFIED: grade_justified,
            Check.RIGHT_TEMPLATE: right_template,
            Check.TARGET_MET: target_met,
        }
        with self.ctx.db.write() as s:
            row = s.get(QualityReview, review_id)
            if row is None:
                raise NotFound(f"There is no quality review #{review_id}.")
            operator = s.get(Account, row.operator_id)
            if operator is not None and operator.username == actor.username:
                raise Conflict(f"Review #{review_id} is of your own case: ask another supervisor.")
            before = {c.value: getattr(row, c.value) for c in CHECKS}
            for check, value in answers.items():
                setattr(row, check.value, value)
            row.comment = text
            row.reviewed_at = self.ctx.clock.now()
            row.reviewer = actor.username
            self.ctx.audit.record(
                s,
                actor.username,
                "quality.review",
                f"case:{row.case_id}",
                review=review_id,
                before=before if any(v is not None for v in before.values()) else None,
                **{c.value: v for c, v in answers.items()},
            )
        return self.get(token, review_id)

    def results(self, token: str, month: str) -> list[OperatorResult]:
        """Per operator: sampled, reviewed, and the share of each checklist item passed."""
        self.signin.authorize(token, Action.REVIEW_QUALITY)
        month_text = parse_month(month)[0]
        columns = []
        for check in CHECKS:
            col = getattr(QualityReview, check.value)
            columns += [func.sum(func.coalesce(cast(col, Integer), 0)), func.count(col)]
        with self.ctx.db.read() as s:
            rows = s.execute(
                select(
                    Account.username,
                    Account.display_name,
                    func.count(),
                    func.count(QualityReview.reviewed_at),
                    *columns,
                )
                .join(Account, Account.id == QualityReview.operator_id)
                .where(QualityReview.month == month_text)
                .group_by(Account.username, Account.display_name)
                .order_by(Account.username)
            ).all()
        results = []
        for row in rows:
            username, name, sampled, reviewed, *counts = row
            checks = {
                check.value: CheckShare(int(counts[2 * i] or 0), int(counts[2 * i + 1] or 0))
                for i, check in enumerate(CHECKS)
            }
            results.append(OperatorResult(username, name, int(sampled), int(reviewed), checks))
        return results
