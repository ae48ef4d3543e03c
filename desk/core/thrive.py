"""THRIVE assessments as contact management uses them, and the grade catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from desk.core.errors import InvalidInput

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
    return Assessment(**{f: values[f].strip() for f in FACTORS}, grade=grade)
