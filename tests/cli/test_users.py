"""``desk-admin user ...``: adding people, the access review, movers and leavers."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from desk.core.roles import Role
from tests.cli.conftest import Cli
from tests.conftest import USER_PASSWORD, Person, Staffed, current_code

NEW_PASSWORD = "a new starter's pass 77"


def _usernames(staffed: Staffed) -> list[str]:
    return [v.username for v in staffed.desk.accounts.list_users(staffed.admin_token)]


def test_admin_adds_a_person_who_can_then_log_in(cli: Cli, staffed: Staffed) -> None:
    added = cli.signed(staffed.admin, "user", "add", "ASmith", "--role", "Supervisor",
                       "--display-name", "Al Smith", more=(NEW_PASSWORD,))  # fmt: skip
    assert added.status == 0, added.err
    assert "Added asmith as supervisor." in added.out
    assert "otpauth://totp/Desk:asmith?secret=" in added.out
    assert NEW_PASSWORD not in added.out + added.err
    assert staffed.admin.password not in added.out + added.err
    assert _usernames(staffed) == ["admin", "asmith", "jsmith"]

    newcomer = Person("asmith", NEW_PASSWORD, added.seed, Role.SUPERVISOR)
    code = current_code(newcomer.seed, cli.clock)  # the code their phone shows now
    login = cli("--user", "asmith", "--password-stdin", "--code", code, "login",
                stdin=NEW_PASSWORD + "\n")  # fmt: skip
    me = cli("whoami", session=login.token)
    assert me.status == 0, me.err
    assert "asmith" in me.out and "Al Smith" in me.out and "supervisor" in me.out


def test_with_a_session_the_only_stdin_line_is_the_new_password(cli: Cli, staffed: Staffed) -> None:
    token = cli.login(staffed.admin)
    added = cli("--password-stdin", "user", "add", "asmith", "--role", "operator",
                stdin=NEW_PASSWORD + "\n", session=token)  # fmt: skip
    assert added.status == 0, added.err
    assert "asmith" in _usernames(staffed)


def test_an_operator_may_not_add_people(cli: Cli, staffed: Staffed) -> None:
    before = staffed.desk.audit.entries(staffed.admin_token, limit=1)[0].seq
    refused = cli.signed(staffed.operator, "user", "add", "asmith", "--role", "administrator",
                         more=(NEW_PASSWORD,))  # fmt: skip
    assert refused.status == 2
    assert refused.err == "desk-admin: error: The operator role may not manage users.\n"
    assert refused.out == ""
    assert _usernames(staffed) == ["admin", "jsmith"]
    # it signed in for the command and out again: no session is left behind
    since = [
        e.action
        for e in staffed.desk.audit.entries(staffed.admin_token, limit=10)
        if e.seq > before
    ]
    assert since == ["session.signout", "signin.success"]


def test_a_missing_new_password_line_spends_no_code(cli: Cli, staffed: Staffed) -> None:
    cli.clock.advance(seconds=30)
    code = current_code(staffed.admin.seed, cli.clock)
    args = ("--user", "admin", "--password-stdin", "--code", code)
    short = cli(*args, "user", "add", "asmith", "--role", "operator",
                stdin=staffed.admin.password + "\n")  # fmt: skip
    assert short.status == 2
    assert "Standard input ended before the new password for asmith" in short.err
    assert _usernames(staffed) == ["admin", "jsmith"]
    # nothing was signed in, so the same code still works
    again = cli(*args, "user", "add", "asmith", "--role", "operator",
                stdin=f"{staffed.admin.password}\n{NEW_PASSWORD}\n")  # fmt: skip
    assert again.status == 0, again.err


def test_a_weak_new_password_is_refused(cli: Cli, staffed: Staffed) -> None:
    weak = cli.signed(staffed.admin, "user", "add", "asmith", "--role", "operator",
                      more=("password1234",))  # fmt: skip
    assert weak.status == 2
    assert "common or breached" in weak.err
    assert _usernames(staffed) == ["admin", "jsmith"]


def test_an_existing_username_is_a_conflict(cli: Cli, staffed: Staffed) -> None:
    clash = cli.signed(staffed.admin, "user", "add", "jsmith", "--role", "operator",
                       more=(NEW_PASSWORD,))  # fmt: skip
    assert clash.status == 2
    assert "There is already an account called 'jsmith'." in clash.err


@pytest.mark.parametrize("role", ["chief", "admin", ""])
def test_an_unknown_role_is_a_usage_error(cli: Cli, role: str) -> None:
    bad = cli("--user", "admin", "--password-stdin", "--code", "123456",
              "user", "add", "asmith", "--role", role, stdin="pw\npw\n")  # fmt: skip
    assert bad.status == 2
    assert f"argument --role: Unknown role {role!r}: use one of operator, supervisor" in bad.err
    assert "Traceback" not in bad.err


def test_a_bad_new_username_is_a_usage_error(cli: Cli) -> None:
    bad = cli("user", "add", "x y", "--role", "operator")
    assert bad.status == 2
    assert "argument NAME: Username 'x y' is not valid" in bad.err


def test_user_list_json(cli: Cli, staffed: Staffed) -> None:
    listed = cli.signed(staffed.admin, "user", "list", "--json")
    assert listed.status == 0, listed.err
    people = json.loads(listed.out)
    assert [p["username"] for p in people] == ["admin", "jsmith"]
    assert set(people[0]) == {
        "username", "display_name", "role", "active", "locked", "throttled_until",
        "last_login_at", "failed_attempts", "created_at", "areas",
    }  # fmt: skip
    admin, jsmith = people
    assert admin["role"] == "administrator" and admin["display_name"] == "Ada Admin"
    assert admin["last_login_at"].endswith("Z")
    datetime.fromisoformat(admin["last_login_at"])
    assert jsmith == jsmith | {
        "role": "operator", "active": True, "locked": False, "last_login_at": None,
        "failed_attempts": 0, "throttled_until": None, "display_name": "Jo Smith",
    }  # fmt: skip


def test_user_list_table(cli: Cli, staffed: Staffed) -> None:
    listed = cli.signed(staffed.admin, "user", "list")
    assert listed.status == 0, listed.err
    header, *rows = listed.out.splitlines()
    assert header.split() == [
        "USERNAME", "DISPLAY", "NAME", "ROLE", "STATUS", "LOCKED", "LAST", "LOGIN", "(UTC)",
        "FAILURES",
    ]  # fmt: skip
    assert rows[0].split()[:4] == ["admin", "Ada", "Admin", "administrator"]
    assert rows[1].split() == ["jsmith", "Jo", "Smith", "operator", "active", "no", "never", "0"]


def test_control_characters_in_a_display_name_are_not_sent_to_the_terminal(
    cli: Cli, staffed: Staffed
) -> None:
    added = cli.signed(staffed.admin, "user", "add", "evil", "--role", "operator",
                       "--display-name", "Eve\x1b[2J\u202e", more=(NEW_PASSWORD,))  # fmt: skip
    assert added.status == 0, added.err
    listed = cli.signed(staffed.admin, "user", "list")
    assert "\x1b" not in listed.out and "\u202e" not in listed.out
    assert "Eve\\u001b[2J\\u202e" in listed.out


def test_disable_enable_and_their_errors(cli: Cli, staffed: Staffed) -> None:
    disabled = cli.signed(staffed.admin, "user", "disable", "JSmith")
    assert disabled.status == 0, disabled.err
    assert disabled.out.startswith("Disabled jsmith; ended 0 sessions.\n")
    assert "password and authenticator key are destroyed" in disabled.out
    assert cli.signed(staffed.operator, "whoami").status == 2
    again = cli.signed(staffed.admin, "user", "disable", "jsmith")
    assert again.status == 2 and "'jsmith' is already disabled." in again.err
    # the old credentials are gone: enabling gives a new password and a fresh enrolment
    enabled = cli.signed(staffed.admin, "user", "enable", "jsmith", more=(NEW_PASSWORD,))
    assert enabled.status == 0, enabled.err
    assert enabled.out.startswith("Enabled jsmith with a new password.\n")
    assert cli.signed(staffed.operator, "whoami").status == 2
    renewed = Person("jsmith", NEW_PASSWORD, enabled.seed, Role.OPERATOR)
    assert cli.signed(renewed, "whoami").status == 0
    missing = cli.signed(staffed.admin, "user", "enable", "nobody", more=(NEW_PASSWORD,))
    assert missing.status == 2 and "There is no account called 'nobody'." in missing.err


def test_the_last_administrator_cannot_be_disabled(cli: Cli, staffed: Staffed) -> None:
    refused = cli.signed(staffed.admin, "user", "disable", "admin")
    assert refused.status == 2
    assert "last active administrator" in refused.err


def test_reset_totp_prints_a_new_enrolment_and_the_old_seed_stops_working(
    cli: Cli, staffed: Staffed
) -> None:
    reset = cli.signed(staffed.admin, "user", "reset-totp", "jsmith")
    assert reset.status == 0, reset.err
    assert "otpauth://totp/Desk:jsmith?secret=" in reset.out
    new_seed = reset.seed
    assert new_seed != staffed.operator.seed
    old = cli.signed(staffed.operator, "whoami")
    assert old.status == 2 and "Sign-in failed." in old.err
    renewed = Person("jsmith", USER_PASSWORD, new_seed, Role.OPERATOR)
    assert cli.signed(renewed, "whoami").status == 0


def test_unlock_of_an_unlocked_account_is_a_conflict(cli: Cli, staffed: Staffed) -> None:
    done = cli.signed(staffed.admin, "user", "unlock", "jsmith")
    assert done.status == 2
    assert "'jsmith' is not locked." in done.err


def test_languages_are_set_and_listed(cli: Cli, staffed: Staffed) -> None:
    done = cli.signed(staffed.admin, "user", "languages", "jsmith", "en", "cy")
    assert done.status == 0 and "works in: en, cy" in done.out
    bad = cli.signed(staffed.admin, "user", "languages", "jsmith", "klingon")
    assert bad.status == 2 and "cy (Cymraeg" in bad.err
    assert staffed.desk.accounts.speakers_of(staffed.admin_token, "cy") == ["jsmith"]
