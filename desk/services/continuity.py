"""The continuity pack and the open cases on paper, for when Desk or a platform is down.

Who may have what (decided here, checked on every call, whatever the window shows):

- the pack itself (public list, holding statements, channel shift, contacts, outages now):
  anyone signed in who may see the queue, so an operator can print it and work from it;
- the open cases (in the pack, or alone as CSV or PDF): supervisors, administrators and
  information managers (``Action.EXPORT_OPEN_CASES``): it is personal data. An operator's pack
  says the open cases were left out and who can print them.

Each pack or export is audited (what was in it, how many cases) in the read's own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from desk.core.account_list import PLATFORM_NAMES, sort_key
from desk.core.account_list import PublicAccount as ListedAccount
from desk.core.account_register import Purpose
from desk.core.cases import OPEN_STATUS_CODES
from desk.core.continuity import (
    DEFAULT_CHANNEL_SHIFT,
    Contact,
    ContinuityPack,
    HoldingStatement,
    OpenCaseLine,
    PackAccount,
    excerpt,
    parse_signposts,
    render_html,
    render_open_cases_csv,
    risk_text,
    title,
)
from desk.core.errors import InvalidInput, PermissionDenied
from desk.core.escalation import KIND_LABELS, TargetKind
from desk.core.roles import Action, may, role_name
from desk.core.templates import TemplateKind, TemplateStatus, render
from desk.services.context import DeskContext
from desk.services.outages import ongoing_outages
from desk.services.settings import desk_heading, force_name, protective_marking
from desk.services.signin import SignInService
from desk.store.tables import (
    Account,
    Author,
    Case,
    EscalationTarget,
    OfficialAccount,
    Template,
    TemplateVersion,
)

MAX_PACK_CASES = 1_000  # the most open cases printed in a pack (most urgent first)
NOT_INCLUDED = (
    "Not included: the open cases are personal data, printed only by supervisors, "
    "administrators and information managers (your role: {role})."
)
LEFT_OUT = "Left out on request."


class CasesFormat(StrEnum):
    """The open cases' export formats."""

    CSV = "csv"
    PDF = "pdf"


def parse_cases_format(text: str) -> CasesFormat:
    """Return the format named, or say which exist."""
    try:
        return CasesFormat(text.strip().lower())
    except ValueError:
        raise InvalidInput(f"Unknown format {text!r}: use csv or pdf.") from None


@dataclass(frozen=True)
class PackDocument:
    """A continuity pack ready to show, print or write as PDF (``html``) with its marking."""

    pack: ContinuityPack
    title: str
    html: str  # for the window and printing: the marking is its first and last line
    marking: str
    pdf_html: str  # for a PDF, whose writer marks every page's head and foot instead

    @property
    def includes_cases(self) -> bool:
        """Tell whether the open cases are in it."""
        return self.pack.open_cases is not None


@dataclass(frozen=True)
class OpenCasesExport:
    """The open cases alone: CSV text (write unchanged, CRLF lines) or HTML for a PDF."""

    format: CasesFormat
    text: str  # CSV (marked first and last row), or HTML for a PDF (the writer marks pages)
    title: str
    marking: str
    lines: tuple[OpenCaseLine, ...]


class ContinuityService:
    """Builds the continuity pack and the open cases export."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def may_include_cases(self, token: str) -> bool:
        """Tell whether the signed-in person's pack may hold the open cases."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        return may(actor.role, Action.EXPORT_OPEN_CASES)

    def pack(self, token: str, with_cases: bool | None = None) -> PackDocument:
        """Compile the pack; audited.

        ``with_cases``: None includes the open cases when the person may see them; True
        insists (refused for a role that may not); False leaves them out.
        """
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        allowed = may(actor.role, Action.EXPORT_OPEN_CASES)
        if with_cases and not allowed:
            raise PermissionDenied(
                f"The {role_name(actor.role)} role may not print the open cases: the pack "
                "without them is yours to print (leave out --with-cases)."
            )
        include = allowed if with_cases is None else with_cases
        now = self.ctx.clock.now()
        force = force_name(self.ctx)
        with self.ctx.db.write() as s:
            cases = _open_cases(s, MAX_PACK_CASES) if include else None
            pack = ContinuityPack(
                heading=desk_heading(self.ctx),
                marking=protective_marking(self.ctx),
                compiled_at=now,
                compiled_by=actor.username,
                accounts=_accounts(s),
                statements=_statements(s, force),
                channel_shift=tuple(
                    parse_signposts(str(self.ctx.setting("channel_shift", DEFAULT_CHANNEL_SHIFT)))
                ),
                contacts=_contacts(s),
                continuity_contacts=tuple(
                    parse_signposts(str(self.ctx.setting("continuity_contacts", "") or ""))
                ),
                outages=tuple(ongoing_outages(s)),
                open_cases=cases,
            )
            self.ctx.audit.record(
                s,
                actor.username,
                "continuity.pack",
                "continuity",
                open_cases=None if cases is None else len(cases),
                statements=len(pack.statements),
                contacts=len(pack.contacts),
            )
        note = LEFT_OUT if allowed else NOT_INCLUDED.format(role=role_name(actor.role))
        return PackDocument(
            pack,
            title(pack),
            render_html(pack, note),
            pack.marking,
            render_html(pack, note, own_marking=False),
        )

    def open_cases(self, token: str, fmt: CasesFormat | str = CasesFormat.CSV) -> OpenCasesExport:
        """The open cases alone, as CSV or (HTML for) a PDF; audited as an export."""
        actor = self.signin.authorize(token, Action.EXPORT_OPEN_CASES)
        chosen = fmt if isinstance(fmt, CasesFormat) else parse_cases_format(fmt)
        now = self.ctx.clock.now()
        marking = protective_marking(self.ctx)
        with self.ctx.db.write() as s:
            lines = _open_cases(s, None)
            self.ctx.audit.record(
                s,
                actor.username,
                "continuity.open_cases",
                "cases",
                format=chosen.value,
                open_cases=len(lines),
            )
        pack = ContinuityPack(
            heading=desk_heading(self.ctx),
            marking=marking,
            compiled_at=now,
            compiled_by=actor.username,
            accounts=(),
            statements=(),
            channel_shift=(),
            contacts=(),
            continuity_contacts=(),
            outages=(),
            open_cases=lines,
        )
        name = f"Open cases · {title(pack).split(' · ', 1)[1]}"
        if chosen is CasesFormat.CSV:
            text = render_open_cases_csv(lines, marking)
        else:
            text = _open_cases_html(pack, name)
        return OpenCasesExport(chosen, text, name, marking, lines)


