"""THRIVE assessments as contact management uses them, and the grade catalogue."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from desk.core.errors import InvalidInput
from desk.core.risk import RiskCategory

FACTORS = ("threat", "harm", "risk", "investigation", "vulnerability", "engagement")
FACTOR_LABELS = {
    "threat": "Threat",
    "harm": "Harm",
    "risk": "Risk",
    "investigation": "Investigation",
    "vulnerability": "Vulnerability",
    "engagement": "Engagement",
}


@dataclass(frozen=True)
class Grade:
    """A response grade and the time within which it must be met."""

    code: str
    label: str
    target: timedelta


DEFAULT_GRADES: tuple[Grade, ...] = (
    Grade("immediate", "Immediate", timedelta(minutes=15)),
    Grade("priority", "Priority", timedelta(hours=1)),
    Grade("scheduled", "Scheduled", timedelta(hours=24)),
    Grade("resolution_without_deployment", "Resolution without deployment", timedelta(hours=48)),
    Grade("appointment", "Appointment", timedelta(days=7)),
)


@dataclass(frozen=True)
class Assessment:
    """One version of a THRIVE assessment of a case."""

    threat: str
    harm: str
    risk: str
    investigation: str
    vulnerability: str
    engagement: str
    grade: str
    risk_seen: tuple[str, ...] | None = None
    """The risk categories the operator saw: () for none, None when not said."""


def check_assessment(
    values: dict[str, str], grades: tuple[Grade, ...] = DEFAULT_GRADES
) -> Assessment:
    """Return a complete assessment, or raise naming the factor that is missing."""
    missing = [FACTOR_LABELS[f] for f in FACTORS if not values.get(f, "").strip()]
    if missing:
        raise InvalidInput(f"THRIVE is incomplete: write something for {', '.join(missing)}.")
    grade = values.get("grade", "").strip()
    codes = [g.code for g in grades]
    if grade not in codes:
        raise InvalidInput(f"Choose a grade: one of {', '.join(codes)}.")
    return Assessment(
        **{f: values[f].strip() for f in FACTORS},
        grade=grade,
        risk_seen=parse_risk_seen(values.get("risk_seen")),
    )


def needs_thrive(risk: Collection[str], grade: str | None, needs_assessment: bool) -> bool:
    """Tell whether a case needs a (new) THRIVE assessment before it can be closed.

    A case needs one when a risk rule matched it (``risk``: its categories) and it has no
    grade yet, or when it was marked for (re-)assessment (a new item after a grade).
    """
    return (any(risk) and grade is None) or needs_assessment


NO_RISK_SEEN = "none"


def parse_risk_seen(text: str | None) -> tuple[str, ...] | None:
    """Read the risk categories an operator saw ("self_harm, hate", "none", or nothing)."""
    if text is None or not text.strip():
        return None
    names = [n.strip().lower().replace(" ", "_").replace("-", "_") for n in text.split(",")]
    names = [n for n in names if n]
    if names == [NO_RISK_SEEN]:
        return ()
    known = [c.value for c in RiskCategory]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InvalidInput(
            f"Risk seen: unknown category {unknown[0]!r}; use '{NO_RISK_SEEN}' or some of: "
            + ", ".join(known)
        )
    return tuple(sorted(set(names), key=known.index))


def format_risk_seen(seen: tuple[str, ...] | None) -> str:
    """Write the risk seen as stored: "" when not said, "none", or comma-separated names."""
    if seen is None:
        return ""
    return ",".join(seen) if seen else NO_RISK_SEEN


_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|h|hr|d|day)s?\s*$", re.IGNORECASE)
_UNIT_MINUTES = {"m": 1, "min": 1, "h": 60, "hr": 60, "d": 1440, "day": 1440}


def _slug(label: str) -> str:
    return "_".join("".join(c if c.isalnum() else " " for c in label.lower()).split())


def _duration_text(target: timedelta) -> str:
    minutes = int(target.total_seconds() // 60)
    for unit, size in (("d", 1440), ("h", 60)):
        if minutes % size == 0:
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


def format_grades(grades: tuple[Grade, ...]) -> str:
    """Write a grade catalogue the way the setting is typed: 'Label=15m; Label=1h; ...'."""
    return "; ".join(f"{g.label}={_duration_text(g.target)}" for g in grades)


def parse_grades(text: str) -> tuple[Grade, ...]:
    """Read a force's grade catalogue ('Immediate=15m; Priority=1h; ...'), or say what is wrong."""
    grades: list[Grade] = []
    for number, part in enumerate((p for p in text.split(";") if p.strip()), start=1):
        label, sep, when = part.partition("=")
        match = _DURATION.match(when)
        if not sep or not label.strip() or match is None:
            raise InvalidInput(
                f"Grade {number} ({part.strip()!r}) should look like 'Immediate=15m' "
                "(a name, '=', then minutes m, hours h or days d)."
            )
        target = timedelta(minutes=int(match.group(1)) * _UNIT_MINUTES[match.group(2).lower()])
        if target <= timedelta(0):
            raise InvalidInput(f"Grade {label.strip()!r} needs a target above zero.")
        grades.append(Grade(_slug(label), label.strip(), target))
    codes = [g.code for g in grades]
    if not grades:
        raise InvalidInput("The grade catalogue needs at least one grade.")
    if len(set(codes)) != len(codes):
        raise InvalidInput("Two grades have the same name.")
    return tuple(grades)
