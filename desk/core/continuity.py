"""The continuity pack: what the desk needs on paper when Desk or a platform is down.

One document, marked with the force's protective marking at its head and foot, each section
dated: the public list of official accounts, the approved holding statements, where to send
people instead (channel shift: 999, 101, online reporting...), the escalation and continuity
contacts, the outages now, and (for those allowed) the open cases. Also the open cases alone as
formula-safe CSV. Pure: the service gathers the rows, this module lays them out.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from desk.core.account_list import FORCE_WIDE_TEXT
from desk.core.csv_safety import write_csv
from desk.core.errors import InvalidInput
from desk.core.outages import Outage, outage_line
from desk.core.shifts import LOCAL
from desk.core.templates import case_reference

MAX_ENTRIES = 30
MAX_LABEL = 80
MAX_TEXT = 300
EXCERPT = 140  # characters of a case's summary on paper

DEFAULT_CHANNEL_SHIFT = (
    "Emergency (danger to life, crime in progress)=Call 999 now; "
    "Deaf, hard of hearing or speech-impaired, in an emergency=Text 999 (emergencySMS, "
    "registered first) or textphone 18000; "
    "Non-emergency=Call 101; "
    "Report a non-emergency online=The force website's online reporting; "
    "A complaint about the police=The force website's complaints page, or call 101"
)
"""Where to send people instead of the desk while it (or a platform) is down: UK defaults."""

OPEN_CASES_HEADER = (
    "Case",
    "Received (UK time)",
    "Platform",
    "Official account",
    "Author",
    "Risk",
    "THRIVE grade",
    "Owner",
    "Status",
    "Deadline (UK time)",
    "Excerpt",
)


@dataclass(frozen=True)
class Signpost:
    """One line of a list an administrator keeps: a label and what it says."""

    label: str
    text: str


def parse_signposts(text: str) -> list[Signpost]:
    """Read 'Label=what; Label=what' (or one per line); refuse a line without a label or text."""
    found: list[Signpost] = []
    for part in (p.strip() for p in text.replace("\n", ";").split(";")):
        if not part:
            continue
        label, sep, said = part.partition("=")
        label, said = " ".join(label.split()), " ".join(said.split())
        if not sep or not label or not said:
            raise InvalidInput(
                f"{part!r} should look like 'Non-emergency=Call 101' (a label, '=', then what "
                "it says); separate entries with ';'."
            )
        if len(label) > MAX_LABEL:
            raise InvalidInput(f"The label {label[:20]!r}… is over {MAX_LABEL} characters.")
        if len(said) > MAX_TEXT:
            raise InvalidInput(f"What {label!r} says is over {MAX_TEXT} characters.")
        found.append(Signpost(label, said))
    if len(found) > MAX_ENTRIES:
        raise InvalidInput(f"At most {MAX_ENTRIES} entries (there are {len(found)}).")
    return found


def format_signposts(entries: Sequence[Signpost]) -> str:
    """Write entries the way the setting is typed: 'Label=what; Label=what'."""
    return "; ".join(f"{e.label}={e.text}" for e in entries)


@dataclass(frozen=True)
class PackAccount:
    """An official account as the public list shows it."""

    platform: str  # as people write it
    handle: str
    display_name: str
    area: str  # '' = force-wide
    link: str


@dataclass(frozen=True)
class HoldingStatement:
    """An approved holding statement, ready to post by hand."""

    key: str
    title: str
    text_en: str
    text_cy: str
    version: int
    approved_by: str


@dataclass(frozen=True)
class Contact:
    """An escalation target's contact details."""

    kind: str  # as a sentence says it ("Safeguarding hub")
    name: str
    area: str
    phone: str
    email: str
    instructions: str


@dataclass(frozen=True)
class OpenCaseLine:
    """One open case, as it goes on paper."""

    case_id: int
    received_at: datetime
    platform: str
    account: str
    author: str
    risk: str
    grade: str
    owner: str
    status: str
    due_at: datetime
    excerpt: str

    def cells(self) -> tuple[str, ...]:
        """The line's cells, in :data:`OPEN_CASES_HEADER`'s order."""
        return (
            case_reference(self.case_id),
            local_text(self.received_at),
            self.platform,
            self.account,
            self.author,
            self.risk,
            self.grade,
            self.owner or "unclaimed",
            self.status,
            local_text(self.due_at),
            self.excerpt,
        )


