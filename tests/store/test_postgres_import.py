"""The bulk import and the queue's pages on PostgreSQL: the same results as on SQLite."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.core.clock import ManualClock
from desk.core.queue_filter import QueueFilter
from desk.paths import Profile
from desk.sample.generator import generate, official_accounts
from desk.services import importing
from desk.services.desk import Desk
from desk.store.db import Database
from tests.conftest import ADMIN_PASSWORD, START, current_code, next_code

pytestmark = pytest.mark.postgres


def test_import_in_chunks_and_page_the_queue(
    memory_keyring,
    profile: Profile,
    clock: ManualClock,
    pg_database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk = Desk.open(profile, clock, db=pg_database)
    enrol = desk.accounts.new_enrolment("admin")
    desk.accounts.create_first_admin(
        "admin", "Ada", ADMIN_PASSWORD, enrol.seed, current_code(enrol.seed, clock)
    )
    token = desk.signin.sign_in("admin", ADMIN_PASSWORD, next_code(enrol.seed, clock)).token
    for platform, handle in official_accounts():
        desk.official_accounts.add(token, platform, handle)
    monkeypatch.setattr(importing, "CHUNK", 97)
    sample = list(generate(600, seed=4, start=START - timedelta(hours=6), span=timedelta(hours=6)))
    report = desk.importer.store(token, iter(sample), "sample")
    assert report.added == 600 and report.cases_opened + report.cases_joined == 600
    again = desk.importer.store(token, iter(sample[:150]), "again")
    assert (again.added, again.duplicates) == (0, 150)
    everything = [r.case_id for r in desk.queue.page(token, QueueFilter(), limit=1000)]
    assert len(everything) == report.cases_opened == desk.queue.count(token, QueueFilter())
    for offset in (0, 13, len(everything) - 5):
        page = desk.queue.page(token, QueueFilter(), limit=10, offset=offset)
        assert [r.case_id for r in page] == everything[offset : offset + 10]
    found = desk.queue.page(token, QueueFilter(search="shared"), limit=1000)
    assert found and all(r.case_id in everything for r in found)
    assert desk.audit.verify(token).intact
    desk.close()
