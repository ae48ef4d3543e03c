"""The shift handover report: plain data, its JSON form, and plain-text and HTML renderings.

A handover describes its shift as of the shift's end (``as_of``): what was open then and what
happened during it, not the desk as it is when someone reads it. The services compile a report;
a signed-off report is stored as the JSON made here, exactly as signed, and read back with
``report_from_json``. A shift still running is signed off only with a reason (``early_reason``).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from desk.core.erasure import REDACTED_AFTER_SIGNING
from desk.core.errors import InvalidInput
from desk.core.glyphs import spell_missing
from desk.core.outages import outage_from_dict, outage_line
from desk.core.shifts import LOCAL, Shift

FORMAT = 2  # 2: as_of and early_reason (a format 1 report described the desk when compiled)
PRIORITIES = (1, 2, 3, 4)
MAX_EARLY_REASON = 300


class CoverageReason(StrEnum):
    """Why the desk was not monitored for a while."""

    NO_ONE_ON_SHIFT = "no_one_on_shift"
    PLATFORM_OUTAGE = "platform_outage"
    SYSTEM_OUTAGE = "system_outage"


COVERAGE_LABELS = {
    CoverageReason.NO_ONE_ON_SHIFT: "No one on shift",
    CoverageReason.PLATFORM_OUTAGE: "Platform outage",
    CoverageReason.SYSTEM_OUTAGE: "System outage",
}


@dataclass(frozen=True)
class OpenCase:
    """One of the oldest open cases of a priority."""

    case_id: int
    summary: str
    status: str
    opened_at: datetime
    owner: str | None


@dataclass(frozen=True)
class PriorityGroup:
    """The open cases of one priority: how many, and the oldest few."""

    priority: int
    count: int
    oldest: list[OpenCase]

    @property
    def more(self) -> int:
        """How many open cases of this priority are counted but not listed."""
        return max(0, self.count - len(self.oldest))


@dataclass(frozen=True)
class WaitingEscalation:
    """An escalation still waiting for its acknowledgement."""

    escalation_id: int
    case_id: int
    target: str
    urgency: str
    summary: str
    created_at: datetime
    deadline_at: datetime
    overdue: bool


@dataclass(frozen=True)
class MissedTarget:
    """A case whose response target fell in the shift and was not met."""

    case_id: int
    priority: int
    summary: str
    due_at: datetime
    first_action_at: datetime | None


@dataclass(frozen=True)
class SurgeWindow:
    """A stretch of the shift when arrivals passed the surge rule on a platform (or 'all')."""

    platform: str
    start: datetime
    end: datetime
    arrivals: int
    baseline: float
    multiple: float


def _against_usual(surge: SurgeWindow) -> str:
    """'4.2x the usual 12', or 'usually fewer than one' when there was next to no baseline."""
    if surge.baseline < 1:
        return "usually fewer than one in that time"
    return f"{surge.multiple}x the usual {surge.baseline:.0f}"


@dataclass(frozen=True)
class NotableCase:
    """A case an operator flagged for the handover."""

    case_id: int
    priority: int
    status: str
    summary: str
    reason: str


@dataclass(frozen=True)
class CoverageGap:
    """A period the desk was not monitored, overlapping the shift."""

    starts_at: datetime
    ends_at: datetime
    reason: str
    platform: str | None
    risk_accepted: str
    recorded_by: str


@dataclass(frozen=True)
class SigninEvent:
    """A sign-in event worth a look: a failure, a lock-out or an alert."""

    at: datetime
    kind: str  # failure, lock, alert
    account: str
    detail: str


@dataclass(frozen=True)
class HandoverNoteEntry:
    """A note from an outgoing operator."""

    at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class Signature:
    """Who signed the handover off, when, and the audit entry it is anchored to."""

    signed_by: str
    signed_at: datetime
    audit_seq: int
    audit_hash: str


@dataclass(frozen=True)
class HandoverReport:
    """Everything the incoming shift needs to know about the outgoing one."""

    shift_start: datetime
    shift_end: datetime
    compiled_at: datetime
    desk_name: str
    open_cases: list[PriorityGroup]
    escalations_waiting: int
    escalations: list[WaitingEscalation]
    targets_missed: int
    missed: list[MissedTarget]
    surges: list[SurgeWindow]
    moderation: dict[str, int]
    notable: list[NotableCase]
    coverage: list[CoverageGap]
    signin_counts: dict[str, int]
    signin: list[SigninEvent]
    notes: list[HandoverNoteEntry]
    signature: Signature | None = None
    format: int = FORMAT
    extra: dict[str, Any] = field(default_factory=dict)
    as_of: datetime | None = None  # the moment described: the shift's end, or earlier if running
    early_reason: str = ""  # why it was signed off before the shift ended ('' when it was not)

    @property
    def shift(self) -> Shift:
        """The shift this report is about."""
        return Shift(self.shift_start, self.shift_end)

    @property
    def described_at(self) -> datetime:
        """The moment the report describes (a format 1 report: when it was compiled)."""
        if self.as_of is not None:
            return self.as_of
        return min(self.shift_end, self.compiled_at)

    @property
    def running(self) -> bool:
        """Tell whether the report describes its shift before the shift's end (so far)."""
        return self.described_at < self.shift_end

    @property
    def open_total(self) -> int:
        """Open cases of every priority."""
        return sum(g.count for g in self.open_cases)

    @property
    def overdue_escalations(self) -> int:
        """Waiting escalations past their deadline (among those listed)."""
        return sum(1 for e in self.escalations if e.overdue)


