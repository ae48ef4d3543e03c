"""``desk-admin import`` never holds a file: read once with a session, checked first otherwise.

The import writes in chunks of 5,000 items, so the files here are longer than one chunk: a
problem near the end is read after a whole chunk was written inside the transaction.
"""

from __future__ import annotations

from typing import Any

import pytest

from desk.services.importing import CHUNK
from tests.cli.conftest import Triage
from tests.conftest import current_code

MORE_THAN_A_CHUNK = CHUNK + 100


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


def test_a_long_file_is_stored_whole(force: Triage) -> None:
    done = force.import_(force.jsonl("long.jsonl", records(MORE_THAN_A_CHUNK)))
    assert done.status == 0, done.err
    assert f"(jsonl): {MORE_THAN_A_CHUNK} items read, {MORE_THAN_A_CHUNK} added" in done.out


def test_a_bad_record_after_the_first_chunk_stores_nothing(force: Triage) -> None:
    bad = records(MORE_THAN_A_CHUNK)
    bad[-1]["posted_at"] = "yesterday"
    path = force.jsonl("late-error.jsonl", bad)
    refused = force.import_(path)
    assert refused.status == 2
    *progress, error = refused.err.splitlines()
    assert progress == [f"desk-admin: read {path}: 5,000 records..."]
    assert error.startswith(
        f"desk-admin: error: Cannot import {path}: line {MORE_THAN_A_CHUNK}: $.posted_at "
        "(field 'posted_at')"
    )
    assert refused.out == ""
    assert force.queue() == []


def test_a_repeat_at_the_end_stores_nothing(force: Triage) -> None:
    path = force.jsonl("repeat.jsonl", [*records(MORE_THAN_A_CHUNK), records(3)[2]])
    refused = force.import_(path)
    assert refused.status == 2
    assert "item 's2' is already at line 3" in refused.err
    assert force.queue() == []


def test_items_without_an_account_at_the_end_store_nothing_and_say_how(force: Triage) -> None:
    late = records(MORE_THAN_A_CHUNK + 2)
    for record in late[-2:]:
        del record["account"]
    path = force.jsonl("no-account.jsonl", late)
    refused = force.import_(path)
    assert refused.status == 2
    assert "2 items do not say which official account" in refused.err
    assert f"line {MORE_THAN_A_CHUNK + 1}" in refused.err and "--account HANDLE" in refused.err
    assert force.queue() == []


def test_without_a_session_a_bad_file_is_refused_before_the_code_is_used(force: Triage) -> None:
    cli, jo = force.cli, force.staffed.operator
    cli.clock.advance(seconds=30)
    code = current_code(jo.seed, cli.clock)
    signed = ("--user", "jsmith", "--password-stdin", "--code", code)
    bad = records(MORE_THAN_A_CHUNK)
    bad[-1]["posted_at"] = "yesterday"
    refused = cli(*signed, "import", str(force.jsonl("bad.jsonl", bad)), stdin=jo.password + "\n")
    assert refused.status == 2 and f"line {MORE_THAN_A_CHUNK}" in refused.err
    good = force.jsonl("good.jsonl", records(3))
    done = cli(*signed, "import", str(good), stdin=jo.password + "\n")  # the same code
    assert done.status == 0, done.err
    assert "3 items read, 3 added" in done.out
