"""The runner: build the data, measure each figure against its raw limit, print and save.

Each figure is one function ``(world, options) -> Figure`` in :data:`FIGURES`, in the order
they run (the import builds the profile the later figures read; the queue window's model runs
once, in a child process, for queue open, filter and search, scroll and peak memory). A figure
that cannot be measured returns a :class:`~bench.figures.Figure` with ``None`` for its numbers
and a note saying why: the runner never prints a made-up number.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, cast

from bench import raw, shared_claims
from bench.figures import Figure, table
from bench.timing import alternate, alternate_values, median, percentile, seconds
from bench.world import OPERATOR, People, World
from desk.core.cases import OPEN_STATUSES, Outcome
from desk.core.queue_filter import QueueFilter, fts_query
from desk.paths import Profile
from desk.sample.generator import write_jsonl

DEFAULT_ITEMS = 1_000_000
QUICK_ITEMS = 10_000
SCREENFUL = 50
PAGE_STEPS = 30  # pages down from the top, for the scroll figure's keyset part
START_TIMEOUT = 300.0  # seconds for a cold start to show its window
# seconds each claims cell runs (bench/shared_claims.py): full size, --quick, a tiny smoke run
CLAIM_SECONDS = 10.0
QUICK_CLAIM_SECONDS = 2.0
SMOKE_CLAIM_SECONDS = 0.5

# the view a shift starts with, as the queue window's filter bar sets it: every open case
OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))
VIEW = QueueFilter(statuses=frozenset(OPEN))
# the filter and search figure: what an operator might narrow that view to
SEARCH = QueueFilter(
    statuses=frozenset(OPEN),
    priorities=frozenset({3, 4}),
    platforms=frozenset({"facebook", "x"}),
    search="traffic",
)


@dataclass(frozen=True)
class Options:
    """How much to measure."""

    items: int
    import_runs: int
    query_runs: int
    triage_cases: int
    verify_runs: int
    start_runs: int
    seed: int
    claim_seconds: float = QUICK_CLAIM_SECONDS
    pg_url: str | None = None  # the PostgreSQL server for the shared-desk cells


Measure = Callable[[World, Options], Figure]


def log(text: str) -> None:
    """Say what is happening, on stderr (stdout is the table)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# --- 1. import ------------------------------------------------------------------------------------


def _desk_import(world: World, opts: Options, profile: Profile, people: People) -> float:
    result = world.child(
        "desk-import",
        {
            "data_dir": str(profile.data_dir),
            "file": str(world.jsonl),
            "token": people.admin_token,
            "operator_token": people.operator_token,
            "screenful": SCREENFUL,
            "statuses": OPEN,
        },
    )
    if result["added"] != opts.items:
        raise RuntimeError(f"Desk stored {result['added']} of {opts.items} items")
    world.notes.setdefault("desk_import", result)
    log(
        f"import: Desk {result['seconds']:.2f} s, {result['cases']:,} cases,"
        f" peak {result['after']['peak']:.0f} MB"
    )
    return float(result["seconds"])


def _raw_import(world: World, opts: Options, db: Path, one_statement: bool) -> float:
    payload = {
        "db": str(db),
        "file": str(world.jsonl),
        "screenful": SCREENFUL,
        "one_statement": one_statement,
    }
    result = world.child("raw-import", payload)
    if result["total"] != opts.items:
        raise RuntimeError(f"raw import stored {result['total']} of {opts.items} rows")
    if not one_statement:
        world.notes.setdefault("raw_import", result)
    how = "json_each" if one_statement else "executemany"
    log(f"import: raw ({how}) {result['seconds']:.2f} s")
    for path in db.parent.glob(db.name + "*"):
        path.unlink()
    return float(result["seconds"])


