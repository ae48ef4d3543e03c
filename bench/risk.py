"""``python -m bench.risk``: how well the shipped risk rules find risk in the labelled corpus.

Prints recall, precision and the share of ordinary messages flagged, per category and overall,
on the whole corpus (``resources/risk_corpus``) and on its untuned part (``holdout/``), which rule
authors never read while tuning: only that part's figures say how the rules do on messages
written by people who never saw them. ``--misses`` lists what the rules missed or raised wrongly
in the tuning part only; nothing ever prints the untuned part's messages.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.figures import Figure
from desk.core.risk import RuleSet, load_rules, rule_files
from desk.core.risk_eval import (
    GOALS,
    ORDINARY_GOAL,
    Labelled,
    Measurement,
    describe_misses,
    measure,
    read_labelled,
    table,
)
from desk.resources import resource_path
from desk.services.rules import shipped_model

CORPUS = resource_path("risk_corpus")
RULES = resource_path("rules")


def corpus(folder: Path = CORPUS) -> tuple[list[Labelled], list[Labelled]]:
    """Return the corpus's tuning part and its untuned part."""
    tuning = [m for path in sorted(folder.glob("*.jsonl")) for m in read_labelled(path)]
    untuned = [
        m for path in sorted((folder / "holdout").glob("*.jsonl")) for m in read_labelled(path)
    ]
    return tuning, untuned


def shipped_rules(model: bool = True) -> RuleSet:
    """The rules Desk ships, with its statistical model unless ``model`` is False."""
    rules = load_rules(rule_files(RULES))
    return rules.with_model(shipped_model()) if model else rules


def measure_corpus(rules: RuleSet) -> tuple[Measurement, Measurement, Measurement]:
    """Measure ``rules`` on the whole corpus, the tuning part and the untuned part."""
    tuning, untuned = corpus()
    return measure(rules, tuning + untuned), measure(rules, tuning), measure(rules, untuned)


def figure(rules: RuleSet | None = None) -> Figure:
    """The benchmark's ``risk`` figure: the untuned part's overall recall, with its parts."""
    whole, _tuning, untuned = measure_corpus(rules or shipped_rules())
    return figure_from(whole, untuned)


def figure_from(whole: Measurement, untuned: Measurement) -> Figure:
    """Make the ``risk`` figure from the two measurements."""
    fig = Figure(
        "risk",
        "recall",
        desk=untuned.overall.recall,
        goal="each category's recall on the untuned part",
        met=not untuned.shortfalls(),
        note="; ".join(untuned.shortfalls()) or "every goal met on the untuned part",
    )
    for category, figures in untuned.categories.items():
        goal = GOALS[category]
        recall = figures.recall
        fig.parts[category.value] = Figure(
            category.value,
            "recall",
            desk=recall,
            goal=f">= {goal}",
            met=None if recall is None else recall >= goal,
        )
    rate = untuned.false_positive_rate
    fig.parts["ordinary_flagged"] = Figure(
        "ordinary_flagged",
        "share",
        desk=rate,
        goal=f"<= {ORDINARY_GOAL}",
        met=None if rate is None else rate <= ORDINARY_GOAL,
    )
    fig.parts["whole_corpus"] = Figure("whole_corpus", "recall", desk=whole.overall.recall)
    fig.details = {"untuned": untuned.to_json(), "whole": whole.to_json()}
    return fig


def main(argv: list[str] | None = None) -> int:
    """Print the tables; with ``--json FILE`` also write them; exit 0 (figures, not a test)."""
    parser = argparse.ArgumentParser(prog="python -m bench.risk", description=__doc__)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument(
        "--misses", action="store_true", help="list the tuning part's misses and false alarms"
    )
    args = parser.parse_args(argv)
    whole, tuning, untuned = measure_corpus(shipped_rules())
    print(table(untuned, "Untuned part (never read while tuning)"))
    print()
    print(table(whole, "Whole corpus"))
    if args.misses:
        print()
        print(table(tuning, "Tuning part"))
        print("\n".join(describe_misses(tuning)))
    if args.json:
        payload = {"risk": figure_from(whole, untuned).to_json()}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
