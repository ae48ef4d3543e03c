"""``desk-admin apps ...``: the third-party apps register end to end."""

from __future__ import annotations

import json

import pytest

from desk.core.roles import Role
from desk.services.signin import CLI as CLI_SESSION
from tests.cli.conftest import Outcome, Triage
from tests.conftest import USER_PASSWORD, Person

WHY = "Schedules the overnight appeals when the desk is not staffed"


@pytest.fixture
def comms(triage: Triage) -> str:
    """A communications officer's command-line session (after two official accounts)."""
    d = triage.staffed.desk
    cat = d.accounts.add_user(
        triage.admin, "cjones", "Cat Jones", Role.COMMUNICATIONS, USER_PASSWORD
    )
    triage.official("x", "@ExampleshirePolice")
    triage.official("facebook", "Exampleshire Police")
    return triage.staffed.sign_in(
        Person("cjones", USER_PASSWORD, cat.seed, Role.COMMUNICATIONS), CLI_SESSION
    )


def _ok(done: Outcome) -> str:
    assert done.status == 0, done.err
    return done.out


def _add(triage: Triage, *more: str) -> Outcome:
    return triage.cli(
        "apps", "add", "Hootsuite", "--account", "1", "--account", "2", "--access",
        "read,publish", "--why", WHY, "--approved-by", "cjones", *more, session=triage.admin,
    )  # fmt: skip


def test_add_list_show_review_and_revoke(triage: Triage, comms: str) -> None:
    cli = triage.cli
    assert _ok(cli("apps", "list", session=comms)).startswith("No third-party apps")
    added = json.loads(_ok(_add(triage, "--json")))
    ref = added["reference"]
    assert added["access"] == ["read", "publish"] and added["approved_by"] == "cjones"
    assert [a["handle"] for a in added["accounts"]] == [
        "Exampleshire Police",
        "@ExampleshirePolice",
    ]
    assert added["review_due_on"] == "2027-02-24" and added["review_overdue"] is False

    listed = _ok(cli("apps", "list", session=comms))
    assert listed.splitlines()[0].split() == [
        "APP", "NAME", "ACCOUNTS", "ACCESS", "APPROVED", "BY", "REVIEW", "DUE",
    ]  # fmt: skip
    assert ref in listed and "read, publish" in listed and "2027-02-24" in listed

    shown = _ok(cli("apps", "show", ref, session=comms))
    assert f"{ref}: Hootsuite (active)\n" in shown
    assert f"  Necessary:    {WHY}\n" in shown
    assert "  Approved by:  Cat Jones (cjones) on 2026-11-26\n" in shown

    reviewed = _ok(cli("apps", "review", ref, "--note", "Still needed", session=comms))
    assert reviewed.startswith(f"Review of Hootsuite ({ref}) recorded; the next is due ")

    no_reason = cli("apps", "revoke", ref, session=comms)
    assert no_reason.status == 2 and "--reason" in no_reason.err
    revoked = _ok(cli("apps", "revoke", ref, "--reason", "Replaced", session=triage.admin))
    assert revoked.startswith(f"Hootsuite ({ref}) revoked on 2026-11-26")
    assert _ok(cli("apps", "list", session=comms)).startswith("No third-party apps")
    everything = json.loads(_ok(cli("apps", "list", "--all", "--json", session=comms)))
    assert everything[0]["revoked_reason"] == "Replaced" and everything[0]["active"] is False
    again = cli("apps", "review", ref, session=comms)
    assert again.status == 2 and "was revoked on 26 Nov 2026 by admin" in again.err


def test_bad_input_and_roles_are_refused_with_exit_2(triage: Triage, comms: str) -> None:
    cli = triage.cli
    bad_access = _add(triage, "--access", "tweet")
    assert bad_access.status == 2 and "Unknown access 'tweet'" in bad_access.err
    not_comms = triage.cli(
        "apps", "add", "Buffer", "--account", "1", "--access", "read", "--why", WHY,
        "--approved-by", "admin", session=triage.admin,
    )  # fmt: skip
    assert not_comms.status == 2 and "apps are approved by someone whose role" in not_comms.err
    missing = cli("apps", "add", "Buffer", "--account", "1", session=triage.admin)
    assert missing.status == 2 and "required" in missing.err
    operator = triage.cli(
        "apps", "add", "Buffer", "--account", "1", "--access", "read", "--why", WHY,
        "--approved-by", "cjones", session=triage.jo,
    )  # fmt: skip
    assert operator.status == 2 and "may not manage third party apps" in operator.err
    bad_ref = cli("apps", "show", "HOOT-1", session=comms)
    assert bad_ref.status == 2 and "is not an app: use APP-7 or 7" in bad_ref.err
    assert json.loads(_ok(cli("apps", "list", "--all", "--json", session=comms))) == []


def test_set_overdue_and_closing_an_account(triage: Triage, comms: str) -> None:
    cli, clock = triage.cli, triage.staffed.clock
    ref = json.loads(_ok(_add(triage, "--json")))["reference"]
    changed = json.loads(
        _ok(cli("apps", "set", ref, "--account", "1", "--access", "read", "--json", session=comms))
    )
    assert [a["id"] for a in changed["accounts"]] == [1] and changed["access"] == ["read"]
    assert _ok(cli("apps", "overdue", session=comms)) == "No third-party app's review is overdue.\n"

    closing = _ok(cli("accounts", "request-close", "1", "--reason", "Merged", session=triage.admin))
    assert f"revoke these third-party apps' access when it closes: Hootsuite ({ref})." in closing
    on_x = json.loads(_ok(cli("apps", "for-account", "1", "--json", session=comms)))
    assert [a["reference"] for a in on_x] == [ref]

    clock.advance(days=91)
    admin = triage.staffed.sign_in(triage.staffed.admin, CLI_SESSION)
    late = _ok(cli("apps", "overdue", session=admin))
    assert ref in late and "2027-02-24 OVERDUE" in late
