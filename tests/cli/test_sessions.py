"""``login``, ``logout``, ``whoami`` and DESK_SESSION: the same rules as the login window."""

from __future__ import annotations

import pytest

from desk.core.errors import SignInFailed
from tests.cli.conftest import Cli, wrong_code
from tests.conftest import Staffed, current_code, next_code

GENERIC = f"desk-admin: error: {SignInFailed().message}\n"


def test_login_prints_the_token_alone_and_later_commands_accept_it(
    cli: Cli, staffed: Staffed
) -> None:
    code = next_code(staffed.admin.seed, cli.clock)
    login = cli("--user", "admin", "--password-stdin", "--code", code, "login",
                stdin=staffed.admin.password + "\n")  # fmt: skip
    token = login.token
    assert len(token) >= 40 and " " not in token
    assert "Signed in as admin (administrator)" in login.err
    assert "export DESK_SESSION=" in login.err
    assert code not in login.out + login.err
    assert staffed.admin.password not in login.out + login.err

    me = cli("whoami", session=token)
    assert me.status == 0, me.err
    assert "Username:      admin" in me.out and "Session:       DESK_SESSION" in me.out
    listed = cli("user", "list", session=token)
    assert listed.status == 0 and "jsmith" in listed.out


def test_login_ignores_an_old_session(cli: Cli, staffed: Staffed) -> None:
    old = cli.login(staffed.admin)
    code = next_code(staffed.admin.seed, cli.clock)
    new = cli("--user", "admin", "--password-stdin", "--code", code, "login",
              stdin=staffed.admin.password + "\n", session=old)  # fmt: skip
    assert new.token != old


def test_logout_ends_the_session(cli: Cli, staffed: Staffed) -> None:
    token = cli.login(staffed.admin)
    out = cli("logout", session=token)
    assert out.status == 0 and out.out == "Signed out admin: the token no longer works.\n"
    after = cli("whoami", session=token)
    assert after.status == 2
    assert after.err == "desk-admin: error: You signed out: sign in again.\n"
    assert cli("logout", session=token).out == "That session had already ended: nothing to do.\n"


def test_logout_needs_a_session(cli: Cli, staffed: Staffed) -> None:
    done = cli("--user", "admin", "logout")
    assert done.status == 2
    assert "DESK_SESSION is not set" in done.err


def test_the_token_stops_after_15_idle_minutes(cli: Cli, staffed: Staffed) -> None:
    token = cli.login(staffed.admin)
    cli.clock.advance(minutes=14)
    assert cli("whoami", session=token).status == 0  # use keeps it alive
    cli.clock.advance(minutes=14)
    assert cli("whoami", session=token).status == 0
    cli.clock.advance(minutes=15, seconds=1)
    idle = cli("whoami", session=token)
    assert idle.status == 2
    assert "idle for over 15 minutes" in idle.err
    cli.clock.advance(seconds=1)
    assert cli("whoami", session=token).status == 2


def test_the_token_stops_after_12_hours_however_busy(cli: Cli, staffed: Staffed) -> None:
    token = cli.login(staffed.admin)
    for _ in range(12 * 6):  # every ten minutes for twelve hours
        cli.clock.advance(minutes=10)
        staffed.desk.signin.authorize(token)
    cli.clock.advance(seconds=1)
    done = cli("whoami", session=token)
    assert done.status == 2
    assert "over 12 hours old" in done.err


def test_the_token_stops_when_the_person_is_disabled(cli: Cli, staffed: Staffed) -> None:
    token = cli.login(staffed.operator)
    assert cli("whoami", session=token).status == 0
    disabled = cli.signed(staffed.admin, "user", "disable", "jsmith")
    assert disabled.out.startswith("Disabled jsmith; ended 1 session.\n")
    done = cli("whoami", session=token)
    assert done.status == 2
    assert "Your account has been disabled" in done.err


def test_a_code_works_once(cli: Cli, staffed: Staffed) -> None:
    code = next_code(staffed.admin.seed, cli.clock)
    args = ("--user", "admin", "--password-stdin", "--code", code, "login")
    assert cli(*args, stdin=staffed.admin.password + "\n").status == 0
    replay = cli(*args, stdin=staffed.admin.password + "\n")
    assert replay.status == 2
    assert replay.out == ""
    assert replay.err == GENERIC


