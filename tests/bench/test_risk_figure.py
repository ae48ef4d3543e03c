"""``python -m bench.risk``: the risk figure is measured on the corpus and written as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import risk
from desk.core.risk import RiskCategory


def test_the_figure_has_both_parts_every_category_and_the_goals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "risk.json"
    assert risk.main(["--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Untuned part (never read while tuning)" in printed and "Whole corpus" in printed
    assert "ordinary flagged" in printed
    figure = json.loads(out.read_text(encoding="utf-8"))["risk"]
    assert 0 < figure["desk"] <= 1 and figure["unit"] == "recall"
    assert figure["desk"] == pytest.approx(figure["untuned"]["recall"], abs=1e-4)
    for part in ("untuned", "whole"):
        measured = figure[part]
        assert measured["messages"] > 0 and 0 <= measured["false_positive_rate"] <= 1
        assert set(measured["categories"]) == {c.value for c in RiskCategory}
    assert figure["whole"]["messages"] > figure["untuned"]["messages"] >= 500
    assert figure["threat_to_life"]["goal"] == ">= 0.97"


def test_misses_are_listed_for_the_tuning_part_only(capsys: pytest.CaptureFixture[str]) -> None:
    _tuning, untuned = risk.corpus()
    risk.main(["--misses"])
    printed = capsys.readouterr().out
    held = {m.text for m in untuned}
    listed = [line for line in printed.splitlines() if line.startswith(("missed ", "flagged "))]
    assert listed  # the tuning part has misses to look at
    assert not any(text in line for line in listed for text in held if len(text) > 30)
