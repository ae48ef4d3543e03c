"""Desk's keys live only in a usable OS keyring; with none, Desk refuses to start."""

from __future__ import annotations

import base64
import threading
import time
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends import fail, null
from keyring.errors import KeyringLocked
from keyrings.alt.file import EncryptedKeyring, PlaintextKeyring

from desk.auth import secrets as desk_secrets
from desk.auth.secrets import AUDIT_HEAD
from desk.core.clock import ManualClock
from desk.core.errors import KeyringUnavailable
from desk.paths import Profile, resolve_profile
from desk.services.desk import Desk
from tests.conftest import (
    ADMIN_PASSWORD,
    START,
    Staffed,
    current_code,
    next_code,
    require_integration,
)
from tests.keyrings import MemoryKeyring


class SlowKeyring(MemoryKeyring):
    """A keyring that never answers in time, like a locked collection waiting on a prompt."""

    def get_password(self, service: str, username: str) -> str | None:
        # an event's timed wait, not time.sleep: faketime's sleep misreads a real monotonic
        # clock, and the suite also runs under faketime (scripts/test.sh)
        threading.Event().wait(3)
        return None


class LockedKeyring(MemoryKeyring):
    """A keyring whose collection stays locked."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")


@pytest.fixture
def use_backend():
    previous = keyring.get_keyring()

    def set_backend(backend: keyring.backend.KeyringBackend) -> None:
        keyring.set_keyring(backend)

    yield set_backend
    keyring.set_keyring(previous)


@pytest.mark.parametrize(
    ("backend", "says"),
    [
        (fail.Keyring(), "no keyring backend is available"),
        (null.Keyring(), "switched off"),
    ],
)
def test_refuses_without_a_real_backend(use_backend, profile: Profile, backend, says) -> None:
    use_backend(backend)
    with pytest.raises(KeyringUnavailable, match=says) as err:
        Desk.open(profile)
    assert "Secret Service" in err.value.message
    assert not profile.db_path.exists()


def test_refuses_keyrings_alt_plaintext_and_writes_no_file(
    use_backend, profile: Profile, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    backend = PlaintextKeyring()
    use_backend(backend)
    with pytest.raises(KeyringUnavailable, match="plain or weakly protected file"):
        Desk.open(profile)
    assert not Path(backend.file_path).exists()
    assert not (tmp_path / "xdg").exists() or not any((tmp_path / "xdg").rglob("*.cfg"))


def test_refuses_keyrings_alt_weakly_encrypted_file() -> None:
    # built without __init__, which would need pycryptodome: the class alone decides
    backend = EncryptedKeyring.__new__(EncryptedKeyring)
    assert "weakly protected file" in (desk_secrets.refusal_reason(backend) or "")


def test_a_keyring_that_does_not_answer_is_refused_in_time(
    use_backend, profile: Profile, monkeypatch
) -> None:
    monkeypatch.setattr(desk_secrets, "KEYRING_TIMEOUT_SECONDS", 0.5)
    use_backend(SlowKeyring())
    started = time.monotonic()
    with pytest.raises(KeyringUnavailable, match="did not answer"):
        Desk.open(profile)
    assert time.monotonic() - started < 2.5


def test_a_locked_keyring_is_refused(use_backend, profile: Profile) -> None:
    use_backend(LockedKeyring())
    with pytest.raises(KeyringUnavailable, match="locked"):
        Desk.open(profile)


def test_keys_are_made_once_per_profile_and_kept(memory_keyring: MemoryKeyring, tmp_path) -> None:
    one, two = resolve_profile(tmp_path / "one"), resolve_profile(tmp_path / "two")
    Desk.open(one).close()
    Desk.open(two).close()
    services = {service for service, _ in memory_keyring.entries}
    assert services == {
        desk_secrets.service_name(one.data_dir),
        desk_secrets.service_name(two.data_dir),
    }
    before = dict(memory_keyring.entries)
    Desk.open(one).close()
    assert memory_keyring.entries == before


def test_database_holds_no_key_and_no_seed(staffed: Staffed, memory_keyring: MemoryKeyring) -> None:
    staffed.desk.close()
    raw = b"".join(p.read_bytes() for p in staffed.desk.profile.data_dir.glob("desk.sqlite3*"))
    for (_, name), secret in memory_keyring.entries.items():
        if name == AUDIT_HEAD:  # not a secret: the audit chain's head, kept outside the file
            continue
        assert secret.encode() not in raw
        assert base64.b64decode(secret) not in raw
    for seed in (staffed.admin.seed, staffed.operator.seed):
        assert seed.encode() not in raw
    assert ADMIN_PASSWORD.encode() not in raw


def test_copied_database_without_the_keyring_logs_no_one_in(
    staffed: Staffed, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    """Someone with a copy of the file and another keyring cannot use it."""
    staffed.desk.close()
    memory_keyring.entries.clear()
    with pytest.raises(KeyringUnavailable, match="will not make a new key"):
        Desk.open(staffed.desk.profile)


def _secret_service_backend() -> keyring.backend.KeyringBackend:
    try:
        from keyring.backends import SecretService

        backend = SecretService.Keyring()
        backend.get_password("desk-test-probe", "probe")
    except Exception as exc:
        require_integration(f"a Secret Service ({type(exc).__name__})")
    return backend


@pytest.mark.secret_service
def test_real_secret_service_round_trip(use_backend, tmp_path: Path) -> None:
    """As on a Linux desktop: keys in GNOME Keyring, the desk reopens and signs people in."""
    use_backend(_secret_service_backend())
    profile = resolve_profile(tmp_path / "desk")
    clock = ManualClock(START)
    desk = Desk.open(profile, clock)
    try:
        enrol = desk.accounts.new_enrolment("admin")
        desk.accounts.create_first_admin(
            "admin", "Ada", ADMIN_PASSWORD, enrol.seed, current_code(enrol.seed, clock)
        )
        desk.close()
        stored = keyring.get_password(desk_secrets.service_name(profile.data_dir), "desk-key")
        assert stored is not None and len(base64.b64decode(stored)) == 32
        reopened = Desk.open(profile, clock)
        result = reopened.signin.sign_in("admin", ADMIN_PASSWORD, next_code(enrol.seed, clock))
        assert result.actor.username == "admin"
        assert reopened.audit.verify(result.token).intact
        reopened.close()
    finally:
        for name in ("desk-key", "audit-key"):
            keyring.delete_password(desk_secrets.service_name(profile.data_dir), name)


def test_a_chain_uses_its_real_keyring_and_never_the_file(tmp_path: Path, monkeypatch) -> None:
    """keyring chains every viable backend when keyrings.alt is installed; Desk picks one."""
    from keyring.backends.chainer import ChainerBackend

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    real, plain = MemoryKeyring(), PlaintextKeyring()
    chain = ChainerBackend.__new__(ChainerBackend)
    monkeypatch.setattr(ChainerBackend, "backends", property(lambda self: [plain, real]))
    assert desk_secrets.choose_backend(chain) is real
    monkeypatch.setattr(ChainerBackend, "backends", property(lambda self: [plain]))
    with pytest.raises(KeyringUnavailable, match="plain or weakly protected file"):
        desk_secrets.choose_backend(chain)
    assert not Path(plain.file_path).exists()
