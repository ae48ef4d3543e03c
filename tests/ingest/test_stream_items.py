"""Reading a file once, validating each record as it is yielded (test_check_items compares errors)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.core.errors import DeskError
from desk.ingest import AccountNeeded, ImportCancelled, stream_items
from tests.ingest.helpers import DATA
from tests.ingest.test_check_items import FILES
from tests.ingest.test_jsonl import record, write_jsonl


def test_counts_and_format_once_read(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [record(n) for n in range(30)])
    streamed = stream_items(path)
    assert (streamed.format, streamed.count, streamed.path) == ("jsonl", 0, path)
    ids = [i.platform_id for i in streamed.items()]
    assert ids == [f"18600000000000{n:05d}" for n in range(30)]
    assert (streamed.count, streamed.skipped) == (30, 0)
    assert len(list(streamed.items())) == 30  # it can be read again


def test_the_good_items_before_a_late_problem_are_yielded_then_the_file_refused(
    tmp_path: Path,
) -> None:
    records = [record(n) for n in range(50)]
    records[45]["posted_at"] = "yesterday"
    path = write_jsonl(tmp_path / "late.jsonl", records)
    got: list[str] = []
    with pytest.raises(DeskError, match="line 46"):
        got.extend(item.platform_id for item in stream_items(path).items())
    assert len(got) == 45  # the store holds these in its transaction, then rolls back


def test_items_without_an_account_are_held_back_then_counted(tmp_path: Path) -> None:
    records = [record(n) for n in range(10)]
    for n in (4, 7, 8):
        records[n] = record(n, account=None)
    path = write_jsonl(tmp_path / "some-without.jsonl", records)
    got: list[str] = []
    with pytest.raises(AccountNeeded) as caught:
        got.extend(item.platform_id for item in stream_items(path).items())
    assert len(got) == 4  # none from the first without an account on
    assert (caught.value.count, caught.value.first) == (3, "line 5")
    assert len(list(stream_items(path, account="@X").items())) == 10


def test_progress_and_cancel(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "many.jsonl", [record(n) for n in range(2500)])
    seen: list[int] = []
    with pytest.raises(ImportCancelled):
        list(stream_items(path).items(progress=seen.append, cancelled=lambda: len(seen) >= 2))
    assert seen == [1000, 2000]


def test_the_estimate_for_a_progress_bar(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [record(n) for n in range(30)])
    assert stream_items(path).estimated_count() == 30
    path.write_bytes(path.read_bytes().rstrip(b"\n"))  # no newline after the last line
    assert stream_items(path).estimated_count() == 30
    csv = tmp_path / "a.csv"
    csv.write_text("platform,id\nx,1\nx,2\n", encoding="utf-8")
    assert stream_items(csv, "csv").estimated_count() == 2
    document = DATA / next(n for n in FILES if n.endswith(".json"))
    assert stream_items(document, account="@X").estimated_count() is None
