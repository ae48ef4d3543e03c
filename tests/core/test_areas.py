"""The areas rule: who is in scope, how areas are typed, and what a refusal says."""

from __future__ import annotations

import pytest

from desk.core.areas import (
    Scope,
    areas_label,
    check_case,
    dump_areas,
    load_areas,
    parse_areas,
    preferred_first,
)
from desk.core.errors import InvalidInput, PermissionDenied


def test_no_areas_is_the_whole_force_and_covers_every_account() -> None:
    everyone = Scope()
    assert everyone.whole_force
    assert everyone.covers("North") and everyone.covers("")
    assert everyone.label() == "the whole force"


def test_a_scope_covers_its_areas_only_not_force_wide_accounts() -> None:
    team = Scope(("North", "East End"))
    assert team.covers("north") and team.covers("east   end")  # case and spacing aside
    assert not team.covers("South")
    assert not team.covers("")  # force-wide items are the central desk's
    assert team.label() == "North and East End"
    assert areas_label(["A", "B", "C"]) == "A, B and C"


def test_areas_are_parsed_once_each_and_bad_ones_are_named() -> None:
    assert parse_areas(" North ,east, NORTH,, East ") == ("North", "east")
    assert parse_areas(["North", "  West  side "]) == ("North", "West side")
    with pytest.raises(InvalidInput, match="Name at least one area"):
        parse_areas(" , ")
    with pytest.raises(InvalidInput, match="'Force-wide' is not an area"):
        parse_areas("North, Force-wide")
    with pytest.raises(InvalidInput, match="at most 120 characters"):
        parse_areas("x" * 121)
    with pytest.raises(InvalidInput, match="at most 20 areas"):
        parse_areas(",".join(f"Area {n}" for n in range(21)))


def test_areas_are_stored_as_json_and_bad_stored_text_is_no_areas() -> None:
    assert load_areas(dump_areas(("North", "Ystradgynlais"))) == ("North", "Ystradgynlais")
    assert load_areas("") == () and load_areas("not json") == () and load_areas('"x"') == ()


def test_a_case_outside_the_scope_is_refused_naming_both_sides() -> None:
    check_case(Scope(("North",)), 7, "north")  # within
    with pytest.raises(PermissionDenied) as refused:
        check_case(Scope(("North", "East")), 12, "South")
    assert refused.value.message == "Case 12 belongs to the South area; you work North and East."
    with pytest.raises(PermissionDenied, match="Case 3 belongs to a force-wide account"):
        check_case(Scope(("North",)), 3, "")


def test_the_cases_area_comes_first_otherwise_the_order_is_kept() -> None:
    assert preferred_first(["Central", "North", "South"], "north") == [1, 0, 2]
    assert preferred_first(["Central", "North"], "") == [0, 1]
    assert preferred_first(["Central", "North"], "West") == [0, 1]
