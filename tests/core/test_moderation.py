"""Moderation rules with no database: which actions need an explanation, repeat offenders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desk.core.cases import Outcome
from desk.core.errors import InvalidInput
from desk.core.items import ItemKind, Platform
from desk.core.moderation import (
    AuthorState,
    ItemState,
    ModerationKind,
    author_state,
    check_explanation,
    counts_against_author,
    default_guideline,
    is_repeat_offender,
    item_state,
    needs_explanation,
    normalise_code,
    offered_for,
    outcome_for,
    parse_kind,
    refusal,
    timeline_text,
)

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_actions_done_to_the_public_need_the_explanation_they_are_given() -> None:
    assert {k for k in ModerationKind if needs_explanation(k)} == {
        ModerationKind.HIDE,
        ModerationKind.DELETE,
        ModerationKind.BLOCK,
        ModerationKind.RESTRICT,
    }
    with pytest.raises(InvalidInput, match="a hide needs the explanation given to them"):
        check_explanation(ModerationKind.HIDE, "   ")
    assert check_explanation(ModerationKind.REPORT, "  ") == ""
    assert check_explanation(ModerationKind.UNHIDE, "") == ""
    assert check_explanation(ModerationKind.BLOCK, "  Abuse, CG-1. ") == "Abuse, CG-1."
    with pytest.raises(InvalidInput, match="at most 2,000 characters"):
        check_explanation(ModerationKind.DELETE, "x" * 2001)


def test_three_actions_in_ninety_days_make_a_repeat_offender() -> None:
    days = [1, 30, 89]
    assert is_repeat_offender([NOW - timedelta(days=d) for d in days], NOW)
    assert not is_repeat_offender([NOW - timedelta(days=d) for d in days[:2]], NOW)
    # the oldest fell out of the window
    assert not is_repeat_offender([NOW - timedelta(days=d) for d in (1, 30, 91)], NOW)
    assert is_repeat_offender([NOW] * 2, NOW, threshold=2)


def test_an_unhide_does_not_count_against_the_author() -> None:
    assert not counts_against_author(ModerationKind.UNHIDE)
    assert all(counts_against_author(k) for k in ModerationKind if k is not ModerationKind.UNHIDE)


def test_codes_kinds_outcomes_and_timeline_words() -> None:
    assert normalise_code(" cg-2.1 ") == "CG-2.1"
    with pytest.raises(InvalidInput, match="not a guideline code"):
        normalise_code("rule one")
    assert parse_kind("Hide") is ModerationKind.HIDE
    with pytest.raises(InvalidInput, match="use one of hide, unhide, delete"):
        parse_kind("ban")
    assert outcome_for(ModerationKind.BLOCK) is Outcome.AUTHOR_BLOCKED
    assert outcome_for(ModerationKind.REPORT) is None
    assert timeline_text(ModerationKind.HIDE, "CG-1") == "Hidden under CG-1"


def test_what_applies_depends_on_the_item_kind_and_platform() -> None:
    k = ModerationKind
    assert offered_for(ItemKind.COMMENT, Platform.FACEBOOK) == frozenset(k)
    assert offered_for(ItemKind.DIRECT_MESSAGE, Platform.FACEBOOK) == {
        k.BLOCK,
        k.RESTRICT,
        k.REPORT,
    }
    assert offered_for(ItemKind.MENTION, Platform.X) == {k.BLOCK, k.REPORT}
    assert offered_for(ItemKind.REPLY, Platform.X) == {k.HIDE, k.UNHIDE, k.BLOCK, k.REPORT}
    assert offered_for("something-new", "somewhere") == frozenset(k)  # unknown: like a comment
    assert refusal(k.DELETE, ItemKind.DIRECT_MESSAGE, Platform.FACEBOOK) == (
        "A direct message cannot be deleted: it is not public (on this item you can block the "
        "author, restrict the author, report it)."
    )
    assert refusal(k.HIDE, ItemKind.COMMENT, Platform.FACEBOOK) is None


def test_the_items_state_decides_hide_and_unhide() -> None:
    k = ModerationKind
    assert item_state([]) is ItemState.VISIBLE
    assert item_state(["hide"]) is ItemState.HIDDEN
    assert item_state(["hide", "unhide"]) is ItemState.VISIBLE
    assert item_state(["hide", "delete", "unhide"]) is ItemState.DELETED
    assert author_state(["restrict", "report"]) is AuthorState.RESTRICTED
    assert author_state(["block", "restrict"]) is AuthorState.BLOCKED
    assert refusal(k.UNHIDE, "comment", "facebook") == (
        "This comment is not hidden: there is nothing to unhide."
    )
    assert refusal(k.UNHIDE, "comment", "facebook", ItemState.HIDDEN) is None
    assert refusal(k.HIDE, "reply", "x", ItemState.HIDDEN) == "This reply is already hidden."
    assert refusal(k.RESTRICT, "comment", "facebook", author=AuthorState.BLOCKED)


def test_the_matched_risk_suggests_a_guideline() -> None:
    active = {f"CG-{n}" for n in range(1, 9)}
    assert default_guideline(["officer_abuse", "hate"], active) == "CG-2"
    assert default_guideline(["threat_to_life"], active) == "CG-1"
    assert default_guideline(["personal_data"], active) == "CG-3"
    assert default_guideline(["misinformation", ""], active) is None
    assert default_guideline(["hate"], active - {"CG-2"}) is None
