"""Measure the hot paths one by one: risk rules per item, the generator, the importer's reading.

    python -m bench.hotpaths            # 100,000 items
    python -m bench.hotpaths --items 1000000

``python -m bench`` measures the figures against their raw limits; this times the pieces
that the import is made of, to see which one moved.
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
from desk.core.similarity import fingerprint
from desk.ingest import check_items, read_items
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
    parser = argparse.ArgumentParser(prog="python -m bench.hotpaths")
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
    print(f"rules: generated mix, mean        {_per_item(rules.evaluate, sample):6.1f} µs per item")
    print(
        f"language: typical text            {_per_call(lambda: detect_language(TYPICAL)):6.1f} µs"
    )
    print(f"language: generated mix, mean     {_per_item(detect_language, sample):6.1f} µs")
    print(f"fingerprint: generated mix, mean  {_per_item(fingerprint, sample):6.1f} µs")

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
        started = time.perf_counter()
        checked = check_items(path)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = sum(1 for _ in checked.items())
        second = time.perf_counter() - started
        print(
            f"check_items then items(): {again:,} items in {first:.2f} s + {second:.2f} s "
            "(two readings, one item held at a time)"
        )
    return 0


def _per_item(call: Callable[[str], object], texts: list[str]) -> float:
    """Best of three passes over ``texts``, in microseconds per text."""
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        for text in texts:
            call(text)
        runs.append((time.perf_counter() - started) / len(texts) * 1e6)
    return min(runs)


if __name__ == "__main__":
    sys.exit(main())