def measure_import(world: World, opts: Options) -> Figure:
    """N items from the JSON Lines file into a fresh profile, against raw executemany + FTS5."""
    times: dict[str, list[float]] = {"desk": [], "limit": [], "json": []}
    for run in range(opts.import_runs):
        profile, people = world.new_profile(f"profile-{run}")
        steps: list[tuple[str, Callable[[], float]]] = [
            ("desk", partial(_desk_import, world, opts, profile, people)),
            ("limit", partial(_raw_import, world, opts, world.root / "raw.sqlite3", False)),
            ("json", partial(_raw_import, world, opts, world.root / "raw-json.sqlite3", True)),
        ]
        for kind, step in steps[run % 3 :] + steps[: run % 3]:  # each goes first in turn
            times[kind].append(step())
        if world.profile is None:
            world.profile, world.people = profile, people
        else:
            shutil.rmtree(profile.data_dir)
    desk_s, limit_s = median(times["desk"]), median(times["limit"])
    fig = Figure(
        "import",
        "s",
        desk_s,
        limit_s,
        note=f"{opts.items:,} items, median of {opts.import_runs} run(s) each",
        goal="≤ 3x",
    )
    fig.met = fig.ratio is not None and fig.ratio <= 3
    fig.parts["items_per_second"] = Figure(
        "items_per_second", "items/s", opts.items / desk_s, opts.items / limit_s
    )
    fig.parts["vs_json_each"] = Figure(
        "vs_json_each",
        "s",
        desk_s,
        median(times["json"]),
        note="a stricter limit: the raw rows as one INSERT from json_each per 5,000, as Desk does",
    )
    return fig


# --- 2, 3, 4. queue open, filter and search, scroll: the queue window's model -------------------


def _window(world: World, opts: Options) -> dict[str, Any]:
    """Run the queue window's model in a child process once; the figures share what it found."""
    found = world.notes.get("window")
    if found is not None:
        return cast(dict[str, Any], found)
    assert world.profile is not None and world.people is not None
    started = time.perf_counter()
    found = world.child(
        "desk-window",
        {
            "data_dir": str(world.profile.data_dir),
            "db": str(world.profile.db_path),
            "operator_token": world.people.operator_token,
            "operator": OPERATOR,
            "screenful": SCREENFUL,
            "statuses": OPEN,
            "search": {
                "priorities": sorted(SEARCH.priorities),
                "platforms": sorted(SEARCH.platforms),
                "term": SEARCH.search,
            },
            "search_params": _search_params()[len(OPEN) :],
            "runs": opts.query_runs,
            "page_steps": PAGE_STEPS,
        },
        qt=True,
    )
    log(
        f"the queue window's model: {time.perf_counter() - started:.1f} s,"
        f" peak {found['after']['peak']:.0f} MB"
    )
    world.notes["window"] = found
    return found


