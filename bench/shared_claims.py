"""A shared desk: claims per second and the 99th-percentile claim, 1, 4 and 16 worker processes.

Each cell starts N worker processes on one desk, each signed in as its own operator, and lets
them claim cases through ``CaseService.claim`` (each claim its own transaction, with its
timeline line and chained audit entry) for a fixed time; every worker has its own cases, so
all of them contend for the database (SQLite's write lock; PostgreSQL's row locks and the
audit chain's append lock) but none is refused. The raw limit, measured in the same run with
the same number of processes for the same time: a bare
``UPDATE cases SET owner_id = ?, ... WHERE id = ? AND owner_id IS NULL AND status = 'new'`` in
a loop, one transaction each, with plain ``sqlite3`` (Desk's pragmas) or ``psycopg``.

Claims per second: the claims made over the cell's time (from the workers' start together
to the last one stopping). The 99th percentile: over every claim of every worker of the
cell. The workers are forked from the runner, which has Desk's modules imported and the risk
rules compiled (as a workstation has long before its operator claims anything) and holds the
benchmark's in-memory keyring, so every worker holds the same keys.

PostgreSQL: the cells run on the server named by ``--pg-url`` or ``DESK_TEST_PG_URL``; the
benchmark makes two databases of its own there (``desk_bench_<pid>`` for Desk and
``desk_bench_<pid>_raw`` for the limit, so its role must be allowed to create databases)
and drops them afterwards. Without a server the figure says "skipped: no server"; when the
server will not make the databases, it says why.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import argon2
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from bench import raw
from bench.figures import Figure
from bench.timing import median, percentile
from desk.auth import passwords
from desk.auth.totp import code_at, time_step
from desk.core.clock import SystemClock
from desk.core.errors import Conflict
from desk.core.items import Author, IncomingItem, ItemKind, Platform
from desk.core.queue_filter import QueueFilter
from desk.core.roles import Role
from desk.paths import Profile, resolve_profile
from desk.services.desk import Desk
from desk.store.db import Database

WORKER_COUNTS = (1, 4, 16)
PG_ENV = "DESK_TEST_PG_URL"
SKIPPED = "skipped: no server (set DESK_TEST_PG_URL or pass --pg-url)"
# cases made ready per second of a cell: more than Desk claims on the 2-core machine
DESK_CASES_PER_SECOND = 500
RAW_ROWS_PER_SECOND = 25_000  # the same for the limit's bare table
START_TIMEOUT = 300.0  # seconds for every worker of a cell to be ready
ADMIN = "claims-admin"
PASSWORD = "benchmark pass phrase 2026"  # noqa: S105 - throw-away profiles only
ACCOUNT = "@ExampleshirePolice"
NEW = QueueFilter(statuses=frozenset({"new"}))


@dataclass
class Cell:
    """What the workers of one cell did: claims made, refused, each claim's time."""

    workers: int
    claims: int = 0
    refused: int = 0
    seconds: float = 0.0  # from the workers' start together to the last one stopping
    times: list[float] = field(default_factory=list)
    ran_out: bool = False  # a worker claimed all its cases before the time was up

    @property
    def per_second(self) -> float | None:
        """Claims per second over the cell's time (None when nothing was claimed)."""
        return self.claims / self.seconds if self.claims and self.seconds > 0 else None

    def p99_ms(self) -> float | None:
        """The 99th-percentile claim time in milliseconds."""
        return percentile(self.times, 99) * 1000 if self.times else None

    def details(self) -> dict[str, Any]:
        """The cell's counts for the JSON (not printed)."""
        return {
            "workers": self.workers,
            "claims": self.claims,
            "refused": self.refused,
            "seconds": round(self.seconds, 3),
            "median_ms": round(median(self.times) * 1000, 3) if self.times else None,
            "ran_out": self.ran_out,
        }


# --- the workers (forked) ---------------------------------------------------------------------


def _desk_worker(
    data_dir: str,
    url: str | None,
    token: str,
    ids: list[int],
    seconds: float,
    barrier: Any,
    results: Any,
) -> None:
    """Open the desk as a workstation does, wait for the others, claim ``ids`` in turn."""
    desk = Desk.open(
        resolve_profile(data_dir), SystemClock(), db=Database(url) if url is not None else None
    )
    try:

        def claim(case_id: int) -> bool:
            try:
                desk.cases.claim(token, case_id)
            except Conflict:
                return False
            return True

        results.put(_claim_for(claim, ids, seconds, barrier))
    finally:
        desk.close()


