"""desk-admin as a real program: the console script, and one end-to-end run with oathtool
codes and the real Secret Service keyring."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desk.auth.secrets import AUDIT_KEY, DESK_KEY, service_name
from tests.cli.conftest import DESK_ENV, SEED_LINE
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, need_command


def desk_admin() -> list[str]:
    """The installed console script, or the module when it is not installed."""
    script = Path(sys.executable).with_name("desk-admin")
    return [str(script)] if script.exists() else [sys.executable, "-m", "desk.cli"]


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in DESK_ENV}


@pytest.mark.parametrize("program", [desk_admin(), [sys.executable, "-m", "desk.cli"]],
                         ids=["console-script", "python-m"])  # fmt: skip
def test_the_program_runs(program: list[str]) -> None:
    helped = subprocess.run([*program, "user", "add", "--help"], capture_output=True, text=True,
                            env=_clean_env(), timeout=60, check=False)  # fmt: skip
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("usage: desk-admin user add")
    bad = subprocess.run([*program, "--bogus", "whoami"], capture_output=True, text=True,
                         env=_clean_env(), timeout=60, check=False)  # fmt: skip
    assert bad.returncode == 2
    assert "unrecognized arguments: --bogus" in bad.stderr
    assert "Traceback" not in bad.stderr


class Program:
    """Runs desk-admin on one profile, as a person at a shell would."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def __call__(
        self, *args: str, stdin: str = "", session: str | None = None, status: int = 0
    ) -> subprocess.CompletedProcess[str]:
        env = _clean_env()
        # keyring's own choice, as on a desktop; with keyrings.alt installed (a test extra) it
        # is a chain with a plain-file backend behind the Secret Service, and Desk must pick
        # the Secret Service out of it.
        if session is not None:
            env["DESK_SESSION"] = session
        done = subprocess.run(
            [*desk_admin(), "--data-dir", str(self.data_dir), *args],
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == status, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        return done


def oathtool_code(oathtool: str, seed: str, ahead: int = 0) -> str:
    """Return the code oathtool computes for ``seed`` at now + ``ahead`` seconds."""
    moment = int(time.time()) + ahead
    made = subprocess.run(
        [oathtool, "--totp", "--base32", "--now", f"@{moment}", "-"],  # the seed on stdin
        input=seed,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    code = made.stdout.strip()
    assert len(code) == 6 and code.isdigit(), made
    return code


def _seed(out: str) -> str:
    found = SEED_LINE.search(out)
    assert found, out
    return found.group(1)


@pytest.mark.secret_service
@pytest.mark.oathtool
def test_end_to_end_with_oathtool_codes_and_the_secret_service(
    tmp_path: Path, secret_service: None
) -> None:
    oathtool = need_command("oathtool")
    data_dir = tmp_path / "profile"
    desk = Program(data_dir)
    try:
        init = desk("--user", "admin", "--password-stdin", "init", stdin=ADMIN_PASSWORD + "\n")
        admin_seed = _seed(init.stdout)

        code = oathtool_code(oathtool, admin_seed)
        login = desk("--user", "admin", "--password-stdin", "--code", code, "login",
                     stdin=ADMIN_PASSWORD + "\n")  # fmt: skip
        token = login.stdout.strip()
        assert login.stdout == token + "\n"

        added = desk("--password-stdin", "user", "add", "jsmith", "--role", "operator",
                     stdin=USER_PASSWORD + "\n", session=token)  # fmt: skip
        operator_seed = _seed(added.stdout)
        listed = desk("user", "list", session=token)
        assert "jsmith" in listed.stdout and "operator" in listed.stdout
        people = json.loads(desk("user", "list", "--json", session=token).stdout)
        assert [p["username"] for p in people] == ["admin", "jsmith"]

        # The login spent this step's code; the next step's code is good now (±1 step).
        replay = desk("--user", "admin", "--password-stdin", "--code", code, "audit", "verify",
                      stdin=ADMIN_PASSWORD + "\n", status=2)  # fmt: skip
        assert "Sign-in failed." in replay.stderr
        ahead = oathtool_code(oathtool, admin_seed, ahead=30)
        verified = desk("--user", "admin", "--password-stdin", "--code", ahead, "audit",
                        "verify", stdin=ADMIN_PASSWORD + "\n")  # fmt: skip
        assert verified.stdout.startswith("Audit chain intact: ")

        op_login = desk("--user", "jsmith", "--password-stdin", "--code",
                        oathtool_code(oathtool, operator_seed), "login",
                        stdin=USER_PASSWORD + "\n")  # fmt: skip
        me = desk("whoami", session=op_login.stdout.strip())
        assert "Role:          operator" in me.stdout

        desk("logout", session=token)
        ended = desk("whoami", session=token, status=2)
        assert "You signed out" in ended.stderr
    finally:
        _forget_keys(data_dir)


def _forget_keys(data_dir: Path) -> None:
    """Remove the profile's keys from the Secret Service (a developer's real one, maybe)."""
    from keyring.backends import SecretService

    for name in (DESK_KEY, AUDIT_KEY):
        with contextlib.suppress(Exception):
            SecretService.Keyring().delete_password(service_name(data_dir), name)
