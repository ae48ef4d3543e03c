"""The benchmark runs end to end at a tiny size and reports every figure with real numbers.

It asserts no times (CI machines vary): only that each of the issue's eight figures was
measured, Desk's side and the raw limit's, so that the benchmarks never rot.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

FIGURES = (
    "import",
    "queue_open",
    "filter_search",
    "scroll",
    "triage_action",
    "audit_verify",
    "cold_start",
    "peak_memory",
)
ROOT = Path(__file__).resolve().parents[2]


def test_every_figure_is_measured_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--items",
            "300",
            "--import-runs",
            "1",
            "--query-runs",
            "1",
            "--start-runs",
            "1",
            "--verify-runs",
            "1",
            "--triage-cases",
            "10",
            "--base",
            str(tmp_path),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert set(FIGURES) <= set(figures)  # later issues add their own figures
    for name in FIGURES:
        figure = figures[name]
        for key in ("desk", "limit", "ratio"):
            value = figure[key]
            assert isinstance(value, int | float), f"{name}.{key} is {value!r}"
            assert math.isfinite(value) and value > 0, f"{name}.{key} is {value!r}"
        assert isinstance(figure["unit"], str) and figure["unit"]
    assert (
        0 < figures["risk"]["desk"] <= 1
    )  # the untuned part's recall (tests/bench/test_risk_figure)
    assert "not measured" not in done.stdout
    for name in FIGURES:  # one row each in the printed table
        assert any(line.startswith(name + " ") for line in done.stdout.splitlines())
    assert list(tmp_path.glob("desk-bench-*")) == []  # the temporary folder is removed