def _sqlite_worker(
    path: str, owner: int, ids: list[int], seconds: float, barrier: Any, results: Any
) -> None:
    """The limit on SQLite: a bare conditional UPDATE, one IMMEDIATE transaction each."""
    conn = raw.connect(Path(path))

    def claim(case_id: int) -> bool:
        conn.execute("BEGIN IMMEDIATE")
        done = conn.execute(RAW_CLAIM_SQLITE, (owner, _now(), case_id)).rowcount == 1
        conn.execute("COMMIT")
        return done

    try:
        results.put(_claim_for(claim, ids, seconds, barrier))
    finally:
        conn.close()


def _pg_worker(
    conninfo: str, owner: int, ids: list[int], seconds: float, barrier: Any, results: Any
) -> None:
    """The limit on PostgreSQL: a bare conditional UPDATE in autocommit, one transaction each."""
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:

        def claim(case_id: int) -> bool:
            return conn.execute(RAW_CLAIM_PG, (owner, _now(), case_id)).rowcount == 1

        results.put(_claim_for(claim, ids, seconds, barrier))


def _claim_for(
    claim: Callable[[int], bool], ids: list[int], seconds: float, barrier: Any
) -> tuple[int, int, list[float], float, bool]:
    """Claim ``ids`` in turn for ``seconds`` after every worker is ready; say what happened."""
    barrier.wait(timeout=START_TIMEOUT)
    clock = time.perf_counter
    started = clock()
    until = started + seconds
    claims = refused = 0
    times: list[float] = []
    for case_id in ids:
        before = clock()
        if before >= until:
            break
        if claim(case_id):
            claims += 1
        else:
            refused += 1
        times.append(clock() - before)
    ended = clock()
    return claims, refused, times, ended - started, ended < until


def _now() -> str:
    return datetime.now(UTC).isoformat()


RAW_CLAIM_SQLITE = (
    "UPDATE raw_cases SET owner_id = ?, status = 'triage', claimed_at = ?"
    " WHERE id = ? AND owner_id IS NULL AND status = 'new'"
)
RAW_CLAIM_PG = RAW_CLAIM_SQLITE.replace("?", "%s")
RAW_TABLE = (
    "CREATE TABLE raw_cases (id INTEGER PRIMARY KEY, status TEXT NOT NULL,"
    " owner_id INTEGER, claimed_at TEXT)"
)


# --- a cell -----------------------------------------------------------------------------------


def run_cell(
    workers: int,
    target: Callable[..., None],
    args_for: Callable[[int, list[int]], tuple[Any, ...]],
    ids: list[int],
    seconds: float,
) -> Cell:
    """Fork ``workers`` processes running ``target(*args_for(n, their ids), seconds, ...)``."""
    fork = multiprocessing.get_context("fork")
    barrier = fork.Barrier(workers)
    results: Any = fork.Queue()
    procs = [
        fork.Process(
            target=target,
            args=(*args_for(n, ids[n::workers]), seconds, barrier, results),
            name=f"claims-{n}",
        )
        for n in range(workers)
    ]
    for proc in procs:
        proc.start()
    cell = Cell(workers)
    deadline = time.monotonic() + START_TIMEOUT + seconds + 60
    reported = 0
    try:
        while reported < workers and time.monotonic() < deadline:
            try:
                claims, refused, times, elapsed, ran_out = results.get(timeout=1)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in procs):
                    break  # a worker failed: its traceback is on stderr
                continue
            reported += 1
            cell.claims += claims
            cell.refused += refused
            cell.times.extend(times)
            cell.seconds = max(cell.seconds, elapsed)
            cell.ran_out = cell.ran_out or ran_out
    finally:
        for proc in procs:
            proc.join(timeout=60)
            if proc.is_alive():
                proc.kill()
                proc.join()
    failed = [p.name for p in procs if p.exitcode != 0]
    if failed or reported < workers:
        raise RuntimeError(f"claim workers failed: {', '.join(failed)} (see stderr)")
    return cell


# --- the desk's side: a profile with sixteen operators and enough new cases ------------------


@dataclass
class ClaimDesk:
    """A profile (on SQLite, or on a PostgreSQL database) ready for the claim cells."""

    profile: Profile
    url: str | None
    tokens: list[str]  # one signed-in operator per worker
    case_ids: list[int]


@contextmanager
def _quick_hashing() -> Iterator[None]:
    """Sixteen accounts are set up per desk: cheap password hashing, which claims never use."""
    kept = passwords.PARAMETERS
    passwords.PARAMETERS = argon2.profiles.CHEAPEST
    try:
        yield
    finally:
        passwords.PARAMETERS = kept


