"""Clocks and summaries: medians, percentiles, alternating runs, process memory."""

from __future__ import annotations

import math
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def seconds(call: Callable[[], object]) -> float:
    """Run ``call`` once and return how long it took, in seconds."""
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def median(values: list[float]) -> float:
    """The median of at least one value."""
    return statistics.median(values)


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile (``pct`` in 0-100) of at least one value."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def alternate(
    desk: Callable[[], object], limit: Callable[[], object], runs: int
) -> tuple[list[float], list[float]]:
    """Time ``desk`` and ``limit`` ``runs`` times each, alternating which goes first."""
    desk_times: list[float] = []
    limit_times: list[float] = []
    for run in range(runs):
        if run % 2 == 0:
            desk_times.append(seconds(desk))
            limit_times.append(seconds(limit))
        else:
            limit_times.append(seconds(limit))
            desk_times.append(seconds(desk))
    return desk_times, limit_times


def alternate_values(
    desk: Callable[[], float], limit: Callable[[], float], runs: int
) -> tuple[list[float], list[float]]:
    """Like :func:`alternate`, for calls that time themselves and return the seconds."""
    desk_values: list[float] = []
    limit_values: list[float] = []
    for run in range(runs):
        if run % 2 == 0:
            desk_values.append(desk())
            limit_values.append(limit())
        else:
            limit_values.append(limit())
            desk_values.append(desk())
    return desk_values, limit_values


def memory_mb() -> dict[str, float]:
    """This process's resident memory now (``rss``) and at its peak (``peak``), in MB."""
    found: dict[str, float] = {}
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found["rss" if key == "VmRSS" else "peak"] = int(value.split()[0]) / 1024
    if "peak" not in found:  # not Linux: ru_maxrss is KiB on Linux, bytes on macOS
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        found["peak"] = peak / (1024 * 1024 if peak > 1 << 32 else 1024)
    return found
