"""Retention rules as the force writes them: periods, actions, and clear refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.core.errors import InvalidInput
from desk.core.retention import (
    DEFAULT_RULES,
    DEFAULT_RULES_TEXT,
    EndAction,
    RecordClass,
    format_period,
    parse_period,
    parse_rules,
)
from tests.conftest import START


def test_periods_read_in_days_weeks_months_and_years() -> None:
    assert [parse_period(t) for t in ("90d", "12w", "6m", "2Y")] == [90, 84, 180, 730]
    assert format_period(730) == "2y" and format_period(90) == "90d"
    for bad, says in (("soon", "is not a period"), ("0d", "outside"), ("101y", "outside")):
        with pytest.raises(InvalidInput, match=says):
            parse_period(bad)


def test_every_class_has_a_default_and_the_text_reads_back() -> None:
    assert set(DEFAULT_RULES) == set(RecordClass)
    assert parse_rules(DEFAULT_RULES_TEXT) == DEFAULT_RULES
    assert parse_rules("") == DEFAULT_RULES


def test_a_force_changes_one_class_and_keeps_the_others() -> None:
    rules = parse_rules("replies=3y delete; unactioned = 30d")
    assert rules[RecordClass.REPLIES].days == 3 * 365
    assert rules[RecordClass.REPLIES].action is EndAction.DELETE
    assert rules[RecordClass.UNACTIONED].action is EndAction.DELETE
    assert rules[RecordClass.ESCALATED] == DEFAULT_RULES[RecordClass.ESCALATED]
    assert rules[RecordClass.UNACTIONED].cutoff(START) == START - timedelta(days=30)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("emails=1y delete", "Unknown record class 'emails'"),
        ("replies=1y shred", "Unknown end action 'shred'"),
        ("replies 1y", "is not 'class=PERIOD ACTION'"),
        ("replies=1y; replies=2y", "given twice"),
        ("moderation=30d", "moderation must be kept at least 91d"),
        ("signins=1y anonymise", "signins can only be deleted"),
    ],
)
def test_bad_rules_are_refused_naming_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        parse_rules(text)