def _code(seed: str) -> str:
    return code_at(seed, time_step(SystemClock().now()))


def _items(count: int) -> Iterator[IncomingItem]:
    """One routine mention per case (no thread, a different author each), none of them risky."""
    at = datetime.now(UTC) - timedelta(hours=1)
    for n in range(count):
        handle = f"@resident{n}"
        yield IncomingItem(
            platform=Platform.X,
            account=ACCOUNT,
            kind=ItemKind.MENTION,
            platform_id=f"claims-{n}",
            author=Author(f"r{n}", handle, f"Resident {n}"),
            text="Is the road open yet?",
            posted_at=at,
            received_at=at,
        )


def make_desk(root: Path, name: str, cases: int, url: str | None = None) -> ClaimDesk:
    """A fresh profile (its database at ``url`` if given): an administrator, sixteen signed-in
    operators, one official account and ``cases`` new cases."""
    profile = resolve_profile(root / name).create()
    with _quick_hashing():
        desk = Desk.open(profile, SystemClock(), db=Database(url) if url is not None else None)
        try:
            first = desk.accounts.create_first_admin(ADMIN, "Claims Admin", PASSWORD)
            admin = desk.signin.sign_in(ADMIN, PASSWORD, _code(first.seed)).token
            seeds = [
                desk.accounts.add_user(
                    admin, f"claims-op{n}", f"Operator {n}", Role.OPERATOR, PASSWORD
                ).seed
                for n in range(max(WORKER_COUNTS))
            ]
            tokens = [
                desk.signin.sign_in(f"claims-op{n}", PASSWORD, _code(seed), "cli").token
                for n, seed in enumerate(seeds)
            ]
            desk.official_accounts.add(admin, Platform.X, ACCOUNT, "Exampleshire Police")
            report = desk.importer.store(admin, _items(cases), "claims")
            if report.cases_opened != cases:
                raise RuntimeError(f"{report.cases_opened} cases opened of {cases}")
            case_ids = sorted(row.case_id for row in desk.queue.page(admin, NEW, limit=cases))
        finally:
            desk.close()
    return ClaimDesk(profile, url, tokens, case_ids)


# --- the limit's side: a bare table of new cases ---------------------------------------------


def make_sqlite_limit(path: Path, rows: int) -> None:
    """A database file with ``rows`` new, unowned rows in a bare cases table."""
    conn = raw.connect(path)
    try:
        conn.execute(RAW_TABLE)
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
            " INSERT INTO raw_cases (id, status) SELECT i, 'new' FROM n",
            (rows,),
        )
    finally:
        conn.close()


def make_pg_limit(conninfo: str, rows: int) -> None:
    """The same bare table in the limit's PostgreSQL database."""
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(RAW_TABLE)
        conn.execute(
            "INSERT INTO raw_cases (id, status) SELECT i, 'new' FROM generate_series(1, %s) i",
            (rows,),
        )
        conn.execute("VACUUM ANALYZE raw_cases")


def run_cells(
    desk: ClaimDesk,
    limit: Callable[..., None],
    where: str,
    rows: int,
    seconds: float,
    log: Callable[[str], None],
) -> tuple[dict[int, Cell], dict[int, Cell]]:
    """Run Desk's and the limit's cell for each worker count, taking turns to go first.

    Each cell works on its own third of the desk's new cases (or of the limit's rows).
    """
    desk_side: dict[int, Cell] = {}
    limit_side: dict[int, Cell] = {}
    cases, share = desk.case_ids, len(desk.case_ids) // len(WORKER_COUNTS)
    row_share = rows // len(WORKER_COUNTS)
    for i, workers in enumerate(WORKER_COUNTS):
        ids = cases[i * share : (i + 1) * share]
        row_ids = list(range(i * row_share + 1, (i + 1) * row_share + 1))
        steps: list[tuple[str, dict[int, Cell], Callable[[], Cell]]] = [
            (
                "Desk",
                desk_side,
                partial(
                    run_cell,
                    workers,
                    _desk_worker,
                    lambda n, mine: (str(desk.profile.data_dir), desk.url, desk.tokens[n], mine),
                    ids,
                    seconds,
                ),
            ),
            (
                "limit",
                limit_side,
                partial(run_cell, workers, limit, lambda n, mine: (where, n + 1, mine), row_ids,
                        seconds),
            ),
        ]  # fmt: skip
        for side, cells, step in steps if i % 2 == 0 else steps[::-1]:
            cell = cells[workers] = step()
            log(
                f"  {side}, {workers} worker(s): {cell.claims:,} claims in {cell.seconds:.1f} s,"
                f" p99 {cell.p99_ms() or 0:.1f} ms"
            )
    return desk_side, limit_side


