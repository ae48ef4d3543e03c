"""Train Desk's statistical risk model on the tuning corpus: ``python scripts/train_risk_model.py``.

Reads every ``resources/risk_corpus/*.jsonl`` file (the top folder only: ``holdout/`` is never
opened), turns each message into the word features of :mod:`desk.core.risk_model`, and trains
one L2-regularised logistic regression per risk category by stochastic gradient descent, with a
fixed seed, so the same corpus always gives the same model.

Each category's threshold is chosen by 5-fold cross-validation on the same corpus: among the
thresholds that flag at most 1.5% of the ordinary messages (those with no category) in the
cross-validated scores, the one with the highest recall, placed half-way (in log-odds) between
the highest ordinary score it must stay above and the lowest risky score it keeps. Then the
model is trained on all the messages and written, with its thresholds and cross-validated
figures, to ``resources/risk_model/model.json``; weights under a small cut-off are dropped.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desk.core.risk import RiskCategory
from desk.core.risk_model import FORMAT, feature_names
from desk.core.risk_words import tokenise

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "resources" / "risk_corpus"
OUTPUT = ROOT / "resources" / "risk_model" / "model.json"

SEED = 20_261_126
FOLDS = 5
MAX_ORDINARY_RATE = 0.005
# Where a miss can cost a life the model may flag more ordinary messages to find more: a person
# reads a false alarm in seconds (the corpus README's goals: recall 0.97 for these categories).
URGENT_MAX_ORDINARY_RATE = 0.015
URGENT = frozenset({"threat_to_life", "self_harm", "crime_in_progress"})
NEGATION_WINDOW = 3
MIN_DOCS = 2  # a feature must occur in this many training messages to be learnt
L2 = 1e-4
EPOCHS = 30
LEARNING_RATE = 0.2
PRUNE_BELOW = 0.1  # weights smaller than this in size are left out of the file
DECIMALS = 4


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message of the corpus."""

    text: str
    categories: frozenset[str]


@dataclass(frozen=True, slots=True)
class Settings:
    """How the logistic regressions are trained."""

    l2: float = L2
    epochs: int = EPOCHS
    learning_rate: float = LEARNING_RATE
    min_docs: int = MIN_DOCS
    negation_window: int = NEGATION_WINDOW
    prune_below: float = PRUNE_BELOW
    seed: int = SEED


@dataclass(frozen=True, slots=True)
class Fitted:
    """One category's trained logistic regression: bias and weight per feature name."""

    bias: float
    weights: dict[str, float]


@dataclass(frozen=True, slots=True)
class Threshold:
    """A chosen threshold and the cross-validated figures it gives."""

    threshold: float
    recall: float
    ordinary_rate: float
    precision: float
    positives: int


def corpus_files(folder: Path) -> list[Path]:
    """Return the tuning corpus files: ``*.jsonl`` directly in ``folder``, sorted by name."""
    return sorted(p for p in folder.glob("*.jsonl") if p.is_file())


def read_corpus(paths: Iterable[Path]) -> list[Example]:
    """Read labelled messages from JSON Lines files, keeping the first of repeated texts."""
    known = {c.value for c in RiskCategory}
    seen: set[str] = set()
    examples = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            text, categories = record["text"], frozenset(record["categories"])
            if unknown := categories - known:
                sys.exit(f"{path}, line {number}: unknown categories {sorted(unknown)}")
            key = " ".join(text.casefold().split())
            if key not in seen:
                seen.add(key)
                examples.append(Example(text, categories))
    return examples


def featurise(examples: Sequence[Example], window: int) -> list[list[str]]:
    """Return each message's distinct feature names, sorted."""
    return [sorted(set(feature_names(tokenise(e.text), window)) - {""}) for e in examples]


def folds_of(examples: Sequence[Example], folds: int, seed: int) -> list[int]:
    """Return a fold number per message: shuffled, then dealt out label by label (stratified)."""
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)  # noqa: S311 (a repeatable shuffle, not a secret)
    order.sort(key=lambda i: min(examples[i].categories, default=""))
    fold = [0] * len(examples)
    for k, i in enumerate(order):
        fold[i] = k % folds
    return fold


def vocabulary(docs: Sequence[Sequence[str]], min_docs: int) -> dict[str, int]:
    """Return a number for each feature found in at least ``min_docs`` messages, in name order."""
    counts: dict[str, int] = {}
    for doc in docs:
        for name in doc:
            counts[name] = counts.get(name, 0) + 1
    kept = sorted(name for name, n in counts.items() if n >= min_docs)
    return {name: i for i, name in enumerate(kept)}


def encode(docs: Sequence[Sequence[str]], vocab: dict[str, int]) -> list[tuple[int, ...]]:
    """Return each message as the numbers of its features that the vocabulary knows."""
    return [tuple(vocab[n] for n in doc if n in vocab) for doc in docs]


