"""Running ``pg_dump`` and ``pg_restore``: their time limit, and a clock that cannot sleep.

The year-ahead test stage runs under faketime, where ``time.sleep`` fails (EINVAL): the tools
are waited for without it, and stopped by a timer when they run past their limit.
"""

from __future__ import annotations

import os
import time

import pytest

from desk.core.errors import DatabaseProblem
from desk.store import backup as store


def _no_sleep(_seconds: float) -> None:
    raise OSError(22, "Invalid argument")


def test_a_tool_that_outlives_its_output_is_waited_for_without_sleeping(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(time, "sleep", _no_sleep)
    # it closes its output at once, then runs on a little: a timed wait would poll with sleep
    argv = ["sh", "-c", "echo dumped; exec >&- 2>&-; sleep 0.3"]
    assert store._run_tool(argv, dict(os.environ), "pg_dump") == "dumped\n"


def test_a_tool_past_its_time_limit_is_stopped_and_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "_PG_TOOL_TIMEOUT", 0.3)
    started = time.monotonic()
    with pytest.raises(DatabaseProblem, match="pg_restore did not finish in"):
        store._run_tool(["sleep", "30"], dict(os.environ), "pg_restore")
    assert time.monotonic() - started < 10


def test_a_failing_tool_is_named_with_what_it_said() -> None:
    argv = ["sh", "-c", "echo 'pg_dump: error: connection refused' >&2; exit 1"]
    with pytest.raises(DatabaseProblem, match="pg_dump failed: pg_dump: error: connection refused"):
        store._run_tool(argv, dict(os.environ), "pg_dump")
