"""Everything Desk holds about one author, for a subject access request, with redaction review.

An author is named ``platform:handle`` (``x:@resident``; the ``@`` may be left off) or
``author:ID`` (or the bare id). :meth:`AuthorExportService.review` lists the passages that may
name third parties; :meth:`AuthorExportService.export` gathers the record with the reviewer's
redactions applied (each replaced by ``[redacted: third party]``), audits the release, and
returns the JSON data and readable HTML that the caller writes out (the PDF through
desk.render, which services do not import).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desk.core.errors import InvalidInput, NotFound
from desk.core.grouping import case_summary
from desk.core.marking import marked
from desk.core.roles import Action
from desk.core.subject_access import (
    REDACTED,
    Passage,
    Redaction,
    apply_redactions,
    render_export_html,
    third_party_passages,
)
from desk.services.context import DeskContext
from desk.services.settings import desk_heading, protective_marking
from desk.services.signin import SignInService
from desk.store.tables import (
    AuditEntry,
    Author,
    Case,
    CaseEvent,
    Escalation,
    Item,
    ModerationAction,
    Reply,
    SubjectAccessRequest,
    ThriveRecord,
)

_CHUNK = 500


@dataclass(frozen=True)
class FlaggedPassage:
    """A passage in the author's record that may name someone else."""

    kind: str  # item, reply, note
    id: int
    passage: Passage
    context: str = ""  # the words around it, for the reviewer

    def spec(self) -> str:
        """The redaction that would withhold just this passage."""
        return Redaction(self.kind, self.id, (self.passage.start, self.passage.end)).spec()


@dataclass(frozen=True)
class AuthorExport:
    """A gathered, redacted record ready to write: JSON data, a title and readable HTML."""

    author_id: int
    data: dict[str, Any]
    title: str
    html: str

    def json_text(self) -> str:
        """The JSON file's text."""
        return json.dumps(self.data, indent=2, ensure_ascii=False, default=str) + "\n"


def find_author(s: Session, ref: str) -> Author:
    """The author named by ``platform:handle``, ``author:ID`` or a bare id, or NotFound."""
    text = ref.strip()
    if not text:
        raise InvalidInput("Name the author: platform:handle (e.g. x:@resident) or author:ID.")
    ident = text.removeprefix("author:")
    if ident.isdigit():
        found = s.get(Author, int(ident))
        if found is None:
            raise NotFound(f"There is no author with id {ident}.")
        return found
    platform, sep, handle = text.partition(":")
    if not sep or not handle.strip():
        raise InvalidInput(
            f"Cannot read the author {ref!r}: write platform:handle (e.g. x:@resident) or "
            "author:ID."
        )
    bare = handle.strip().lstrip("@").lower()
    rows = list(
        s.scalars(
            select(Author).where(
                Author.platform == platform.strip().lower(),
                or_(
                    func.lower(Author.handle) == bare,
                    func.lower(Author.handle) == "@" + bare,
                    func.lower(Author.platform_user_id) == bare,
                ),
            )
        )
    )
    if not rows:
        raise NotFound(f"Desk holds nothing about {ref!r}: no such author on that platform.")
    if len(rows) > 1:
        ids = ", ".join(f"author:{r.id}" for r in rows)
        raise InvalidInput(f"{ref!r} names more than one author ({ids}): give the id.")
    return rows[0]


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield list(ids[i : i + _CHUNK])


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _others(s: Session, author: Author, case_ids: list[int]) -> set[str]:
    """Names and handles of the other authors in the same threads."""
    threads = set()
    for chunk in _chunks(case_ids):
        threads |= set(s.scalars(select(Case.thread_key).where(Case.id.in_(chunk))))
    names: set[str] = set()
    for key in threads:
        for handle, name in s.execute(
            select(Author.handle, Author.display_name)
            .join(Case, Case.author_id == Author.id)
            .where(Case.thread_key == key, Author.id != author.id)
            .limit(500)
        ):
            names |= {handle, handle.lstrip("@"), name}
    return names


