"""Password rules, throttling arithmetic and the role table."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.core import signin_policy as policy
from desk.core.errors import InvalidInput, PermissionDenied
from desk.core.password_policy import password_problem
from desk.core.roles import Action, Role, may, parse_role, require

COMMON = frozenset({"password1234", "qwertyuiopasdfgh"})


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short pass", "at least 12"),
        ("x" * 129, "at most 128"),
        ("Password1234", "common or breached"),
        ("aaaaaaaaaaaaaaaa", "one character repeated"),
        ("jsmith.jsmith", None),
    ],
)
def test_password_problems(password: str, fragment: str | None) -> None:
    problem = password_problem(password, COMMON, "someone")
    assert (problem is None) if fragment is None else (fragment in (problem or ""))


def test_long_passwords_and_any_characters_are_fine() -> None:
    assert password_problem("äöü ßçé ŵŷ " * 6, COMMON) is None
    assert password_problem("no rules about symbols or digits", COMMON) is None


def test_username_as_password_refused() -> None:
    assert "username" in (password_problem("Jo.Smith.2026", COMMON, "jo.smith.2026") or "")


def test_delay_grows_from_the_fifth_failure() -> None:
    assert [policy.delay_after(n) for n in range(1, 5)] == [timedelta(0)] * 4
    delays = [policy.delay_after(n).total_seconds() for n in range(5, 10)]
    assert delays == sorted(delays) and delays[0] > 0 and len(set(delays)) == 5
    assert policy.should_lock(10) and not policy.should_lock(9)


def test_one_table_decides() -> None:
    assert may(Role.ADMINISTRATOR, Action.MANAGE_USERS)
    assert not may(Role.OPERATOR, Action.MANAGE_USERS)
    assert may(Role.SUPERVISOR, Action.VIEW_SIGNIN_ACTIVITY)
    with pytest.raises(PermissionDenied, match="operator role may not manage users"):
        require(Role.OPERATOR, Action.MANAGE_USERS)
    assert parse_role(" Supervisor ") is Role.SUPERVISOR
    with pytest.raises(InvalidInput, match="Unknown role 'boss'"):
        parse_role("boss")
