"""Replies on a case: never cold-contact, template wording kept exactly, free text approved.

A reply or private message goes only to someone who has written to the same official
account on the same platform (desk.core.contact); a supervisor may override that for one
message with a recorded reason. A reply that used a template must be the approved wording,
filled; its key, version and text are kept on the reply and the case's timeline. A free-text
reply by a role named in the ``replies_needing_approval`` setting waits, as "pending", for a
supervisor or communications officer to approve or reject it before it counts as sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.core.cases import CaseStatus
from desk.core.contact import ContactRequest, check_contact
from desk.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from desk.core.roles import Action, may
from desk.core.templates import LANGUAGES, case_reference, render
from desk.services.areas import check_case_scope, scoped_account_ids
from desk.services.case_work import load_case, must_own
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.services.templates import TemplateService, TemplateView
from desk.services.timeline import fingerprint, record_case_event
from desk.services.views import Actor
from desk.store.tables import (
    Author,
    Case,
    Guideline,
    Item,
    OfficialAccount,
    Reply,
)

SENT = "sent"
PENDING = "pending"
REJECTED = "rejected"
MAX_REPLY = 5_000
DEFAULT_NEEDING_APPROVAL = ["operator"]


@dataclass(frozen=True)
class ReplyView:
    """A reply as listed (for the case, the approvals queue and scripts)."""

    id: int
    case_id: int
    reference: str
    recipient: str
    platform: str
    account: str
    private: bool
    text: str
    language: str
    template_key: str | None
    template_version: int | None
    status: str
    created_at: datetime
    created_by: str
    decided_by: str | None
    decision_note: str
    override_by: str | None
    override_reason: str
    link: str | None = None


def _describe(reply: Reply) -> str:
    what = "Private reply" if reply.private else "Public reply"
    how = (
        f"template {reply.template_key} v{reply.template_version}"
        if reply.template_key
        else "free text"
    )
    language = "Cymraeg" if reply.language == "cy" else "English"
    return f"{what} ({how}, {language})"


class ReplyService:
    """Records replies and their approval; every change is audited with its timeline line."""

    def __init__(self, ctx: DeskContext, signin: SignInService, templates: TemplateService):
        self.ctx = ctx
        self.signin = signin
        self.templates = templates

    # helpers -------------------------------------------------------------------------------

    def needing_approval(self) -> list[str]:
        """The roles whose free-text replies wait for approval (the desk setting)."""
        value = self.ctx.setting("replies_needing_approval", DEFAULT_NEEDING_APPROVAL)
        return (
            [str(v) for v in value] if isinstance(value, list) else list(DEFAULT_NEEDING_APPROVAL)
        )

    def _event(
        self, s: Session, actor: str, case_id: int, kind: str, line: str, **details: Any
    ) -> None:
        audit = dict(details)
        if isinstance(audit.get("text"), str):  # the reply's words stay on the case only
            audit["text"] = fingerprint(audit["text"])
        record_case_event(s, self.ctx, actor, case_id, kind, line, audit_details=audit, **details)

    def _view(self, s: Session, reply: Reply) -> ReplyView:
        author = s.get(Author, reply.author_id)
        account = s.get(OfficialAccount, reply.official_account_id)
        link = s.scalar(
            select(Item.link)
            .where(Item.case_id == reply.case_id, Item.author_id == reply.author_id)
            .order_by(Item.received_at.desc(), Item.id.desc())
        )
        return ReplyView(
            id=reply.id,
            case_id=reply.case_id,
            reference=case_reference(reply.case_id),
            recipient=(author.handle or author.display_name) if author else "?",
            platform=account.platform if account else "?",
            account=(account.display_name or account.handle) if account else "?",
            private=reply.private,
            text=reply.text,
            language=reply.language,
            template_key=reply.template_key,
            template_version=reply.template_version,
            status=reply.status,
            created_at=reply.created_at,
            created_by=reply.created_by,
            decided_by=reply.decided_by,
            decision_note=reply.decision_note,
            override_by=reply.override_by,
            override_reason=reply.override_reason,
            link=link,
        )

    def _check_case(self, s: Session, actor: Actor, case: Case) -> None:
        if case.status == CaseStatus.CLOSED.value:
            raise Conflict(f"Case #{case.id} is closed: re-open it to reply.")
        must_own(s, actor, case, "replying on")

    def _recipient(self, s: Session, case: Case, recipient: str | None) -> Author:
        if recipient is None or not recipient.strip():
            author = s.get(Author, case.author_id)
            assert author is not None
            return author
        wanted = recipient.strip()
        found = s.scalar(
            select(Author).where(Author.platform == case.platform, Author.handle == wanted)
        )
        if found is None:
            raise Conflict(
                f"A reply to {wanted} is refused: they have never written to the desk on "
                f"{case.platform}, and Desk never cold-contacts anyone."
            )
        return found

    def _template_texts(
        self, s: Session, case_id: int, view: TemplateView, language: str
    ) -> set[str]:
        """Every text the template can fill to on this case (one per guideline for {rule})."""
        wording = view.text(language)
        rules: list[str | None] = [None]
        if "rule" in view.variables and not view.guideline:
            rules = list(s.scalars(select(Guideline.code).where(Guideline.active.is_(True))))
        texts = set()
        for rule in rules:
            done = render(wording, self.templates.values_for(s, case_id, view.guideline, rule))
            if done.usable:
                texts.add(done.text.strip())
        return texts

    # replying ------------------------------------------------------------------------------

    def reply(
        self,
        token: str,
        case_id: int,
        text: str,
        *,
        private: bool = False,
        language: str = "en",
        template_key: str | None = None,
        template_version: int | None = None,
        override_reason: str | None = None,
        recipient: str | None = None,
    ) -> ReplyView:
        """Record a reply on a case (to its author unless ``recipient`` names another).

        Refused (``Conflict``, with the reason) when it would cold-contact someone, unless a
        supervisor gives ``override_reason`` for this one message; refused too for a private
        message from an account with private messages switched off.
        """
        actor = self.signin.authorize(token, Action.WORK_CASES)
        body = text.strip()
        if not body:
            raise InvalidInput("A reply cannot be empty.")
        if len(body) > MAX_REPLY:
            raise InvalidInput(f"A reply can be at most {MAX_REPLY:,} characters ({len(body)}).")
        if language not in LANGUAGES:
            raise InvalidInput(f"Unknown language {language!r}: use en or cy.")
        reason = (override_reason or "").strip()
        if override_reason is not None and not reason:
            raise InvalidInput("Say why the no-cold-contact rule is overridden.")
        if reason and not may(actor.role, Action.OVERRIDE_COLD_CONTACT):
            raise PermissionDenied(
                f"The {actor.role.value} role may not override the no-cold-contact rule: "
                "ask a supervisor."
            )
        with self.ctx.db.write() as s:
            case = load_case(s, case_id, actor)  # refuses a case outside the actor's areas
            self._check_case(s, actor, case)
            author = self._recipient(s, case, recipient)
            account = s.get(OfficialAccount, case.official_account_id)
            assert account is not None
            engaged = (
                s.scalar(
                    select(func.count())
                    .select_from(Item)
                    .where(
                        Item.author_id == author.id,
                        Item.platform == case.platform,
                        Item.official_account_id == account.id,
                    )
                )
                or 0
            )
            decision = check_contact(
                ContactRequest(
                    recipient=author.handle or author.display_name,
                    platform=case.platform,
                    account=account.display_name or account.handle,
                    private=private,
                    items_from_recipient=engaged,
                    direct_messages_on=account.direct_messages,
                )
            )
            override_by = None
            if not decision.allowed:
                if not (reason and decision.overridable):
                    raise Conflict(decision.reason)
                override_by = actor.username
            if template_key is not None:
                view = self.templates.usable_version(s, template_key, template_version)
                wording = view.text(language)
                if not wording.strip():
                    raise InvalidInput(
                        f"Template {template_key!r} v{view.version} has no "
                        f"{'Welsh' if language == 'cy' else 'English'} wording."
                    )
                if body not in self._template_texts(s, case.id, view, language):
                    raise InvalidInput(
                        f"The text is not template {template_key!r} v{view.version}'s wording: "
                        "send an edited text as a free-text reply."
                    )
                template_version = view.version
                status = SENT
            else:
                template_version = None
                status = PENDING if actor.role.value in self.needing_approval() else SENT
            now = self.ctx.clock.now()
            row = Reply(
                case_id=case.id,
                author_id=author.id,
                official_account_id=account.id,
                private=private,
                text=body,
                language=language,
                template_key=template_key,
                template_version=template_version,
                status=status,
                created_at=now,
                created_by=actor.username,
                override_by=override_by,
                override_reason=reason if override_by else "",
            )
            s.add(row)
            s.flush()
            if case.first_action_at is None:
                case.first_action_at = now
            if case.status == CaseStatus.TRIAGE.value:
                case.status = CaseStatus.ACTIONED.value
            state = "awaiting approval" if status == PENDING else "recorded as sent"
            line = f"{_describe(row)} {state} to {author.handle or author.display_name}"
            if override_by:
                line += f" (no-cold-contact rule overridden: {reason})"
            self._event(
                s,
                actor.username,
                case.id,
                "reply",
                f"{line}: {body}",
                reply=row.id,
                status=status,
                private=private,
                language=language,
                template=template_key,
                version=template_version,
                text=body,
                override=reason if override_by else None,
            )
            return self._view(s, row)

    # approval ------------------------------------------------------------------------------

    def pending(self, token: str) -> list[ReplyView]:
        """Return the free-text replies waiting for approval, oldest first (in your areas)."""
        actor = self.signin.authorize(token, Action.APPROVE_REPLIES)
        with self.ctx.db.read() as s:
            query = select(Reply).where(Reply.status == PENDING)
            ids = scoped_account_ids(s, actor.scope)
            if ids is not None:
                query = query.join(Case, Case.id == Reply.case_id).where(
                    Case.official_account_id.in_(ids)
                )
            rows = s.scalars(query.order_by(Reply.created_at, Reply.id))
            return [self._view(s, r) for r in rows]

    def for_case(self, token: str, case_id: int) -> list[ReplyView]:
        """Return a case's replies, oldest first."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            case = s.get(Case, case_id)
            if case is not None:
                check_case_scope(s, actor, case)
            rows = s.scalars(
                select(Reply).where(Reply.case_id == case_id).order_by(Reply.created_at, Reply.id)
            )
            return [self._view(s, r) for r in rows]

    def _decide(self, token: str, reply_id: int, note: str, approve: bool) -> ReplyView:
        actor = self.signin.authorize(token, Action.APPROVE_REPLIES)
        note = note.strip()
        if not approve and not note:
            raise InvalidInput("Say why the reply is rejected: the operator sees the note.")
        with self.ctx.db.write() as s:
            row = s.get(Reply, reply_id)
            if row is None:
                raise NotFound(f"There is no reply #{reply_id}.")
            load_case(s, row.case_id, actor)  # only a reply on a case in the approver's areas
            if row.status != PENDING:
                raise Conflict(f"Reply #{reply_id} is {row.status}, not waiting for approval.")
            if row.created_by == actor.username:
                raise Conflict("Someone else must approve or reject your own reply.")
            row.status = SENT if approve else REJECTED
            row.decided_at = self.ctx.clock.now()
            row.decided_by = actor.username
            row.decision_note = note
            verb = "approved" if approve else "rejected"
            self._event(
                s,
                actor.username,
                row.case_id,
                "reply_approve" if approve else "reply_reject",
                f"Reply #{row.id} by {row.created_by} {verb}" + (f": {note}" if note else ""),
                reply=row.id,
                note=note,
            )
            return self._view(s, row)

    def approve(self, token: str, reply_id: int, note: str = "") -> ReplyView:
        """Approve a pending free-text reply: it counts as sent from now."""
        return self._decide(token, reply_id, note, True)

    def reject(self, token: str, reply_id: int, note: str) -> ReplyView:
        """Reject a pending free-text reply, saying why."""
        return self._decide(token, reply_id, note, False)
