"""Moderation actions on a case, by the published guidelines, and the author's record.

An action is recorded with the rule broken and the explanation the public is given, on the
case's timeline and in the audit, in one transaction. A connector installed for the case's
platform applies it through the platform's API; otherwise it is "manual": the operator
finishes it on the platform (the GUI opens the item's link and copies the explanation).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.connectors.base import MANUAL, ConnectorAction, ConnectorRegistry, ConnectorResult
from desk.core.cases import CaseStatus, next_status
from desk.core.errors import Conflict, InvalidInput, NotFound
from desk.core.moderation import (
    REPEAT_WINDOW,
    ModerationKind,
    check_explanation,
    counts_against_author,
    is_repeat_offender,
    normalise_code,
    timeline_text,
)
from desk.core.roles import Action
from desk.services.case_work import load_case, must_own
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.services.views import Actor
from desk.store.tables import (
    Author,
    Case,
    CaseEvent,
    Guideline,
    Item,
    ModerationAction,
    OfficialAccount,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModerationView:
    """One recorded moderation action."""

    id: int
    case_id: int
    item_id: int | None
    kind: ModerationKind
    guideline_code: str
    explanation: str
    at: datetime
    actor: str
    applied_via: str


@dataclass(frozen=True)
class AuthorRecord:
    """An author's moderation record on this desk, newest action first."""

    author_id: int
    platform: str
    handle: str
    display_name: str
    actions: tuple[ModerationView, ...]
    against: int  # actions that count against the author (every kind but unhide)
    recent: int  # of those, how many fall in the repeat-offender window
    repeat_offender: bool

    @property
    def cases(self) -> tuple[int, ...]:
        """The cases the actions were recorded on, newest first, each once."""
        return tuple(dict.fromkeys(a.case_id for a in self.actions))


@dataclass(frozen=True)
class ModerationDone:
    """What :meth:`ModerationService.act` recorded, and what is left for the operator."""

    action_id: int
    case_id: int
    kind: ModerationKind
    guideline_code: str
    explanation: str
    applied_via: str  # "manual" or the connector's name
    link: str | None  # the item's link, to finish a manual action on the platform
    message: str = ""  # what the connector said (or why it could not apply the action)

    @property
    def manual(self) -> bool:
        """Tell whether the operator must finish the action on the platform."""
        return self.applied_via == MANUAL


@dataclass(frozen=True)
class _Prepared:
    case_id: int
    author_id: int
    item_id: int | None
    title: str
    request: ConnectorAction


def _view(row: ModerationAction) -> ModerationView:
    return ModerationView(
        row.id,
        row.case_id,
        row.item_id,
        ModerationKind(row.action),
        row.guideline_code,
        row.explanation,
        row.at,
        row.actor,
        row.applied_via,
    )


