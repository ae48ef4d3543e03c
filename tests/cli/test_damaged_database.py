"""Issue 15 item 8: a byte damaged inside the database ends in a clear message and exit 5.

SQLite keeps no page checksums: a byte changed inside a record passes the quick check every
start makes, and was only met when a command read that record (an "unexpected error", exit
4). Each test damages the profile's file as a disk or a careless editor would, then runs
desk-admin as a person would: a sign-in, a queue read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desk.cli.context import EXIT_DAMAGED
from tests.cli.conftest import Triage

pytestmark = pytest.mark.sqlite_only  # a damaged SQLite file

PAGE_SIZE = 4096
ITEM_TEXT = "Is the A38 open yet? Asking for the morning school run"


def flip(path: Path, known: bytes, offset: int = 0, to: int | None = None) -> int:
    """Change one byte at ``offset`` from the first ``known`` bytes in the file; return where."""
    data = bytearray(path.read_bytes())
    at = data.find(known)
    assert at > 0, f"{known!r} is not in the file"
    at += offset
    data[at] = (data[at] ^ 0xFF) if to is None else to
    path.write_bytes(bytes(data))
    return at


def assert_damaged(done, db: Path) -> None:
    """The refusal a person sees: the file named, what to do, no traceback, exit 5."""
    assert done.status == EXIT_DAMAGED, (done.status, done.err)
    assert str(db) in done.err
    assert "is damaged" in done.err and "Restore it from a backup" in done.err
    assert "Traceback" not in done.err and "unexpected error" not in done.err
    assert done.out == ""


def closed(triage: Triage) -> Path:
    """Close the test's own desk, so that every page is in the database file itself."""
    triage.staffed.desk.close()
    db = triage.cli.profile.db_path
    assert not db.with_name(db.name + "-wal").exists()
    return db


def test_a_byte_changed_in_a_persons_account_record_ends_the_sign_in_clearly(
    triage: Triage,
) -> None:
    db = closed(triage)
    at = flip(db, b"Jo Smith", offset=3)  # inside the operator's row, on the accounts page
    done = triage.cli.signed(triage.staffed.operator, "login")
    assert_damaged(done, db)
    assert "Jo" not in done.err  # the damaged record's text is not repeated
    assert at // PAGE_SIZE >= 1


def test_a_byte_changed_in_an_item_ends_the_queue_read_clearly(triage: Triage) -> None:
    triage.official("x", "@ExampleshirePolice")
    item = {
        "platform": "x", "account": "@ExampleshirePolice", "kind": "mention", "id": "i-1",
        "author_id": "u-1", "author_handle": "@commuter", "text": ITEM_TEXT,
        "posted_at": "2026-11-26T08:00:00Z", "received_at": "2026-11-26T08:00:30Z",
    }  # fmt: skip
    assert triage.import_(triage.jsonl("one.jsonl", [item])).status == 0
    db = closed(triage)
    flip(db, ITEM_TEXT.encode(), offset=12)  # inside the item's text, on an items page
    done = triage.cli("queue", "--json", session=triage.jo)
    assert_damaged(done, db)
    assert "morning school run" not in done.err


def test_a_damaged_accounts_page_is_refused_at_the_start(triage: Triage) -> None:
    db = closed(triage)
    at = flip(db, b"Jo Smith")
    page = at // PAGE_SIZE
    data = bytearray(db.read_bytes())
    data[page * PAGE_SIZE] = 0x07  # the page's b-tree type: no such type
    db.write_bytes(bytes(data))
    before = db.read_bytes()
    done = triage.cli.signed(triage.staffed.operator, "login")
    assert_damaged(done, db)
    assert db.read_bytes() == before


def test_a_changed_sealed_code_key_fails_the_sign_in_cleanly(triage: Triage) -> None:
    """Sealed authenticator keys that no longer open: the sign-in fails, nothing crashes."""
    db = closed(triage)
    data = db.read_bytes()
    sealed = [m.start() for m in re.finditer(rb"v1:[A-Za-z0-9+/]{40,}={0,2}", data)]
    assert len(sealed) >= 4  # everyone's, the operator's among them
    for offset, to in ((12, ord("A")), (12, ord("!")), (9, ord("="))):
        changed = bytearray(data)
        for at in sealed:
            changed[at + offset] = to if changed[at + offset] != to else ord("B")
        db.write_bytes(bytes(changed))
        done = triage.cli.signed(triage.staffed.operator, "login")
        assert done.status == 2, (offset, chr(to), done.err)
        assert "Sign-in failed" in done.err
        assert "Traceback" not in done.err and "unexpected error" not in done.err
        db.write_bytes(data)