# JSON ---------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def report_to_dict(report: HandoverReport) -> dict[str, Any]:
    """Return the report as JSON-ready data (times as ISO 8601 UTC with a Z)."""
    data: dict[str, Any] = _encode(asdict(report))
    return data


def report_to_json(report: HandoverReport) -> str:
    """Return the report as canonical JSON (sorted keys): what a sign-off stores."""
    return json.dumps(report_to_dict(report), sort_keys=True, ensure_ascii=False)


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _maybe_time(text: str | None) -> datetime | None:
    return None if text is None else _time(text)


def report_from_dict(d: dict[str, Any]) -> HandoverReport:
    """Rebuild a report from ``report_to_dict``'s data."""
    sig = d.get("signature")
    return HandoverReport(
        shift_start=_time(d["shift_start"]),
        shift_end=_time(d["shift_end"]),
        compiled_at=_time(d["compiled_at"]),
        desk_name=d["desk_name"],
        open_cases=[
            PriorityGroup(
                g["priority"],
                g["count"],
                [
                    OpenCase(
                        c["case_id"], c["summary"], c["status"], _time(c["opened_at"]), c["owner"]
                    )
                    for c in g["oldest"]
                ],
            )
            for g in d["open_cases"]
        ],
        escalations_waiting=d["escalations_waiting"],
        escalations=[
            WaitingEscalation(
                e["escalation_id"],
                e["case_id"],
                e["target"],
                e["urgency"],
                e["summary"],
                _time(e["created_at"]),
                _time(e["deadline_at"]),
                e["overdue"],
            )
            for e in d["escalations"]
        ],
        targets_missed=d["targets_missed"],
        missed=[
            MissedTarget(
                m["case_id"],
                m["priority"],
                m["summary"],
                _time(m["due_at"]),
                _maybe_time(m["first_action_at"]),
            )
            for m in d["missed"]
        ],
        surges=[
            SurgeWindow(
                s["platform"],
                _time(s["start"]),
                _time(s["end"]),
                s["arrivals"],
                s["baseline"],
                s["multiple"],
            )
            for s in d["surges"]
        ],
        moderation=dict(d["moderation"]),
        notable=[
            NotableCase(n["case_id"], n["priority"], n["status"], n["summary"], n["reason"])
            for n in d["notable"]
        ],
        coverage=[
            CoverageGap(
                _time(c["starts_at"]),
                _time(c["ends_at"]),
                c["reason"],
                c["platform"],
                c["risk_accepted"],
                c["recorded_by"],
            )
            for c in d["coverage"]
        ],
        signin_counts=dict(d["signin_counts"]),
        signin=[
            SigninEvent(_time(e["at"]), e["kind"], e["account"], e["detail"]) for e in d["signin"]
        ],
        notes=[HandoverNoteEntry(_time(n["at"]), n["author"], n["text"]) for n in d["notes"]],
        signature=(
            Signature(
                sig["signed_by"], _time(sig["signed_at"]), sig["audit_seq"], sig["audit_hash"]
            )
            if sig
            else None
        ),
        format=d.get("format", 1),
        extra=dict(d.get("extra", {})),
        as_of=_maybe_time(d.get("as_of")),
        early_reason=str(d.get("early_reason", "")),
    )