class ModerationService:
    """Records moderation actions and reads authors' records."""

    def __init__(
        self,
        ctx: DeskContext,
        signin: SignInService,
        connectors: ConnectorRegistry | None = None,
    ) -> None:
        self.ctx = ctx
        self.signin = signin
        self.connectors = connectors if connectors is not None else ConnectorRegistry()

    # acting ------------------------------------------------------------------------------

    def _case(self, s: Session, case_id: int) -> Case:
        return load_case(s, case_id)

    def _must_own(self, s: Session, actor: Actor, case: Case) -> None:
        must_own(s, actor, case, "moderating")

    def _prepare(
        self,
        s: Session,
        actor: Actor,
        case_id: int,
        kind: ModerationKind,
        code: str,
        explanation: str,
        item_id: int | None,
    ) -> _Prepared:
        """Check everything an action needs, and gather what a connector is told."""
        case = self._case(s, case_id)
        if case.status == CaseStatus.CLOSED.value:
            raise Conflict(f"Case #{case_id} is closed: re-open it to moderate it.")
        self._must_own(s, actor, case)
        guideline = s.scalar(select(Guideline).where(Guideline.code == code))
        if guideline is None:
            raise InvalidInput(
                f"There is no community guideline {code}: name one of the active guidelines "
                "(desk-admin guidelines list)."
            )
        if not guideline.active:
            raise InvalidInput(
                f"Community guideline {code} ({guideline.title}) is retired: name an active one."
            )
        items = list(
            s.scalars(
                select(Item)
                .where(Item.case_id == case_id)
                .order_by(Item.received_at.desc(), Item.id.desc())
            )
        )
        if item_id is not None:
            chosen = next((i for i in items if i.id == item_id), None)
            if chosen is None:
                raise InvalidInput(f"Item #{item_id} is not part of case #{case_id}.")
        else:
            chosen = items[0] if items else None
        link = chosen.link if chosen is not None and chosen.link else None
        if link is None:
            link = next((i.link for i in items if i.link), None)
        author = s.get(Author, case.author_id)
        account = s.get(OfficialAccount, case.official_account_id)
        request = ConnectorAction(
            kind=kind,
            platform=case.platform,
            official_account=account.handle if account is not None else "",
            item_platform_id=chosen.platform_id if chosen is not None else None,
            item_link=link,
            author_platform_id=author.platform_user_id if author is not None else "",
            author_handle=author.handle if author is not None else "",
            guideline_code=code,
            explanation=explanation,
        )
        return _Prepared(
            case.id,
            case.author_id,
            chosen.id if chosen is not None else None,
            guideline.title,
            request,
        )

    def connector_for(self, token: str, case_id: int, kind: ModerationKind) -> str | None:
        """Return the name of the connector that would apply ``kind`` on this case, or None."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            platform = self._case(s, case_id).platform
        connector = self.connectors.for_action(platform, kind)
        return connector.name if connector is not None else None

    def _apply(self, request: ConnectorAction) -> tuple[str, str]:
        """Ask the platform's connector, if any; return (applied_via, what it said)."""
        connector = self.connectors.for_action(request.platform, request.kind)
        if connector is None:
            return MANUAL, ""
        try:
            result = connector.apply(request)
        except Exception as exc:  # a failing plug-in leaves the action to the operator
            log.warning("connector %s failed: %s", connector.name, type(exc).__name__)
            result = ConnectorResult(False, message=f"{type(exc).__name__}: {exc}")
        if result.applied:
            return connector.name, result.message or result.reference
        why = result.message or "it did not apply the action"
        return MANUAL, f"The {connector.name} connector could not do it ({why})."

    def act(
        self,
        token: str,
        case_id: int,
        kind: ModerationKind,
        guideline_code: str,
        explanation: str,
        item_id: int | None = None,
    ) -> ModerationDone:
        """Record a moderation action on a case you own, naming an active guideline.

        The action, its timeline line, the case's first action time and the audit entry are
        written in one transaction; on any refusal nothing changes.
        """
        actor = self.signin.authorize(token, Action.WORK_CASES)
        kind = ModerationKind(kind)
        code = normalise_code(guideline_code)
        text = check_explanation(kind, explanation)
        with self.ctx.db.read() as s:
            prepared = self._prepare(s, actor, case_id, kind, code, text, item_id)
        applied_via, message = self._apply(prepared.request)  # outside the write lock
        with self.ctx.db.write() as s:
            prepared = self._prepare(s, actor, case_id, kind, code, text, item_id)
            case = self._case(s, case_id)
            now = self.ctx.clock.now()
            row = ModerationAction(
                case_id=case.id,
                item_id=prepared.item_id,
                author_id=prepared.author_id,
                action=kind.value,
                guideline_code=code,
                explanation=text,
                at=now,
                actor=actor.username,
                applied_via=applied_via,
            )
            s.add(row)
            if case.status == CaseStatus.TRIAGE.value:
                case.status = next_status("action", CaseStatus.TRIAGE).value
            if case.first_action_at is None:
                case.first_action_at = now
            how = (
                "to finish by hand on the platform"
                if applied_via == MANUAL
                else f"applied through {applied_via}"
            )
            details = {
                "action": kind.value,
                "rule": code,
                "explanation": text,
                "item": prepared.item_id,
                "applied_via": applied_via,
            }
            s.add(
                CaseEvent(
                    case_id=case.id,
                    at=now,
                    actor=actor.username,
                    kind="moderate",
                    text=f"{timeline_text(kind, code)} ({prepared.title}) · {how}",
                    details=json.dumps(details, sort_keys=True),
                )
            )
            s.flush()
            self.ctx.audit.record(
                s, actor.username, "case.moderate", f"case:{case.id}", id=row.id, **details
            )
            return ModerationDone(
                row.id,
                case.id,
                kind,
                code,
                text,
                applied_via,
                prepared.request.item_link,
                message,
            )

    # the author's record -----------------------------------------------------------------

    def _record(self, s: Session, author_id: int) -> AuthorRecord:
        author = s.get(Author, author_id)
        if author is None:
            raise NotFound(f"There is no author #{author_id}.")
        actions = tuple(
            _view(a)
            for a in s.scalars(
                select(ModerationAction)
                .where(ModerationAction.author_id == author_id)
                .order_by(ModerationAction.at.desc(), ModerationAction.id.desc())
            )
        )
        times = [a.at for a in actions if counts_against_author(a.kind)]
        now = self.ctx.clock.now()
        return AuthorRecord(
            author_id=author.id,
            platform=author.platform,
            handle=author.handle,
            display_name=author.display_name,
            actions=actions,
            against=len(times),
            recent=sum(1 for t in times if now - REPEAT_WINDOW <= t <= now),
            repeat_offender=is_repeat_offender(times, now),
        )

    def author_record(self, token: str, author_id: int) -> AuthorRecord:
        """Return the moderation actions against an author across every case on the desk."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            return self._record(s, author_id)

    def author_record_for_case(self, token: str, case_id: int) -> AuthorRecord:
        """Return the moderation record of a case's author."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            return self._record(s, self._case(s, case_id).author_id)

    def actions_on_case(self, token: str, case_id: int) -> list[ModerationView]:
        """Return the moderation actions recorded on a case, oldest first."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            self._case(s, case_id)
            rows = s.scalars(
                select(ModerationAction)
                .where(ModerationAction.case_id == case_id)
                .order_by(ModerationAction.at, ModerationAction.id)
            )
            return [_view(r) for r in rows]
