"""Template variables and the no-cold-contact rule, as pure functions (no Qt, no SQL)."""

from __future__ import annotations

import pytest

from desk.core.contact import ContactRefusal, ContactRequest, check_contact
from desk.core.errors import InvalidInput
from desk.core.templates import (
    case_reference,
    check_text,
    render,
    require_usable,
    variables_in,
)

VALUES = {"author": "@ffion_w", "force": "Heddlu Enghraifft", "reference": "DD-000042"}


def test_variables_are_filled_and_double_braces_are_literal() -> None:
    done = render("Hi {author}, {{not a variable}} ref {reference}.", VALUES)
    assert done.usable
    assert done.text == "Hi @ffion_w, {not a variable} ref DD-000042."
    assert variables_in("{author} {{x}} {author} {rule}") == ("author", "rule")


def test_an_unknown_variable_makes_the_template_unusable_and_is_named() -> None:
    done = render("Hi {author}, see {bogus_thing}.", VALUES)
    assert not done.usable
    assert done.unknown == ("bogus_thing",)
    assert "{bogus_thing}" in done.problem
    with pytest.raises(InvalidInput, match=r"\{bogus_thing\}"):
        check_text("Hi {author}, see {bogus_thing}.", "Template 'x'")
    with pytest.raises(InvalidInput, match="unknown variable"):
        require_usable(done, "x", 1, "en")


def test_a_missing_value_makes_the_template_unusable_and_is_named() -> None:
    done = render("Hi {author}, this is about {area}.", VALUES)
    assert not done.usable
    assert done.missing == ("area",)
    assert done.problem == "no value for {area} on this case"
    with pytest.raises(InvalidInput, match=r"'x' v3 \(cy\) cannot be used: no value for \{area\}"):
        require_usable(done, "x", 3, "cy")


def test_a_lone_brace_is_refused_with_where_it_is() -> None:
    with pytest.raises(InvalidInput, match="character 4"):
        variables_in("Hi { there")


def test_welsh_text_fills_unchanged() -> None:
    text = "Diolch {author}: mae'r ŵyl ar y bryn â'r tŷ ŷd yn {force}."
    done = render(text, VALUES)
    assert done.text == "Diolch @ffion_w: mae'r ŵyl ar y bryn â'r tŷ ŷd yn Heddlu Enghraifft."


def test_the_case_reference_is_the_public_one() -> None:
    assert case_reference(123) == "DD-000123"


def _request(**changes: object) -> ContactRequest:
    base: dict[str, object] = {
        "recipient": "@cat",
        "platform": "x",
        "account": "@ExampleshirePolice",
        "private": False,
        "items_from_recipient": 1,
        "direct_messages_on": True,
    }
    base.update(changes)
    return ContactRequest(**base)  # type: ignore[arg-type]


def test_someone_who_wrote_to_the_account_may_be_replied_to() -> None:
    assert check_contact(_request()).allowed
    assert check_contact(_request(private=True)).allowed


def test_someone_who_never_wrote_there_is_not_cold_contacted() -> None:
    decision = check_contact(_request(items_from_recipient=0))
    assert not decision.allowed
    assert decision.refusal is ContactRefusal.NOT_ENGAGED
    assert "never cold-contacts" in decision.reason and "@cat" in decision.reason
    assert decision.overridable


def test_private_messages_are_refused_where_switched_off_and_cannot_be_overridden() -> None:
    decision = check_contact(_request(private=True, direct_messages_on=False))
    assert not decision.allowed
    assert decision.refusal is ContactRefusal.DIRECT_MESSAGES_OFF
    assert "switched off" in decision.reason
    assert not decision.overridable
    assert check_contact(_request(private=False, direct_messages_on=False)).allowed