# --- the figures -----------------------------------------------------------------------------


def figure(
    name: str, desk: dict[int, Cell], limit: dict[int, Cell], seconds: float, how: str
) -> Figure:
    """One figure: 1 worker's claims per second, its p99, then 4 and 16 workers the same."""
    one = WORKER_COUNTS[0]
    fig = Figure(
        name,
        "claims/s",
        desk[one].per_second,
        limit[one].per_second,
        note=(
            f"{one} worker process, {seconds:g} s: CaseService.claim, each claim its own"
            f" transaction; limit: a bare UPDATE ... WHERE owner_id IS NULL with {how}"
        ),
    )
    fig.parts["p99"] = Figure("p99", "ms", desk[one].p99_ms(), limit[one].p99_ms())
    for workers in WORKER_COUNTS[1:]:
        ran_out = " (a worker ran out of cases)" if desk[workers].ran_out else ""
        fig.parts[f"workers_{workers}"] = Figure(
            f"workers_{workers}",
            "claims/s",
            desk[workers].per_second,
            limit[workers].per_second,
            note=f"{workers} worker processes at once{ran_out}",
        )
        fig.parts[f"workers_{workers}_p99"] = Figure(
            f"workers_{workers}_p99", "ms", desk[workers].p99_ms(), limit[workers].p99_ms()
        )
    fig.details["cells"] = {
        "desk": [c.details() for c in desk.values()],
        "limit": [c.details() for c in limit.values()],
    }
    return fig


def cases_needed(seconds: float) -> int:
    """New cases to make ready for Desk's cells (a third each)."""
    return max(300, int(DESK_CASES_PER_SECOND * seconds)) * len(WORKER_COUNTS)


def rows_needed(seconds: float) -> int:
    """Rows to make ready for the limit's cells (a third each)."""
    return max(3_000, int(RAW_ROWS_PER_SECOND * seconds)) * len(WORKER_COUNTS)


def measure_sqlite(root: Path, seconds: float, log: Callable[[str], None]) -> Figure:
    """The claims figure on SQLite: a fresh profile's file against a bare file beside it."""
    desk = make_desk(root, "claims-sqlite", cases_needed(seconds))
    log(f"claims (SQLite): {len(desk.case_ids):,} new cases ready")
    limit_db = root / "claims-raw.sqlite3"
    make_sqlite_limit(limit_db, rows_needed(seconds))
    desk_side, limit_side = run_cells(
        desk, _sqlite_worker, str(limit_db), rows_needed(seconds), seconds, log
    )
    return figure("claims_sqlite", desk_side, limit_side, seconds, "sqlite3 (Desk's pragmas)")


def measure_postgresql(
    root: Path, seconds: float, url: str | None, log: Callable[[str], None]
) -> Figure:
    """The claims figure on PostgreSQL, or a figure saying why it was skipped."""
    if not url:
        return Figure("claims_postgresql", "claims/s", note=SKIPPED)
    server = make_url(url)
    names = (f"desk_bench_{os.getpid()}", f"desk_bench_{os.getpid()}_raw")
    try:
        _databases(server, names, make=True)
    except SQLAlchemyError as exc:
        where = server.render_as_string(hide_password=True)
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return Figure(
            "claims_postgresql",
            "claims/s",
            note=f"skipped: cannot make the benchmark's databases on {where}: {first}",
        )
    try:
        desk_url = server.set(database=names[0]).render_as_string(hide_password=False)
        limit_info = server.set(drivername="postgresql", database=names[1]).render_as_string(
            hide_password=False
        )
        desk = make_desk(root, "claims-postgresql", cases_needed(seconds), desk_url)
        log(f"claims (PostgreSQL): {len(desk.case_ids):,} new cases ready")
        make_pg_limit(limit_info, rows_needed(seconds))
        desk_side, limit_side = run_cells(
            desk, _pg_worker, limit_info, rows_needed(seconds), seconds, log
        )
    finally:
        _databases(server, names, make=False)
    return figure("claims_postgresql", desk_side, limit_side, seconds, "psycopg (autocommit)")


def _databases(server: URL, names: tuple[str, ...], make: bool) -> None:
    """Make the benchmark's databases on the server afresh, or drop them (``make`` False)."""
    admin = create_engine(
        server.set(database="postgres"), isolation_level="AUTOCOMMIT", hide_parameters=True
    )
    try:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                if make:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
