"""``desk-admin init``: the first administrator on an empty profile."""

from __future__ import annotations

import re

import pytest

from desk.core.clock import ManualClock
from desk.paths import Profile
from desk.services.desk import Desk
from tests.backend import database_from_environment
from tests.cli.conftest import Cli
from tests.conftest import ADMIN_PASSWORD, current_code

QR_BLOCKS = re.compile("[█▀▄]")


def _accounts_exist(profile: Profile, clock: ManualClock) -> bool:
    desk = Desk.open(profile, clock, database_from_environment())
    try:
        return not desk.accounts.first_run_needed()
    finally:
        desk.close()


def test_init_prints_uri_seed_and_qr_and_the_admin_can_sign_in(cli: Cli) -> None:
    done = cli("--user", "Admin", "--password-stdin", "init", "--display-name", "Ada Admin",
               stdin=ADMIN_PASSWORD + "\n")  # fmt: skip
    assert done.status == 0, done.err
    seed = done.seed
    assert len(seed) == 32
    assert f"otpauth://totp/Desk:admin?secret={seed}&issuer=Desk" in done.out
    assert len(QR_BLOCKS.findall(done.out)) > 100
    assert "authenticator app" in done.out
    assert ADMIN_PASSWORD not in done.out + done.err

    login = cli("--user", "admin", "--password-stdin", "--code", current_code(seed, cli.clock),
                "login", stdin=ADMIN_PASSWORD + "\n")  # fmt: skip
    me = cli("whoami", session=login.token)
    assert me.status == 0, me.err
    assert "admin" in me.out and "Ada Admin" in me.out and "administrator" in me.out


def test_a_second_init_is_refused(cli: Cli) -> None:
    assert (
        cli("--user", "admin", "--password-stdin", "init", stdin=ADMIN_PASSWORD + "\n").status == 0
    )
    again = cli("--user", "other", "--password-stdin", "init", stdin=ADMIN_PASSWORD + "\n")
    assert again.status == 2
    assert "already has accounts" in again.err
    assert "Traceback" not in again.err
    assert again.out == ""


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("password1234", "common or breached"),
        ("short pw", "at least 12 characters"),
        ("zzzzzzzzzzzzzz", "one character repeated"),
    ],
)
def test_a_weak_password_is_refused_and_nothing_is_created(
    cli: Cli, profile: Profile, clock: ManualClock, password: str, problem: str
) -> None:
    done = cli("--user", "admin", "--password-stdin", "init", stdin=password + "\n")
    assert done.status == 2
    assert problem in done.err
    assert password not in done.out + done.err
    assert done.err.count("\n") == 1  # one line
    assert not _accounts_exist(profile, clock)


def test_init_needs_a_user(cli: Cli) -> None:
    done = cli("--password-stdin", "init", stdin=ADMIN_PASSWORD + "\n")
    assert done.status == 2
    assert "init needs --user NAME" in done.err


def test_init_refuses_a_bad_username(cli: Cli, profile: Profile, clock: ManualClock) -> None:
    done = cli("--user", "9 lives", "--password-stdin", "init", stdin=ADMIN_PASSWORD + "\n")
    assert done.status == 2
    assert "Username '9 lives' is not valid" in done.err


def test_init_takes_the_user_from_the_environment(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESK_USER", "boss")
    done = cli("--password-stdin", "init", stdin=ADMIN_PASSWORD + "\n")
    assert done.status == 0, done.err
    assert "Authenticator enrolment for boss:" in done.out


def test_missing_stdin_line_is_a_clear_error(
    cli: Cli, profile: Profile, clock: ManualClock
) -> None:
    done = cli("--user", "admin", "--password-stdin", "init", stdin="")
    assert done.status == 2
    assert "Standard input ended before the new password for admin" in done.err
    assert not _accounts_exist(profile, clock)


def test_without_a_terminal_or_password_stdin_nothing_is_asked(cli: Cli) -> None:
    done = cli("--user", "admin", "init", stdin=ADMIN_PASSWORD + "\n")
    assert done.status == 2
    assert "not a terminal" in done.err and "--password-stdin" in done.err


class FakeGetpass:
    """Answers getpass prompts from a list, and remembers the prompts."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []

    def __call__(self, prompt: str = "Password: ", stream: object = None) -> str:
        self.prompts.append(prompt)
        return self.answers.pop(0)


def test_on_a_terminal_the_new_password_is_asked_twice(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeGetpass(ADMIN_PASSWORD, ADMIN_PASSWORD)
    monkeypatch.setattr("getpass.getpass", fake)
    done = cli("--user", "admin", "init", tty=True)
    assert done.status == 0, done.err
    assert fake.prompts == ["New password for admin: ", "Type the new password again: "]


def test_on_a_terminal_two_different_passwords_are_refused(
    cli: Cli, profile: Profile, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getpass", FakeGetpass(ADMIN_PASSWORD, ADMIN_PASSWORD + "x"))
    done = cli("--user", "admin", "init", tty=True)
    assert done.status == 2
    assert "differ" in done.err
    assert not _accounts_exist(profile, clock)


def test_on_a_terminal_a_weak_password_is_refused_before_it_is_repeated(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeGetpass("password1234")
    monkeypatch.setattr("getpass.getpass", fake)
    done = cli("--user", "admin", "init", tty=True)
    assert done.status == 2
    assert "common or breached" in done.err
    assert len(fake.prompts) == 1
