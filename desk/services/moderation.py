"""Moderation actions on a case, by the published guidelines, and the author's record.

An action is recorded with the rule broken and the explanation the public is given, on the
case's timeline and in the audit, in one transaction. A connector installed for the case's
platform applies it through the platform's API; otherwise it is "manual": the operator
finishes it on the platform (the GUI opens the item's link and copies the explanation).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.connectors.base import MANUAL, ConnectorAction, ConnectorRegistry, ConnectorResult
from desk.core.cases import CaseStatus, next_status
from desk.core.errors import Conflict, DeskError, InvalidInput, NotFound
from desk.core.items import ItemKind
from desk.core.moderation import (
    REPEAT_WINDOW,
    AuthorState,
    ItemState,
    ModerationKind,
    author_state,
    check_explanation,
    counts_against_author,
    default_guideline,
    is_repeat_offender,
    item_noun,
    item_state,
    normalise_code,
    refusal,
    timeline_text,
)
from desk.core.roles import Action, require
from desk.services.case_work import load_case, must_own
from desk.services.context import DeskContext
from desk.services.guidelines import GuidelineView
from desk.services.signin import SignInService
from desk.services.timeline import fingerprint, record_case_event
from desk.services.views import Actor
from desk.store.tables import (
    Author,
    Case,
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
    def counted(self) -> tuple[ModerationView, ...]:
        """The actions that count against the author (``against`` of them), newest first."""
        return tuple(a for a in self.actions if counts_against_author(a.kind))

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
class ModerationOptions:
    """Which moderation actions apply to a case's item now, and why the others do not."""

    case_id: int
    item_id: int | None
    item_kind: ItemKind
    item_noun: str  # "comment", "direct message"...
    platform: str
    item_state: ItemState
    author_state: AuthorState
    # kind -> why it does not apply to the item or its author now (absent: it applies)
    refusals: Mapping[ModerationKind, str]
    # '' when this person may moderate the case now; else why not (closed, not theirs, role)
    case_refusal: str = ""
    default_guideline: str | None = None  # suggested by the case's matched risk

    @property
    def applicable(self) -> tuple[ModerationKind, ...]:
        """The actions that apply to the item now, in menu order (whoever owns the case)."""
        return tuple(k for k in ModerationKind if k not in self.refusals)

    def why_not(self, kind: ModerationKind) -> str:
        """Say why ``kind`` cannot be done on this case now ('' when it can)."""
        return self.case_refusal or self.refusals.get(kind, "")


