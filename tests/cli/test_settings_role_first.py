"""Issue 15 item 13: ``settings set`` checks the role before the value.

The attack: an operator (or someone with no account at all) runs ``settings set`` with values
out of range and reads the allowed range from the refusal. Before the fix the value was
checked before anyone signed in.
"""

from __future__ import annotations

from tests.cli.conftest import Cli
from tests.conftest import Staffed


def test_an_operator_reads_the_role_refusal_not_the_range(cli: Cli, staffed: Staffed) -> None:
    done = cli.signed(staffed.operator, "settings", "set", "idle_lock_minutes", "9999")
    assert done.status == 2
    assert "The operator role may not change settings." in done.err
    assert "outside" not in done.err and "240" not in done.err
    assert staffed.desk.settings.get("idle_lock_minutes") == 10


def test_someone_without_an_account_reads_only_the_sign_in_refusal(
    cli: Cli, staffed: Staffed
) -> None:
    args = ("--user", "nobody", "--password-stdin", "--code", "000000", "settings", "set")
    done = cli(*args, "surge_multiple", "99", stdin="a guess\n")
    assert done.status == 2
    assert "outside" not in done.err and "1.5 to 50" not in done.err
    assert "Sign-in failed" in done.err or "sign in" in done.err.lower()
