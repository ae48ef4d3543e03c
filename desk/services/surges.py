"""Surges and grouped work: spotting unusual arrival rates, and acting on similar cases at once."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select

from desk.core.cases import OPEN_STATUS_CODES, Outcome
from desk.core.errors import InvalidInput, NotFound
from desk.core.roles import Action
from desk.core.surge import DEFAULT_MULTIPLE, WINDOW, Surge, assess_surge, baseline_windows
from desk.services.areas import check_case_scope, scoped_account_ids
from desk.services.cases import CaseService
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.store.tables import Case, Item

MAX_GROUP = 500


class SurgeService:
    """Tells when arrivals surge, and finds and closes groups of similar cases."""

    def __init__(self, ctx: DeskContext, signin: SignInService, cases: CaseService) -> None:
        self.ctx = ctx
        self.signin = signin
        self.cases = cases

    def surges(self, token: str, multiple: float | None = None) -> list[Surge]:
        """Return each platform (and 'all') whose last 15 minutes pass the baseline multiple."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        factor = multiple or float(self.ctx.setting("surge_multiple", DEFAULT_MULTIPLE))
        now = self.ctx.clock.now()

        def per_platform(start: object, end: object) -> dict[str, int]:
            rows = s.execute(
                select(Item.platform, func.count())
                .where(and_(Item.received_at > start, Item.received_at <= end))
                .group_by(Item.platform)
            )
            counts = {platform: int(n) for platform, n in rows}
            counts["all"] = sum(counts.values())
            return counts

        with self.ctx.db.read() as s:
            recent = per_platform(now - WINDOW, now)
            history = [per_platform(a, b) for a, b in baseline_windows(now)]
        found = []
        for platform, arrivals in sorted(recent.items()):
            surge = assess_surge(platform, arrivals, [h.get(platform, 0) for h in history], factor)
            if surge:
                found.append(surge)
        return found

    def similar(self, token: str, case_id: int) -> list[int]:
        """Return open cases saying near-identical text, or in the same thread, as ``case_id``."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            case = s.get(Case, case_id)
            if case is None:
                raise NotFound(f"There is no case #{case_id}.")
            check_case_scope(s, actor, case)
            scope = scoped_account_ids(s, actor.scope)
            same = (
                [Case.thread_key == case.thread_key]
                if case.thread_key.startswith("thread:")
                else []
            )
            if case.fingerprint:
                same.append(Case.fingerprint == case.fingerprint)
            if not same:
                return [case_id]
            ids = s.scalars(
                select(Case.id)
                .where(
                    or_(*same), Case.status.in_(OPEN_STATUS_CODES), Case.platform == case.platform
                )
                .where(*(() if scope is None else (Case.official_account_id.in_(scope),)))
                .order_by(Case.id)
                .limit(MAX_GROUP)
            )
            return list(ids)

    def close_group(
        self,
        token: str,
        case_ids: list[int],
        outcome: Outcome,
        note: str,
        *,
        despite_unacknowledged: bool = False,
    ) -> int:
        """Close several cases as one action; each gets its own timeline line and audit entry."""
        if not case_ids:
            raise InvalidInput("Choose at least one case to close.")
        if len(case_ids) > MAX_GROUP:
            raise InvalidInput(f"At most {MAX_GROUP} cases can be closed together.")
        return self.cases.close_many(
            token, case_ids, outcome, note, despite_unacknowledged=despite_unacknowledged
        )