def _service_parts(
    world: World,
    opts: Options,
    fig: Figure,
    flt: QueueFilter,
    sql: str,
    count_sql: str,
    params: tuple[object, ...],
) -> None:
    """Add the service-level parts: QueueService.page (first and median) and .count."""
    assert world.profile is not None and world.people is not None
    token = world.people.operator_token
    desk = world.open_desk()
    conn = raw.connect(world.profile.db_path)
    try:
        first_desk = seconds(lambda: desk.queue.page(token, flt, limit=SCREENFUL))
        first_raw = seconds(lambda: conn.execute(sql, (*params, SCREENFUL)).fetchall())
        desk_ids = [r.case_id for r in desk.queue.page(token, flt, limit=SCREENFUL)]
        raw_ids = [r[0] for r in conn.execute(sql, (*params, SCREENFUL)).fetchall()]
        desk_times, limit_times = alternate(
            lambda: desk.queue.page(token, flt, limit=SCREENFUL),
            lambda: conn.execute(sql, (*params, SCREENFUL)).fetchall(),
            opts.query_runs,
        )
        desk_count = desk.queue.count(token, flt)
        raw_count = conn.execute(count_sql, params).fetchone()[0]
        count_times = alternate(
            lambda: desk.queue.count(token, flt),
            lambda: conn.execute(count_sql, params).fetchone(),
            max(3, opts.query_runs // 3),
        )
    finally:
        conn.close()
        desk.close()
    if desk_ids != raw_ids:
        fig.parts["service"] = Figure(
            "service", "ms", note="Desk's and the raw query's rows differ: not comparable"
        )
    else:
        fig.parts["service"] = Figure(
            "service",
            "ms",
            median(desk_times) * 1000,
            median(limit_times) * 1000,
            note=f"QueueService.page, {len(desk_ids)} rows, median of {opts.query_runs}",
        )
        fig.parts["service_first"] = Figure(
            "service_first", "ms", first_desk * 1000, first_raw * 1000,
            note="the same, first call after opening the profile",
        )  # fmt: skip
    fig.parts["service_count"] = (
        Figure(
            "service_count",
            "ms",
            median(count_times[0]) * 1000,
            median(count_times[1]) * 1000,
            note=f"QueueService.count ({desk_count:,} cases) against SELECT count(*)",
        )
        if desk_count == raw_count
        else Figure("service_count", "ms", note="Desk's and the raw count differ: not comparable")
    )


def _model_figure(
    world: World, opts: Options, name: str, key: str, what: str, same: bool
) -> Figure:
    """The window model's time to the first screenful against the raw query, from the child."""
    found = _window(world, opts)
    desk_times, limit_times = found[key]
    if not same:
        return Figure(name, "ms", note="the model's and the raw query's rows differ")
    desk_ms, limit_ms = median(desk_times) * 1000, median(limit_times) * 1000
    fig = Figure(
        name,
        "ms",
        desk_ms,
        limit_ms,
        note=f"{what}, the queue window's model (offscreen Qt), median of {len(desk_times)}",
        goal="≤ 2x and < 100 ms",
    )
    fig.met = fig.ratio is not None and fig.ratio <= 2 and desk_ms < 100
    first_desk, first_raw = found[f"{key}_first"]
    fig.parts["first"] = Figure(
        "first", "ms", first_desk * 1000, first_raw * 1000, note="the first time after opening"
    )
    rows = found[f"{key}_rows"]
    fig.parts["to_count"] = Figure(
        "to_count",
        "ms",
        median(found[f"{key}_count"]) * 1000,
        note=f"to the exact row count ({rows:,}), shown after the first screenful",
    )
    return fig


def _search_params() -> tuple[object, ...]:
    return (*OPEN, *sorted(SEARCH.priorities), *sorted(SEARCH.platforms), fts_query(SEARCH.search))


def measure_queue_open(world: World, opts: Options) -> Figure:
    """A new queue model on the N-item profile to its first screenful, against the raw SELECT."""
    found = _window(world, opts)
    fig = _model_figure(
        world, opts, "queue_open", "open", "every open case", bool(found["open_same"])
    )
    floor_times, floor_limit = found.get("open_floor", ([], []))
    if floor_times:
        floor_ms, limit_ms = median(floor_times) * 1000, median(floor_limit) * 1000
        fig.parts["python_qt_floor"] = Figure(
            "python_qt_floor",
            "ms",
            floor_ms,
            limit_ms,
            note="the least any Python table model costs: a bare QAbstractTableModel made"
            " with the raw SELECT's rows, every cell's text read (str); against the raw SELECT",
        )
        if fig.desk is not None:
            fig.parts["vs_floor"] = Figure(
                "vs_floor",
                "ms",
                fig.desk,
                floor_ms,
                note="Desk's model against that bare model",
            )
    _service_parts(world, opts, fig, VIEW, raw.queue_sql(), raw.queue_count_sql(), OPEN)
    assert world.profile is not None and world.people is not None
    token = world.people.operator_token
    desk = world.open_desk()
    conn = raw.connect(world.profile.db_path)
    try:
        sql = raw.everything_sql()
        every = QueueFilter()
        times = alternate(
            lambda: desk.queue.page(token, every, limit=SCREENFUL),
            lambda: conn.execute(sql, (SCREENFUL,)).fetchall(),
            opts.query_runs,
        )
    finally:
        conn.close()
        desk.close()
    fig.parts["service_every_case"] = Figure(
        "service_every_case",
        "ms",
        median(times[0]) * 1000,
        median(times[1]) * 1000,
        note="QueueService.page with no status filter (closed cases too)",
    )
    return fig


def measure_filter_search(world: World, opts: Options) -> Figure:
    """A priority filter, a platform filter and a search term, against the raw FTS5 query."""
    found = _window(world, opts)
    fig = _model_figure(
        world,
        opts,
        "filter_search",
        "search",
        "open cases, P3-P4, Facebook and X, 'traffic'",
        bool(found["search_same"]),
    )
    params = _search_params()
    _service_parts(world, opts, fig, SEARCH, raw.search_sql(), raw.search_count_sql(), params)
    return fig


def measure_scroll(world: World, opts: Options) -> Figure:
    """The queue table scrolled to the end and back, against the raw last and first screenful."""
    found = _window(world, opts)
    desk_times, limit_times = found["scroll"]
    if found["scroll_ends"] != found["scroll_raw_ends"]:
        return Figure("scroll", "ms", note="the model's end rows differ from the raw query's")
    fig = Figure(
        "scroll",
        "ms",
        median(desk_times) * 1000,
        median(limit_times) * 1000,
        note=(
            f"a table of the model ({found['visible_rows']} rows visible) to the end and back,"
            " each to its rows fetched and painted; limit: the raw keyset SELECTs of the last"
            f" and first screenful; median of {len(desk_times)}"
        ),
    )
    fig.parts["painting"] = Figure(
        "painting",
        "ms",
        median(found["scroll_painting"]) * 1000,
        note="of Desk's time, the table painting its visible rows (Qt's raster engine)",
    )
    fig.parts["peak_rss"] = Figure(
        "peak_rss",
        "MB",
        found["after"]["peak"],
        _raw_window(world)["after"]["peak"],
        note=f"the process; at most {found['most_held']:,} rows held (its window:"
        f" {found['window_rows']:,})",
    )
    steps, raw_steps = found["page_steps"]
    fig.parts["page_down"] = Figure(
        "page_down",
        "ms",
        median(steps) * 1000,
        median(raw_steps) * 1000,
        note=f"one page down, {len(steps)} times from the top, painted (painting"
        f" {median(found['page_steps_painting']) * 1000:.1f} ms of it): keyset pages as the"
        " rows run out; limit: the raw keyset SELECT of that screenful",
    )
    return fig


def _raw_window(world: World) -> dict[str, Any]:
    found = world.notes.get("raw_window")
    if found is None:
        assert world.profile is not None
        found = world.child(
            "raw-window",
            {"db": str(world.profile.db_path), "screenful": SCREENFUL, "statuses": OPEN},
            qt=True,
        )
        world.notes["raw_window"] = found
    return cast(dict[str, Any], found)


# --- 5. triage ------------------------------------------------------------------------------------


def measure_triage(world: World, opts: Options) -> Figure:
    """Claim, note, close with outcome over many cases: Desk's services against plain SQL."""
    assert world.profile is not None and world.people is not None
    people = world.people
    with sqlite3.connect(world.profile.db_path) as conn:
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM cases WHERE status = 'new' AND owner_id IS NULL AND risk = ''"
                " AND needs_assessment = 0 ORDER BY id LIMIT ?",
                (opts.triage_cases * 2,),
            )
        ]
    conn.close()
    pairs = len(ids) // 2
    if pairs == 0:
        return Figure("triage_action", "ms", note="no unclaimed routine cases to work")
    desk = world.open_desk()
    limit = raw.Triage(world.profile.db_path, desk.ctx.audit.key, people.operator_id, OPERATOR)
    token = people.operator_token
    note = "Replied with the latest update and a link to the force's page"
    desk_actions = (
        lambda case: desk.cases.claim(token, case),
        lambda case: desk.cases.add_note(token, case, note),
        lambda case: desk.cases.close(token, case, Outcome.REPLIED),
    )
    raw_actions = (
        limit.claim,
        lambda case: limit.note(case, note),
        lambda case: limit.close(case, Outcome.REPLIED.value),
    )
    desk_times: list[float] = []
    limit_times: list[float] = []
    try:
        for i in range(pairs):
            mine, theirs = ids[2 * i], ids[2 * i + 1]
            order = ((desk_actions, mine, desk_times), (raw_actions, theirs, limit_times))
            for actions, case, times in order if i % 2 == 0 else order[::-1]:
                for action in actions:
                    times.append(seconds(lambda a=action, c=case: a(c)))  # type: ignore[misc]
    finally:
        limit.close_connection()
        desk.close()
    fig = Figure(
        "triage_action",
        "ms",
        median(desk_times) * 1000,
        median(limit_times) * 1000,
        note=f"claim, note, close with audit over {pairs:,} cases each; median of all actions",
    )
    fig.parts["p99"] = Figure(
        "p99", "ms", percentile(desk_times, 99) * 1000, percentile(limit_times, 99) * 1000
    )
    return fig


