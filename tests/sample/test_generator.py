"""The sample generator: deterministic, realistic in shape, readable by the importer."""

from __future__ import annotations

import tracemalloc
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desk.core.items import IncomingItem, ItemKind, Platform
from desk.core.language import detect_language
from desk.core.risk import RiskCategory, RuleSet, load_rules, rule_files
from desk.ingest import read_items
from desk.resources import resource_path
from desk.sample import generate, write_jsonl
from desk.sample.generator import DEFAULT_START


@pytest.fixture(scope="module")
def items() -> list[IncomingItem]:
    return list(generate(20_000, seed=1))


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules(rule_files(resource_path("rules")))


def test_deterministic() -> None:
    assert list(generate(3000, seed=7)) == list(generate(3000, seed=7))
    assert list(generate(300, seed=7)) != list(generate(300, seed=8))


def test_exact_count_and_arguments() -> None:
    assert sum(1 for _ in generate(1234)) == 1234
    assert list(generate(0)) == []
    with pytest.raises(ValueError, match="timezone-aware"):
        generate(10, start=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="negative"):
        generate(-1)
    with pytest.raises(ValueError, match="positive"):
        generate(10, span=timedelta(0))


def test_lazy_and_constant_memory() -> None:
    huge = generate(10**12)  # would never fit in memory as a list
    assert next(huge).posted_at >= DEFAULT_START
    tracemalloc.start()
    try:
        for _ in generate(30_000, seed=2):
            pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, peak  # the author table and friends, not the items


def test_time_order_span_and_rhythm(items: list[IncomingItem]) -> None:
    times = [i.posted_at for i in items]
    assert times == sorted(times)
    assert times[0] >= DEFAULT_START and times[-1] < DEFAULT_START + timedelta(days=30)
    assert all(t.tzinfo is UTC for t in times)
    assert (times[-1] - times[0]) > timedelta(days=29)
    hours = Counter(t.hour for t in times)
    small_hours = sum(hours[h] for h in (2, 3, 4, 5))
    evening = sum(hours[h] for h in (18, 19, 20, 21))
    assert evening > 5 * small_hours
    assert all(i.received_at and i.received_at > i.posted_at for i in items)


def test_custom_start_and_span() -> None:
    start = datetime(2027, 3, 1, 12, tzinfo=UTC)
    got = list(generate(500, seed=3, start=start, span=timedelta(hours=6)))
    assert got[0].posted_at >= start and got[-1].posted_at < start + timedelta(hours=6)


def test_platforms_and_accounts(items: list[IncomingItem]) -> None:
    platforms = Counter(i.platform for i in items)
    assert [p for p, _ in platforms.most_common(2)] == [Platform.FACEBOOK, Platform.X]
    assert set(platforms) == set(Platform) - {Platform.OTHER}
    accounts = {p: {i.account for i in items if i.platform is p} for p in platforms}
    assert len(accounts[Platform.FACEBOOK]) >= 3 and len(accounts[Platform.X]) >= 3
    assert "@ExampleshirePolice" in accounts[Platform.X]
    assert "@ExampleshireCops_North" in accounts[Platform.X]
    assert "Exampleshire Police (Facebook page)" in accounts[Platform.FACEBOOK]
    keys = Counter((i.platform, i.account, i.platform_id) for i in items)
    assert max(keys.values()) == 1


def test_authors_repeat_like_zipf(items: list[IncomingItem]) -> None:
    posts = Counter((i.platform, i.author.platform_user_id) for i in items)
    counts = sorted(posts.values(), reverse=True)
    assert counts[0] >= 50  # a few people post a lot
    assert sum(1 for c in counts if c == 1) > len(counts) / 3  # most post once
    assert len(counts) > 2000


def test_threads_kinds_and_media(items: list[IncomingItem]) -> None:
    kinds = Counter(i.kind for i in items)
    assert set(kinds) == set(ItemKind)
    assert 0.05 < kinds[ItemKind.DIRECT_MESSAGE] / len(items) < 0.2
    threaded = [i for i in items if i.kind in (ItemKind.COMMENT, ItemKind.REPLY)]
    assert all(i.thread_id and i.thread_title for i in threaded)
    assert all(i.thread_id is None for i in items if i.kind is ItemKind.DIRECT_MESSAGE)
    per_thread = Counter(i.thread_id for i in threaded)
    assert per_thread.most_common(1)[0][1] > 50
    titles = " ".join({i.thread_title or "" for i in threaded})
    for word in ("Road closure", "MISSING", "Appeal", "Scam warning"):
        assert word in titles
    assert all(i.text.strip() or i.media for i in items)
    assert any(not i.text and i.media for i in items)


def test_risky_texts_in_every_category(items: list[IncomingItem], rules: RuleSet) -> None:
    hits = [rules.evaluate(i.text) for i in items]
    risky = sum(1 for h in hits if h)
    assert 0.025 < risky / len(items) < 0.06
    categories = Counter(m.category for h in hits for m in {x.category: x for x in h}.values())
    assert set(categories) == set(RiskCategory), categories
    assert all(count >= 20 for count in categories.values()), categories


def test_some_welsh(items: list[IncomingItem]) -> None:
    welsh = sum(1 for i in items if detect_language(i.text) == "cy")
    assert 0.02 < welsh / len(items) < 0.045


def test_round_trip_through_the_importer(tmp_path: Path) -> None:
    path = tmp_path / "sample.jsonl"
    assert write_jsonl(path, 5000, seed=3) == 5000
    batch = read_items(path)
    assert batch.format == "jsonl"
    assert batch.items == list(generate(5000, seed=3))
