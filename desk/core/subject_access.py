"""Subject access requests: regimes, due dates, restrictions, outcomes, third-party passages.

The time limit is one calendar month from the day a request is received (UK GDPR Art. 12(3);
DPA 2018 s.54 for Part 3 law-enforcement processing): due on the same date of the next month,
or that month's last day when it has no such date (ICO guidance). An extension adds whole
months (at most two) and must be recorded with the notice given to the requester. While the
desk waits for clarification the clock stops: the days paused are added to the due date.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from desk.core.errors import InvalidInput
from desk.core.shifts import LOCAL

MAX_EXTENSION_MONTHS = 2
DUE_SOON_DAYS = 7
REDACTED = "[redacted: third party]"


class Regime(StrEnum):
    """The law the request is made under."""

    UK_GDPR = "uk_gdpr"
    LAW_ENFORCEMENT = "part3"  # Part 3 of the DPA 2018: law-enforcement processing

    def label(self) -> str:
        """A readable name."""
        return "UK GDPR" if self is Regime.UK_GDPR else "DPA 2018 Part 3 (law enforcement)"


class Ground(StrEnum):
    """Why some or all of the data is withheld (a restriction's ground)."""

    NEITHER_CONFIRM_NOR_DENY = "ncnd"  # DPA 2018 s.45(5)
    PREJUDICE_INVESTIGATION = "investigation"  # s.45(4)(a)-(b)
    PUBLIC_SECURITY = "public_security"  # s.45(4)(c)
    NATIONAL_SECURITY = "national_security"  # s.45(4)(d)
    RIGHTS_OF_OTHERS = "rights_of_others"  # s.45(4)(e); UK GDPR Art. 15(4)
    CRIME_AND_TAXATION = "crime"  # DPA 2018 Sch. 2 para. 2 (UK GDPR)
    MANIFESTLY_UNFOUNDED = "manifestly_unfounded"  # Art. 12(5) / s.53


class Outcome(StrEnum):
    """How a request ended."""

    DISCLOSED = "disclosed"
    DISCLOSED_IN_PART = "disclosed_in_part"
    WITHHELD = "withheld"
    NEITHER_CONFIRM_NOR_DENY = "ncnd"
    NO_DATA = "no_data"
    WITHDRAWN = "withdrawn"
    REFUSED = "refused"


def _parse(enum: type[StrEnum], text: str, what: str) -> StrEnum:
    try:
        return enum(text.strip().lower())
    except ValueError:
        names = ", ".join(e.value for e in enum)
        raise InvalidInput(f"Unknown {what} {text!r}: use one of {names}.") from None


def parse_regime(text: str) -> Regime:
    """Turn a typed regime into a ``Regime``, or say which exist."""
    return Regime(_parse(Regime, text, "regime"))


def parse_ground(text: str) -> Ground:
    """Turn a typed ground into a ``Ground``, or say which exist."""
    return Ground(_parse(Ground, text, "restriction ground"))


def parse_outcome(text: str) -> Outcome:
    """Turn a typed outcome into an ``Outcome``, or say which exist."""
    return Outcome(_parse(Outcome, text, "outcome"))


def add_months(day: date, months: int) -> date:
    """The same date ``months`` later, or that month's last day when it has no such date."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def local_day(moment: datetime) -> date:
    """The UK calendar day of an aware moment."""
    return moment.astimezone(LOCAL).date()


def due_date(
    received: date,
    extension_months: int = 0,
    paused_days: int = 0,
    paused_since: date | None = None,
    today: date | None = None,
) -> date:
    """The day a response is due: one month, plus any extension and days paused.

    While still paused (``paused_since`` set), the days from then to ``today`` count too.
    """
    due = add_months(received, 1 + extension_months) + timedelta(days=paused_days)
    if paused_since is not None and today is not None and today > paused_since:
        due += timedelta(days=(today - paused_since).days)
    return due


def check_extension(current_months: int, more: int) -> None:
    """Refuse an extension that is not whole months or goes past the two-month limit."""
    if more < 1:
        raise InvalidInput("An extension is at least one month.")
    if current_months + more > MAX_EXTENSION_MONTHS:
        raise InvalidInput(
            f"A request can be extended by at most {MAX_EXTENSION_MONTHS} months in all "
            f"(it already has {current_months})."
        )


class DueState(StrEnum):
    """Where a request stands against its due date."""

    CLOSED = "closed"
    PAUSED = "paused"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TIME = "on_time"


def due_state(due: date, today: date, closed: bool, paused: bool) -> DueState:
    """Closed, paused, overdue (past due), due within a week, or on time."""
    if closed:
        return DueState.CLOSED
    if paused:
        return DueState.PAUSED
    if today > due:
        return DueState.OVERDUE
    if (due - today).days <= DUE_SOON_DAYS:
        return DueState.DUE_SOON
    return DueState.ON_TIME


# --- third parties in an author's words -----------------------------------------------------------

_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{2,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+44\s?|0)\d(?:[\s-]?\d){8,9}(?!\d)")


@dataclass(frozen=True)
class Passage:
    """A span of text that may name someone other than the subject."""

    start: int
    end: int
    text: str
    why: str


def third_party_passages(
    text: str, own_names: Iterable[str], other_names: Iterable[str]
) -> list[Passage]:
    """Spans of ``text`` that may identify others: mentions, emails, phones, known names."""
    own = {n.strip().lower().lstrip("@") for n in own_names if n.strip()}
    found: dict[tuple[int, int], Passage] = {}
    for m in _MENTION.finditer(text):
        if m.group().lstrip("@").lower().rstrip(".") not in own:
            found[m.span()] = Passage(m.start(), m.end(), m.group(), "mention")
    for m in _EMAIL.finditer(text):
        found[m.span()] = Passage(m.start(), m.end(), m.group(), "email address")
    for m in _PHONE.finditer(text):
        found[m.span()] = Passage(m.start(), m.end(), m.group(), "phone number")
    lowered = text.lower()
    for name in {n.strip() for n in other_names if len(n.strip()) >= 3}:
        if name.lower().lstrip("@") in own:
            continue
        for m in re.finditer(r"(?<!\w)" + re.escape(name.lower()) + r"(?!\w)", lowered):
            found.setdefault(
                m.span(), Passage(m.start(), m.end(), text[m.start() : m.end()], "name")
            )
    spans = sorted(found.values(), key=lambda p: (p.start, -p.end))
    kept: list[Passage] = []
    for p in spans:  # drop spans inside one already kept
        if kept and p.start < kept[-1].end:
            continue
        kept.append(p)
    return kept


def apply_redactions(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Replace each span of ``text`` with the third-party marker (overlaps merged)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        start, end = max(0, start), min(len(text), end)
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(text[pos:start])
        out.append(REDACTED)
        pos = end
    out.append(text[pos:])
    return "".join(out)


@dataclass(frozen=True)
class Redaction:
    """A reviewer's decision: withhold a whole record (``span`` None) or a span of its text."""

    kind: str  # item, reply, note
    id: int
    span: tuple[int, int] | None = None

    def spec(self) -> str:
        """The text form: ``item:12`` or ``item:12:5-20``."""
        base = f"{self.kind}:{self.id}"
        return base if self.span is None else f"{base}:{self.span[0]}-{self.span[1]}"


REDACTABLE = ("item", "reply", "note")


def parse_redaction(text: str) -> Redaction:
    """Read ``item:12`` (the whole text) or ``item:12:5-20`` (characters 5 to 20)."""
    m = re.fullmatch(r"\s*(\w+):(\d+)(?::(\d+)-(\d+))?\s*", text)
    if not m or m.group(1) not in REDACTABLE:
        raise InvalidInput(
            f"Cannot read the redaction {text!r}: write KIND:ID or KIND:ID:START-END, KIND "
            f"one of {', '.join(REDACTABLE)} (e.g. item:12 or item:12:5-20)."
        )
    if m.group(3) is None:
        return Redaction(m.group(1), int(m.group(2)))
    start, end = int(m.group(3)), int(m.group(4))
    if end <= start:
        raise InvalidInput(f"The redaction {text!r} ends before it starts.")
    return Redaction(m.group(1), int(m.group(2)), (start, end))


# --- the readable export --------------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _rows(pairs: Iterable[tuple[str, object]]) -> str:
    cells = "".join(f"<tr><th align='left'>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in pairs)
    return f"<table cellpadding='3'>{cells}</table>"


def _para(text: object) -> str:
    return "<p>" + _e(text).replace("\n", "<br>") + "</p>"


def render_export_html(data: dict[str, Any], title: str) -> str:
    """The subject access export as readable HTML (the PDF writer marks every page)."""
    a = data["author"]
    parts = [
        f"<h1>{_e(title)}</h1>",
        _rows(
            [
                ("From", data.get("from")),
                ("Request", data.get("request") or "—"),
                ("Generated", data.get("generated_at")),
                ("Generated by", data.get("generated_by")),
                ("Redactions", len(data.get("redactions", []))),
            ]
        ),
        "<h2>The person</h2>",
        _rows(
            [
                ("Platform", a["platform"]),
                ("Handle", a["handle"]),
                ("Name shown", a["display_name"]),
                ("Platform user id", a["platform_user_id"]),
                ("First seen", a["first_seen_at"]),
            ]
        ),
        f"<h2>Messages ({len(data['items'])})</h2>",
    ]
    for i in data["items"]:
        parts.append(
            f"<h3>Item {i['id']} · {_e(i['kind'])} · {_e(i['posted_at'])}</h3>"
            + (f"<p><i>{_e(i['thread_title'])}</i></p>" if i.get("thread_title") else "")
            + _para(i["text"])
        )
    parts.append(f"<h2>Cases ({len(data['cases'])})</h2>")
    for c in data["cases"]:
        parts.append(f"<h3>Case {c['id']}: {_e(c['summary'])}</h3>")
        parts.append(
            _rows(
                [
                    ("Status", c["status"]),
                    ("Opened", c["opened_at"]),
                    ("Closed", c["closed_at"] or "—"),
                    ("Outcome", c["outcome"] or "—"),
                    ("Grade", c["grade"] or "—"),
                ]
            )
        )
        if c["timeline"]:
            parts.append("<h4>Timeline</h4><ul>")
            parts += [
                f"<li>{_e(e['at'])} {_e(e['actor'])} ({_e(e['kind'])}): "
                f"{_e(e['text']).replace(chr(10), '<br>')}</li>"
                for e in c["timeline"]
            ]
            parts.append("</ul>")
        for t in c["thrive"]:
            parts.append(
                f"<h4>THRIVE version {t['version']} ({_e(t['at'])}, {_e(t['actor'])})</h4>"
            )
            parts.append(
                _rows(
                    [
                        (k.title(), t[k])
                        for k in (
                            "threat",
                            "harm",
                            "risk",
                            "investigation",
                            "vulnerability",
                            "engagement",
                            "grade",
                        )
                    ]
                )
            )
        for x in c["escalations"]:
            parts.append(
                f"<h4>Escalation {x['id']} to {_e(x['kind'])} ({_e(x['urgency'])})</h4>"
                + _para(x["summary"])
            )
    parts.append(f"<h2>Replies ({len(data['replies'])})</h2>")
    for p in data["replies"]:
        kind = "private" if p["private"] else "public"
        parts.append(f"<h3>Reply {p['id']} ({kind}, {_e(p['status'])})</h3>" + _para(p["text"]))
    parts.append(f"<h2>Moderation ({len(data['moderation'])})</h2><ul>")
    parts += [
        f"<li>{_e(m['at'])} {_e(m['action'])} under {_e(m['guideline'])}: "
        f"{_e(m['explanation'])}</li>"
        for m in data["moderation"]
    ]
    parts.append(f"</ul><h2>Audit entries naming them ({len(data['audit'])})</h2><ul>")
    parts += [
        f"<li>#{e['seq']} {_e(e['at'])} {_e(e['actor'])} {_e(e['action'])} {_e(e['object'])}</li>"
        for e in data["audit"]
    ]
    parts.append("</ul>")
    return "\n".join(parts)