@dataclass(frozen=True)
class ContinuityPack:
    """Everything the pack holds; ``open_cases`` is None when the person may not see them."""

    heading: str  # "Exampleshire Police · Digital desk"
    marking: str
    compiled_at: datetime
    compiled_by: str
    accounts: tuple[PackAccount, ...]
    statements: tuple[HoldingStatement, ...]
    channel_shift: tuple[Signpost, ...]
    contacts: tuple[Contact, ...]
    continuity_contacts: tuple[Signpost, ...]
    outages: tuple[Outage, ...]
    open_cases: tuple[OpenCaseLine, ...] | None


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The first ``limit`` characters of ``text`` on one line (an ellipsis when cut)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def local_text(moment: datetime) -> str:
    """A moment in UK local time: 'Thu 26 Nov 2026 09:05'."""
    return f"{moment.astimezone(LOCAL):%a %d %b %Y %H:%M}"


def risk_text(risk: str) -> str:
    """A case's stored risk categories as words ('threat to life, hate'), or 'none'."""
    parts = [c.strip().replace("_", " ") for c in risk.split(",") if c.strip()]
    return ", ".join(parts) or "none"


def render_open_cases_csv(lines: Sequence[OpenCaseLine], marking: str) -> str:
    """The open cases as CSV: marked first and last row, no cell read as a formula."""
    out = io.StringIO()
    write_csv(out, OPEN_CASES_HEADER, (line.cells() for line in lines), marking)
    return out.getvalue()


_CSS = """
body { font-size: 9.5pt; }
h1 { font-size: 15pt; margin-bottom: 2pt; }
h2 { font-size: 12pt; margin-top: 12pt; margin-bottom: 2pt; }
h3 { font-size: 10pt; margin-top: 6pt; margin-bottom: 1pt; }
p.marking { font-weight: bold; text-align: center; }
p.dated { color: #444; margin-top: 0; }
th { text-align: left; background: #e8e8e8; padding: 2pt 4pt; }
td { padding: 2pt 4pt; vertical-align: top; }
p.statement { margin-left: 10pt; }
table { margin-bottom: 8pt; }
table.cases td { font-size: 8.5pt; }
td.excerpt { font-style: italic; }
"""


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table border='1' cellspacing='0' width='100%'><tr>{head}</tr>{body}</table>"


def short_time(moment: datetime) -> str:
    """A moment in UK local time, short for a narrow column: 'Tue 24 Nov 16:20'."""
    return f"{moment.astimezone(LOCAL):%a %d %b %H:%M}"


def _cases_table(lines: Sequence[OpenCaseLine]) -> str:
    """Open cases on A4: one row of facts per case, its excerpt on a full-width row below."""
    e = html.escape
    header = (
        "Case", "Received", "Platform and account", "Author", "Risk", "THRIVE", "Owner",
        "Status", "Deadline",
    )  # fmt: skip
    head = "".join(f"<th>{e(h)}</th>" for h in header)
    rows = []
    for c in lines:
        facts = (
            case_reference(c.case_id),
            short_time(c.received_at),
            f"{c.platform}: {c.account}",
            c.author,
            c.risk,
            c.grade,
            c.owner or "unclaimed",
            c.status,
            short_time(c.due_at),
        )
        rows.append("<tr>" + "".join(f"<td>{e(f)}</td>" for f in facts) + "</tr>")
        rows.append(
            f"<tr><td></td><td colspan='{len(header) - 1}' class='excerpt'>{e(c.excerpt)}</td></tr>"
        )
    return (
        "<table class='cases' border='1' cellspacing='0' width='100%'>"
        f"<tr>{head}</tr>{''.join(rows)}</table>"
    )


def _accounts_table(accounts: Sequence[PackAccount]) -> str:
    """The public list: the Link column only when some account has its web address recorded.

    A column empty on every row (no links in the register) only narrows the others on paper.
    """
    header: tuple[str, ...] = ("Platform", "Account", "Name", "Area")
    rows: list[tuple[str, ...]] = [
        (a.platform, a.handle, a.display_name, a.area or FORCE_WIDE_TEXT) for a in accounts
    ]
    if any(a.link for a in accounts):
        header += ("Link",)
        rows = [(*row, a.link) for row, a in zip(rows, accounts, strict=True)]
    return _table(header, rows)


