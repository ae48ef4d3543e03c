"""The shared-desk claims figure: every cell measured, on SQLite and PostgreSQL, or skipped.

Like the runner's own test it asserts no times (CI machines vary): only that each cell came
back with numbers for Desk and the raw limit, that what was claimed is really claimed, and
that the benchmark leaves nothing behind on the server.
"""

from __future__ import annotations

import math
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import runner, shared_claims
from bench.figures import Figure, table
from bench.shared_claims import Cell
from desk.paths import resolve_profile
from tests.conftest import require_integration
from tests.keyrings import MemoryKeyring

SECONDS = 0.3
COUNTS = (1, 3)  # two cells are enough to show the figure's shape; the runner runs 1, 4, 16


@pytest.fixture
def two_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run 1 and 3 workers instead of 1, 4 and 16 (the forked workers inherit this)."""
    monkeypatch.setattr(shared_claims, "WORKER_COUNTS", COUNTS)


def _numbers(fig: Figure) -> None:
    rows = [fig, *fig.parts.values()]
    assert [p.name for p in rows] == [fig.name, "p99", "workers_3", "workers_3_p99"]
    for part in rows:
        for value in (part.desk, part.limit):
            assert value is not None and math.isfinite(value) and value > 0, (part.name, value)
    cells = fig.details["cells"]
    for side in ("desk", "limit"):
        assert [c["workers"] for c in cells[side]] == list(COUNTS)
        assert all(c["claims"] > 0 and c["refused"] == 0 for c in cells[side]), cells[side]


def _lines(_text: str) -> None:
    """The runner's log, unused here."""


def test_claims_on_sqlite_against_bare_updates(
    memory_keyring: MemoryKeyring, tmp_path: Path, two_cells: None
) -> None:
    fig = shared_claims.measure_sqlite(tmp_path, SECONDS, _lines)
    assert fig.name == "claims_sqlite" and fig.unit == "claims/s"
    _numbers(fig)
    printed = table([fig]).splitlines()
    assert printed[1].startswith("claims_sqlite ")
    assert any(line.startswith("  workers_3_p99 ") for line in printed)
    # every claim a worker counted is a claimed case on the desk's file and in its audit
    conn = sqlite3.connect(resolve_profile(tmp_path / "claims-sqlite").db_path)
    try:
        owned = conn.execute("SELECT count(*) FROM cases WHERE owner_id IS NOT NULL").fetchone()[0]
        audited = conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'case.claim'"
        ).fetchone()[0]
    finally:
        conn.close()
    claims = sum(c["claims"] for c in fig.details["cells"]["desk"])
    assert owned == audited == claims


def test_without_a_server_the_postgresql_figure_says_skipped(tmp_path: Path) -> None:
    fig = shared_claims.measure_postgresql(tmp_path, SECONDS, None, _lines)
    assert (fig.desk, fig.limit) == (None, None)
    assert fig.note == "skipped: no server (set DESK_TEST_PG_URL or pass --pg-url)"
    assert "skipped: no server" in table([fig])


def test_a_server_that_cannot_be_used_is_named_and_skipped(tmp_path: Path) -> None:
    url = "postgresql+psycopg://bench:secret@127.0.0.1:1/desk"  # nothing listens on port 1
    fig = shared_claims.measure_postgresql(tmp_path, SECONDS, url, _lines)
    assert (fig.desk, fig.limit) == (None, None)
    assert fig.note.startswith(
        "skipped: cannot make the benchmark's databases on"
        " postgresql+psycopg://bench:***@127.0.0.1:1/desk: "
    ), fig.note
    assert "secret" not in fig.note


@pytest.mark.postgres
def test_claims_on_postgresql_and_nothing_left_on_the_server(
    memory_keyring: MemoryKeyring, tmp_path: Path, two_cells: None
) -> None:
    url = os.environ.get("DESK_TEST_PG_URL")
    if not url:
        require_integration("the PostgreSQL server (DESK_TEST_PG_URL)")
    assert url is not None
    fig = shared_claims.measure_postgresql(tmp_path, SECONDS, url, _lines)
    assert fig.name == "claims_postgresql"
    _numbers(fig)
    engine = create_engine(make_url(url).set(database="postgres"))
    try:
        with engine.connect() as conn:
            left = conn.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE 'desk_bench_%'")
            ).all()
    finally:
        engine.dispose()
    assert left == []


def test_cell_arithmetic() -> None:
    cell = Cell(4, claims=300, seconds=2.0, times=[0.001] * 98 + [0.5, 0.9])
    assert cell.per_second == 150
    assert cell.p99_ms() == 500
    assert Cell(4).per_second is None and Cell(4).p99_ms() is None


def test_claim_seconds_follow_the_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(shared_claims.PG_ENV, raising=False)
    assert runner.parse(["--quick"])[0].claim_seconds == runner.QUICK_CLAIM_SECONDS
    assert runner.parse(["--items", "300"])[0].claim_seconds == runner.SMOKE_CLAIM_SECONDS
    assert runner.parse([])[0].claim_seconds == runner.CLAIM_SECONDS
    assert runner.parse(["--quick", "--claim-seconds", "5"])[0].claim_seconds == 5
    assert runner.parse(["--quick"])[0].pg_url is None
    monkeypatch.setenv(shared_claims.PG_ENV, "postgresql+psycopg://u@h/db")
    assert runner.parse(["--quick"])[0].pg_url == "postgresql+psycopg://u@h/db"
    assert runner.parse(["--quick", "--pg-url", "postgresql+psycopg://v@h/x"])[0].pg_url == (
        "postgresql+psycopg://v@h/x"
    )
