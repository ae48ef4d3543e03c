"""The register's rules: purposes, areas, links, the credentials guard, the checklist, dates."""

from __future__ import annotations

from datetime import date

import pytest

from desk.core.account_register import (
    CHECKLIST,
    CheckResult,
    Purpose,
    ReviewCheck,
    failed_checks,
    looks_like_secret,
    next_review_due,
    parse_administrators,
    parse_area,
    parse_link,
    parse_purpose,
    parse_result_pairs,
    parse_review_days,
    review_overdue,
)
from desk.core.errors import InvalidInput


@pytest.mark.parametrize(
    "text",
    [
        "Force password manager, vault Corporate Comms",
        "Keeper: shared folder 'Social media – Teignbridge'",
        "1Password vault DigitalComms (owner: Pat Lee)",
        "Passkey on the comms team's YubiKeys, safe in room 2.14",
        "LastPass Enterprise / SharedFolder-NeighbourhoodTeams",
    ],
)
def test_where_credentials_are_kept_is_not_mistaken_for_a_secret(text: str) -> None:
    assert not looks_like_secret(text)


@pytest.mark.parametrize(
    "text",
    [
        "password: hunter2",
        "Vault Comms, PIN=4821",
        "the password is in vault X, secret - abc",
        "vault X Tr0ub4dor&3xyz",
        "seed JBSWY3DPEHPK3PXPJBSWY3DP",
        "recovery codes 8f3k2-9d8s1-ab12c",
    ],
)
def test_a_secret_typed_where_the_location_belongs_is_caught(text: str) -> None:
    assert looks_like_secret(text)


def test_purposes_areas_links_and_administrators() -> None:
    assert parse_purpose("Public engagement") is Purpose.ENGAGEMENT
    assert parse_purpose("investigation") is Purpose.INVESTIGATIONS
    with pytest.raises(InvalidInput, match="use engagement"):
        parse_purpose("covert")
    assert parse_area(" Force-wide ") == "" and parse_area("  Teignbridge  North ") == (
        "Teignbridge North"
    )
    assert parse_link("https://x.com/Police") == "https://x.com/Police" and parse_link("") == ""
    for bad in ("javascript:alert(1)", "x.com/Police", "https://"):
        with pytest.raises(InvalidInput, match="not a web address"):
            parse_link(bad)
    assert parse_administrators(["admin, Pat Lee", "pat lee", " "]) == ("admin", "Pat Lee")


def test_the_checklist_needs_every_answer() -> None:
    results = parse_result_pairs(["all=pass", "apps-checked=FAIL", "no_personal_email=n/a"])
    assert list(results) == list(CHECKLIST)
    assert results[ReviewCheck.NO_PERSONAL_EMAIL] is CheckResult.NOT_APPLICABLE
    assert failed_checks(results) == (ReviewCheck.APPS_CHECKED,)
    with pytest.raises(InvalidInput, match="login_alerts, password_manager"):
        parse_result_pairs(["two_factor=pass"])
    with pytest.raises(InvalidInput, match="must be pass, fail or na"):
        parse_result_pairs(["all=maybe"])
    with pytest.raises(InvalidInput, match="is not ITEM=ANSWER"):
        parse_result_pairs(["two_factor"])


def test_review_dates() -> None:
    assert next_review_due(date(2026, 11, 26), 90) == date(2027, 2, 24)
    assert not review_overdue(date(2027, 2, 24), date(2027, 2, 24))
    assert review_overdue(date(2027, 2, 24), date(2027, 2, 25))
    assert parse_review_days("90d") == 90
    with pytest.raises(InvalidInput, match="between 7 and 366"):
        parse_review_days("0")