def render_html(pack: ContinuityPack, open_cases_note: str = "", own_marking: bool = True) -> str:
    """The pack as simple HTML (for QTextDocument: the window, the PDF and printing).

    ``own_marking``: the protective marking as the document's first and last line, for the
    window and printing; a PDF writer that marks the head and foot of every page (desk.render)
    takes it without, or page 1 would say it twice.
    """
    e = html.escape
    dated = f"As at {local_text(pack.compiled_at)} (UK time)."
    marking = f"<p class='marking'>{e(pack.marking)}</p>" if own_marking else ""
    parts = [
        f"<html><head><style>{_CSS}</style></head><body>",
        marking,
        f"<h1>Continuity pack · {e(pack.heading)}</h1>",
        f"<p>Compiled {e(local_text(pack.compiled_at))} (UK time) by {e(pack.compiled_by)}, "
        "for working on paper while Desk or a platform is unavailable. Destroy it once Desk "
        "is back and what was done on paper is recorded.</p>",
    ]

    parts.append("<h2>Outages now</h2>")
    parts.append(f"<p class='dated'>{e(dated)}</p>")
    if pack.outages:
        parts.append(
            "<ul>"
            + "".join(f"<li>{e(outage_line(o, pack.compiled_at))}</li>" for o in pack.outages)
            + "</ul>"
        )
    else:
        parts.append("<p>No outage recorded as ongoing.</p>")

    parts.append("<h2>Where to send people instead (channel shift)</h2>")
    parts.append(f"<p class='dated'>{e(dated)}</p>")
    if pack.channel_shift:
        parts.append(
            _table(("For", "Send them to"), [(s.label, s.text) for s in pack.channel_shift])
        )
    else:
        parts.append("<p>None set: an administrator sets the channel_shift setting.</p>")

    parts.append("<h2>Escalation and continuity contacts</h2>")
    parts.append(f"<p class='dated'>{e(dated)}</p>")
    if pack.continuity_contacts:
        parts.append("<h3>When Desk is down</h3>")
        parts.append(_table(("Who", "How"), [(s.label, s.text) for s in pack.continuity_contacts]))
    parts.append("<h3>Escalation targets</h3>")
    if pack.contacts:
        parts.append(
            _table(
                ("Kind", "Name", "Area", "Phone", "Email", "Instructions"),
                [
                    (c.kind, c.name, c.area or "all", c.phone, c.email, c.instructions)
                    for c in pack.contacts
                ],
            )
        )
    else:
        parts.append("<p>None recorded: an administrator adds escalation targets.</p>")

    parts.append("<h2>Holding statements</h2>")
    parts.append(f"<p class='dated'>{e(dated)} Approved versions only.</p>")
    if pack.statements:
        for st in pack.statements:
            parts.append(
                f"<h3>{e(st.title)} (version {st.version}, approved by {e(st.approved_by)})</h3>"
            )
            parts.append(f"<p class='statement'>{e(st.text_en)}</p>")
            if st.text_cy.strip():
                parts.append(f"<p class='statement' lang='cy'><i>{e(st.text_cy)}</i></p>")
    else:
        parts.append(
            "<p>None approved: communications add templates of the kind holding_statement.</p>"
        )

    parts.append("<h2>Official accounts (the public list)</h2>")
    parts.append(f"<p class='dated'>{e(dated)}</p>")
    if pack.accounts:
        parts.append(_accounts_table(pack.accounts))
    else:
        parts.append("<p>No open public-engagement account is registered.</p>")

    parts.append("<h2>Open cases</h2>")
    parts.append(f"<p class='dated'>{e(dated)}</p>")
    if pack.open_cases is None:
        parts.append(f"<p>{e(open_cases_note or 'Not included.')}</p>")
    elif not pack.open_cases:
        parts.append("<p>No case is open.</p>")
    else:
        parts.append(f"<p>{len(pack.open_cases)} open, most urgent first.</p>")
        parts.append(_cases_table(pack.open_cases))

    parts.append(marking)
    parts.append("</body></html>")
    return "".join(parts)


def title(pack: ContinuityPack) -> str:
    """The pack's title: 'Continuity pack · Thu 26 Nov 2026 09:05'."""
    return f"Continuity pack · {local_text(pack.compiled_at)}"
