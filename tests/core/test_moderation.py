"""Moderation rules with no database: which actions need an explanation, repeat offenders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desk.core.cases import Outcome
from desk.core.errors import InvalidInput
from desk.core.moderation import (
    ModerationKind,
    check_explanation,
    counts_against_author,
    is_repeat_offender,
    needs_explanation,
    normalise_code,
    outcome_for,
    parse_kind,
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
