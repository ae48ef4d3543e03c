"""The same migrations, audit chain and sign-in on PostgreSQL, for a shared desk."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from desk.core.clock import ManualClock
from desk.core.roles import Role
from desk.paths import Profile
from desk.services.desk import Desk
from desk.store.db import Database
from tests.conftest import ADMIN_PASSWORD, current_code, next_code

pytestmark = pytest.mark.postgres


def test_shared_desk_on_postgres(
    memory_keyring, profile: Profile, clock: ManualClock, pg_database: Database
) -> None:
    desk = Desk.open(profile, clock, db=pg_database)
    enrol = desk.accounts.new_enrolment("admin")
    desk.accounts.create_first_admin(
        "admin", "Ada", ADMIN_PASSWORD, enrol.seed, current_code(enrol.seed, clock)
    )
    code = next_code(enrol.seed, clock)
    token = desk.signin.sign_in("admin", ADMIN_PASSWORD, code).token
    with pytest.raises(Exception, match=r"failed|Sign-in"):
        desk.signin.sign_in("admin", ADMIN_PASSWORD, code)
    before = desk.audit.verify(token).checked  # set-up, the defaults installed, the sign-in
    desk.accounts.add_user(token, "jsmith", "Jo", Role.OPERATOR, "operator pass phrase 2026")
    report = desk.audit.verify(token)
    assert report.intact and report.checked == before + 1
    with pytest.raises(DBAPIError, match="append-only"), pg_database.write() as s:
        s.execute(text("DELETE FROM audit_log"))
    assert desk.audit.verify(token).checked == report.checked
