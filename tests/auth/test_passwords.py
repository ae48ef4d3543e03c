"""Password verifiers are made at the shipped argon2 cost, and weaker ones are made again.

The rest of the suite hashes at argon2's cheapest parameters (tests/conftest.py); these tests
are the ones that see the real cost.
"""

from __future__ import annotations

import argon2
import pytest

from desk.auth import passwords
from desk.services.desk import Desk
from tests.backend import plain_reads, same_database
from tests.conftest import Staffed, next_code

SHIPPED = "$argon2id$v=19$m=65536,t=3,p=4$"
CHEAPEST = "$argon2id$v=19$m=8,t=1,p=1$"


def _verifier(desk: Desk, username: str) -> str:
    with plain_reads(desk) as db:
        row = db.execute(
            "SELECT password_verifier FROM accounts WHERE username = ?", (username,)
        ).fetchone()
    assert row is not None
    return str(row[0])


@pytest.mark.real_password_cost
def test_accounts_are_stored_with_argon2id_at_64_mib_and_three_passes(staffed: Staffed) -> None:
    assert _verifier(staffed.desk, "admin").startswith(SHIPPED)
    assert _verifier(staffed.desk, "jsmith").startswith(SHIPPED)
    # the stored verifier is argon2 over the peppered password, never the password itself
    assert staffed.operator.password not in _verifier(staffed.desk, "jsmith")


def test_a_verifier_made_at_a_lower_cost_is_made_again_at_sign_in(
    staffed: Staffed, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _verifier(staffed.desk, "jsmith").startswith(CHEAPEST)  # the tests' cost
    monkeypatch.setattr(passwords, "PARAMETERS", argon2.profiles.RFC_9106_LOW_MEMORY)
    desk = Desk.open(staffed.desk.profile, staffed.clock, same_database(staffed.desk))
    try:
        person = staffed.operator
        code = next_code(person.seed, staffed.clock)
        desk.signin.sign_in(person.username, person.password, code)
        assert _verifier(desk, "jsmith").startswith(SHIPPED)
        assert _verifier(desk, "admin").startswith(CHEAPEST)  # not signed in: unchanged
        # and the password still works against the new verifier
        code = next_code(person.seed, staffed.clock)
        assert desk.signin.sign_in(person.username, person.password, code).token
    finally:
        desk.close()