# --- 6. audit verify ------------------------------------------------------------------------------


def measure_audit_verify(world: World, opts: Options) -> Figure:
    """Verify N audit entries, against plain hmac/hashlib over the same bytes."""
    assert world.profile is not None and world.people is not None
    desk = world.open_desk()
    key = desk.ctx.audit.key
    desk.close()
    started = time.perf_counter()
    total = raw.seed_audit(world.profile.db_path, key, opts.items, "bench-seed")
    log(f"audit: {opts.items:,} entries added in {time.perf_counter() - started:.1f} s")
    desk = world.open_desk()
    admin = world.people.admin_token
    db_path = world.profile.db_path
    checked: list[int] = []

    def desk_verify() -> None:
        report = desk.audit.verify(admin)
        if not report.intact:
            raise RuntimeError(f"the audit chain did not verify: {report.problem}")
        checked.append(report.checked)

    try:
        desk_times, limit_times = alternate(
            desk_verify, lambda: raw.verify_audit(db_path, key), opts.verify_runs
        )
    finally:
        desk.close()
    return Figure(
        "audit_verify",
        "s",
        median(desk_times),
        median(limit_times),
        note=f"{checked[-1]:,} entries ({total:,} in the log), median of {opts.verify_runs}",
    )


# --- 7. cold start --------------------------------------------------------------------------------


