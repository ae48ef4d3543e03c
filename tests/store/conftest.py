"""Fixtures for the storage tests: a clean PostgreSQL schema for the shared-desk tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from desk.store.db import Database
from tests.conftest import require_integration


@pytest.fixture
def pg_database() -> Iterator[Database]:
    """The test PostgreSQL server (scripts/with-postgres.sh) with an empty public schema."""
    url = os.environ.get("DESK_TEST_PG_URL")
    if not url:
        require_integration("the PostgreSQL server (DESK_TEST_PG_URL)")
    assert url is not None
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    yield db
    db.dispose()
