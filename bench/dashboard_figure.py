"""The ``dashboard`` figure: every dashboard number for a period on the N-item desk.

To wire it into the runner, add ``measure_dashboard`` to ``FIGURES`` in bench/runner.py,
**last** (it writes a worked history into the profile: first actions, escalations, a coverage
gap; it closes no case, so the queue's figures would not change, but it is cleanest last).

Desk's number is ``desk.dashboard.figures(token, "30d")`` (five grouped queries through the
services, with sign-in checks); the raw limit is the biggest of them in plain sqlite3: arrivals
per hour and platform over the same 30 days, read from ``ix_items_received``.

Standalone, on a fresh profile of N generated items::

    python -m bench.dashboard_figure --items 1000000
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from datetime import UTC, timedelta
from typing import Any

from bench.figures import Figure
from bench.timing import median
from bench.world import World
from desk.core.clock import SystemClock
from desk.sample.activity import simulate_activity
from desk.sample.generator import DEFAULT_SPAN, generate
from desk.services.importing import store_for_setup

GOAL_SECONDS = 1.0
PERIODS = ("24h", "7d", "30d")


def _raw_arrivals(db_path: Any, start: str, end: str) -> None:
    conn = sqlite3.connect(db_path)
    try:
        conn.execute(
            "SELECT substr(received_at, 1, 13) AS hour, platform, count(*) FROM items "
            "WHERE received_at >= ? AND received_at < ? GROUP BY hour, platform",
            (start, end),
        ).fetchall()
    finally:
        conn.close()


def measure_dashboard(world: World, opts: Any) -> Figure:
    """Time the dashboard for 24 h, 7 days and 30 days; the goal is under a second each."""
    assert world.profile is not None and world.people is not None
    runs = max(3, int(getattr(opts, "query_runs", 5)))
    desk = world.open_desk()
    try:
        touched = simulate_activity(desk.ctx.db, desk.ctx.clock.now(), close=False)
        token = world.people.admin_token
        parts: dict[str, Figure] = {}
        for period in PERIODS:
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                desk.dashboard.figures(token, period)
                times.append(time.perf_counter() - started)
            parts[period] = Figure(
                period,
                "s",
                median(times),
                goal=f"< {GOAL_SECONDS:g} s",
                met=median(times) < GOAL_SECONDS,
            )
        now = desk.ctx.clock.now().astimezone(UTC)
        fmt = "%Y-%m-%d %H:%M:%S"
        start, end = (now - timedelta(days=30)).strftime(fmt), now.strftime(fmt)
        limit_times = []
        for _ in range(runs):
            started = time.perf_counter()
            _raw_arrivals(world.profile.db_path, start, end)
            limit_times.append(time.perf_counter() - started)
    finally:
        desk.close()
    slowest = parts["30d"].desk
    return Figure(
        "dashboard",
        "s",
        slowest,
        median(limit_times),
        note=(
            f"30-day dashboard, median of {runs}; {touched.get('acted', 0):,} cases given a "
            f"first action and {touched.get('escalated', 0):,} escalations first"
        ),
        goal=f"< {GOAL_SECONDS:g} s",
        met=slowest is not None and slowest < GOAL_SECONDS,
        parts=parts,
    )


def main(argv: list[str] | None = None) -> int:
    """Build an N-item desk, measure the dashboard figure, print it."""
    parser = argparse.ArgumentParser(description="Measure the dashboard on an N-item desk.")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    world = World.create(args.items)
    try:
        profile, people = world.new_profile("dashboard")
        world.profile, world.people = profile, people
        desk = world.open_desk()
        try:
            now = SystemClock().now()
            started = time.perf_counter()
            items = generate(args.items, seed=7, start=now - DEFAULT_SPAN, span=DEFAULT_SPAN)
            store_for_setup(desk.importer, items, "bench items", actor="bench")
            print(f"imported {args.items:,} items in {time.perf_counter() - started:.0f} s")
        finally:
            desk.close()
        options = argparse.Namespace(query_runs=args.runs)
        figure = measure_dashboard(world, options)
        print(figure.name, figure.to_json())
    finally:
        world.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
