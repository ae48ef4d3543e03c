"""A retention cut of the audit log on PostgreSQL: the trigger lets through only the entries
a signed checkpoint covers, and the chain verifies from it."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from desk.core.clock import ManualClock
from desk.paths import Profile
from desk.services.desk import Desk
from desk.store.db import Database
from tests.conftest import ADMIN_PASSWORD, current_code, next_code

pytestmark = pytest.mark.postgres


def test_the_audit_is_cut_behind_a_checkpoint_on_postgres(
    memory_keyring, profile: Profile, clock: ManualClock, pg_database: Database
) -> None:
    desk = Desk.open(profile, clock, db=pg_database)
    enrol = desk.accounts.new_enrolment("admin")
    desk.accounts.create_first_admin(
        "admin", "Ada", ADMIN_PASSWORD, enrol.seed, current_code(enrol.seed, clock)
    )
    token = desk.signin.sign_in("admin", ADMIN_PASSWORD, next_code(enrol.seed, clock)).token
    desk.settings.set(token, "retention_rules", "audit=1y delete")
    with pytest.raises(DBAPIError, match="append-only"), pg_database.write() as s:
        s.execute(text("DELETE FROM audit_log WHERE seq = 1"))
    clock.advance(days=366)
    token = desk.signin.sign_in("admin", ADMIN_PASSWORD, next_code(enrol.seed, clock)).token
    report = desk.retention.run(token, approve=True)
    assert report.counts["audit"] > 0
    checked = desk.audit.verify(token)
    assert checked.intact, checked.problem
    (cut,) = checked.cuts
    assert cut.count == report.counts["audit"]
    with pytest.raises(DBAPIError, match="append-only"), pg_database.write() as s:
        s.execute(text("DELETE FROM audit_log"))
    desk.close()
