"""Escalation: who a case goes to, how urgently, and the hand-on document sent with it.

Pure domain: the target kinds, the urgencies and their deadlines (a desk setting), the
immediate-risk test, and the hand-on document as structured text or an unsent ``.eml`` draft
(built with the standard library's ``email`` package; nothing is ever sent from Desk).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime
from enum import StrEnum

from desk.core.errors import InvalidInput
from desk.core.marking import mark_eml


class TargetKind(StrEnum):
    """The kinds of people a case can be escalated to."""

    COMMAND = "command"
    COMMUNICATIONS = "communications"
    CALL_FOR_SERVICE = "call_for_service"
    INTELLIGENCE = "intelligence"
    PROFESSIONAL_STANDARDS = "professional_standards"
    NEIGHBOURHOOD = "neighbourhood"
    SAFEGUARDING = "safeguarding"
    INVESTIGATIONS = "investigations"


KIND_LABELS: dict[TargetKind, str] = {
    TargetKind.COMMAND: "Command (duty inspector / force incident manager)",
    TargetKind.COMMUNICATIONS: "Corporate communications",
    TargetKind.CALL_FOR_SERVICE: "Contact: call for service",
    TargetKind.INTELLIGENCE: "Intelligence submission",
    TargetKind.PROFESSIONAL_STANDARDS: "Professional standards",
    TargetKind.NEIGHBOURHOOD: "Neighbourhood team",
    TargetKind.SAFEGUARDING: "Safeguarding hub",
    TargetKind.INVESTIGATIONS: "Investigations team",
}


class Urgency(StrEnum):
    """How soon the target must acknowledge an escalation."""

    IMMEDIATE = "immediate"
    HOUR = "hour"
    TODAY = "today"


URGENCY_LABELS: dict[Urgency, str] = {
    Urgency.IMMEDIATE: "Immediate",
    Urgency.HOUR: "Within 1 hour",
    Urgency.TODAY: "Today",
}

DEFAULT_DEADLINES: dict[Urgency, timedelta] = {
    Urgency.IMMEDIATE: timedelta(minutes=15),
    Urgency.HOUR: timedelta(minutes=60),
    Urgency.TODAY: timedelta(hours=8),
}

# risk categories that make a case "immediate risk" whatever its grade
IMMEDIATE_CATEGORIES = frozenset({"threat_to_life", "crime_in_progress"})
IMMEDIATE_GRADE = "immediate"

ENGAGEMENT_NOTE = (
    "Desk is for engagement with the public, not for investigation: this content is referred "
    "to the investigations team, who take it from here."
)


def parse_kind(text: str) -> TargetKind:
    """Turn a typed kind (``call-for-service``) into a ``TargetKind``, or say which exist."""
    try:
        return TargetKind(text.strip().lower().replace("-", "_"))
    except ValueError:
        kinds = ", ".join(k.value for k in TargetKind)
        raise InvalidInput(f"Unknown escalation kind {text!r}: use one of {kinds}.") from None


def parse_urgency(text: str) -> Urgency:
    """Turn a typed urgency into an ``Urgency``, or say which exist."""
    try:
        return Urgency(text.strip().lower())
    except ValueError:
        names = ", ".join(u.value for u in Urgency)
        raise InvalidInput(f"Unknown urgency {text!r}: use one of {names}.") from None


_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|h|hr)s?\s*$", re.IGNORECASE)


def _minutes(target: timedelta) -> str:
    minutes = int(target.total_seconds() // 60)
    return f"{minutes // 60}h" if minutes % 60 == 0 and minutes >= 60 else f"{minutes}m"


def format_deadlines(deadlines: dict[Urgency, timedelta]) -> str:
    """Write deadlines the way the setting is typed: 'immediate=15m; hour=1h; today=8h'."""
    return "; ".join(f"{u.value}={_minutes(deadlines[u])}" for u in Urgency)


def parse_deadlines(text: str) -> dict[Urgency, timedelta]:
    """Read 'immediate=15m; hour=60m; today=8h' (every urgency, 1 minute to 24 hours)."""
    found: dict[Urgency, timedelta] = {}
    for part in (p for p in text.split(";") if p.strip()):
        name, sep, when = part.partition("=")
        match = _DURATION.match(when)
        if not sep or match is None:
            raise InvalidInput(
                f"{part.strip()!r} should look like 'immediate=15m' (an urgency, '=', then "
                "minutes m or hours h)."
            )
        urgency = parse_urgency(name)
        size = 60 if match.group(2).lower().startswith("h") else 1
        deadline = timedelta(minutes=int(match.group(1)) * size)
        if not timedelta(minutes=1) <= deadline <= timedelta(hours=24):
            raise InvalidInput(f"The {urgency.value} deadline must be 1 minute to 24 hours.")
        if urgency in found:
            raise InvalidInput(f"The {urgency.value} deadline is given twice.")
        found[urgency] = deadline
    missing = [u.value for u in Urgency if u not in found]
    if missing:
        raise InvalidInput(f"Give a deadline for every urgency: missing {', '.join(missing)}.")
    if not found[Urgency.IMMEDIATE] <= found[Urgency.HOUR] <= found[Urgency.TODAY]:
        raise InvalidInput("Deadlines must not shrink: immediate <= hour <= today.")
    return found


def deadline_for(
    urgency: Urgency, at: datetime, deadlines: dict[Urgency, timedelta] | None = None
) -> datetime:
    """Return when an escalation made at ``at`` must be acknowledged."""
    return at + (deadlines or DEFAULT_DEADLINES)[urgency]


def is_overdue(deadline_at: datetime, acknowledged_at: datetime | None, now: datetime) -> bool:
    """Tell whether an escalation is still unacknowledged after its deadline."""
    return acknowledged_at is None and now > deadline_at


def is_immediate_risk(grade: str | None, risk: tuple[str, ...] | list[str]) -> bool:
    """Tell whether a case is graded immediate or matched a threat-to-life or crime rule."""
    return grade == IMMEDIATE_GRADE or bool(IMMEDIATE_CATEGORIES.intersection(risk))


def split_risk(text: str) -> tuple[str, ...]:
    """Return the categories of a case's stored ``risk`` text (comma separated)."""
    return tuple(c for c in text.split(",") if c.strip())


