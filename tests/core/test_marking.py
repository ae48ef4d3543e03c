"""The protective marking: what an administrator may set, and how exports carry it."""

from __future__ import annotations

from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest

from desk.core.errors import InvalidInput
from desk.core.marking import DEFAULT_MARKING, mark_eml, marked, marked_text, parse_marking


def test_the_default_is_official_sensitive() -> None:
    assert DEFAULT_MARKING == "OFFICIAL-SENSITIVE"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("OFFICIAL", "OFFICIAL"), ("  OFFICIAL-SENSITIVE   PERSONAL ", "OFFICIAL-SENSITIVE PERSONAL")],
)
def test_a_marking_is_kept_as_typed(typed: str, kept: str) -> None:
    assert parse_marking(typed) == kept


@pytest.mark.parametrize(
    ("typed", "why"),
    [("", "cannot be empty"), ("=cmd", "only letters"), ("<b>", "only letters"), ("X" * 61, "60")],
)
def test_a_bad_marking_is_refused_by_name(typed: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why):
        parse_marking(typed)


def test_json_gets_the_marking_first() -> None:
    assert list(marked({"a": 1}, "OFFICIAL")) == ["protective_marking", "a"]


def test_text_is_framed() -> None:
    lines = marked_text("body", "OFFICIAL").splitlines()
    assert lines[0] == "OFFICIAL" and lines[-1] == "OFFICIAL" and "body" in lines


def test_an_eml_gets_a_header_and_a_first_body_line() -> None:
    message = EmailMessage(policy=default)
    message["Subject"] = "Escalation"
    message.set_content("Please look at case 4.\n")
    read = message_from_bytes(mark_eml(message, "OFFICIAL-SENSITIVE").as_bytes(), policy=default)
    assert read["X-Protective-Marking"] == "OFFICIAL-SENSITIVE"
    body = read.get_body().get_content().splitlines()  # type: ignore[union-attr]
    assert body[0] == "OFFICIAL-SENSITIVE" and body[-1] == "OFFICIAL-SENSITIVE"
    assert "Please look at case 4." in body
