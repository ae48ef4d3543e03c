"""The session check of every call: one read while the session is fresh, every rule kept."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desk.core.errors import PermissionDenied, ReauthenticationRequired, SessionEnded
from desk.core.roles import Action, Role
from desk.store.tables import SignInSession
from tests.conftest import Staffed, WorkingClock


def last_used(staffed: Staffed, session_id: int) -> object:
    with staffed.desk.ctx.db.read() as s:
        return s.scalar(select(SignInSession.last_used_at).where(SignInSession.id == session_id))


def test_a_fresh_session_is_read_not_written_then_touched_after_30_seconds(
    staffed: Staffed,
    windows_left_idle: WorkingClock,  # only the calls here use the session
) -> None:
    token = staffed.sign_in(staffed.operator)
    actor = staffed.desk.signin.authorize(token, Action.VIEW_QUEUE)
    assert (actor.username, actor.role) == ("jsmith", Role.OPERATOR)
    signed_in = last_used(staffed, actor.session_id)
    staffed.clock.advance(seconds=20)
    again = staffed.desk.signin.authorize(token, Action.VIEW_QUEUE)
    assert again == actor
    assert last_used(staffed, actor.session_id) == signed_in  # nothing written
    staffed.clock.advance(seconds=15)
    staffed.desk.signin.authorize(token)
    assert last_used(staffed, actor.session_id) == staffed.clock.now()


def test_the_quick_check_still_refuses_what_it_must(staffed: Staffed) -> None:
    d = staffed.desk
    with pytest.raises(SessionEnded):
        d.signin.authorize("not-a-token")
    token = staffed.sign_in(staffed.operator)
    with pytest.raises(PermissionDenied):
        d.signin.authorize(token, Action.VIEW_AUDIT)  # an operator's role does not allow it
    d.signin.lock(token)
    with pytest.raises(ReauthenticationRequired, match="locked"):
        d.signin.authorize(token)
    other = staffed.sign_in(staffed.operator)
    d.signin.authorize(other)
    d.accounts.disable(staffed.admin_token, "jsmith")  # within the 30 seconds: still refused
    with pytest.raises(SessionEnded, match="disabled"):
        d.signin.authorize(other)