def _start(world: World, kind: str, until_ready: bool = False) -> float:
    """Start ``python -m bench.coldstart KIND``; seconds from just before to its window shown.

    With ``until_ready`` (Desk only): to Sign in enabled, the profile open behind the window.
    """
    from desk.gui.startup_probe import ENV, READY, SHOWN, UNTIL_READY

    assert world.profile is not None
    payload = json.dumps({"keyring": world.keyring.dump(), "data_dir": str(world.profile.data_dir)})
    awaited = READY if until_ready else SHOWN
    env = {**world.env(), "QT_QPA_PLATFORM": "offscreen", ENV: UNTIL_READY if until_ready else "1"}
    errors = world.root / f"coldstart-{kind}.stderr"
    with errors.open("w", encoding="utf-8") as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.coldstart", kind],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            cwd=world.code_root,
            env=env,
        )
        watchdog = threading.Timer(START_TIMEOUT, proc.kill)
        watchdog.start()
        try:
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(payload)
            proc.stdin.close()
            shown = None
            for line in proc.stdout:
                if line.strip() == awaited:
                    shown = time.perf_counter() - started
                    break
            proc.stdout.read()
            code = proc.wait()
        finally:
            watchdog.cancel()
    if shown is None or code != 0:
        why = errors.read_text(encoding="utf-8")[-3000:]
        raise RuntimeError(f"bench.coldstart {kind} did not show its window (exit {code}):\n{why}")
    return shown


def _check_seconds(world: World, pragma: str) -> float:
    """Time one ``PRAGMA`` check of the N-item profile's file, in a fresh connection."""
    assert world.profile is not None
    conn = sqlite3.connect(world.profile.db_path)
    try:
        started = time.perf_counter()
        (answer,) = conn.execute(f"PRAGMA {pragma}(20)").fetchone()
        elapsed = time.perf_counter() - started
    finally:
        conn.close()
    if answer != "ok":
        raise RuntimeError(f"PRAGMA {pragma} on the profile said {answer!r}")
    return elapsed