def report_from_json(text: str) -> HandoverReport:
    """Rebuild a report from its JSON."""
    data: dict[str, Any] = json.loads(text)
    return report_from_dict(data)


# renderings ---------------------------------------------------------------------------------


def local(moment: datetime | None) -> str:
    """Return a time in UK local time for people: ``Tue 24 Nov 22:41``."""
    if moment is None:
        return "never"
    t = moment.astimezone(LOCAL)
    return f"{t:%a} {t.day} {t:%b %H:%M}"


def age(since: datetime, now: datetime) -> str:
    """Return how long ago ``since`` was at ``now``: ``3h 05m`` or ``2d 4h``."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h"


def _label(reason: str) -> str:
    try:
        return COVERAGE_LABELS[CoverageReason(reason)]
    except ValueError:
        return reason


@dataclass(frozen=True)
class Section:
    """One titled part of the report: a summary line and detail lines."""

    key: str
    title: str
    summary: str
    lines: list[str]


def _count(n: int, noun: str) -> str:
    if n == 0:
        return "none"
    if noun in ("missed", "flagged"):
        return f"{n} {noun}"
    return f"{n} {noun}{'' if n == 1 else 's'}"


def clock(moment: datetime) -> str:
    """Return a time of day in UK local time: ``07:00``."""
    return f"{moment.astimezone(LOCAL):%H:%M}"


def describes_until(shift: Shift, now: datetime) -> datetime:
    """Return the moment a handover compiled at ``now`` describes: the shift's end, or now."""
    return min(shift.end, now)


def early_sign_off_reason(shift: Shift, now: datetime, reason: str) -> str:
    """Return the reason to record for signing ``shift`` off at ``now`` ('' once it has ended).

    A shift still running is signed off only with a reason saying why it is signed off early.
    """
    text = " ".join(reason.split())
    if now >= shift.end:
        return ""
    if not text:
        raise InvalidInput(
            f"The shift {shift.label()} is still running (it ends at {clock(shift.end)}): sign "
            "its handover off after it ends, or say why you are signing it off early."
        )
    if len(text) > MAX_EARLY_REASON:
        raise InvalidInput(
            f"The reason for signing off early can be at most {MAX_EARLY_REASON} characters "
            f"(this has {len(text)})."
        )
    return text


def as_of_line(report: HandoverReport) -> str:
    """Say which moment the report describes: the shift's end, or so far in a running shift."""
    if report.running:
        return f"the shift so far, at {local(report.described_at)} (the shift is still running)"
    return f"the desk at the shift's end, {local(report.described_at)}"


