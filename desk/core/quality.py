"""Quality assurance: months, the per-operator sample and the checklist arithmetic."""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from desk.core.errors import InvalidInput

DEFAULT_SAMPLES_PER_MONTH = 5
MAX_SAMPLES_PER_MONTH = 100
_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")


class Check(StrEnum):
    """One item of the review checklist."""

    THRIVE_COMPLETE = "thrive_complete"
    GRADE_JUSTIFIED = "grade_justified"
    RIGHT_TEMPLATE = "right_template"
    TARGET_MET = "target_met"


CHECKS: tuple[Check, ...] = tuple(Check)


def parse_samples_per_month(text: str) -> int:
    """Read the ``qa_samples_per_month`` setting, or say what is wrong."""
    try:
        value = int(str(text).strip())
    except ValueError:
        raise InvalidInput(f"{text!r} is not a whole number of cases.") from None
    if not 1 <= value <= MAX_SAMPLES_PER_MONTH:
        raise InvalidInput(
            f"{value} cases per operator per month is outside 1 to {MAX_SAMPLES_PER_MONTH}."
        )
    return value


def parse_month(text: str) -> tuple[str, datetime, datetime]:
    """Read 'YYYY-MM' into the month's text and its UTC span ``[start, end)``."""
    found = _MONTH.match(text or "")
    if not found:
        raise InvalidInput(f"Month {text!r} should look like 2026-11 (YYYY-MM).")
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12 or year < 2000:
        raise InvalidInput(f"Month {text!r} is not a month Desk can sample.")
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=UTC)
    return f"{year:04d}-{month:02d}", start, end


def month_of(moment: datetime) -> str:
    """Return the 'YYYY-MM' (UTC) of a moment."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def draw(candidates: Sequence[int], how_many: int, seed: str) -> list[int]:
    """Choose ``how_many`` of ``candidates`` at random, the same way for the same seed.

    The choice is recorded by the caller; the seed only makes a draw repeatable in tests and
    in an explanation of how a case came to be sampled.
    """
    if how_many <= 0 or not candidates:
        return []
    digest = hashlib.sha256(seed.encode()).digest()
    chooser = random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - not a secret
    pool = sorted(candidates)
    return sorted(chooser.sample(pool, min(how_many, len(pool))))


def parse_answer(text: str) -> bool | None:
    """Read a checklist answer: yes/no, or n/a when the item does not apply."""
    value = (text or "").strip().lower()
    if value in {"yes", "y", "true", "pass", "1"}:
        return True
    if value in {"no", "n", "false", "fail", "0"}:
        return False
    if value in {"n/a", "na", "none", "-", ""}:
        return None
    raise InvalidInput(f"Answer {text!r} should be yes, no or n/a.")


@dataclass(frozen=True)
class CheckShare:
    """How one checklist item went over the reviews: passed out of those it applied to."""

    passed: int
    applicable: int

    @property
    def share(self) -> float | None:
        """The share passed (None when it applied to none)."""
        return self.passed / self.applicable if self.applicable else None