class _Record:
    """The rows Desk holds about one author, read in one session."""

    def __init__(self, s: Session, author: Author) -> None:
        self.author = author
        self.items = list(
            s.scalars(select(Item).where(Item.author_id == author.id).order_by(Item.received_at))
        )
        case_ids = set(s.scalars(select(Case.id).where(Case.author_id == author.id)))
        case_ids |= {i.case_id for i in self.items}
        self.case_ids = sorted(case_ids)
        self.cases: list[Case] = []
        self.events: list[CaseEvent] = []
        self.thrive: list[ThriveRecord] = []
        self.escalations: list[Escalation] = []
        replies: dict[int, Reply] = {}
        for chunk in _chunks(self.case_ids):
            self.cases += s.scalars(select(Case).where(Case.id.in_(chunk)))
            self.events += s.scalars(select(CaseEvent).where(CaseEvent.case_id.in_(chunk)))
            self.thrive += s.scalars(select(ThriveRecord).where(ThriveRecord.case_id.in_(chunk)))
            self.escalations += s.scalars(select(Escalation).where(Escalation.case_id.in_(chunk)))
            replies |= {r.id: r for r in s.scalars(select(Reply).where(Reply.case_id.in_(chunk)))}
        replies |= {r.id: r for r in s.scalars(select(Reply).where(Reply.author_id == author.id))}
        self.replies = sorted(replies.values(), key=lambda r: r.id)
        self.moderation = list(
            s.scalars(
                select(ModerationAction)
                .where(ModerationAction.author_id == author.id)
                .order_by(ModerationAction.id)
            )
        )
        objects = {f"author:{author.id}"}
        objects |= {f"case:{c}" for c in self.case_ids}
        objects |= {f"item:{i.id}" for i in self.items}
        objects |= {f"escalation:{e.id}" for e in self.escalations}
        objects |= {f"reply:{r.id}" for r in self.replies}
        audit: dict[int, AuditEntry] = {}
        names = sorted(objects)
        for i in range(0, len(names), _CHUNK):
            for row in s.scalars(
                select(AuditEntry).where(AuditEntry.object.in_(names[i : i + _CHUNK]))
            ):
                audit[row.seq] = row
        self.audit = [audit[k] for k in sorted(audit)]
        self.events.sort(key=lambda e: e.id)
        self.thrive.sort(key=lambda t: t.id)
        self.escalations.sort(key=lambda e: e.id)
        self.cases.sort(key=lambda c: c.id)
        self.others = _others(s, author, self.case_ids)

    def texts(self) -> list[tuple[str, int, str]]:
        """Each redactable text: items, replies and timeline notes."""
        out = [("item", i.id, i.text) for i in self.items]
        out += [("reply", r.id, r.text) for r in self.replies]
        out += [("note", e.id, e.text) for e in self.events if e.text]
        return out

    def flagged(self) -> list[FlaggedPassage]:
        """Passages that may name others than the author."""
        own = [self.author.handle, self.author.display_name, self.author.platform_user_id]
        return [
            FlaggedPassage(kind, ident, p, _around(text, p))
            for kind, ident, text in self.texts()
            for p in third_party_passages(text, own, self.others)
        ]


