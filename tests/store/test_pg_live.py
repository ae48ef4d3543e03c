"""The PostgreSQL change listener: woken at commit, never by a rollback, back after a drop."""

from __future__ import annotations

import logging
import threading

import pytest
from sqlalchemy import text

from desk.store import change_listener
from desk.store.change_listener import PgListener
from desk.store.db import Database

WAIT = 10


def _listen(db: Database, woken: threading.Event) -> PgListener:
    watch = change_listener.watch(db.engine, None, woken.set)
    assert isinstance(watch, PgListener)
    assert watch.connected.wait(WAIT), "the listener never connected"
    assert woken.wait(WAIT)  # it wakes once as it starts listening: catch up
    woken.clear()
    return watch


def test_a_notify_wakes_at_commit_and_a_rollback_never(pg_database: Database) -> None:
    woken = threading.Event()
    watch = _listen(pg_database, woken)
    try:
        with pg_database.write() as s:
            change_listener.announce(s, "1 case:1")
            assert not woken.wait(0.7), "woken before the commit"
        assert woken.wait(WAIT), "not woken after the commit"
        woken.clear()

        def rolled_back() -> None:
            with pg_database.write() as s:
                change_listener.presence_changed(s)
                raise RuntimeError("rolled back")

        with pytest.raises(RuntimeError):
            rolled_back()
        assert not woken.wait(1.5), "woken by a rolled-back change"
    finally:
        watch.close()


def test_the_listener_reconnects_and_says_so(
    pg_database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    woken = threading.Event()
    watch = _listen(pg_database, woken)
    try:
        with caplog.at_level(logging.WARNING, logger="desk.store.change_listener"):
            with pg_database.engine.begin() as conn:  # the server drops the listener's line
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE query LIKE 'LISTEN desk_changes%' AND pid <> pg_backend_pid()"
                    )
                )
            assert woken.wait(WAIT), "no catch-up wake-up after reconnecting"
            assert watch.connected.wait(WAIT)
        said = " ".join(r.getMessage() for r in caplog.records)
        assert "lost the database server" in said
        assert "connected to the database server again" in said
        woken.clear()
        with pg_database.write() as s:
            change_listener.announce(s, "2 case:1")
        assert woken.wait(WAIT), "not woken after reconnecting"
    finally:
        watch.close()
    assert not watch._thread.is_alive()  # stopped cleanly
