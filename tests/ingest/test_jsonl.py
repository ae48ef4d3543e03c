"""Desk's JSON Lines format: good files, every kind of bad one, accounts, progress, cancel."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from desk.core.errors import InvalidInput
from desk.core.items import Author, IncomingItem, ItemKind, Platform
from desk.ingest import (
    PROGRESS_EVERY,
    AccountNeeded,
    FormatNotRecognised,
    ImportCancelled,
    ImportRefused,
    read_items,
)
from tests.ingest.helpers import refusal_of

DataFile = Callable[[str], Path]


def record(n: int, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "platform": "x",
        "account": "@ExampleshirePolice",
        "kind": "mention",
        "id": f"18600000000000{n:05d}",
        "author_id": f"{1000 + n % 97}",
        "author_handle": f"@user{n % 97}",
        "text": f"Any news on the A38? message {n}",
        "posted_at": "2026-11-26T09:00:00Z",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not ...}


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_good_file(data_file: DataFile) -> None:
    path = data_file("desk-items.jsonl")
    batch = read_items(path)
    assert batch.format == "jsonl" and batch.path == path and batch.skipped == 0
    assert len(batch.items) == 6
    first = batch.items[0]
    assert first == IncomingItem(
        platform=Platform.FACEBOOK,
        account="Exampleshire Police (Facebook page)",
        kind=ItemKind.COMMENT,
        platform_id="1029384756_5566778899",
        author=Author("100064211223344", "Sarah Jenkins", "Sarah Jenkins"),
        text="Is the A38 still closed at Chudleigh? Been sat here 40 mins 😩",
        posted_at=datetime(2026, 11, 26, 8, 41, 12, tzinfo=UTC),
        received_at=datetime(2026, 11, 26, 8, 41, 40, tzinfo=UTC),
        link="https://www.facebook.com/ExampleshirePolice/posts/1029384756?comment_id=5566778899",
        media=(),
        thread_id="1029384756",
        thread_title="Road closure: A38 at Chudleigh after a collision",
    )
    kinds = [item.kind for item in batch.items]
    assert kinds == [
        ItemKind.COMMENT,
        ItemKind.REPLY,
        ItemKind.DIRECT_MESSAGE,
        ItemKind.COMMENT,
        ItemKind.COMMENT,
        ItemKind.REVIEW,
    ]


def test_times_are_utc_and_aware(data_file: DataFile) -> None:
    items = read_items(data_file("desk-items.jsonl")).items
    dm = items[2]
    assert dm.posted_at == datetime(2026, 11, 26, 9, 15, tzinfo=UTC)  # 10:15+01:00
    assert all(i.posted_at.tzinfo is UTC for i in items)
    assert items[4].posted_at.microsecond == 250_000


def test_text_is_nfc_and_keeps_line_breaks(data_file: DataFile) -> None:
    items = read_items(data_file("desk-items.jsonl")).items
    review = items[5].text
    assert review.startswith("Café owner") and unicodedata.is_normalized("NFC", review)
    assert "\n" in items[2].text


def test_empty_text_with_media_is_allowed(data_file: DataFile) -> None:
    photo = read_items(data_file("desk-items.jsonl")).items[3]
    assert photo.text == "" and photo.media == ("https://cdn.example.com/ig/17998877665544332.jpg",)


def test_byte_order_mark_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(record(1)).encode() + b"\n\n\r\n")
    assert len(read_items(path, fmt="jsonl").items) == 1


@pytest.mark.parametrize(
    ("name", "line", "field", "fragment"),
    [
        ("bad-json-line3.jsonl", 3, None, "not valid JSON"),
        ("missing-field.jsonl", 2, "author_handle", "is missing"),
        ("wrong-type.jsonl", 3, "id", "should be text, not the number 1861234567890123457"),
        ("naive-time.jsonl", 2, "posted_at", "has no timezone"),
        ("unknown-platform.jsonl", 1, "platform", "unknown value 'myspace'; expected one of"),
        ("truncated.jsonl", 2, None, "cut short"),
        ("empty-text.jsonl", 1, "text", "is empty, and the item has no media"),
        ("unknown-field.jsonl", 1, "posted_at", "is missing (and 1 more problem"),
    ],
)
def test_bad_records_are_refused(
    data_file: DataFile, name: str, line: int, field: str | None, fragment: str
) -> None:
    path = data_file(name)
    refused = refusal_of(lambda: read_items(path))
    assert isinstance(refused, InvalidInput)
    assert refused.code == "import.refused"
    assert (refused.path, refused.line, refused.field) == (path, line, field)
    assert fragment in refused.problem
    assert str(path) in refused.message and f"line {line}" in refused.message
    if field:
        assert f"field '{field}'" in refused.message


def test_naive_time_message_says_what_to_do(data_file: DataFile) -> None:
    refused = refusal_of(lambda: read_items(data_file("naive-time.jsonl")))
    assert "'2026-11-26T08:01:00'" in refused.problem
    assert "add Z for UTC or an offset" in refused.problem


@pytest.mark.parametrize("name", ["empty.jsonl", "blank.jsonl"])
@pytest.mark.parametrize("fmt", [None, "jsonl"])
def test_empty_files_are_refused(data_file: DataFile, name: str, fmt: str | None) -> None:
    path = data_file(name)
    refused = refusal_of(lambda: read_items(path, fmt=fmt))
    assert refused.problem == "the file is empty"
    assert str(path) in refused.message


def test_duplicates_name_both_lines(data_file: DataFile) -> None:
    path = data_file("duplicates.jsonl")
    refused = refusal_of(lambda: read_items(path))
    assert refused.line == 4 and refused.field == "id"
    assert "already at line 1" in refused.problem
    assert "'1861000000000000001'" in refused.problem


def test_same_id_on_another_account_is_not_a_duplicate(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "two.jsonl",
        [record(1), record(1, account="@ExampleshireCops_North"), record(1, platform="mastodon")],
    )
    assert len(read_items(path).items) == 3


def test_nothing_partial_is_returned(tmp_path: Path) -> None:
    records = [record(n) for n in range(2500)]
    records[2400]["posted_at"] = "2026-11-26 09:00"
    path = write_jsonl(tmp_path / "late-error.jsonl", records)
    refused = refusal_of(lambda: read_items(path))
    assert refused.line == 2401


def test_account_needed_then_given(data_file: DataFile) -> None:
    path = data_file("no-account.jsonl")
    with pytest.raises(AccountNeeded) as caught:
        read_items(path)
    needed = caught.value
    assert isinstance(needed, InvalidInput)
    assert (needed.path, needed.count, needed.first) == (path, 2, "line 1")
    assert str(path) in needed.message and "--account" in needed.message
    batch = read_items(path, account="Exampleshire Police (Facebook page)")
    assert [i.account for i in batch.items] == [
        "Exampleshire Police (Facebook page)",
        "Exampleshire Police (Facebook page)",
        "Exampleshire Police North (Facebook page)",  # a record's own account wins
    ]


def test_blank_account_counts_as_none(data_file: DataFile) -> None:
    with pytest.raises(AccountNeeded):
        read_items(data_file("no-account.jsonl"), account="   ")


def test_progress_and_cancel(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "big.jsonl", [record(n) for n in range(3500)])
    seen: list[int] = []
    batch = read_items(path, progress=seen.append)
    assert seen == [1000, 2000, 3000, 3500] and len(batch.items) == 3500
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(len(seen))
        return len(asked) >= 2

    seen.clear()
    with pytest.raises(ImportCancelled) as caught:
        read_items(path, progress=seen.append, cancelled=cancelled)
    assert caught.value.count == 2 * PROGRESS_EVERY
    assert "nothing was imported" in caught.value.message
    assert seen == [1000, 2000]


def test_streams_large_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "large.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for n in range(50_000):
            fh.write(json.dumps(record(n)) + "\n")

    def whole_file(*args: object, **kwargs: object) -> None:
        raise AssertionError("JSON Lines must be read line by line, not whole")

    monkeypatch.setattr(Path, "read_bytes", whole_file)
    monkeypatch.setattr(Path, "read_text", whole_file)
    batch = read_items(path)
    assert len(batch.items) == 50_000
    assert batch.items[-1].platform_id == "1860000000000049999"


def test_unknown_format_and_missing_file(tmp_path: Path, data_file: DataFile) -> None:
    with pytest.raises(FormatNotRecognised, match="unknown format 'yaml'"):
        read_items(data_file("desk-items.jsonl"), fmt="yaml")
    refused = refusal_of(lambda: read_items(tmp_path / "nope.jsonl"))
    assert "does not exist" in refused.message
    refused = refusal_of(lambda: read_items(tmp_path))
    assert "folder" in refused.message


def test_errors_are_import_refused_subclasses() -> None:
    assert issubclass(FormatNotRecognised, ImportRefused)
    assert issubclass(ImportRefused, InvalidInput)
    assert issubclass(AccountNeeded, InvalidInput)
    assert not issubclass(ImportCancelled, InvalidInput)


def test_numbers_are_not_times(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "epoch.jsonl", [record(1, posted_at=1764148443)])
    refused = refusal_of(lambda: read_items(path))
    assert (refused.line, refused.field) == (1, "posted_at")
    assert "should be a time written as text" in refused.problem


def test_times_with_offsets_are_converted(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "offsets.jsonl",
        [
            record(1, posted_at="2026-06-26T21:50:00+01:00", received_at="2026-06-26T20:51:00Z"),
            record(2, posted_at="2026-11-26T09:14:03+0000"),
        ],
    )
    first, second = read_items(path).items
    assert first.posted_at == datetime(2026, 6, 26, 20, 50, tzinfo=UTC)
    assert first.posted_at.tzinfo is UTC and first.received_at is not None
    assert second.posted_at == datetime(2026, 11, 26, 9, 14, 3, tzinfo=UTC)


def test_names_are_nfc_too(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Siân Ffion")
    path = write_jsonl(
        tmp_path / "nfd.jsonl",
        [record(1, author_handle=decomposed, author_name=decomposed, thread_title=decomposed)],
    )
    (item,) = read_items(path).items
    assert item.author.handle == item.author.display_name == item.thread_title == "Siân Ffion"
