"""Escalation domain: deadlines, immediate risk, and the hand-on document as text and .eml."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from email.policy import default

import pytest

from desk.core.errors import InvalidInput
from desk.core.escalation import (
    DEFAULT_DEADLINES,
    HandOn,
    TargetKind,
    Urgency,
    build_eml,
    deadline_for,
    format_deadlines,
    hand_on_text,
    is_immediate_risk,
    is_overdue,
    parse_deadlines,
    parse_kind,
)

AT = datetime(2026, 11, 26, 10, 4, tzinfo=UTC)


def doc(**changes: object) -> HandOn:
    values: dict[str, object] = {
        "case_id": 12,
        "target_name": "Duty inspector / force incident manager",
        "target_kind": TargetKind.COMMAND,
        "urgency": Urgency.IMMEDIATE,
        "summary": "Person states intent to end life tonight",
        "item_text": "I can't do this anymore, I'm going to end it tonight\nbye all",
        "link": "https://mastodon.example/@cat/1100",
        "author": "Cat (@cat)",
        "platform": "mastodon",
        "account": "@ExampleshirePolice",
        "opened_at": AT - timedelta(minutes=2),
        "escalated_at": AT,
        "deadline_at": AT + timedelta(minutes=15),
        "escalated_by": "jsmith",
        "risk": ("self_harm",),
        "grade": "immediate",
        "thrive": (("Threat", "Stated intent"),),
        "contact": "duty@example.police.uk",
    }
    values.update(changes)
    return HandOn(**values)  # type: ignore[arg-type]


def test_deadlines_follow_the_urgency_and_the_setting() -> None:
    assert deadline_for(Urgency.IMMEDIATE, AT) == AT + timedelta(minutes=15)
    assert deadline_for(Urgency.HOUR, AT) == AT + timedelta(hours=1)
    assert deadline_for(Urgency.TODAY, AT) == AT + timedelta(hours=8)
    custom = parse_deadlines("immediate=10m; hour=45m; today=4h")
    assert deadline_for(Urgency.IMMEDIATE, AT, custom) == AT + timedelta(minutes=10)
    assert parse_deadlines(format_deadlines(DEFAULT_DEADLINES)) == DEFAULT_DEADLINES


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("immediate=15m; hour=1h", "missing today"),
        ("immediate=15; hour=1h; today=8h", "should look like"),
        ("immediate=2h; hour=1h; today=8h", "must not shrink"),
        ("soon=5m; hour=1h; today=8h", "Unknown urgency 'soon'"),
        ("immediate=0m; hour=1h; today=8h", "1 minute to 24 hours"),
    ],
)
def test_bad_deadlines_are_refused_saying_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem):
        parse_deadlines(text)


def test_overdue_means_unacknowledged_after_the_deadline() -> None:
    deadline = AT + timedelta(minutes=15)
    assert not is_overdue(deadline, None, AT + timedelta(minutes=15))
    assert is_overdue(deadline, None, AT + timedelta(minutes=16))
    assert not is_overdue(deadline, AT + timedelta(minutes=20), AT + timedelta(minutes=30))


def test_immediate_risk_is_the_grade_or_a_life_or_crime_rule() -> None:
    assert is_immediate_risk("immediate", ())
    assert is_immediate_risk(None, ("threat_to_life",))
    assert is_immediate_risk("priority", ("hate", "crime_in_progress"))
    assert not is_immediate_risk("priority", ("self_harm",))
    assert not is_immediate_risk(None, ())


def test_kinds_are_typed_with_dashes_or_underscores() -> None:
    assert parse_kind("Call-for-service") is TargetKind.CALL_FOR_SERVICE
    with pytest.raises(InvalidInput, match="Unknown escalation kind 'police'"):
        parse_kind("police")


def test_the_hand_on_text_carries_everything_the_target_needs() -> None:
    text = hand_on_text(doc())
    assert "To:          Duty inspector / force incident manager" in text
    assert "Urgency:     Immediate (acknowledge by 2026-11-26 10:19 UTC)" in text
    assert "Case:        #12" in text
    assert "Link:        https://mastodon.example/@cat/1100" in text
    assert "Risk:        self harm" in text
    assert "Grade:       immediate" in text
    assert "  Threat: Stated intent" in text
    assert "  I can't do this anymore, I'm going to end it tonight\n  bye all" in text


def test_the_eml_is_an_unsent_draft_to_the_target_with_the_text_as_body() -> None:
    message = build_eml(doc(), "duty.inspector@example.police.uk")
    parsed: Message = message_from_bytes(message.as_bytes(), policy=default)
    assert parsed["To"] == "duty.inspector@example.police.uk"
    assert parsed["X-Unsent"] == "1"
    assert parsed["Subject"] == (
        "[Immediate] Escalation of case #12: Person states intent to end life tonight"
    )
    body = parsed.get_body(("plain",))
    assert body is not None
    assert body.get_content() == hand_on_text(doc())


def test_welsh_and_long_summaries_survive_the_eml() -> None:
    summary = "Mae rhywun mewn perygl — " + "x" * 200
    message = build_eml(doc(summary=summary), "")
    parsed = message_from_bytes(message.as_bytes(), policy=default)
    assert parsed["To"] is None
    assert parsed["Subject"].startswith("[Immediate] Escalation of case #12: Mae rhywun mewn")
    assert "Mae rhywun mewn perygl —" in parsed.get_body(("plain",)).get_content()
