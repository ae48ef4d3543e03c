"""The demo profile: people to sign in as, and a realistic queue to work."""

from __future__ import annotations

from desk.core.queue_filter import QueueFilter
from desk.services import demo
from desk.services.desk import Desk
from tests.conftest import next_code


def test_demo_profile_has_people_and_a_realistic_queue(memory_keyring, profile, clock) -> None:
    desk = Desk.open(profile, clock)
    logins = demo.populate(desk)
    assert demo.populate_queue(desk, items=300) == 300
    person = next(p for p in logins if p.role.value == "operator")
    code = demo.current_code(desk, person.username)
    assert code is not None and len(code) == 6
    token = desk.signin.sign_in(
        person.username, person.password, next_code(person.seed, clock)
    ).token
    rows = desk.queue.page(token, QueueFilter(), limit=500)
    assert 150 < len(rows) <= 300  # some items join their author's open case
    assert {r.platform for r in rows} >= {"facebook", "x"}
    assert any(r.priority == 1 for r in rows)
    assert rows[0].priority == min(r.priority for r in rows)
    assert any(r.language == "cy" for r in rows)
    desk.close()


def test_outside_a_demo_no_code_is_ever_shown(desk) -> None:
    enrol = desk.accounts.new_enrolment("admin")
    desk.accounts.create_first_admin("admin", "A", "a long admin passphrase", enrol.seed)
    assert demo.current_code(desk, "admin") is None


def test_discarding_a_demo_removes_its_folder_and_keys(memory_keyring, tmp_path, clock) -> None:
    profile = demo.make_demo_profile(tmp_path)
    desk = Desk.open(profile, clock)
    demo.populate(desk)
    assert memory_keyring.entries
    demo.discard(desk)
    assert not profile.data_dir.exists()
    assert memory_keyring.entries == {}


def test_a_real_profile_is_never_discarded(desk) -> None:
    import pytest

    with pytest.raises(ValueError, match="only a demo"):
        demo.discard(desk)
    assert desk.profile.data_dir.exists()
