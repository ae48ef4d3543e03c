"""Look-alike detection: which authors resemble an official account, which one, and why."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.core.errors import InvalidInput
from desk.core.impersonation import (
    Field,
    LookAlikeWatch,
    Official,
    Outcome,
    Why,
    core,
    edit_distance,
    force_place,
    one_edit,
    parse_outcome,
    report_overdue,
    skeleton,
)
from tests.conftest import START

OFFICIALS = [
    Official(1, "x", "@SurreyPolice", "Surrey Police"),
    Official(2, "facebook", "Surrey Police", "Surrey Police"),
    Official(3, "x", "@SurreyRoadsPolicing", "Surrey Roads Policing"),
]


@pytest.fixture
def watch() -> LookAlikeWatch:
    return LookAlikeWatch(OFFICIALS, "Surrey Police")


def test_a_cyrillic_a_for_a_latin_a_is_flagged_naming_the_account(watch: LookAlikeWatch) -> None:
    official = LookAlikeWatch([Official(7, "x", "@ExampleshirePolice", "")], "")
    found = official.check("x", "@Ex\u0430mpleshirePolice")  # Cyrillic small a
    assert found is not None
    assert (found.account_id, found.why, found.field) == (7, Why.LOOK_ALIKE, Field.HANDLE)
    assert [(s.seen, s.instead_of, s.script) for s in found.swaps] == [("\u0430", "a", "Cyrillic")]


def test_a_capital_i_for_an_l_is_flagged(watch: LookAlikeWatch) -> None:
    found = watch.check("x", "@SurreyPoIice")
    assert found is not None and found.why is Why.LOOK_ALIKE
    assert found.official_handle == "@SurreyPolice"
    assert [(s.seen, s.instead_of) for s in found.swaps] == [("I", "l")]


def test_l_capital_i_one_and_bar_share_a_skeleton_and_so_do_rn_and_m() -> None:
    assert len({skeleton(c) for c in "lI1|"}) == 1
    assert skeleton("rnoney") == skeleton("money")
    assert skeleton("P\u043el\u0456ce") == skeleton("Police")  # Cyrillic o and i


def test_an_added_official_is_flagged_with_what_was_added(watch: LookAlikeWatch) -> None:
    found = watch.check("x", "@SurreyPolice_official")
    assert found is not None and found.why is Why.ADDED and found.account_id == 1
    assert found.added == ("official",)
    assert watch.check("x", "@the_real_surreypolice") is not None
    assert watch.check("x", "@SurreyPolice2024") is not None


def test_a_near_miss_by_one_letter_is_flagged(watch: LookAlikeWatch) -> None:
    for near in ("@SurreyPolise", "@SureyPolice", "@SurreyPoilce", "@SurreyPolicex"):
        found = watch.check("x", near)
        assert found is not None and found.why is Why.NEAR_MISS, near
        assert found.account_id == 1


def test_an_unrelated_handle_is_not_flagged(watch: LookAlikeWatch) -> None:
    for name in ("@resident", "@KentPolice", "@SurreyPoliceFan", "@surreynews", "@JoBloggs1985"):
        assert watch.check("x", name, name.strip("@")) is None, name


def test_the_official_accounts_themselves_are_never_flagged(watch: LookAlikeWatch) -> None:
    assert watch.check("x", "@SurreyPolice", "Surrey Police") is None
    assert watch.check("x", "surreypolice", "Surrey Police") is None  # same handle, any case
    assert watch.check("facebook", "Surrey Police", "Surrey Police") is None


def test_the_force_name_with_police_on_a_stranger_is_flagged(watch: LookAlikeWatch) -> None:
    found = watch.check("x", "@jimbob", "Surrey Police")
    assert found is not None and found.field is Field.DISPLAY_NAME
    # with no official display name to copy, the force's name still gives it away
    bare = LookAlikeWatch([Official(9, "x", "@SyPoliceHQ", "")], "Surrey Police")
    found = bare.check("x", "@jimbob", "Surrey Constabulary")
    assert found is not None and found.why is Why.FORCE_NAME and found.account_id == 9


def test_a_member_of_the_public_who_likes_the_police_is_not_flagged(
    watch: LookAlikeWatch,
) -> None:
    assert watch.check("x", "@jimbob", "Police fan") is None
    assert watch.check("x", "@policefan", "Kent Police fan") is None


def test_short_official_handles_are_not_matched_by_one_edit() -> None:
    short = LookAlikeWatch([Official(1, "x", "@SYP", "")], "")
    assert short.check("x", "@SYR") is None
    assert short.check("x", "@5YP") is None  # "5" is not a look-alike of "S" in the data
    assert short.check("x", "@SYP_official") is not None


def test_no_officials_means_no_flags() -> None:
    assert LookAlikeWatch([], "Surrey Police").check("x", "@SurreyPolice", "Surrey Police") is None


def test_edit_distance_counts_a_swap_as_one() -> None:
    assert edit_distance("police", "poilce") == 1
    assert edit_distance("police", "police") == 0
    assert edit_distance("police", "plice") == 1
    assert edit_distance("police", "pol") == 2  # capped


def test_one_edit_agrees_with_the_edit_distance() -> None:
    words = [""] + [a + b for a in ("", "a", "b", "ab") for b in ("", "a", "b", "ba", "aab")]
    for a in words:
        for b in words:
            assert one_edit(a, b) == (edit_distance(a, b) == 1), (a, b)


def test_core_and_force_place() -> None:
    assert core("The_Real-SurreyPolice_UK") == core("surreypolice")
    # in skeleton form: "m" is "rn" to confusables.txt
    assert force_place("Metropolitan Police Service") == skeleton("metropolitan")
    assert force_place("Heddlu Dyfed-Powys Police") == "dyfedpowys"


def test_a_report_is_overdue_only_while_pending_after_the_days() -> None:
    reported = START
    later = START + timedelta(days=14)
    assert report_overdue(reported, Outcome.PENDING, later, 14)
    assert not report_overdue(reported, Outcome.PENDING, later - timedelta(seconds=1), 14)
    assert not report_overdue(reported, Outcome.REMOVED, later, 14)
    assert not report_overdue(None, Outcome.PENDING, later, 14)


def test_outcomes_parse_as_typed() -> None:
    assert parse_outcome("not removed") is Outcome.NOT_REMOVED
    assert parse_outcome("Removed") is Outcome.REMOVED
    with pytest.raises(InvalidInput, match="removed, not_removed"):
        parse_outcome("gone")
