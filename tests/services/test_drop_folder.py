"""Files dropped in the watched folder are imported whole, or refused with a note beside them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from desk.core.errors import InvalidInput
from desk.core.queue_filter import QueueFilter
from tests.backend import same_database
from tests.conftest import Staffed


def line(pid: str, text: str, account: str | None = "@ExampleshirePolice") -> str:
    record = {
        "platform": "x",
        "kind": "mention",
        "id": pid,
        "author_id": f"a{pid}",
        "author_handle": f"@a{pid}",
        "text": text,
        "posted_at": "2026-11-26T08:00:00Z",
    }
    if account:
        record["account"] = account
    return json.dumps(record)


def settle(path: Path, staffed: Staffed) -> None:
    """Make the file look written a minute ago by the desk's clock."""
    old = staffed.clock.now().timestamp() - 60
    os.utime(path, (old, old))


def test_a_good_file_is_imported_and_filed(staffed: Staffed, folder: Path) -> None:
    good = folder / "export.jsonl"
    good.write_text("\n".join(line(str(i), f"message {i}") for i in range(3)) + "\n")
    settle(good, staffed)
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert result.report is not None and result.report.added == 3
    assert not good.exists() and result.filed_as.parent.name == "imported"
    assert staffed.desk.queue.count(staffed.admin_token, QueueFilter()) == 3


def test_a_bad_file_changes_nothing_and_says_why_beside_it(staffed: Staffed, folder: Path) -> None:
    bad = folder / "broken.jsonl"
    bad.write_text(line("1", "fine") + "\n" + "{not json\n")
    settle(bad, staffed)
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert result.report is None and "line 2" in (result.problem or "")
    note = result.filed_as.with_name(result.filed_as.name + ".error.txt").read_text()
    assert "line 2" in note
    # the note names the file where it is now, never the importing/ folder it passed through
    assert str(result.filed_as) in note and "importing" not in note
    assert "importing" not in (result.problem or ""), result.problem
    assert staffed.desk.queue.count(staffed.admin_token, QueueFilter()) == 0


def test_a_file_still_being_written_waits(staffed: Staffed, folder: Path) -> None:
    fresh = folder / "arriving.jsonl"
    fresh.write_text(line("1", "hello") + "\n")
    os.utime(fresh, (staffed.clock.now().timestamp(),) * 2)
    assert staffed.desk.drop_folder.scan(staffed.admin_token) == []
    assert fresh.exists()


def test_file_without_account_is_refused_with_advice(staffed: Staffed, folder: Path) -> None:
    anonymous = folder / "no-account.jsonl"
    anonymous.write_text(line("1", "hello", account=None) + "\n")
    settle(anonymous, staffed)
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert "Import dialog" in (result.problem or "")


def test_drop_folder_setting_is_checked(staffed: Staffed, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        staffed.desk.settings.set(staffed.admin_token, "drop_folder", str(tmp_path / "nope"))
    with pytest.raises(InvalidInput, match="full path"):
        staffed.desk.settings.set(staffed.admin_token, "drop_folder", "relative/dir")


def test_two_windows_scanning_at_once_import_each_file_once(staffed: Staffed, folder: Path) -> None:
    """Two desk windows on one profile scan the same folder; every file is imported once."""
    import threading

    from desk.services.desk import Desk

    for n in range(6):
        f = folder / f"batch{n}.jsonl"
        f.write_text("\n".join(line(f"{n}-{i}", f"message {n} {i}") for i in range(20)) + "\n")
        settle(f, staffed)
    other = Desk.open(staffed.desk.profile, staffed.clock, same_database(staffed.desk))
    results: list = []
    barrier = threading.Barrier(2)

    def scan(desk: Desk) -> None:
        barrier.wait()
        results.extend(desk.drop_folder.scan(staffed.admin_token))

    threads = [threading.Thread(target=scan, args=(d,)) for d in (staffed.desk, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert sorted(r.name for r in results) == [f"batch{n}.jsonl" for n in range(6)]
    assert all(r.problem is None for r in results)
    assert staffed.desk.queue.count(staffed.admin_token, QueueFilter()) == 120
    assert sorted(p.name for p in (folder / "imported").iterdir()) == sorted(
        r.filed_as.name for r in results
    )
