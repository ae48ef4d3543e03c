"""Telling the format from the file's name and first characters."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from desk.ingest import FormatNotRecognised, ImportRefused, detect_format, read_items
from tests.ingest.helpers import DATA

DataFile = Callable[[str], Path]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("desk-items.jsonl", "jsonl"),
        ("unknown-field.jsonl", "jsonl"),
        ("export.csv", "csv"),
        ("export-semicolon.csv", "csv"),
        ("activitystreams-outbox.json", "activitystreams"),
        ("activitystreams.jsonl", "activitystreams"),
        ("mastodon-statuses.json", "mastodon"),
        ("mastodon-notifications.json", "mastodon"),
        ("x-v2.json", "x_v2"),
        ("x-v2-missing-author.json", "x_v2"),
        ("facebook-comments.json", "facebook_graph"),
        ("facebook-missing-from.json", "facebook_graph"),
    ],
)
def test_detects_every_format(name: str, fmt: str) -> None:
    assert detect_format(DATA / name) == fmt


def test_content_not_name_decides(tmp_path: Path) -> None:
    # a Desk JSON Lines file saved as .txt, and an X response saved without an extension
    desk = tmp_path / "export.txt"
    desk.write_bytes((DATA / "desk-items.jsonl").read_bytes())
    assert detect_format(desk) == "jsonl"
    x = tmp_path / "response"
    x.write_bytes((DATA / "x-v2.json").read_bytes())
    assert detect_format(x) == "x_v2"
    csv = tmp_path / "export.dat"
    csv.write_text("Platform;Account;Message\n", encoding="utf-8")
    assert detect_format(csv) == "csv"


def test_single_line_document(tmp_path: Path) -> None:
    path = tmp_path / "one-line.json"
    path.write_text(json.dumps(json.loads((DATA / "x-v2.json").read_text())), encoding="utf-8")
    assert detect_format(path) == "x_v2"
    assert len(read_items(path).items) == 2


def test_single_activity_document(tmp_path: Path) -> None:
    activity = {
        "type": "Create",
        "actor": {"id": "https://m.example/users/sam", "preferredUsername": "sam"},
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {
            "type": "Note",
            "id": "https://m.example/users/sam/statuses/1",
            "content": "<p>Hello <a>@ExampleshirePolice</a></p>",
            "published": "2026-11-26T09:00:00Z",
            "tag": [{"type": "Mention", "name": "@ExampleshirePolice@police.example"}],
        },
    }
    path = tmp_path / "activity.json"
    path.write_text(json.dumps(activity, indent=2), encoding="utf-8")
    (item,) = read_items(path).items
    assert item.addressed == ("@ExampleshirePolice@police.example",)  # the only Mention


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("ambiguous.json", "a JSON document of no known kind"),
        ("unknown-object.json", "a JSON object of no known kind"),
        ("notes.txt", "neither JSON nor CSV"),
        ("semicolon-mapping.json", "of no known kind"),
    ],
)
def test_ambiguous_files_ask_for_a_format(data_file: DataFile, name: str, fragment: str) -> None:
    path = data_file(name)
    with pytest.raises(FormatNotRecognised) as caught:
        read_items(path)
    message = caught.value.message
    assert str(path) in message and fragment in message
    assert "--format" in message and "x_v2" in message


def test_empty_and_bad_json_documents(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="the file is empty"):
        detect_format(empty)
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "data": [\n    {"id": 1,,}\n  ]\n}\n', encoding="utf-8")
    with pytest.raises(ImportRefused) as caught:
        read_items(broken)
    assert caught.value.line == 3 and "not valid JSON" in caught.value.problem


def test_explicit_format_wins(data_file: DataFile) -> None:
    # a Mastodon list read as X: refused by the X reader, saying why
    path = data_file("mastodon-statuses.json")
    with pytest.raises(ImportRefused, match="should be an X API v2 response object"):
        read_items(path, fmt="x_v2")


def test_document_read_as_json_lines_says_so(data_file: DataFile) -> None:
    path = data_file("x-v2.json")
    with pytest.raises(ImportRefused) as caught:
        read_items(path, fmt="jsonl")
    assert caught.value.line == 1 and "not JSON Lines" in caught.value.problem
