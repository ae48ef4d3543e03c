"""Devices: each session's workstation and last use; a person or an administrator signs one out."""

from __future__ import annotations

import pytest

from desk.core.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ReauthenticationRequired,
    SessionEnded,
)
from desk.core.signin_policy import SESSION_MAX_AGE
from desk.services.signin import CLI, GUI, workstation_label
from tests.conftest import Person, Staffed, next_code


def _sign_in(staffed: Staffed, person: Person, kind: str, workstation: str) -> str:
    code = next_code(person.seed, staffed.clock)
    desk = staffed.desk
    return desk.signin.sign_in(person.username, person.password, code, kind, workstation).token


def test_a_person_lists_their_active_sessions_with_workstation_and_last_use(
    staffed: Staffed,
) -> None:
    d, clock = staffed.desk, staffed.clock
    window = _sign_in(staffed, staffed.operator, GUI, "PC-0142")
    command = _sign_in(staffed, staffed.operator, CLI, "laptop-jo")
    started = clock.now()
    clock.advance(minutes=5)
    d.signin.authorize(command)  # used: its last use moves on
    mine = d.devices.mine(window)
    assert [(v.kind, v.workstation, v.current) for v in mine] == [
        (CLI, "laptop-jo", False),
        (GUI, "PC-0142", True),
    ]
    assert mine[0].created_at == started and mine[0].last_used_at == clock.now()
    assert {v.username for v in mine} == {"jsmith"}  # not the administrator's session
    # a session signed out, or left idle past its limit, is no longer a device signed in
    clock.advance(minutes=16)
    assert [v.kind for v in d.devices.mine(window)] == [GUI]
    d.signin.sign_out(window)
    other = _sign_in(staffed, staffed.operator, GUI, "PC-0142")
    assert [v.id for v in d.devices.mine(other)] == [d.signin.authorize(other).session_id]


def test_the_workstation_name_is_kept_printable_and_short() -> None:
    assert workstation_label("  PC\n0142\x1b[31m ") == "PC 0142 [31m"
    assert workstation_label("\u202eevil") == "evil"
    assert len(workstation_label("x" * 300)) == 64
    assert workstation_label("") == ""


def test_signing_out_another_device_ends_it_with_a_clear_reason_and_an_audit_entry(
    staffed: Staffed,
) -> None:
    d = staffed.desk
    window = _sign_in(staffed, staffed.operator, GUI, "PC-0142")
    command = _sign_in(staffed, staffed.operator, CLI, "laptop-jo")
    target = next(v for v in d.devices.mine(window) if v.kind == CLI)
    ended = d.devices.sign_out_session(window, target.id)
    assert (ended.id, ended.workstation) == (target.id, "laptop-jo")
    with pytest.raises(SessionEnded) as refused:
        d.signin.authorize(command)
    assert refused.value.message == (
        "This session (laptop-jo) was signed out from another device by jsmith: sign in again."
    )
    assert [v.kind for v in d.devices.mine(window)] == [GUI]
    entries = staffed.desk.audit.entries(staffed.admin_token, action_prefix="session.sign_out")
    assert [(e.actor, e.action, e.object) for e in entries] == [
        ("jsmith", "session.sign_out_device", "account:jsmith")
    ]
    assert '"workstation":"laptop-jo"' in entries[0].details.replace(" ", "")
    assert command not in entries[0].details and window not in entries[0].details
    with pytest.raises(Conflict, match="already ended"):
        d.devices.sign_out_session(window, target.id)


def test_the_session_in_use_is_not_signed_out_as_a_device(staffed: Staffed) -> None:
    d = staffed.desk
    window = _sign_in(staffed, staffed.operator, GUI, "PC-0142")
    own = d.signin.authorize(window).session_id
    with pytest.raises(InvalidInput, match="sign out instead"):
        d.devices.sign_out_session(window, own)
    assert d.signin.authorize(window).username == "jsmith"


def test_a_person_cannot_list_or_end_someone_elses_session(staffed: Staffed) -> None:
    d = staffed.desk
    window = _sign_in(staffed, staffed.operator, GUI, "PC-0142")
    admin_session = d.signin.authorize(staffed.admin_token).session_id
    with pytest.raises(PermissionDenied, match="only your own"):
        d.devices.list_sessions(window, "admin")
    with pytest.raises(NotFound, match="You have no session numbered"):
        d.devices.sign_out_session(window, admin_session)
    assert d.signin.authorize(staffed.admin_token).username == "admin"  # still signed in
    # without a name, an operator gets their own sessions only
    assert {v.username for v in d.devices.list_sessions(window)} == {"jsmith"}


def test_an_administrator_lists_and_signs_out_anyones_session(staffed: Staffed) -> None:
    d = staffed.desk
    window = _sign_in(staffed, staffed.operator, GUI, "PC-0142")
    everyone = d.devices.list_sessions(staffed.admin_token)
    assert {v.username for v in everyone} == {"admin", "jsmith"}
    assert [v.username for v in d.devices.list_sessions(staffed.admin_token, "JSmith")] == [
        "jsmith"
    ]
    with pytest.raises(NotFound, match="no account called"):
        d.devices.list_sessions(staffed.admin_token, "nobody")
    theirs = next(v for v in everyone if v.username == "jsmith")
    d.devices.sign_out_session(staffed.admin_token, theirs.id)
    with pytest.raises(SessionEnded, match="signed out from another device by admin"):
        d.signin.authorize(window)
    with pytest.raises(NotFound, match="no session numbered 999"):
        d.devices.sign_out_session(staffed.admin_token, 999)


def test_a_locked_window_signed_out_elsewhere_cannot_be_unlocked(staffed: Staffed) -> None:
    d = staffed.desk
    window = _sign_in(staffed, staffed.operator, GUI, "PC-0142")
    d.signin.lock(window)
    locked = next(v for v in d.devices.list_sessions(staffed.admin_token) if v.locked)
    assert locked.username == "jsmith"  # a locked window is still signed in
    d.devices.sign_out_session(staffed.admin_token, locked.id)
    code = next_code(staffed.operator.seed, staffed.clock)
    with pytest.raises(SessionEnded, match="by admin"):
        d.signin.reauthenticate(window, staffed.operator.password, code)


def test_a_renewed_session_keeps_its_workstation(staffed: Staffed) -> None:
    d, clock = staffed.desk, staffed.clock
    window = _sign_in(staffed, staffed.operator, GUI, "PC-0142")
    clock.advance(seconds=SESSION_MAX_AGE.total_seconds() + 1)
    with pytest.raises(ReauthenticationRequired):
        d.signin.authorize(window)
    code = next_code(staffed.operator.seed, clock)
    renewed = d.signin.reauthenticate(window, staffed.operator.password, code)
    assert [v.workstation for v in d.devices.mine(renewed)] == ["PC-0142"]