def measure_cold_start(world: World, opts: Options) -> Figure:
    """Start to the login window shown, against a bare PySide6 window started the same way."""
    _start(world, "bare")  # warm-up, not counted: compiled files, the file cache
    _start(world, "desk")
    desk_times, limit_times = alternate_values(
        lambda: _start(world, "desk"), lambda: _start(world, "bare"), opts.start_runs
    )
    fig = Figure(
        "cold_start",
        "s",
        median(desk_times),
        median(limit_times),
        note=(
            "`desk --data-dir` on the N-item profile to the login window shown (the profile"
            " then opens behind it), against a bare"
            " QWidget: separate processes, alternated, offscreen Qt, both through the same thin"
            f" wrapper (python -m bench.coldstart, which plugs in the in-memory keyring);"
            f" median of {opts.start_runs} after one warm-up each"
        ),
        goal="≤ 1.5x",
    )
    fig.met = fig.ratio is not None and fig.ratio <= 1.5
    ready_runs = max(1, opts.start_runs // 2)
    fig.parts["sign_in_ready"] = Figure(
        "sign_in_ready",
        "s",
        median([_start(world, "desk", until_ready=True) for _ in range(ready_runs)]),
        note=(
            "the same start to Sign in enabled: the profile opened behind the login window"
            f" (keyring, quick check, schema, rules, services); median of {ready_runs}"
        ),
    )
    fig.parts["quick_check"] = Figure(
        "quick_check",
        "ms",
        _check_seconds(world, "quick_check") * 1000,
        note="PRAGMA quick_check of the profile's file: the check Desk makes at every start",
    )
    fig.parts["integrity_check"] = Figure(
        "integrity_check",
        "ms",
        _check_seconds(world, "integrity_check") * 1000,
        note="PRAGMA integrity_check: made before a schema upgrade only",
    )
    return fig


# --- 8. peak memory -------------------------------------------------------------------------------


def measure_peak_memory(world: World, opts: Options) -> Figure:
    """Peak RSS of the app with the N-item queue open, against Qt and sqlite3 doing the same."""
    found = _window(world, opts)
    bare = _raw_window(world)
    fig = Figure(
        "peak_memory",
        "MB",
        found["after"]["peak"],
        bare["after"]["peak"],
        note=(
            "peak RSS of a fresh process with the N-item profile open and the queue window's"
            " model in a table: opened, searched, scrolled to the end and back; limit: a"
            " QApplication with a table, reading the same screenfuls with sqlite3"
        ),
        goal="< 300 MB",
    )
    fig.met = fig.desk is not None and fig.desk < 300
    desk_run = world.notes.get("desk_import")
    raw_run = world.notes.get("raw_import")
    if desk_run is not None and raw_run is not None:
        fig.parts["import"] = Figure(
            "import",
            "MB",
            desk_run["after"]["peak"],
            raw_run["after"]["peak"],
            note="peak RSS of a fresh process: import N items, then read a screenful",
        )
    assert world.profile is not None and world.people is not None
    opened = world.child(
        "desk-open",
        {
            "data_dir": str(world.profile.data_dir),
            "operator_token": world.people.operator_token,
            "screenful": SCREENFUL,
            "statuses": OPEN,
        },
    )
    plain = world.child(
        "raw-open", {"db": str(world.profile.db_path), "screenful": SCREENFUL, "statuses": OPEN}
    )
    fig.parts["no_gui"] = Figure(
        "no_gui",
        "MB",
        opened["after"]["peak"],
        plain["after"]["peak"],
        note="peak RSS of a fresh process without Qt: open the N-item profile, read a screenful",
    )
    return fig


def measure_risk(world: World, opts: Options) -> Figure:
    """Risk detection on the labelled corpus: the untuned part's recall, per category too."""
    from bench import risk  # the corpus is read only when this figure runs

    return risk.figure()


# --- 9. a shared desk: claims per second with 1, 4 and 16 worker processes ----------------------


def measure_claims_sqlite(world: World, opts: Options) -> Figure:
    """Claims per second and p99 with 1, 4, 16 processes on one SQLite file, against raw."""
    return shared_claims.measure_sqlite(world.root, opts.claim_seconds, log)


def measure_claims_postgresql(world: World, opts: Options) -> Figure:
    """The same on PostgreSQL (when a server is given), against raw psycopg."""
    return shared_claims.measure_postgresql(world.root, opts.claim_seconds, opts.pg_url, log)


FIGURES: list[tuple[str, Measure]] = [
    ("import", measure_import),
    ("queue_open", measure_queue_open),
    ("filter_search", measure_filter_search),
    ("scroll", measure_scroll),
    ("triage_action", measure_triage),
    ("audit_verify", measure_audit_verify),
    ("cold_start", measure_cold_start),
    ("peak_memory", measure_peak_memory),
    ("risk", measure_risk),
    ("claims_sqlite", measure_claims_sqlite),
    ("claims_postgresql", measure_claims_postgresql),
]
"""Every figure, in the order it runs; the import must come first."""


# --- the command ----------------------------------------------------------------------------------


def parse(argv: list[str] | None) -> tuple[Options, Path | None, bool, Path | None]:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure Desk against the raw limit on generated data (docs/performance.md).",
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--items", type=int, default=None, help="items to generate (1,000,000)")
    size.add_argument(
        "--quick", action="store_true", help=f"{QUICK_ITEMS:,} items, for CI (asserts nothing)"
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures as JSON")
    parser.add_argument(
        "--import-runs", type=int, help="imports of each kind (3 up to 100k, else 1)"
    )
    parser.add_argument("--query-runs", type=int, default=21, help="runs of each query (21)")
    parser.add_argument("--triage-cases", type=int, default=1000, help="cases worked each (1,000)")
    parser.add_argument("--verify-runs", type=int, default=3, help="audit verifications each (3)")
    parser.add_argument("--start-runs", type=int, default=7, help="cold starts of each (7)")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed (1)")
    parser.add_argument(
        "--claim-seconds",
        type=float,
        help=f"seconds each claims cell runs ({CLAIM_SECONDS:g}; {QUICK_CLAIM_SECONDS:g} with"
        f" --quick; {SMOKE_CLAIM_SECONDS:g} below 1,000 items)",
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(shared_claims.PG_ENV) or None,
        help="a PostgreSQL server for the shared-desk claims figure (default:"
        f" ${shared_claims.PG_ENV}); the benchmark makes and drops its own databases there",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--base", type=Path, help="make the temporary folder inside BASE")
    args = parser.parse_args(argv)
    items = QUICK_ITEMS if args.quick else (args.items or DEFAULT_ITEMS)
    if items < 100:
        parser.error("--items must be at least 100")
    import_runs = args.import_runs or (3 if items <= 100_000 else 1)
    claim_seconds = args.claim_seconds or (
        SMOKE_CLAIM_SECONDS
        if items < 1_000
        else QUICK_CLAIM_SECONDS
        if items <= QUICK_ITEMS
        else CLAIM_SECONDS
    )
    if claim_seconds <= 0:
        parser.error("--claim-seconds must be more than 0")
    opts = Options(
        items=items,
        import_runs=import_runs,
        query_runs=args.query_runs,
        triage_cases=args.triage_cases,
        verify_runs=args.verify_runs,
        start_runs=args.start_runs,
        seed=args.seed,
        claim_seconds=claim_seconds,
        pg_url=args.pg_url,
    )
    return opts, args.json, args.keep, args.base


def main(argv: list[str] | None = None) -> int:
    """Run every figure, print the table, write the JSON if asked; return the exit status."""
    opts, json_out, keep, base = parse(argv)
    world = World.create(opts.items, base)
    log(
        f"{opts.items:,} items in {world.root} · Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs"
    )
    figures: list[Figure] = []
    try:
        started = time.perf_counter()
        write_jsonl(world.jsonl, opts.items, seed=opts.seed)
        size = world.jsonl.stat().st_size / 1e6
        log(f"wrote {world.jsonl.name} ({size:,.0f} MB) in {time.perf_counter() - started:.1f} s")
        for name, measure in FIGURES:
            log(f"measuring {name}")
            figure = measure(world, opts)
            assert figure.name == name
            figures.append(figure)
            log(table([figure]).splitlines()[1])
    finally:
        if keep:
            log(f"kept {world.root}")
        else:
            world.remove()
    print(f"Desk benchmarks: {opts.items:,} items (python -m bench --items {opts.items})")
    print(table(figures))
    if json_out is not None:
        json_out.write_text(
            json.dumps({f.name: f.to_json() for f in figures}, indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        log(f"wrote {json_out}")
    return 0
