"""``desk-admin import`` checks the file whole, then reads it again to store it: never held."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desk.cli import importing
from desk.ingest import CheckedFile
from tests.cli.conftest import Triage


def records(n: int) -> list[dict[str, Any]]:
    return [
        {"platform": "x", "account": "@ExampleshirePolice", "kind": "mention", "id": f"s{i}",
         "author_id": f"a{i}", "author_handle": f"@person{i}", "text": f"hello {i}",
         "posted_at": "2026-11-26T08:00:00Z"}
        for i in range(n)
    ]  # fmt: skip


@pytest.fixture
def force(triage: Triage) -> Triage:
    triage.official("x", "@ExampleshirePolice")
    return triage


def test_the_file_is_checked_then_streamed(force: Triage, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[CheckedFile] = []
    check = importing.check_items

    def spy(*args: Any, **kwargs: Any) -> CheckedFile:
        checked.append(check(*args, **kwargs))
        return checked[-1]

    monkeypatch.setattr(importing, "check_items", spy)
    done = force.import_(force.jsonl("three.jsonl", records(3)))
    assert done.status == 0, done.err
    assert "three.jsonl (jsonl): 3 items read, 3 added" in done.out
    assert [c.count for c in checked] == [3]
    assert len(force.queue()) == 3


def test_a_file_changed_after_its_check_stores_nothing(
    force: Triage, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = force.jsonl("changing.jsonl", records(3))
    check = importing.check_items

    def check_then_change(*args: Any, **kwargs: Any) -> CheckedFile:
        checked = check(*args, **kwargs)
        with Path(path).open("a", encoding="utf-8") as fh:  # someone writes to it meanwhile
            fh.write(json.dumps({"platform": "x", "id": "late"}) + "\n")
        return checked

    monkeypatch.setattr(importing, "check_items", check_then_change)
    refused = force.import_(path)
    assert refused.status == 2
    assert refused.err.startswith(f"desk-admin: error: Cannot import {path}: ")
    assert refused.err.endswith("Nothing was imported.\n")
    assert force.queue() == []
