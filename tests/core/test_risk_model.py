"""The statistical risk model: clear load errors, the scores and evidence its file promises, the
shipped model on plain messages, and a training script that gives the same weights every time."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from desk.core.errors import InvalidInput
from desk.core.risk import RiskCategory
from desk.core.risk_model import FORMAT, ModelFlag, RiskModel, canonical_form
from desk.core.risk_words import tokenise
from desk.resources import resource_path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_risk_model.py"

TINY: dict[str, Any] = {
    "format": FORMAT,
    "negation_window": 3,
    "categories": {
        "self_harm": {
            "bias": -2.0,
            "threshold": 0.5,
            "weights": {
                "w:take": 0.2,
                "w:tablet": 1.5,
                "w:tonight": 1.0,
                "b:end_it": 2.0,
                "w:and": -0.5,
                "w:hurt": 2.5,
                "n:w:hurt": -3.0,
            },
        },
        "threat_to_life": {"bias": -1.0, "threshold": 0.9, "weights": {"w:knife": 1.0}},
    },
}


def write_model(tmp_path: Path, content: Any) -> Path:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path: Path) -> RiskModel:
    return RiskModel.load(write_model(tmp_path, TINY))


@pytest.fixture(scope="module")
def shipped() -> RiskModel:
    return RiskModel.load(resource_path("risk_model", "model.json"))


@pytest.fixture(scope="module")
def trainer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_risk_model", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# --- loading -------------------------------------------------------------------------------------


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "absent.json"
    with pytest.raises(InvalidInput, match="missing") as caught:
        RiskModel.load(path)
    assert str(path) in caught.value.message


def test_a_file_that_is_not_json_is_named(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not valid JSON") as caught:
        RiskModel.load(path)
    assert str(path) in caught.value.message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.pop("categories"), "lacks categories"),
        (lambda m: m.pop("format"), "lacks format"),
        (lambda m: m.update(format="other/9"), "format"),
        (lambda m: m.update(negation_window=-1), "negation_window"),
        (lambda m: m.update(categories={}), "non-empty"),
        (lambda m: m["categories"]["self_harm"].pop("weights"), "self_harm: lacks weights"),
        (lambda m: m["categories"]["self_harm"].pop("threshold"), "lacks threshold"),
        (lambda m: m["categories"]["self_harm"].update(threshold=1.5), "threshold must be"),
        (lambda m: m["categories"]["self_harm"]["weights"].update({"w:x": "high"}), "'w:x'"),
        (lambda m: m["categories"].update(gossip=m["categories"]["hate"]), "risk category"),
        (lambda m: m.update(categories=[]), "categories must be"),
    ],
)
def test_a_malformed_model_says_what_is_wrong(tmp_path: Path, change: Any, message: str) -> None:
    content = json.loads(json.dumps(TINY))
    content["categories"]["hate"] = {"bias": 0.0, "threshold": 0.5, "weights": {}}
    change(content)
    path = write_model(tmp_path, content)
    with pytest.raises(InvalidInput, match=message) as caught:
        RiskModel.load(path)
    assert str(path) in caught.value.message


def test_a_file_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="JSON object"):
        RiskModel.load(write_model(tmp_path, [1, 2, 3]))


# --- features, scores and evidence of a hand-written model -------------------------------------


def test_features_use_canonical_forms_bigrams_and_their_tokens(tiny: RiskModel) -> None:
    tokens = tokenise("take my tablets tonight and end it")
    features = dict(tiny.features(tokens))
    assert features["w:tablet"] == (2,)
    assert features["b:end_it"] == (5, 6)
    assert features["b:my_tablet"] == (1, 2)
    # "and" and "it" are too common to be features of their own; beside another word they are
    assert "w:and" not in features and "w:it" not in features and "b:and_end" in features
    assert len(features) == 5 + 6


def test_a_repeated_feature_is_listed_once_with_all_its_tokens(tiny: RiskModel) -> None:
    features = tiny.features(tokenise("tablets, more tablets"))
    names = [name for name, _ in features]
    assert names.count("w:tablet") == 1
    assert dict(features)["w:tablet"] == (0, 2)


def test_the_score_is_the_logistic_of_bias_and_weights_counted_once(tiny: RiskModel) -> None:
    flags = tiny.flags(tokenise("take my tablets tonight and end it, tablets"))
    # -2 + take 0.2 + tablet 1.5 (counted once) + tonight 1 + end_it 2 ("and" is no feature)
    assert flags == [ModelFlag(RiskCategory.SELF_HARM, pytest.approx(sigmoid(2.7)), (2, 3, 5))]


def test_evidence_is_the_four_strongest_positive_tokens_in_text_order(tiny: RiskModel) -> None:
    tokens = tokenise("take my tablets tonight and end it")
    (flag,) = tiny.flags(tokens)
    # tablet 1.5; tonight 1; end and it 1 each (half of end_it); take 0.2 is fifth; "it" is
    # too common a word to show as evidence
    assert flag.evidence == (2, 3, 5)
    assert [tokens[i].word for i in flag.evidence] == ["tablets", "tonight", "end"]


def test_a_score_below_the_threshold_is_not_flagged(tiny: RiskModel) -> None:
    tokens = tokenise("a knife")
    assert tiny.scores(tokens)[RiskCategory.THREAT_TO_LIFE] == pytest.approx(sigmoid(0.0))
    assert tiny.flags(tokens) == []


def test_words_after_a_negation_are_features_of_their_own(tiny: RiskModel) -> None:
    assert dict(tiny.features(tokenise("i will not hurt myself")))["n:w:hurt"] == (3,)
    assert tiny.flags(tokenise("i will not hurt myself")) == []
    (flag,) = tiny.flags(tokenise("i will hurt myself"))
    assert flag.evidence == (2,)


def test_negation_reaches_only_its_window(tiny: RiskModel) -> None:
    features = dict(tiny.features(tokenise("not a b c hurt")))
    assert "w:hurt" in features
    assert "n:w:c" in features


def test_no_tokens_no_flags(tiny: RiskModel) -> None:
    assert tiny.flags([]) == []
    assert tiny.features([]) == []


def test_canonical_forms() -> None:
    assert canonical_form("stabbing") == "stab"
    assert canonical_form("tablets") == "tablet"
    assert canonical_form("killll") == "kill"
    assert canonical_form("ladd") == "lladd"  # the Welsh lemma of a word English does not know


# --- the shipped model -------------------------------------------------------------------------


def test_the_shipped_model_flags_an_obvious_overdose_as_self_harm(shipped: RiskModel) -> None:
    text = "im going to take all my tablets tonight and end it"
    tokens = tokenise(text)
    flags = {flag.category: flag for flag in shipped.flags(tokens)}
    assert RiskCategory.SELF_HARM in flags
    evidence = flags[RiskCategory.SELF_HARM].evidence
    assert 1 <= len(evidence) <= 4
    assert list(evidence) == sorted(set(evidence))
    words = [text[tokens[i].start : tokens[i].end] for i in evidence]
    assert all(word.isalpha() for word in words)
    assert {"take", "tablets", "tonight", "end"} & set(words)


def test_the_shipped_model_leaves_an_ordinary_question_alone(shipped: RiskModel) -> None:
    assert shipped.flags(tokenise("what time does the front desk open on saturday")) == []


def test_the_shipped_model_scores_every_category(shipped: RiskModel) -> None:
    assert set(shipped.categories) == set(RiskCategory)
    assert all(0.0 < t <= 1.0 for t in shipped.thresholds().values())


# --- the training script -----------------------------------------------------------------------

SYNTHETIC = [
    ("i will take all my tablets tonight", {"self_harm"}),
    ("going to end it all tonight", {"self_harm"}),
    ("cant go on, goodbye everyone", {"self_harm"}),
    ("he has a knife outside the shop", {"crime_in_progress", "threat_to_life"}),
    ("someone is breaking into the car now", {"crime_in_progress"}),
    ("lovely day at the open day", set()),
    ("what time does the desk open", set()),
    ("thanks for finding my dog", set()),
    ("is the road closed tonight", set()),
    ("great work by the officers today", set()),
]


def synthetic(trainer: ModuleType) -> list[Any]:
    return [trainer.Example(text, frozenset(cats)) for text, cats in SYNTHETIC]


def test_training_gives_the_same_weights_every_time(trainer: ModuleType) -> None:
    examples = synthetic(trainer)
    settings = trainer.Settings(min_docs=1, epochs=5)
    categories = ["self_harm", "crime_in_progress"]

    def once() -> dict[str, Any]:
        docs = trainer.featurise(examples, settings.negation_window)
        return trainer.train(docs, trainer.labels_of(examples, categories), settings)

    first, second = once(), once()
    assert first == second
    assert first["self_harm"].weights["w:tablet"] > 0
    assert trainer.folds_of(examples, 5, 1) == trainer.folds_of(examples, 5, 1)


def test_cross_validation_is_repeatable(trainer: ModuleType) -> None:
    examples = synthetic(trainer)
    settings = trainer.Settings(min_docs=1, epochs=3)
    docs = trainer.featurise(examples, settings.negation_window)
    run = [trainer.cross_validated_scores(examples, docs, ["self_harm"], settings) for _ in "ab"]
    assert run[0] == run[1]


def test_the_threshold_keeps_ordinary_flags_under_the_limit_with_most_recall(
    trainer: ModuleType,
) -> None:
    ordinary_scores = [i / 1000 for i in range(400)]  # 0.5% of 400: at most two may be flagged
    positive_scores = [0.5, 0.3, 0.3985, 0.05]
    scores = ordinary_scores + positive_scores
    positive = [False] * 400 + [True] * 4
    ordinary = [True] * 400 + [False] * 4
    chosen = trainer.choose_threshold(scores, positive, ordinary)
    assert 0.397 < chosen.threshold <= 0.3985
    assert chosen.recall == 0.5
    assert chosen.ordinary_rate == 0.005


def test_the_urgent_categories_may_flag_more_ordinary_messages_to_find_more(
    trainer: ModuleType,
) -> None:
    ordinary_scores = [i / 1000 for i in range(400)]  # 1.5% of 400: at most six may be flagged
    positive_scores = [0.5, 0.3, 0.3985, 0.3945]
    scores = ordinary_scores + positive_scores
    positive = [False] * 400 + [True] * 4
    ordinary = [True] * 400 + [False] * 4
    urgent = trainer.rate_for("self_harm")
    assert urgent == trainer.rate_for("threat_to_life") == trainer.rate_for("crime_in_progress")
    assert trainer.rate_for("hate") == trainer.MAX_ORDINARY_RATE < urgent
    chosen = trainer.choose_threshold(scores, positive, ordinary, urgent)
    assert chosen.recall == 0.75  # 0.3945 is kept now; at 0.5% it was not
    assert chosen.ordinary_rate <= urgent
    assert trainer.choose_threshold(scores, positive, ordinary).recall == 0.5


def test_the_corpus_is_only_the_top_folder(trainer: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "holdout").mkdir()
    (tmp_path / "holdout" / "b.jsonl").write_text("", encoding="utf-8")
    assert trainer.corpus_files(tmp_path) == [tmp_path / "a.jsonl"]