def _around(text: str, p: Passage, width: int = 40) -> str:
    start, end = max(0, p.start - width), min(len(text), p.end + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _redactor(
    redactions: Sequence[Redaction], known: set[tuple[str, int]]
) -> dict[tuple[str, int], list[tuple[int, int] | None]]:
    plan: dict[tuple[str, int], list[tuple[int, int] | None]] = {}
    for r in redactions:
        if (r.kind, r.id) not in known:
            raise InvalidInput(
                f"The redaction {r.spec()} names no {r.kind} in this author's record."
            )
        plan.setdefault((r.kind, r.id), []).append(r.span)
    return plan


def _redacted(
    plan: dict[tuple[str, int], list[tuple[int, int] | None]], kind: str, ident: int, text: str
) -> str:
    spans = plan.get((kind, ident))
    if not spans:
        return text
    if any(span is None for span in spans):
        return REDACTED
    return apply_redactions(text, [span for span in spans if span is not None])


class AuthorExportService:
    """Finds, reviews and releases everything Desk holds about one author."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def review(self, token: str, ref: str) -> list[FlaggedPassage]:
        """The passages a reviewer should look at before release (may name third parties)."""
        self.signin.authorize(token, Action.MANAGE_SUBJECT_ACCESS)
        with self.ctx.db.read() as s:
            return _Record(s, find_author(s, ref)).flagged()

    def export(
        self,
        token: str,
        ref: str,
        redactions: Sequence[Redaction] = (),
        reviewed: bool = False,
        request_id: int | None = None,
    ) -> AuthorExport:
        """Gather the author's record with ``redactions`` applied, audit it and return it.

        When passages may name third parties, the export is refused until a reviewer has
        looked (``reviewed``) and said what to redact (possibly nothing).
        """
        actor = self.signin.authorize(token, Action.MANAGE_SUBJECT_ACCESS)
        marking = protective_marking(self.ctx)
        heading = desk_heading(self.ctx)
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            if request_id is not None and s.get(SubjectAccessRequest, request_id) is None:
                raise NotFound(f"There is no subject access request SAR-{request_id}.")
            author = find_author(s, ref)
            record = _Record(s, author)
            flagged = record.flagged()
            if flagged and not reviewed:
                raise InvalidInput(
                    f"{len(flagged)} passage(s) in this record may name third parties: review "
                    "them first ('desk-admin sar review AUTHOR'), then export with --redact for "
                    "each to withhold and --reviewed."
                )
            known = {(kind, ident) for kind, ident, _ in record.texts()}
            plan = _redactor(redactions, known)
            data = marked(
                _data(record, plan, heading, now.isoformat(), actor.username, request_id),
                marking,
            )
            self.ctx.audit.record(
                s,
                actor.username,
                "sar.export",
                f"author:{author.id}",
                request=request_id,
                items=len(record.items),
                cases=len(record.case_ids),
                redactions=[r.spec() for r in redactions],
                flagged=len(flagged),
            )
            title = f"Subject access export: author {author.id}"
            return AuthorExport(author.id, data, title, render_export_html(data, title))


def _data(
    r: _Record,
    plan: dict[tuple[str, int], list[tuple[int, int] | None]],
    heading: str,
    at: str,
    by: str,
    request_id: int | None,
) -> dict[str, Any]:
    a = r.author
    by_case: dict[int, dict[str, Any]] = {}
    for c in r.cases:
        by_case[c.id] = {
            "id": c.id,
            "status": c.status,
            "kind": c.kind,
            "platform": c.platform,
            "opened_at": _iso(c.opened_at),
            "closed_at": _iso(c.closed_at),
            "outcome": c.outcome,
            "grade": c.grade,
            "summary": _summary(r, plan, c),
            "timeline": [],
            "thrive": [],
            "escalations": [],
        }
    for e in r.events:
        by_case[e.case_id]["timeline"].append(
            {
                "id": e.id,
                "at": _iso(e.at),
                "actor": e.actor,
                "kind": e.kind,
                "text": _redacted(plan, "note", e.id, e.text),
            }
        )
    for t in r.thrive:
        by_case[t.case_id]["thrive"].append(
            {
                "version": t.version,
                "at": _iso(t.at),
                "actor": t.actor,
                "threat": t.threat,
                "harm": t.harm,
                "risk": t.risk,
                "investigation": t.investigation,
                "vulnerability": t.vulnerability,
                "engagement": t.engagement,
                "grade": t.grade,
            }
        )
    for x in r.escalations:
        by_case[x.case_id]["escalations"].append(
            {
                "id": x.id,
                "kind": x.kind,
                "urgency": x.urgency,
                "summary": x.summary,
                "created_at": _iso(x.created_at),
                "created_by": x.created_by,
                "acknowledged_at": _iso(x.acknowledged_at),
                "acknowledged_by": x.acknowledged_by,
            }
        )
    return {
        "title": "Subject access export",
        "from": heading,
        "generated_at": at,
        "generated_by": by,
        "request": f"SAR-{request_id}" if request_id is not None else None,
        "author": {
            "id": a.id,
            "platform": a.platform,
            "platform_user_id": a.platform_user_id,
            "handle": a.handle,
            "display_name": a.display_name,
            "language": a.language,
            "first_seen_at": _iso(a.first_seen_at),
        },
        "items": [
            {
                "id": i.id,
                "case_id": i.case_id,
                "platform": i.platform,
                "kind": i.kind,
                "platform_id": i.platform_id,
                "posted_at": _iso(i.posted_at),
                "received_at": _iso(i.received_at),
                "link": i.link,
                "thread_title": i.thread_title,
                "text": _redacted(plan, "item", i.id, i.text),
            }
            for i in r.items
        ],
        "cases": [by_case[c] for c in sorted(by_case)],
        "replies": [
            {
                "id": p.id,
                "case_id": p.case_id,
                "private": p.private,
                "status": p.status,
                "created_at": _iso(p.created_at),
                "created_by": p.created_by,
                "text": _redacted(plan, "reply", p.id, p.text),
            }
            for p in r.replies
        ],
        "moderation": [
            {
                "id": m.id,
                "case_id": m.case_id,
                "item_id": m.item_id,
                "action": m.action,
                "guideline": m.guideline_code,
                "explanation": m.explanation,
                "at": _iso(m.at),
                "actor": m.actor,
            }
            for m in r.moderation
        ],
        "audit": [
            {
                "seq": e.seq,
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "object": e.object,
            }
            for e in r.audit
        ],
        "redactions": sorted({spec for spec in _specs(plan)}),
    }


def _summary(
    r: _Record, plan: dict[tuple[str, int], list[tuple[int, int] | None]], case: Case
) -> str:
    """The case's summary, made again from its first item when that item is redacted."""
    first = next((i for i in r.items if i.case_id == case.id), None)
    if first is None or ("item", first.id) not in plan:
        return case.summary
    return case_summary(_redacted(plan, "item", first.id, first.text))


def _specs(plan: dict[tuple[str, int], list[tuple[int, int] | None]]) -> Iterable[str]:
    for (kind, ident), spans in plan.items():
        for span in spans:
            yield Redaction(kind, ident, span).spec()
