"""Areas: the neighbourhoods a person works, and the one rule of whose items they may see.

A person with no areas works for the whole force and sees every case. A person scoped to one
or more areas (a neighbourhood team) sees and works only the cases that arrived on an official
account of one of those areas. A force-wide account (area ``""``) is outside every scope: its
items belong to the central desk, and a neighbourhood officer who should see them is given no
areas instead (docs/account-estate.md, "Areas and neighbourhood teams").

Area names compare without regard to case or spacing ("north  east" is "North East").
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from desk.core.errors import InvalidInput, PermissionDenied

AREA_MAX = 120  # as official_accounts.area
MAX_AREAS = 20
_FORCE_WIDE_WORDS = frozenset({"force-wide", "force wide", "forcewide", "force"})


def area_key(area: str) -> str:
    """The form two area names are compared in: spacing collapsed, case folded."""
    return " ".join(area.split()).casefold()


@dataclass(frozen=True)
class Scope:
    """The areas a person works; none means the whole force."""

    areas: tuple[str, ...] = ()

    @property
    def whole_force(self) -> bool:
        """True when the person is not limited to any area."""
        return not self.areas

    def covers(self, area: str) -> bool:
        """Tell whether an account of ``area`` ('' for force-wide) is within this scope."""
        if self.whole_force:
            return True
        return bool(area.strip()) and area_key(area) in {area_key(a) for a in self.areas}

    def label(self) -> str:
        """The scope as a sentence says it: 'North and East', or 'the whole force'."""
        return areas_label(self.areas)


def areas_label(areas: Iterable[str]) -> str:
    """Name some areas as prose: 'North', 'North and East', 'North, East and West'."""
    names = list(areas)
    if not names:
        return "the whole force"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def parse_areas(text: str | Iterable[str]) -> tuple[str, ...]:
    """Read areas typed as 'North, East' (or a list of names); refuse what cannot be one.

    Duplicates (by :func:`area_key`) are dropped keeping the first spelling. An empty answer is
    refused: clearing a person's areas is said explicitly (``--clear``), never by accident.
    """
    parts = text.split(",") if isinstance(text, str) else list(text)
    found: dict[str, str] = {}
    for part in parts:
        name = " ".join(str(part).split())
        if not name:
            continue
        if name.casefold() in _FORCE_WIDE_WORDS:
            raise InvalidInput(
                f"{name!r} is not an area: a person who works for the whole force has no "
                "areas (clear them instead)."
            )
        if len(name) > AREA_MAX:
            raise InvalidInput(f"An area's name must be at most {AREA_MAX} characters.")
        found.setdefault(area_key(name), name)
    if not found:
        raise InvalidInput("Name at least one area (such as 'North, East'), or clear the areas.")
    if len(found) > MAX_AREAS:
        raise InvalidInput(f"A person can work at most {MAX_AREAS} areas (got {len(found)}).")
    return tuple(found.values())


def dump_areas(areas: Iterable[str]) -> str:
    """Return areas as stored in the accounts table (a JSON list)."""
    return json.dumps(list(areas), ensure_ascii=False)


def load_areas(stored: str | None) -> tuple[str, ...]:
    """Read areas as stored; a blank or unreadable value is no areas."""
    if not stored:
        return ()
    try:
        value = json.loads(stored)
    except ValueError:
        return ()
    return tuple(str(a) for a in value) if isinstance(value, list) else ()


def belongs_to(area: str) -> str:
    """Where an account of ``area`` belongs, as a sentence says it."""
    return f"the {area} area" if area.strip() else "a force-wide account"


def refusal(case_id: int, area: str, scope: Scope) -> PermissionDenied:
    """The refusal for a case outside a person's scope, naming both sides."""
    return PermissionDenied(
        f"Case {case_id} belongs to {belongs_to(area)}; you work {scope.label()}."
    )


def check_case(scope: Scope, case_id: int, area: str) -> None:
    """Raise ``PermissionDenied`` unless a case on an account of ``area`` is within scope."""
    if not scope.covers(area):
        raise refusal(case_id, area, scope)


def preferred_first(areas: Iterable[str], area: str) -> list[int]:
    """Return the positions of ``areas`` ordered with the ones matching ``area`` first."""
    names = list(areas)
    key = area_key(area) if area.strip() else None
    return sorted(range(len(names)), key=lambda i: (area_key(names[i]) != key, i))
