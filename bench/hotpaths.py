"""Measure the hot paths: risk rules per item, the generator, the JSON Lines importer.

    python -m desk.sample.benchmark            # 100,000 items
    python -m desk.sample.benchmark --items 1000000

A developer's tool, not part of the running desk: it imports the importer and the rules to time
them together.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path

from desk.core.language import detect_language
from desk.core.risk import load_rules, rule_files
from desk.ingest import read_items
from desk.resources import resource_path
from desk.sample.generator import generate, write_jsonl

TYPICAL = (
    "Is the A38 still closed between Kingsbridge and Totnes? Been sat in traffic for forty "
    "minutes and the sat nav keeps sending me back the same way. Any idea when it will reopen? "
    "Thanks for all the updates, much appreciated 👍"
)[:200]
RISKY = (
    "I'm going to kill you, I know where you live, 14 Acacia Avenue EX4 3SR. Call 07700 900123 "
    "you bent copper"
)


def _per_call(call: Callable[[], object], number: int = 20_000) -> float:
    """Best of five runs, in microseconds per call."""
    return min(timeit.repeat(call, number=number, repeat=5)) / number * 1e6


def main(argv: list[str] | None = None) -> int:
    """Run the measurements and print them; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m desk.sample.benchmark")
    parser.add_argument("--items", type=int, default=100_000, help="items to generate and parse")
    args = parser.parse_args(argv)
    n: int = args.items

    started = time.perf_counter()
    rules = load_rules(rule_files(resource_path("rules")))
    print(f"rules: {len(rules)} loaded and compiled in {time.perf_counter() - started:.3f} s")
    typical = _per_call(lambda: rules.evaluate(TYPICAL))
    print(f"rules: typical {len(TYPICAL)}-char text  {typical:6.1f} µs")
    print(f"rules: risky text (6 rules hit)   {_per_call(lambda: rules.evaluate(RISKY)):6.1f} µs")
    sample = [item.text for item in generate(20_000, seed=5)]
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        for text in sample:
            rules.evaluate(text)
        runs.append((time.perf_counter() - started) / len(sample) * 1e6)
    print(f"rules: generated mix, mean        {min(runs):6.1f} µs per item")
    print(
        f"language: typical text            {_per_call(lambda: detect_language(TYPICAL)):6.1f} µs"
    )

    started = time.perf_counter()
    count = sum(1 for _ in generate(n, seed=1))
    seconds = time.perf_counter() - started
    print(f"generator: {count:,} items in {seconds:.2f} s = {count / seconds:,.0f} items/s")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sample.jsonl"
        started = time.perf_counter()
        write_jsonl(path, n, seed=1)
        written = time.perf_counter() - started
        size = path.stat().st_size
        print(f"write_jsonl: {n:,} items ({size / 1e6:.0f} MB) in {written:.2f} s")
        parses = []
        for _ in range(2):
            started = time.perf_counter()
            batch = read_items(path)
            parses.append(time.perf_counter() - started)
            del batch
        best = min(parses)
        runs_text = ", ".join(f"{p:.2f}" for p in parses)
        print(
            f"read_items (JSON Lines): {n:,} items in {best:.2f} s = {n / best:,.0f} items/s "
            f"(runs: {runs_text}, median {statistics.median(parses):.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
