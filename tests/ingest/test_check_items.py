"""Checking a file holding nothing, then reading it again item by item: same items, same errors.

The same for reading it once, each record checked as it is yielded (``stream_items``).
"""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desk.core.errors import DeskError
from desk.core.items import IncomingItem
from desk.ingest import (
    AccountNeeded,
    ImportCancelled,
    ImportRefused,
    check_items,
    read_items,
    stream_items,
)
from desk.ingest import reader as reader_module
from tests.ingest.helpers import DATA, refusal_of
from tests.ingest.test_jsonl import record, write_jsonl

FILES = sorted(p.name for p in DATA.iterdir() if p.name not in {"notes.txt"})
ANSWERS: list[dict[str, Any]] = [{}, {"account": "Exampleshire Police (Facebook page)"}]


def outcome(call: Callable[[], list[IncomingItem]]) -> tuple[str, Any]:
    try:
        return "items", call()
    except DeskError as exc:
        return type(exc).__name__, exc.message


@pytest.mark.parametrize("answers", ANSWERS, ids=["plain", "account"])
@pytest.mark.parametrize("name", FILES)
def test_same_items_and_same_errors_as_read_items(name: str, answers: dict[str, Any]) -> None:
    path = DATA / name
    whole = outcome(lambda: read_items(path, **answers).items)
    checked = outcome(lambda: list(check_items(path, **answers).items()))
    streamed = outcome(lambda: list(stream_items(path, **answers).items()))
    assert checked == whole
    assert streamed == whole


def test_counts_and_format(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [record(n) for n in range(30)])
    checked = check_items(path)
    assert (checked.format, checked.count, checked.skipped, checked.path) == ("jsonl", 30, 0, path)
    assert [i.platform_id for i in checked.items()] == [f"18600000000000{n:05d}" for n in range(30)]
    assert len(list(checked.items())) == 30  # it can be read again


def _peaks(path: Path) -> tuple[int, int, int]:
    """Peak traced memory of checking, reading again, and reading whole."""
    tracemalloc.start()
    try:
        checked = check_items(path)
        checking = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        assert sum(1 for _ in checked.items()) == checked.count
        streaming = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        assert len(read_items(path).items) == checked.count
        whole = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return checking, streaming, whole


def test_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    # (pydantic keeps a bounded cache of the strings it parses: both sizes fill it)
    small = _peaks(write_jsonl(tmp_path / "small.jsonl", [record(n) for n in range(10_000)]))
    large = _peaks(write_jsonl(tmp_path / "large.jsonl", [record(n) for n in range(25_000)]))
    checking, streaming, whole = ((b - a) / 15_000 for a, b in zip(small, large, strict=True))
    assert checking < 80  # bytes per item: an 8-byte hash, sorted once at the end
    # Next to nothing per item: 9-16 bytes are seen, from caches that settle at their own
    # pace (pydantic's parsed strings), against 440 for a reader that holds every item.
    assert streaming < 40
    assert whole > 300  # every item held


def test_a_repeat_far_apart_names_both_lines(tmp_path: Path) -> None:
    records = [record(n) for n in range(3000)]
    records.append(record(17))
    path = write_jsonl(tmp_path / "repeat.jsonl", records)
    refused = refusal_of(lambda: check_items(path))
    assert refused.line == 3001 and refused.field == "id"
    assert "already at line 18" in refused.problem


def test_a_repeat_before_a_bad_record_is_the_problem_named(tmp_path: Path) -> None:
    records = [record(n) for n in range(50)]
    records[20] = record(3)
    records[40]["posted_at"] = "yesterday"
    path = write_jsonl(tmp_path / "both.jsonl", records)
    for call in (lambda: check_items(path), lambda: read_items(path)):
        refused = refusal_of(call)
        assert refused.line == 21 and "already at line 4" in refused.problem


def test_a_bad_record_before_a_repeat_is_the_problem_named(tmp_path: Path) -> None:
    records = [record(n) for n in range(50)]
    records[20]["posted_at"] = "yesterday"
    records[40] = record(3)
    path = write_jsonl(tmp_path / "both.jsonl", records)
    refused = refusal_of(lambda: check_items(path))
    assert refused.line == 21 and refused.field == "posted_at"


def test_hashes_that_merely_collide_are_not_repeats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader_module, "_identity", lambda item: 42)
    path = write_jsonl(tmp_path / "collide.jsonl", [record(n) for n in range(100)])
    assert check_items(path).count == 100
    assert len(read_items(path).items) == 100
    write_jsonl(path, [record(n) for n in range(100)] + [record(99)])
    assert "already at line 100" in refusal_of(lambda: check_items(path)).problem


def test_account_needed_and_cancel_as_read_items(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "no-account.jsonl", [record(n, account=None) for n in range(5)])
    with pytest.raises(AccountNeeded) as caught:
        check_items(path)
    assert caught.value.count == 5
    assert {i.account for i in check_items(path, account="@X").items()} == {"@X"}
    path = write_jsonl(tmp_path / "many.jsonl", [record(n) for n in range(2500)])
    seen: list[int] = []
    with pytest.raises(ImportCancelled):
        check_items(path, progress=seen.append, cancelled=lambda: len(seen) >= 2)
    assert seen == [1000, 2000]


def test_a_file_changed_after_checking_is_refused_when_read_again(tmp_path: Path) -> None:
    records = [record(n) for n in range(10)]
    path = write_jsonl(tmp_path / "changing.jsonl", records)
    checked = check_items(path)
    bad = [*records[:5], {**records[5], "posted_at": "soon"}, *records[6:]]
    write_jsonl(path, bad)
    refused = refusal_of(lambda: list(checked.items()))
    assert refused.line == 6 and refused.field == "posted_at"
    write_jsonl(path, [*records, record(10)])
    refused = refusal_of(lambda: list(checked.items()))
    assert "changed while it was imported" in refused.problem
    path.unlink()
    with pytest.raises(ImportRefused, match="cannot be read"):
        list(checked.items())


def test_lines_are_read_one_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "large.jsonl"
    path.write_text("".join(json.dumps(record(n)) + "\n" for n in range(5000)), encoding="utf-8")
    checked = check_items(path)

    def whole_file(*args: object, **kwargs: object) -> None:
        raise AssertionError("JSON Lines must be read line by line, not whole")

    monkeypatch.setattr(Path, "read_bytes", whole_file)
    monkeypatch.setattr(Path, "read_text", whole_file)
    assert sum(1 for _ in checked.items()) == 5000
