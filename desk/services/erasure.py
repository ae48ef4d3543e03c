"""Erasure of one author: their words and identifiers removed everywhere Desk keeps them.

Built on the retention purge (desk.services.purge): every item the author wrote goes, and with
it every case of theirs whole (timeline, THRIVE, escalations, replies, moderation), the search
index's copy and the write-ahead log. Then every mention of them (handle, display name) in what
other people wrote is replaced with "[erased person]" (desk.services.erasure_mentions): their
items, stored originals, notes, THRIVE, replies, escalations, moderation, handover notes and
signed handover reports. Refused while a legal hold or an open case stands. The tombstone
audit entry holds ids and counts, never content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update

from desk.core.cases import OPEN_STATUS_CODES
from desk.core.erasure import mentions_of
from desk.core.errors import Conflict, InvalidInput, NotFound
from desk.core.retention import EndAction
from desk.core.roles import Action
from desk.services.author_export import find_author
from desk.services.context import DeskContext
from desk.services.erasure_mentions import redact_mentions
from desk.services.purge import (
    after_purge,
    anonymous_author,
    held_authors,
    held_cases,
    purge_items,
)
from desk.services.signin import SignInService
from desk.store.purging import merge_search_index
from desk.store.tables import (
    Author,
    Case,
    Item,
    ModerationAction,
    Reply,
    SubjectAccessRequest,
)

MAX_REASON = 500


@dataclass(frozen=True)
class ErasureResult:
    """What an erasure removed (ids and counts only)."""

    author_id: int
    items: int
    cases: tuple[int, ...]
    log_emptied: bool  # the write-ahead log was emptied straight after (no reader held it)
    mentions: int = 0  # mentions of them replaced in what other people wrote
    redacted: dict[str, int] = field(default_factory=dict)  # table -> rows rewritten


class ErasureService:
    """Erases one author on request (supervisors and administrators)."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def erase(
        self, token: str, ref: str, reason: str, request_id: int | None = None
    ) -> ErasureResult:
        """Remove everything Desk holds about the author ``ref`` (see the module's notes).

        ``reason`` says why (e.g. "UK GDPR Art. 17 request"); it must not name the person,
        since it is kept in the audit.
        """
        actor = self.signin.authorize(token, Action.MANAGE_SUBJECT_ACCESS)
        why = reason.strip()
        if not why:
            raise InvalidInput("Say why the author is erased (e.g. 'Art. 17 request SAR-4').")
        if len(why) > MAX_REASON:
            raise InvalidInput(f"The reason can be at most {MAX_REASON} characters.")
        with self.ctx.db.write() as s:
            if request_id is not None and s.get(SubjectAccessRequest, request_id) is None:
                raise NotFound(f"There is no subject access request SAR-{request_id}.")
            author = find_author(s, ref)
            names = {author.handle, author.handle.lstrip("@"), author.display_name}
            if any(len(n) >= 3 and n.lower() in why.lower() for n in names):
                raise InvalidInput(
                    "The reason names the person being erased, and it is kept in the audit: "
                    "say why without naming them (e.g. 'Art. 17 request SAR-4')."
                )
            ident = author.id
            item_ids = list(s.scalars(select(Item.id).where(Item.author_id == ident)))
            case_ids = set(s.scalars(select(Case.id).where(Case.author_id == ident)))
            case_ids |= set(s.scalars(select(Item.case_id).where(Item.author_id == ident)))
            if held_authors(s, [ident]) or held_cases(s, case_ids):
                held = sorted(held_cases(s, case_ids))
                where = f" (case {', '.join(f'#{c}' for c in held)})" if held else ""
                raise Conflict(
                    f"A legal hold stands on author {ident}{where}: nothing was erased. "
                    "Lift the hold first (desk-admin hold lift)."
                )
            still_open = sorted(
                s.scalars(
                    select(Case.id).where(
                        Case.id.in_(sorted(case_ids)), Case.status.in_(OPEN_STATUS_CODES)
                    )
                )
            )
            if still_open:
                raise Conflict(
                    f"Author {ident} has open case(s) {', '.join(f'#{c}' for c in still_open)}: "
                    "close them before erasing (nothing was erased)."
                )
            tombstone = {"reason": "erasure", "author": ident, "request": request_id}
            mentions = mentions_of(author.handle, author.display_name, author.platform_user_id)
            result = purge_items(
                s,
                self.ctx,
                item_ids,
                EndAction.DELETE,
                actor=actor.username,
                why={**tombstone, "erasure_reason": why},
                merge=False,
            )
            # replies to them, or moderation of them, recorded on someone else's case
            stand_in = None
            for table in (Reply, ModerationAction):
                if s.scalar(select(table.id).where(table.author_id == ident).limit(1)):
                    stand_in = stand_in or anonymous_author(s, self.ctx, author.platform)
                    s.execute(
                        update(table).where(table.author_id == ident).values(author_id=stand_in)
                    )
            left = s.get(Author, ident)
            if left is not None:
                s.delete(left)
            s.execute(
                update(SubjectAccessRequest)
                .where(SubjectAccessRequest.subject != "")
                .where(SubjectAccessRequest.subject.in_(_refs(author)))
                .values(subject=f"author:{ident} (erased)")
            )
            s.flush()
            redacted = redact_mentions(
                s,
                self.ctx,
                mentions,
                actor=actor.username,
                author_id=ident,
                request_id=request_id,
                erased_cases=result.cases_removed,
            )
            if redacted.held:
                # the hold preserves those records as they are, and once the author is gone
                # nothing would know what to replace in them later: refuse, change nothing
                cases = ", ".join(f"#{c}" for c in redacted.held)
                raise Conflict(
                    f"Case(s) {cases}, under a legal hold, mention author {ident}: nothing was "
                    "erased. Lift the hold first (desk-admin hold lift)."
                )
            merge_search_index(s)  # once, after the purge and the redaction
            self.ctx.audit.record(
                s,
                actor.username,
                "author.erase",
                f"author:{ident}",
                items=len(result.items),
                cases=list(result.cases_removed),
                request=request_id,
                reason=why,
                **redacted.tombstone(),
            )
        emptied = after_purge(self.ctx)
        return ErasureResult(
            ident,
            len(result.items),
            result.cases_removed,
            emptied,
            redacted.mentions,
            dict(redacted.rows),
        )


def _refs(author: Author) -> list[str]:
    """The ways the register may have named the author."""
    bare = author.handle.lstrip("@")
    return [
        f"{author.platform}:{bare}",
        f"{author.platform}:@{bare}",
        f"author:{author.id}",
        str(author.id),
    ]