def _sigmoid(x: float) -> float:
    """Return the logistic function of ``x``, without overflow."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def fit(
    rows: Sequence[tuple[int, ...]], labels: Sequence[bool], size: int, settings: Settings
) -> tuple[float, list[float]]:
    """Train one L2-regularised logistic regression by SGD; return its bias and weights.

    Minimises the mean log-loss plus ``l2 / 2`` times the squared weights (the bias is not
    regularised). Weights are kept as ``scale * v`` so that shrinking them all each step costs
    one multiplication (Bottou's trick); the step size falls as ``lr / (1 + lr * l2 * t)``.
    """
    rng = random.Random(settings.seed)  # noqa: S311 (a repeatable shuffle, not a secret)
    v = [0.0] * size
    scale, bias, step = 1.0, 0.0, 0
    lr0, l2 = settings.learning_rate, settings.l2
    order = list(range(len(rows)))
    for _ in range(settings.epochs):
        rng.shuffle(order)
        for i in order:
            lr = lr0 / (1.0 + lr0 * l2 * step)
            step += 1
            row = rows[i]
            z = bias + scale * sum(v[f] for f in row)
            gradient = _sigmoid(z) - (1.0 if labels[i] else 0.0)
            scale *= 1.0 - lr * l2
            if row:
                delta = lr * gradient / scale
                for f in row:
                    v[f] -= delta
            bias -= lr * gradient
            if scale < 1e-6:
                v = [x * scale for x in v]
                scale = 1.0
    return bias, [x * scale for x in v]


def train(
    docs: Sequence[Sequence[str]],
    labels: dict[str, list[bool]],
    settings: Settings,
) -> dict[str, Fitted]:
    """Train one logistic regression per category on ``docs``; return them by category.

    Each is returned as it will be shipped: weights smaller than ``prune_below`` dropped, the
    rest and the bias rounded, so that cross-validation measures the model that is written.
    """
    vocab = vocabulary(docs, settings.min_docs)
    rows = encode(docs, vocab)
    names = list(vocab)
    fitted = {}
    for category, ys in labels.items():
        bias, weights = fit(rows, ys, len(names), settings)
        kept = {
            name: round(w, DECIMALS)
            for name, w in zip(names, weights, strict=True)
            if abs(w) >= settings.prune_below
        }
        fitted[category] = Fitted(round(bias, DECIMALS), kept)
    return fitted


def score(model: Fitted, doc: Sequence[str]) -> float:
    """Return a fitted regression's score for one message's features."""
    return _sigmoid(math.fsum([model.bias, *(model.weights.get(name, 0.0) for name in doc)]))


def labels_of(examples: Sequence[Example], categories: Sequence[str]) -> dict[str, list[bool]]:
    """Return, per category, whether each message has it."""
    return {c: [c in e.categories for e in examples] for c in categories}


def cross_validated_scores(
    examples: Sequence[Example],
    docs: Sequence[Sequence[str]],
    categories: Sequence[str],
    settings: Settings,
) -> dict[str, list[float]]:
    """Return, per category, each message's score from the model trained without its fold."""
    fold = folds_of(examples, FOLDS, settings.seed)
    scores = {c: [0.0] * len(docs) for c in categories}
    for k in range(FOLDS):
        inside = [i for i in range(len(docs)) if fold[i] != k]
        held = [i for i in range(len(docs)) if fold[i] == k]
        fitted = train(
            [docs[i] for i in inside], labels_of([examples[i] for i in inside], categories),
            settings,
        )  # fmt: skip
        for c in categories:
            for i in held:
                scores[c][i] = score(fitted[c], docs[i])
    return scores


def rate_for(category: str) -> float:
    """The share of ordinary messages ``category``'s threshold may flag in cross-validation."""
    return URGENT_MAX_ORDINARY_RATE if category in URGENT else MAX_ORDINARY_RATE


def _logit(p: float) -> float:
    """Return the log-odds of ``p``, kept finite."""
    p = min(max(p, 1e-12), 1.0 - 1e-12)
    return math.log(p / (1.0 - p))


def choose_threshold(
    scores: Sequence[float],
    positive: Sequence[bool],
    ordinary: Sequence[bool],
    max_rate: float = MAX_ORDINARY_RATE,
) -> Threshold:
    """Return the threshold with the highest recall that flags few enough ordinary messages."""
    ordinary_scores = sorted((s for s, o in zip(scores, ordinary, strict=True) if o), reverse=True)
    allowed = math.floor(max_rate * len(ordinary_scores) + 1e-9)
    barrier = ordinary_scores[allowed] if allowed < len(ordinary_scores) else 0.0
    above = [s for s, p in zip(scores, positive, strict=True) if p and s > barrier]
    if above:
        lowest = min(above)
        cut = _sigmoid((_logit(barrier) + _logit(lowest)) / 2) if barrier > 0 else lowest
        threshold = min(max(round(cut, 6), math.nextafter(barrier, 1.0)), lowest)
    else:
        threshold = 1.0
    return figures(threshold, scores, positive, ordinary)


def figures(
    threshold: float, scores: Sequence[float], positive: Sequence[bool], ordinary: Sequence[bool]
) -> Threshold:
    """Return the recall, ordinary-flag rate and precision that ``threshold`` gives."""
    flagged = [s >= threshold for s in scores]
    hits = sum(f and p for f, p in zip(flagged, positive, strict=True))
    false_ordinary = sum(f and o for f, o in zip(flagged, ordinary, strict=True))
    n_pos, n_ord, n_flagged = sum(positive), sum(ordinary), sum(flagged)
    return Threshold(
        threshold=threshold,
        recall=hits / n_pos if n_pos else 0.0,
        ordinary_rate=false_ordinary / n_ord if n_ord else 0.0,
        precision=hits / n_flagged if n_flagged else 0.0,
        positives=n_pos,
    )


def model_document(
    fitted: dict[str, Fitted],
    thresholds: dict[str, Threshold],
    settings: Settings,
    overall: dict[str, float],
    sources: Sequence[Path],
    messages: int,
) -> dict[str, object]:
    """Return the model file's content: pruned, rounded weights, thresholds and CV figures."""
    categories = {}
    for name, model in fitted.items():
        t = thresholds[name]
        categories[name] = {
            "bias": model.bias,
            "threshold": t.threshold,
            "weights": model.weights,
            "cross_validated": {
                "positives": t.positives,
                "recall": round(t.recall, 4),
                "ordinary_flag_rate": round(t.ordinary_rate, 4),
                "precision": round(t.precision, 4),
            },
        }
    return {
        "format": FORMAT,
        "negation_window": settings.negation_window,
        "categories": categories,
        "cross_validated": overall,
        "training": {
            "corpus_files": [p.name for p in sources],
            "messages": messages,
            "folds": FOLDS,
            "max_ordinary_flag_rate": MAX_ORDINARY_RATE,
            "urgent_max_ordinary_flag_rate": URGENT_MAX_ORDINARY_RATE,
            "seed": settings.seed,
            "l2": settings.l2,
            "epochs": settings.epochs,
            "learning_rate": settings.learning_rate,
            "min_docs": settings.min_docs,
            "prune_below": settings.prune_below,
        },
    }


def overall_figures(
    scores: dict[str, list[float]], thresholds: dict[str, Threshold], examples: Sequence[Example]
) -> dict[str, float]:
    """Return the shares of ordinary messages flagged at all, and of risky ones caught at all.

    A risky message is caught when the model raises at least one of its own categories.
    """
    raised = [
        {c for c in thresholds if scores[c][i] >= thresholds[c].threshold}
        for i in range(len(examples))
    ]
    ordinary = [r for r, e in zip(raised, examples, strict=True) if not e.categories]
    risky = [r & e.categories for r, e in zip(raised, examples, strict=True) if e.categories]
    return {
        "ordinary_flag_rate_any": round(sum(map(bool, ordinary)) / max(len(ordinary), 1), 4),
        "risky_caught": round(sum(map(bool, risky)) / max(len(risky), 1), 4),
    }


def table(thresholds: dict[str, Threshold], overall: dict[str, float], ordinary: int) -> str:
    """Return the cross-validated figures as a plain-text table."""
    lines = [
        f"{'category':<20} {'msgs':>5} {'threshold':>9} {'recall':>7} {'ordinary':>9} "
        f"{'precision':>9}"
    ]
    for name, t in thresholds.items():
        lines.append(
            f"{name:<20} {t.positives:>5} {t.threshold:>9.4f} {t.recall:>7.1%} "
            f"{t.ordinary_rate:>9.2%} {t.precision:>9.1%}"
        )
    lines.append(f"(ordinary messages: {ordinary}; 'ordinary' is the share of them flagged)")
    lines.append(
        f"any category: {overall['ordinary_flag_rate_any']:.2%} of ordinary messages flagged; "
        f"{overall['risky_caught']:.1%} of risky messages given at least one of their categories"
    )
    return "\n".join(lines)


def build(sources: Sequence[Path], settings: Settings) -> tuple[dict[str, object], str]:
    """Train and cross-validate on ``sources``; return the model document and the table."""
    examples = read_corpus(sources)
    docs = featurise(examples, settings.negation_window)
    categories = [c.value for c in RiskCategory]
    ordinary = [not e.categories for e in examples]
    cv = cross_validated_scores(examples, docs, categories, settings)
    labels = labels_of(examples, categories)
    thresholds = {c: choose_threshold(cv[c], labels[c], ordinary, rate_for(c)) for c in categories}
    overall = overall_figures(cv, thresholds, examples)
    fitted = train(docs, labels, settings)
    document = model_document(fitted, thresholds, settings, overall, sources, len(examples))
    return document, table(thresholds, overall, sum(ordinary))


def main(argv: Sequence[str] | None = None) -> int:
    """Train the model, print the cross-validated figures and write the model file."""
    parser = argparse.ArgumentParser(description="Train Desk's statistical risk model.")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of *.jsonl files")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="model file to write")
    parser.add_argument("--dry-run", action="store_true", help="print figures, write nothing")
    args = parser.parse_args(argv)
    sources = corpus_files(args.corpus)
    if not sources:
        sys.exit(f"no *.jsonl files in {args.corpus}")
    document, figures_table = build(sources, Settings())
    print(figures_table)
    if not args.dry_run:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        args.output.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {args.output} ({args.output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