@dataclass(frozen=True)
class HandOn:
    """Everything the hand-on document says about one escalation."""

    case_id: int
    target_name: str
    target_kind: TargetKind
    urgency: Urgency
    summary: str
    item_text: str
    link: str
    author: str
    platform: str
    account: str
    opened_at: datetime
    escalated_at: datetime
    deadline_at: datetime
    escalated_by: str
    desk_name: str = "Digital desk"
    risk: tuple[str, ...] = ()
    grade: str | None = None
    thrive: tuple[tuple[str, str], ...] = ()
    marking: str = ""  # the protective marking its .eml and PDF carry ('' for none)
    area: str = ""
    contact: str = ""
    instructions: str = ""
    note: str = ""


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def subject(doc: HandOn) -> str:
    """Return the hand-on document's subject line."""
    first = " ".join(doc.summary.split())[:80]
    return f"[{URGENCY_LABELS[doc.urgency]}] Escalation of case #{doc.case_id}: {first}"


def hand_on_text(doc: HandOn) -> str:
    """Return the hand-on document as structured text (clipboard, .eml body, PDF, record)."""
    risk = ", ".join(c.replace("_", " ") for c in doc.risk) or "none matched"
    lines = [
        f"ESCALATION · {doc.desk_name}",
        "",
        f"To:          {doc.target_name}" + (f" ({doc.area})" if doc.area else ""),
        f"Kind:        {KIND_LABELS[doc.target_kind]}",
        f"Urgency:     {URGENCY_LABELS[doc.urgency]} (acknowledge by {_when(doc.deadline_at)})",
        f"Case:        #{doc.case_id}",
        f"Summary:     {doc.summary}",
        "",
        f"Arrived:     {_when(doc.opened_at)}",
        f"Escalated:   {_when(doc.escalated_at)} by {doc.escalated_by}",
        f"Platform:    {doc.platform} (account {doc.account})",
        f"Author:      {doc.author}",
        f"Link:        {doc.link or 'none'}",
        f"Risk:        {risk}",
        f"Grade:       {doc.grade or 'not graded'}",
    ]
    if doc.thrive:
        lines += ["", "THRIVE:"]
        lines += [f"  {name}: {value}" for name, value in doc.thrive]
    lines += ["", "Item text:"]
    lines += [f"  {line}" for line in (doc.item_text.splitlines() or ["(no text)"])]
    if doc.note:
        lines += ["", doc.note]
    if doc.contact or doc.instructions:
        lines += ["", f"Contact:     {doc.contact}".rstrip()]
        if doc.instructions:
            lines.append(f"Instructions: {doc.instructions}")
    lines += [
        "",
        "Please acknowledge to the digital desk, giving your name and collar or staff number.",
    ]
    return "\n".join(lines) + "\n"


# a word joiner: invisible, and it keeps "=?" from starting an RFC 2047 encoded word
_JOINER = "\u2060"


def literal_header(text: str) -> str:
    """Return header text that mail programs show as typed, never decoding a part of it.

    An item's or an operator's words may hold ``=?utf-8?b?...?=``, an RFC 2047 encoded word:
    put in a header as it is, mail programs (and Python's own email package) would show what
    it decodes to, not what was written. An invisible word joiner after each ``=`` before a
    ``?`` breaks every such word; the header is then sent encoded, and reads as written.
    """
    return text.replace("=?", f"={_JOINER}?")


def build_eml(doc: HandOn, to: str, sender: str = "", body: str | None = None) -> EmailMessage:
    """Return an unsent draft addressed to the target: open it in a mail program to send."""
    # one header line each (RFC 5322 allows 998): folding a long subject would start it with
    # a space in some readers
    message = EmailMessage(policy=default_policy.clone(max_line_length=998))
    if to:
        message["To"] = to
    if sender:
        message["From"] = sender
    message["Subject"] = literal_header(subject(doc))
    message["Date"] = format_datetime(doc.escalated_at)
    message["X-Unsent"] = "1"  # mail programs open it as a draft to send
    message.set_content(body if body is not None else hand_on_text(doc))
    return mark_eml(message, doc.marking) if doc.marking else message