@dataclass(frozen=True)
class ModerationPlan:
    """What a moderation dialog needs, checked: the action applies and the case is yours."""

    options: ModerationOptions
    kind: ModerationKind
    guidelines: tuple[GuidelineView, ...]  # the active guidelines, by code
    default_guideline: str | None  # the code to preselect (None: no suggestion)
    connector: str | None  # the connector that would apply it (None: finished by hand)
    has_link: bool


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

    def _case(self, s: Session, case_id: int, actor: Actor) -> Case:
        return load_case(s, case_id, actor)  # refuses a case outside the actor's areas

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
        case = self._case(s, case_id, actor)
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
        why = self._situation(s, case, chosen, kind)
        if why:
            raise Conflict(why)
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

    @staticmethod
    def _states(s: Session, case: Case, chosen: Item | None) -> tuple[ItemState, AuthorState]:
        """The item's and the author's state after the actions recorded so far."""
        order = (ModerationAction.at, ModerationAction.id)
        on_item: list[str] = []
        if chosen is not None:
            on_item = list(
                s.scalars(
                    select(ModerationAction.action)
                    .where(ModerationAction.item_id == chosen.id)
                    .order_by(*order)
                )
            )
        on_author = s.scalars(
            select(ModerationAction.action)
            .where(ModerationAction.author_id == case.author_id)
            .order_by(*order)
        )
        return item_state(on_item), author_state(on_author)

    def _situation(
        self, s: Session, case: Case, chosen: Item | None, kind: ModerationKind
    ) -> str | None:
        """Say why ``kind`` does not apply to the chosen item (or the case's kind) now."""
        states = self._states(s, case, chosen)
        item_kind = chosen.kind if chosen is not None else case.kind
        return refusal(kind, item_kind, case.platform, *states)

    @staticmethod
    def _chosen(s: Session, case: Case, item_id: int | None) -> Item | None:
        query = select(Item).where(Item.case_id == case.id)
        if item_id is not None:
            found = s.scalar(query.where(Item.id == item_id))
            if found is None:
                raise InvalidInput(f"Item #{item_id} is not part of case #{case.id}.")
            return found
        return s.scalar(query.order_by(Item.received_at.desc(), Item.id.desc()).limit(1))

    def _options(
        self, s: Session, actor: Actor, case: Case, item_id: int | None
    ) -> tuple[ModerationOptions, Item | None]:
        chosen = self._chosen(s, case, item_id)
        try:
            kind = ItemKind(chosen.kind if chosen is not None else case.kind)
        except ValueError:
            kind = ItemKind.COMMENT
        states = self._states(s, case, chosen)
        refusals = {
            k: why
            for k in ModerationKind
            if (why := refusal(k, kind, case.platform, *states)) is not None
        }
        case_refusal = ""
        try:
            require(actor.role, Action.WORK_CASES)
            if case.status == CaseStatus.CLOSED.value:
                raise Conflict(f"Case #{case.id} is closed: re-open it to moderate it.")
            self._must_own(s, actor, case)
        except DeskError as exc:
            case_refusal = exc.message
        active = set(s.scalars(select(Guideline.code).where(Guideline.active.is_(True))))
        options = ModerationOptions(
            case_id=case.id,
            item_id=chosen.id if chosen is not None else None,
            item_kind=kind,
            item_noun=item_noun(kind),
            platform=case.platform,
            item_state=states[0],
            author_state=states[1],
            refusals=refusals,
            case_refusal=case_refusal,
            default_guideline=default_guideline(case.risk.split(","), active),
        )
        return options, chosen

    def options(self, token: str, case_id: int, item_id: int | None = None) -> ModerationOptions:
        """Say which moderation actions apply to a case's item (default: its newest) now.

        Never refuses for ownership: ``case_refusal`` says why this person cannot act, so a
        window can grey out its entries and say why.
        """
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            return self._options(s, actor, self._case(s, case_id, actor), item_id)[0]

    def prepare(
        self, token: str, case_id: int, kind: ModerationKind, item_id: int | None = None
    ) -> ModerationPlan:
        """Check that ``kind`` can be done on a case you own, and gather what its dialog needs.

        Refuses (``Conflict``) when the case is closed or not yours, or the action does not
        apply to the item's kind, platform or state; nothing is changed either way.
        """
        actor = self.signin.authorize(token, Action.WORK_CASES)
        kind = ModerationKind(kind)
        with self.ctx.db.read() as s:
            case = self._case(s, case_id, actor)
            options, chosen = self._options(s, actor, case, item_id)
            if options.why_not(kind):
                raise Conflict(options.why_not(kind))
            guidelines = tuple(
                GuidelineView(g.code, g.title, g.public_text, g.public_text_cy, g.active)
                for g in s.scalars(
                    select(Guideline).where(Guideline.active.is_(True)).order_by(Guideline.code)
                )
            )
            has_link = (chosen is not None and bool(chosen.link)) or s.scalar(
                select(Item.id).where(Item.case_id == case.id, Item.link.is_not(None)).limit(1)
            ) is not None
        connector = self.connectors.for_action(case.platform, kind)
        return ModerationPlan(
            options=options,
            kind=kind,
            guidelines=guidelines,
            default_guideline=options.default_guideline,
            connector=connector.name if connector is not None else None,
            has_link=has_link,
        )

    def connector_for(self, token: str, case_id: int, kind: ModerationKind) -> str | None:
        """Return the name of the connector that would apply ``kind`` on this case, or None."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            platform = self._case(s, case_id, actor).platform
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
            case = self._case(s, case_id, actor)
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
            details: dict[str, Any] = {
                "action": kind.value,
                "rule": code,
                "explanation": text,
                "item": prepared.item_id,
                "applied_via": applied_via,
            }
            s.flush()  # the action's id, for the audit entry
            record_case_event(
                s,
                self.ctx,
                actor.username,
                case.id,
                "moderate",
                f"{timeline_text(kind, code)} ({prepared.title}) · {how}",
                # the explanation's words stay on the case only; the audit proves them by hash
                audit_details={"id": row.id, **details, "explanation": fingerprint(text)},
                **details,
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
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            return self._record(s, self._case(s, case_id, actor).author_id)

    def actions_on_case(self, token: str, case_id: int) -> list[ModerationView]:
        """Return the moderation actions recorded on a case, oldest first."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            self._case(s, case_id, actor)
            rows = s.scalars(
                select(ModerationAction)
                .where(ModerationAction.case_id == case_id)
                .order_by(ModerationAction.at, ModerationAction.id)
            )
            return [_view(r) for r in rows]
