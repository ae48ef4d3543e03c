"""A wrong key in the keyring is refused, naming the entry, and locks no one out (issue 15, #5)."""

from __future__ import annotations

import base64
import json
import secrets

import pytest

from desk.auth.secrets import AUDIT_KEY, DESK_KEY, service_name
from desk.core.errors import KeyringUnavailable, SignInFailed
from desk.services.desk import Desk
from desk.services.key_check import KEY_CHECK_SETTING
from desk.store.tables import Account, Setting
from tests.backend import same_database
from tests.conftest import Person, Staffed, next_code
from tests.keyrings import MemoryKeyring


def another_desks_key() -> str:
    """A key as the keyring keeps it: 32 random bytes, base64 (it decodes fine)."""
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def open_and_sign_in(staffed: Staffed, person: Person) -> None:
    """Start Desk on the profile and sign ``person`` in, as the login window does."""
    desk = Desk.open(staffed.desk.profile, staffed.clock, same_database(staffed.desk))
    try:
        desk.signin.sign_in(person.username, person.password, next_code(person.seed, staffed.clock))
    finally:
        desk.close()


def failures(staffed: Staffed) -> dict[str, tuple[int, bool]]:
    with staffed.desk.ctx.db.read() as s:
        return {
            a.username: (a.failed_attempts, a.locked_at is not None) for a in s.query(Account).all()
        }


def test_another_desks_key_is_refused_at_open_and_no_one_is_locked(
    staffed: Staffed, memory_keyring: MemoryKeyring
) -> None:
    profile, clock, admin = staffed.desk.profile, staffed.clock, staffed.admin
    staffed.desk.close()
    entry = (service_name(profile.data_dir), DESK_KEY)
    own = memory_keyring.entries[entry]
    memory_keyring.entries[entry] = another_desks_key()
    for _ in range(10):  # the last administrator tries again and again
        with pytest.raises(KeyringUnavailable) as refused:
            open_and_sign_in(staffed, admin)
        message = refused.value.message
        assert f"keyring entry '{DESK_KEY}' of service '{entry[0]}'" in message
        assert "does not belong to this desk's database" in message
        assert "put back this desk's own key" in message
    memory_keyring.entries[entry] = own
    desk = Desk.open(profile, clock, same_database(staffed.desk))
    try:
        staffed.desk = desk
        assert all(count == 0 and not locked for count, locked in failures(staffed).values())
        desk.signin.sign_in(admin.username, admin.password, next_code(admin.seed, clock))
    finally:
        desk.close()


def test_a_desk_already_open_refuses_sign_in_when_the_check_does_not_match(
    staffed: Staffed,
) -> None:
    """On PostgreSQL another workstation shares the database: the check is made at sign-in."""
    op, clock = staffed.operator, staffed.clock
    with staffed.desk.ctx.db.write() as s:
        row = s.get(Setting, KEY_CHECK_SETTING)
        assert row is not None
        row.value = json.dumps({DESK_KEY: "0" * 64, AUDIT_KEY: "0" * 64})
    for _ in range(10):
        with pytest.raises(KeyringUnavailable, match="'desk-key' and 'audit-key'"):
            staffed.desk.signin.sign_in(op.username, op.password, next_code(op.seed, clock))
    assert failures(staffed)[op.username] == (0, False)


def test_a_wrong_audit_key_is_named(staffed: Staffed, memory_keyring: MemoryKeyring) -> None:
    profile, clock = staffed.desk.profile, staffed.clock
    staffed.desk.close()
    entry = (service_name(profile.data_dir), AUDIT_KEY)
    memory_keyring.entries[entry] = another_desks_key()
    with pytest.raises(KeyringUnavailable, match=f"keyring entry '{AUDIT_KEY}' of service"):
        Desk.open(profile, clock, same_database(staffed.desk))


def test_a_profile_without_a_check_value_gets_one_on_first_open(
    staffed: Staffed, memory_keyring: MemoryKeyring
) -> None:
    profile, clock, op = staffed.desk.profile, staffed.clock, staffed.operator
    with staffed.desk.ctx.db.write() as s:  # as a profile made before the check existed
        row = s.get(Setting, KEY_CHECK_SETTING)
        assert row is not None
        s.delete(row)
    staffed.desk.close()
    desk = Desk.open(profile, clock, same_database(staffed.desk))
    try:
        with desk.ctx.db.read() as s:
            assert s.get(Setting, KEY_CHECK_SETTING) is not None
        desk.signin.sign_in(op.username, op.password, next_code(op.seed, clock))
    finally:
        desk.close()
    entry = (service_name(profile.data_dir), DESK_KEY)
    memory_keyring.entries[entry] = another_desks_key()
    with pytest.raises(KeyringUnavailable):
        Desk.open(profile, clock, same_database(staffed.desk))


def test_the_check_value_is_not_a_setting_anyone_can_change(staffed: Staffed) -> None:
    from desk.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="Unknown setting"):
        staffed.desk.settings.set(staffed.admin_token, KEY_CHECK_SETTING, "{}")
    assert KEY_CHECK_SETTING not in staffed.desk.settings.all()


def test_a_wrong_password_is_still_a_counted_failure(staffed: Staffed) -> None:
    op, clock = staffed.operator, staffed.clock
    with pytest.raises(SignInFailed):
        staffed.desk.signin.sign_in(op.username, "not the password", next_code(op.seed, clock))
    assert failures(staffed)[op.username] == (1, False)