def sections(report: HandoverReport) -> list[Section]:
    """Return the report's sections in reading order (the GUI, text and HTML all use these)."""
    now = report.described_at
    at = clock(now)
    counts = " · ".join(f"P{g.priority} {g.count}" for g in report.open_cases)
    open_lines = []
    for g in report.open_cases:
        for c in g.oldest:
            owner = c.owner or "unowned"
            open_lines.append(
                f"P{g.priority} #{c.case_id} · {age(c.opened_at, now)} old · {owner} · "
                f"{c.status} · {c.summary}"
            )
        if g.more:
            open_lines.append(
                f"P{g.priority}: and {g.more} more open (the oldest {len(g.oldest)} are listed)"
            )
    esc_lines = [
        f"#{e.case_id} → {e.target} ({e.urgency}) sent {local(e.created_at)}, due "
        f"{local(e.deadline_at)}{' · OVERDUE' if e.overdue else ''} · {e.summary}"
        for e in report.escalations
    ]
    overdue = report.overdue_escalations
    esc_summary = f"{report.escalations_waiting} awaiting acknowledgement at {at}" + (
        f", {overdue} overdue" if overdue else ""
    )
    if report.escalations_waiting > len(report.escalations):
        esc_lines.append(
            f"and {report.escalations_waiting - len(report.escalations)} more "
            f"(the first {len(report.escalations)} by deadline are listed)"
        )
    missed_lines = [
        f"P{m.priority} #{m.case_id} due {local(m.due_at)} · first action "
        f"{local(m.first_action_at) if m.first_action_at else 'none by ' + at} · {m.summary}"
        for m in report.missed
    ]
    if report.targets_missed > len(report.missed):
        missed_lines.append(
            f"and {report.targets_missed - len(report.missed)} more "
            f"(the first {len(report.missed)} are listed)"
        )
    surge_lines = [
        f"{s.start.astimezone(LOCAL):%H:%M}–{s.end.astimezone(LOCAL):%H:%M} {s.platform}: "
        f"{s.arrivals} arrivals ({_against_usual(s)})"
        for s in report.surges
    ]
    moderation = " · ".join(f"{k} {v}" for k, v in sorted(report.moderation.items()))
    notable_lines = [
        f"#{n.case_id} (P{n.priority}, {n.status}): {n.reason} · {n.summary}"
        for n in report.notable
    ]
    coverage_lines = [
        f"{local(c.starts_at)} – {local(c.ends_at)} · {_label(c.reason)}"
        f"{' (' + c.platform + ')' if c.platform else ''} · risk accepted: {c.risk_accepted} "
        f"· recorded by {c.recorded_by}"
        for c in report.coverage
    ]
    signin_summary = (
        " · ".join(f"{k} {v}" for k, v in sorted(report.signin_counts.items())) or "nothing"
    )
    signin_lines = [
        f"{local(e.at)} {e.kind} · {e.account}{' · ' + e.detail if e.detail else ''}"
        for e in report.signin
    ]
    note_lines = [f"{local(n.at)} {n.author}: {n.text}" for n in report.notes]
    return [
        Section("open", "Open cases", f"{report.open_total} open at {at} · {counts}", open_lines),
        Section("escalations", "Escalations awaiting acknowledgement", esc_summary, esc_lines),
        Section(
            "missed",
            "Response targets missed",
            _count(report.targets_missed, "missed"),
            missed_lines,
        ),
        Section("surges", "Surges", _count(len(report.surges), "surge"), surge_lines),
        Section("moderation", "Moderation actions", moderation or "none", []),
        Section("notable", "Notable cases", _count(len(report.notable), "flagged"), notable_lines),
        Section(
            "coverage", "Coverage gaps", _count(len(report.coverage), "period"), coverage_lines
        ),
        *_outage_sections(report),
        Section("signin", "Sign-in activity", signin_summary, signin_lines),
        Section("notes", "Notes from outgoing", _count(len(report.notes), "note"), note_lines),
    ]


OUTAGES = "outages"  # report.extra: the outages during the shift (issue 16), as plain data


def _outage_sections(report: HandoverReport) -> list[Section]:
    """Outages during the shift, with what was done (none for a report from before the log)."""
    if OUTAGES not in report.extra:
        return []
    outages = [outage_from_dict(d) for d in report.extra[OUTAGES]]
    lines = [outage_line(o, report.described_at) for o in outages]
    ongoing = sum(1 for o in outages if o.ongoing)
    summary = _count(len(outages), "outage") + (f" · {ongoing} ongoing" if ongoing else "")
    return [Section("outages", "Outages", summary, lines)]


