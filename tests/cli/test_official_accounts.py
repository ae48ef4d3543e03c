"""``desk-admin official-account ...``: the accounts items arrive on."""

from __future__ import annotations

import json

from tests.cli.conftest import Triage


def test_an_administrator_adds_official_accounts_and_anyone_lists_them(triage: Triage) -> None:
    cli = triage.cli
    added = cli("official-account", "add", "X", "@ExampleshirePolice", "--name",
                "Exampleshire Police", session=triage.admin)  # fmt: skip
    assert added.status == 0, added.err
    assert added.out == (
        "Added @ExampleshirePolice on x as an official account (direct messages: yes).\n"
    )
    quiet = cli("official-account", "add", "nextdoor", "Exampleshire Police – Teignbridge",
                "--no-direct-messages", session=triage.admin)  # fmt: skip
    assert quiet.status == 0, quiet.err
    assert "(direct messages: no)" in quiet.out

    listed = cli("official-account", "list", "--json", session=triage.jo)
    assert listed.status == 0, listed.err
    accounts = json.loads(listed.out)
    assert [(a["platform"], a["handle"]) for a in accounts] == [
        ("nextdoor", "Exampleshire Police – Teignbridge"),
        ("x", "@ExampleshirePolice"),
    ]
    assert set(accounts[0]) == {
        "id", "platform", "handle", "display_name", "direct_messages", "active",
    }  # fmt: skip
    assert accounts[1]["display_name"] == "Exampleshire Police"
    assert accounts[0]["display_name"] == "Exampleshire Police – Teignbridge"
    assert [a["direct_messages"] for a in accounts] == [False, True]

    table = cli("official-account", "list", session=triage.jo)
    header, *rows = table.out.splitlines()
    assert header.split() == ["PLATFORM", "HANDLE", "NAME", "DIRECT", "MESSAGES", "STATUS"]
    assert rows[1].split() == ["x", "@ExampleshirePolice", "Exampleshire", "Police", "yes",
                               "active"]  # fmt: skip


def test_an_empty_list_says_how_to_add_one(triage: Triage) -> None:
    listed = triage.cli("official-account", "list", session=triage.jo)
    assert listed.status == 0
    assert "There are no official accounts yet" in listed.out
    assert triage.cli("official-account", "list", "--json", session=triage.jo).out == "[]\n"


def test_only_administrators_add_official_accounts(triage: Triage) -> None:
    refused = triage.cli("official-account", "add", "x", "@Police", session=triage.sue_token)
    assert refused.status == 2
    assert refused.err == (
        "desk-admin: error: The supervisor role may not manage official accounts.\n"
    )


def test_the_same_account_twice_is_a_conflict(triage: Triage) -> None:
    triage.official("x", "@ExampleshirePolice")
    again = triage.cli("official-account", "add", "x", "@ExampleshirePolice", session=triage.admin)
    assert again.status == 2
    assert "@ExampleshirePolice on x is already an official account." in again.err
    # the same handle on another platform is another account
    triage.official("instagram", "@ExampleshirePolice")


def test_an_unknown_platform_is_a_usage_error(triage: Triage) -> None:
    bad = triage.cli("official-account", "add", "myspace", "@Police", session=triage.admin)
    assert bad.status == 2
    assert "argument PLATFORM: Unknown platform 'myspace': use one of facebook" in bad.err


def test_a_blank_handle_is_refused(triage: Triage) -> None:
    bad = triage.cli("official-account", "add", "x", "  ", session=triage.admin)
    assert bad.status == 2
    assert "An official account needs a handle." in bad.err


def test_an_administrator_switches_direct_messages_off_and_on(triage: Triage) -> None:
    cli = triage.cli
    triage.official("x", "@ExampleshirePolice")
    off = cli("official-account", "set", "x", "@ExampleshirePolice", "--direct-messages", "off",
              session=triage.admin)  # fmt: skip
    assert off.status == 0, off.err
    assert off.out == "Direct messages are now off for @ExampleshirePolice on x.\n"
    listed = json.loads(cli("official-account", "list", "--json", session=triage.jo).out)
    assert listed[0]["direct_messages"] is False
    audit = cli("audit", "list", "--json", session=triage.admin)
    assert "official_account.direct_messages" in audit.out
    back = cli("official-account", "set", "x", "@ExampleshirePolice", "--direct-messages", "on",
               session=triage.admin)  # fmt: skip
    assert back.status == 0 and "now on" in back.out
    refused = cli("official-account", "set", "x", "@ExampleshirePolice", "--direct-messages",
                  "off", session=triage.jo)  # fmt: skip
    assert refused.status == 2 and "may not manage official accounts" in refused.err
    missing = cli("official-account", "set", "x", "@Nobody", "--direct-messages", "off",
                  session=triage.admin)  # fmt: skip
    assert missing.status != 0 and "'@Nobody' is not an official account on x" in missing.err
    bad = cli("official-account", "set", "x", "@ExampleshirePolice", "--direct-messages",
              "maybe", session=triage.admin)  # fmt: skip
    assert bad.status == 2 and "invalid choice: 'maybe'" in bad.err