def test_wrong_password_and_unknown_user_get_the_same_generic_message(
    cli: Cli, staffed: Staffed
) -> None:
    code = next_code(staffed.admin.seed, cli.clock)
    wrong = cli("--user", "admin", "--password-stdin", "--code", code, "whoami",
                stdin="not the password\n")  # fmt: skip
    nobody = cli("--user", "nobody", "--password-stdin", "--code", code, "whoami",
                 stdin="not the password\n")  # fmt: skip
    assert wrong.status == nobody.status == 2
    assert wrong.err == nobody.err == GENERIC
    assert "not the password" not in wrong.err


def test_ten_wrong_codes_lock_the_account_until_an_admin_unlocks_it(
    cli: Cli, staffed: Staffed
) -> None:
    op = staffed.operator
    for _ in range(10):
        cli.clock.advance(seconds=301)  # past the growing throttle, so each attempt counts
        bad = cli("--user", op.username, "--password-stdin", "--code",
                  wrong_code(op.seed, cli.clock), "login", stdin=op.password + "\n")  # fmt: skip
        assert bad.status == 2 and bad.err == GENERIC
    # now even the right code is refused, with the same message
    locked = cli.signed(op, "login")
    assert locked.status == 2 and locked.err == GENERIC

    audit = cli.signed(staffed.admin, "audit", "list", "--action", "signin.lock")
    assert audit.status == 0, audit.err
    assert "signin.lock" in audit.out and "account:jsmith" in audit.out
    users = cli.signed(staffed.admin, "user", "list")
    assert "jsmith" in users.out and " yes " in users.out

    unlocked = cli.signed(staffed.admin, "user", "unlock", "jsmith")
    assert unlocked.status == 0 and unlocked.out == "Unlocked jsmith.\n"
    assert cli.signed(op, "whoami").status == 0


def test_a_session_for_someone_else_than_user_is_refused(cli: Cli, staffed: Staffed) -> None:
    token = cli.login(staffed.operator)
    done = cli("--user", "admin", "whoami", session=token)
    assert done.status == 2
    assert "DESK_SESSION is jsmith's session but --user" in done.err


def test_an_unknown_token_is_refused(cli: Cli, staffed: Staffed) -> None:
    done = cli("whoami", session="not-a-token")
    assert done.status == 2
    assert "You are not signed in" in done.err


def test_a_one_command_sign_in_leaves_no_session(cli: Cli, staffed: Staffed) -> None:
    me = cli.signed(staffed.operator, "whoami")
    assert me.status == 0
    assert "this command only" in me.out
    newest = staffed.desk.audit.entries(staffed.admin_token, limit=2)
    assert [e.action for e in newest] == ["session.signout", "signin.success"]
    assert '"kind":"cli"' in newest[1].details


def test_without_a_terminal_the_code_is_required(cli: Cli, staffed: Staffed) -> None:
    done = cli("--user", "admin", "--password-stdin", "whoami",
               stdin=staffed.admin.password + "\n")  # fmt: skip
    assert done.status == 2
    assert "--code" in done.err and "DESK_CODE" in done.err


def test_the_code_can_come_from_the_environment(
    cli: Cli, staffed: Staffed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESK_USER", "jsmith")
    monkeypatch.setenv("DESK_CODE", next_code(staffed.operator.seed, cli.clock))
    done = cli("--password-stdin", "whoami", stdin=staffed.operator.password + "\n")
    assert done.status == 0, done.err


def test_without_anyone_named_it_says_how_to_sign_in(cli: Cli, staffed: Staffed) -> None:
    done = cli("whoami")
    assert done.status == 2
    assert "--user NAME" in done.err and "DESK_SESSION" in done.err


def test_on_a_terminal_password_and_code_are_asked_without_echo(
    cli: Cli, staffed: Staffed, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.clock.advance(seconds=30)
    answers = [staffed.admin.password, current_code(staffed.admin.seed, cli.clock)]
    prompts: list[str] = []

    def fake_getpass(prompt: str = "", stream: object = None) -> str:
        prompts.append(prompt)
        return answers.pop(0)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    done = cli("--user", "admin", "whoami", tty=True)
    assert done.status == 0, done.err
    assert prompts == ["Password for admin: ", "One-time code for admin: "]


def test_a_signin_alert_is_shown_after_failures(cli: Cli, staffed: Staffed) -> None:
    op = staffed.operator
    for _ in range(3):
        cli.clock.advance(seconds=30)
        cli("--user", "jsmith", "--password-stdin", "--code", "000000", "whoami",
            stdin="wrong password\n")  # fmt: skip
    done = cli.signed(op, "whoami")
    assert done.status == 0
    assert "Warning: 3 failed sign-in attempts on jsmith's account" in done.err