def _open_cases_html(pack: ContinuityPack, name: str) -> str:
    """Only the pack's open-cases section, under its own title."""
    full = render_html(pack, own_marking=False)
    start = full.index("<h2>Open cases</h2>")
    head = full[: full.index("<h1>")]
    return f"{head}<h1>{name} · {pack.heading}</h1>{full[start:]}"


def _accounts(s: Session) -> tuple[PackAccount, ...]:
    rows = s.scalars(
        select(OfficialAccount).where(
            OfficialAccount.active.is_(True),
            OfficialAccount.purpose == Purpose.ENGAGEMENT.value,
        )
    )
    listed = sorted(
        (ListedAccount(r.platform, r.handle, r.display_name, r.area, r.link) for r in rows),
        key=sort_key,
    )
    return tuple(
        PackAccount(a.platform_name, a.handle, a.display_name, a.area, a.link) for a in listed
    )


def _statements(s: Session, force: str) -> tuple[HoldingStatement, ...]:
    """The newest approved version of each holding statement, by title."""
    rows = s.execute(
        select(Template, TemplateVersion)
        .join(TemplateVersion, TemplateVersion.template_id == Template.id)
        .where(
            Template.kind == TemplateKind.HOLDING_STATEMENT.value,
            TemplateVersion.status == TemplateStatus.APPROVED.value,
        )
        .order_by(Template.title, TemplateVersion.version.desc())
    )
    found: dict[int, HoldingStatement] = {}
    values = {"force": force}
    for t, v in rows:
        if t.id in found:
            continue
        found[t.id] = HoldingStatement(
            t.key,
            t.title,
            render(v.text_en, values).text,
            render(v.text_cy, values).text,
            v.version,
            v.approved_by or "",
        )
    return tuple(found.values())


def _contacts(s: Session) -> tuple[Contact, ...]:
    rows = s.scalars(
        select(EscalationTarget)
        .where(EscalationTarget.active.is_(True))
        .order_by(EscalationTarget.kind, EscalationTarget.area, EscalationTarget.name)
    )
    out = []
    for r in rows:
        try:
            kind = KIND_LABELS[TargetKind(r.kind)]
        except ValueError:
            kind = r.kind
        out.append(Contact(kind, r.name, r.area, r.phone, r.email, r.instructions))
    return tuple(out)


def _open_cases(s: Session, limit: int | None) -> tuple[OpenCaseLine, ...]:
    owner = aliased(Account)
    query = (
        select(Case, OfficialAccount.handle, Author.handle, owner.username)
        .join(OfficialAccount, OfficialAccount.id == Case.official_account_id)
        .join(Author, Author.id == Case.author_id)
        .outerjoin(owner, owner.id == Case.owner_id)
        .where(Case.status.in_(OPEN_STATUS_CODES))
        .order_by(Case.priority, Case.opened_at, Case.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return tuple(
        OpenCaseLine(
            case_id=c.id,
            received_at=c.opened_at,
            platform=PLATFORM_NAMES.get(c.platform, c.platform),
            account=account,
            author=author,
            risk=f"P{c.priority} · {risk_text(c.risk)}",
            grade=c.grade or ("needed" if c.needs_assessment else "—"),
            owner=who or "",
            status=c.status,
            due_at=c.due_at,
            excerpt=excerpt(c.summary),
        )
        for c, account, author, who in s.execute(query)
    )
