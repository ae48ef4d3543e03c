"""The issue's done-when: a second Desk on another data folder, pointed at the same PostgreSQL
server, shows the first one's claim within a second, without a restart or a refresh.

Runs whenever the test PostgreSQL server does (scripts/with-postgres.sh sets DESK_TEST_PG_URL):
both desks here are on that server whatever the run's backend.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desk.auth.secrets import AUDIT_HEAD, AUDIT_KEY, DESK_KEY, KeyStore
from desk.gui.workers import Worker
from desk.paths import resolve_profile
from desk.services.desk import Desk
from desk.store.db import Database
from tests import backend
from tests.conftest import Staffed, require_integration
from tests.gui.queue_fixtures import fill_queue
from tests.gui.test_live_updates import claim_seen_by_the_other, supervisor, window_on


@pytest.fixture
def database_url() -> Iterator[str]:
    """This module's desks are on the test PostgreSQL server, always."""
    if not os.environ.get("DESK_TEST_PG_URL"):
        require_integration("the PostgreSQL server (DESK_TEST_PG_URL)")
    with backend.fresh_database_url() as url:
        yield url


def copy_keys(first: Path, second: Path) -> None:
    """Give the second data folder the first's keys, keyring to keyring."""
    source, target = KeyStore(first), KeyStore(second)
    for name in (DESK_KEY, AUDIT_KEY, AUDIT_HEAD):
        value = source.read_text(name)
        if value is not None:
            target.write_text(name, value)


def test_a_second_desk_on_the_same_server_sees_a_claim_within_a_second(
    qtbot: QtBot, staffed: Staffed, worker: Worker, tmp_path: Path
) -> None:
    d = staffed.desk
    assert d.ctx.db.engine.dialect.name == "postgresql"
    fill_queue(staffed)
    kim = supervisor(staffed)
    folder = resolve_profile(tmp_path / "second-workstation").create()
    assert folder.data_dir != d.profile.data_dir
    copy_keys(d.profile.data_dir, folder.data_dir)
    other = Desk.open(folder, staffed.clock, Database(d.ctx.db.url))
    try:
        with (
            window_on(qtbot, d, staffed.operator, staffed.clock, worker) as first,
            window_on(qtbot, other, kim, staffed.clock, worker) as second,
        ):
            assert type(second.queue.live._watch).__name__ == "PgListener"
            claim_seen_by_the_other(qtbot, first, second, staffed)
    finally:
        other.close()
