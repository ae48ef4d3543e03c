"""Work run in a fresh process, so that its time and peak memory are its own.

``python -m bench.child TASK`` reads a JSON payload on stdin (including the in-memory
keyring's entries: the keys never touch a file) and prints one JSON line of results.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from bench import window
from bench.keyring_memory import install
from bench.timing import memory_mb


def desk_import(payload: dict[str, Any]) -> dict[str, Any]:
    """Import the file into the fresh profile, then read the queue's first screenful."""
    from desk.core.clock import SystemClock
    from desk.core.queue_filter import QueueFilter
    from desk.ingest import reader
    from desk.paths import resolve_profile
    from desk.services.desk import Desk

    install(payload["keyring"])
    desk = Desk.open(resolve_profile(payload["data_dir"]), SystemClock())
    before = memory_mb()
    path = Path(payload["file"])
    started = time.perf_counter()
    if hasattr(desk.importer, "import_file"):  # the one way a file comes in
        report = desk.importer.import_file(payload["token"], path).report
    elif hasattr(reader, "stream_items"):  # one reading, each record validated as it is stored
        streamed = reader.stream_items(path)
        report = desk.importer.store(payload["token"], streamed.items(), source=str(path))
    elif hasattr(reader, "check_items"):  # an older Desk: checked whole, then read again
        checked = reader.check_items(path)
        report = desk.importer.store(payload["token"], checked.items(), source=str(path))
    else:  # an older Desk, measured for the record: the whole file in memory
        batch = reader.read_items(path)
        report = desk.importer.store(payload["token"], batch.items, source=str(path))
        del batch
    seconds = time.perf_counter() - started
    view = QueueFilter(statuses=frozenset(payload["statuses"]))
    rows = desk.queue.page(payload["operator_token"], view, limit=payload["screenful"])
    after = memory_mb()
    desk.close()
    return {
        "seconds": seconds,
        "total": report.total,
        "added": report.added,
        "cases": report.cases_opened,
        "rows": len(rows),
        "before": before,
        "after": after,
    }


def raw_import(payload: dict[str, Any]) -> dict[str, Any]:
    """Insert the file's rows with plain sqlite3, then read the first screenful of items."""
    from bench import raw

    db = Path(payload["db"])
    raw.create_items_table(db)
    before = memory_mb()
    started = time.perf_counter()
    count = raw.import_items(db, Path(payload["file"]), payload.get("one_statement", False))
    seconds = time.perf_counter() - started
    conn = raw.connect(db)
    rows = conn.execute(
        "SELECT * FROM items ORDER BY id LIMIT ?", (payload["screenful"],)
    ).fetchall()
    conn.close()
    return {
        "seconds": seconds,
        "total": count,
        "rows": len(rows),
        "before": before,
        "after": memory_mb(),
    }


def desk_open(payload: dict[str, Any]) -> dict[str, Any]:
    """Open the N-item profile and read the queue's first screenful: the app's resting memory."""
    from desk.core.clock import SystemClock
    from desk.core.queue_filter import QueueFilter
    from desk.paths import resolve_profile
    from desk.services.desk import Desk

    install(payload["keyring"])
    desk = Desk.open(resolve_profile(payload["data_dir"]), SystemClock())
    view = QueueFilter(statuses=frozenset(payload["statuses"]))
    rows = desk.queue.page(payload["operator_token"], view, limit=payload["screenful"])
    after = memory_mb()
    desk.close()
    return {"rows": len(rows), "after": after}


def raw_open(payload: dict[str, Any]) -> dict[str, Any]:
    """Read the same screenful from the same file with plain sqlite3."""
    from bench import raw

    conn = raw.connect(Path(payload["db"]))
    rows = conn.execute(raw.queue_sql(), (*payload["statuses"], payload["screenful"])).fetchall()
    conn.close()
    return {"rows": len(rows), "after": memory_mb()}


TASKS = {
    "desk-import": desk_import,
    "raw-import": raw_import,
    "desk-open": desk_open,
    "raw-open": raw_open,
    "desk-window": window.desk_window,
    "raw-window": window.raw_window,
}


def main() -> int:
    """Run the task named on the command line with the payload on stdin."""
    payload = json.loads(sys.stdin.read())
    result = TASKS[sys.argv[1]](payload)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
