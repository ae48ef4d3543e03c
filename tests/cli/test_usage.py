"""``--help``, usage errors, and refusals of the keyring or the database."""

from __future__ import annotations

import io
import logging

import keyring
import pytest
from keyring.backends import fail

from desk.cli.main import main
from desk.paths import Profile
from desk.services.accounts import AccountService
from tests.cli.conftest import Cli
from tests.conftest import ADMIN_PASSWORD, Staffed, next_code

COMMANDS = [
    [],
    ["init"],
    ["login"],
    ["logout"],
    ["whoami"],
    ["user"],
    ["user", "add"],
    ["user", "list"],
    ["user", "disable"],
    ["user", "enable"],
    ["user", "unlock"],
    ["user", "reset-totp"],
    ["user", "languages"],
    ["user", "role"],
    ["user", "review"],
    ["official-account"],
    ["official-account", "add"],
    ["official-account", "list"],
    ["import"],
    ["queue"],
    ["case"],
    ["case", "show"],
    ["case", "claim"],
    ["case", "release"],
    ["case", "assign"],
    ["case", "note"],
    ["case", "assess"],
    ["case", "close"],
    ["case", "reopen"],
    ["case", "redact"],
    ["audit"],
    ["audit", "list"],
    ["audit", "verify"],
    ["settings"],
    ["settings", "list"],
    ["settings", "set"],
]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdin=io.StringIO(), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "desk-admin")
def test_help_for_every_command(command: list[str]) -> None:
    status, out, err = run(*command, "--help")
    assert status == 0
    assert out.startswith("usage: desk-admin " + " ".join(command))
    assert "exit status:" in out and "3  the OS keyring or the database refused" in out
    assert err == ""


def test_help_names_the_environment() -> None:
    out = run("--help")[1]
    for name in ("DESK_DATA_DIR", "DESK_USER", "DESK_CODE", "DESK_SESSION"):
        assert name in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--bogus", "whoami"], "unrecognized arguments: --bogus"),
        (["whoami", "--user", "admin"], "unrecognized arguments: --user admin"),
        ([], "the following arguments are required: COMMAND"),
        (["user"], "the following arguments are required: USER_COMMAND"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["user", "add", "x1"], "the following arguments are required: --role"),
        (["case"], "the following arguments are required: CASE_COMMAND"),
        (["case", "close", "1"], "the following arguments are required: --outcome"),
        (["case", "assess", "1", "--threat", "t"], "required: --harm, --risk, --investigation"),
        (["import"], "the following arguments are required: FILE"),
        (["queue", "--status"], "argument --status: expected at least one argument"),
    ],
)
def test_usage_errors_exit_2_with_a_clear_message(argv: list[str], message: str) -> None:
    status, out, err = run(*argv)
    assert status == 2
    assert message in err
    assert out == ""


def test_a_misplaced_code_is_not_repeated_in_the_usage_error() -> None:
    status, out, err = run("login", "--code", "123456")
    assert status == 2
    assert "unrecognized arguments: --code" in err
    assert "123456" not in out + err


@pytest.mark.sqlite_only  # about the profile's own SQLite file
def test_a_command_on_a_missing_profile_creates_nothing(cli: Cli, profile: Profile) -> None:
    missing = profile.data_dir / "elsewhere"
    status, _, err = run("--data-dir", str(missing), "--user", "admin", "whoami")
    assert status == 2
    assert f"There is no Desk profile in {missing}" in err
    assert not missing.exists()


def test_the_data_dir_can_come_from_the_environment(
    cli: Cli, staffed: Staffed, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESK_DATA_DIR", str(profile.data_dir))
    code = next_code(staffed.operator.seed, staffed.clock)
    out, err = io.StringIO(), io.StringIO()
    status = main(
        ["--user", "jsmith", "--password-stdin", "--code", code, "whoami"],
        clock=staffed.clock,
        stdin=io.StringIO(staffed.operator.password + "\n"),
        stdout=out,
        stderr=err,
    )
    assert status == 0, err.getvalue()
    assert "Username:      jsmith" in out.getvalue()


def test_a_refused_keyring_exits_3(cli: Cli) -> None:
    keyring.set_keyring(fail.Keyring())  # the memory_keyring fixture puts the old one back
    done = cli("--user", "admin", "--password-stdin", "init", stdin=ADMIN_PASSWORD + "\n")
    assert done.status == 3
    assert "no keyring backend is available" in done.err
    assert "Traceback" not in done.err


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_a_damaged_database_exits_3(cli: Cli, profile: Profile) -> None:
    profile.db_path.write_bytes(b"this is not a database" * 100)
    done = cli("--user", "admin", "whoami")
    assert done.status == 3
    assert "cannot be read" in done.err or "damaged" in done.err
    assert done.err.count("\n") == 1


@pytest.mark.sqlite_only  # about the profile's own SQLite file
def test_an_empty_profile_says_to_run_init(cli: Cli, staffed: Staffed, profile: Profile) -> None:
    # a database with no accounts yet (the window was opened, the wizard not finished)
    other = profile.data_dir / "fresh"
    first = run("--data-dir", str(other), "--user", "a1", "--password-stdin", "init")
    assert first[0] == 2  # no password line: nothing created, but the database now exists
    status, _, err = run("--data-dir", str(other), "--user", "a1", "whoami")
    assert status == 2
    assert "has no accounts yet" in err


def test_each_run_logs_to_the_profile_without_secrets(cli: Cli, profile: Profile) -> None:
    done = cli("--user", "admin", "--password-stdin", "init", stdin=ADMIN_PASSWORD + "\n")
    assert done.status == 0
    refused = cli("--user", "admin", "--password-stdin", "--code", "123456", "whoami",
                  stdin="wrong password\n")  # fmt: skip
    assert refused.status == 2
    text = (profile.log_dir / "desk.log").read_text()
    assert "desk-admin init" in text and "desk-admin whoami" in text
    assert "refused: signin.failed" in text
    for secret in (ADMIN_PASSWORD, "wrong password", "123456", done.seed):
        assert secret not in text
    assert not [h for h in logging.getLogger().handlers if getattr(h, "desk_handler", False)]


def test_an_unexpected_error_is_one_line_and_logged(
    cli: Cli, staffed: Staffed, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: object, token: str) -> None:
        raise RuntimeError("something broke")

    monkeypatch.setattr(AccountService, "list_users", broken)
    done = cli.signed(staffed.admin, "user", "list")
    assert done.status == 4
    assert done.err.startswith("desk-admin: unexpected error (RuntimeError)")
    assert "Traceback" not in done.err and done.err.count("\n") == 1
    text = (profile.log_dir / "desk.log").read_text()
    assert "failed unexpectedly" in text and "something broke" in text