def title(report: HandoverReport) -> str:
    """Return the report's title: ``Handover · 15:00–23:00 Tue 24 Nov 2026``."""
    return f"Handover · {report.shift.label()}"


def signature_line(sig: Signature) -> str:
    """Return ``Signed off by X at T, audit entry #N``."""
    return f"Signed off by {sig.signed_by} at {local(sig.signed_at)}, audit entry #{sig.audit_seq}"


def early_line(report: HandoverReport) -> str:
    """Say why the handover was signed off before its shift ended ('' when it was not)."""
    if not report.early_reason:
        return ""
    return f"Signed off before the shift ended, because: {report.early_reason}"


def redaction_lines(report: HandoverReport) -> list[str]:
    """Say when an erasure redacted the report after it was signed (none: [])."""
    lines = []
    for mark in report.extra.get(REDACTED_AFTER_SIGNING) or []:
        when = local(_maybe_time(mark.get("at")))
        lines.append(
            f"Redacted after signing: {mark.get('replaced', 0)} passage(s) naming or written by "
            f"an erased person replaced on {when} by {mark.get('by', '?')} (the signature "
            "covers the report as signed; the audit keeps both digests)"
        )
    return lines


def closing_lines(report: HandoverReport) -> list[str]:
    """The signature (or 'Not signed off yet.'), when signed early why, and any redaction."""
    lines = [signature_line(report.signature) if report.signature else "Not signed off yet."]
    if report.early_reason:
        lines.append(early_line(report))
    lines.extend(redaction_lines(report))
    return lines


def render_text(report: HandoverReport) -> str:
    """Return the report as plain text (the command line prints it)."""
    out = [
        f"{title(report)} · {report.desk_name} · compiled {local(report.compiled_at)}",
        f"Describes {as_of_line(report)}.",
    ]
    for sec in sections(report):
        out.append("")
        out.append(f"{sec.title}: {sec.summary}")
        out.extend(f"  {line}" for line in sec.lines)
    out.append("")
    out.extend(closing_lines(report))
    return "\n".join(out) + "\n"


_CSS = """
body { font-size: 10pt; }
h1 { font-size: 15pt; margin-bottom: 2pt; }
h2 { font-size: 11.5pt; margin-top: 10pt; margin-bottom: 2pt; }
p.meta { color: #555; }
p.summary { font-weight: bold; }
td { padding: 1pt 8pt 1pt 0; }
table.glance { margin-bottom: 6pt; }
p.sig { margin-top: 12pt; font-weight: bold; }
"""


def render_html(report: HandoverReport, shows: Callable[[str], bool] | None = None) -> str:
    """Return the report as simple HTML (for QTextDocument: the window, PDF and print).

    ``shows`` (optional) tells whether the font draws a character; those it cannot draw are
    spelled out (see :func:`spell_missing`) rather than left as empty boxes.
    """
    e = html.escape
    parts = [
        f"<html><head><style>{_CSS}</style></head><body>",
        f"<h1>{e(title(report))}</h1>",
        f"<p class='meta'>{e(report.desk_name)} · compiled {e(local(report.compiled_at))} "
        f"(UK local time) · describes {e(as_of_line(report))}</p>",
    ]
    every = sections(report)
    parts.append("<table class='glance'>")
    parts.extend(
        f"<tr><td>{e(sec.title)}</td><td><b>{e(sec.summary)}</b></td></tr>" for sec in every
    )
    parts.append("</table>")
    for sec in every:
        parts.append(f"<h2>{e(sec.title)}</h2><p class='summary'>{e(sec.summary)}</p>")
        if sec.lines:
            parts.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in sec.lines) + "</ul>")
    parts.extend(f"<p class='sig'>{e(line)}</p>" for line in closing_lines(report))
    parts.append("</body></html>")
    text = "".join(parts)
    return text if shows is None else spell_missing(text, shows)
