"""The drop folder reads each file once into one transaction: a problem late in it keeps nothing.

The import writes in chunks of 5,000 items, so these files are longer than one chunk: by the
time the problem is read, a whole chunk has been written inside the transaction.
"""

from __future__ import annotations

from pathlib import Path

from desk.core.queue_filter import QueueFilter
from desk.services.importing import CHUNK
from tests.conftest import Staffed
from tests.services.test_drop_folder import line, settle

MORE_THAN_A_CHUNK = CHUNK + 200


def _write(path: Path, lines: list[str], staffed: Staffed) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settle(path, staffed)


def _good_lines(count: int) -> list[str]:
    return [line(str(i), f"message {i}") for i in range(count)]


def _nothing_stored(staffed: Staffed) -> bool:
    return staffed.desk.queue.count(staffed.admin_token, QueueFilter()) == 0


def test_a_long_good_file_is_stored_whole(staffed: Staffed, folder: Path) -> None:
    _write(folder / "long.jsonl", _good_lines(MORE_THAN_A_CHUNK), staffed)
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert result.report is not None and result.report.added == MORE_THAN_A_CHUNK
    assert result.filed_as.parent.name == "imported"


def test_a_bad_record_after_the_first_chunk_keeps_nothing(staffed: Staffed, folder: Path) -> None:
    lines = [*_good_lines(MORE_THAN_A_CHUNK), "{not json"]
    _write(folder / "late-error.jsonl", lines, staffed)
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert result.report is None
    assert f"line {MORE_THAN_A_CHUNK + 1}" in (result.problem or "")
    assert result.filed_as.parent.name == "refused"
    error_note = result.filed_as.with_name(result.filed_as.name + ".error.txt")
    assert f"line {MORE_THAN_A_CHUNK + 1}" in error_note.read_text(encoding="utf-8")
    assert _nothing_stored(staffed)


def test_an_item_repeated_at_the_end_keeps_nothing(staffed: Staffed, folder: Path) -> None:
    lines = [*_good_lines(MORE_THAN_A_CHUNK), line("7", "message 7 again")]
    _write(folder / "repeat.jsonl", lines, staffed)
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert result.report is None
    problem = result.problem or ""
    assert "'7' is already at line 8" in problem and f"line {MORE_THAN_A_CHUNK + 1}" in problem
    assert _nothing_stored(staffed)


def test_items_without_their_account_at_the_end_keep_nothing(
    staffed: Staffed, folder: Path
) -> None:
    lines = [
        *_good_lines(MORE_THAN_A_CHUNK),
        line("late-1", "hello", account=None),
        line("late-2", "hello again", account=None),
    ]
    _write(folder / "no-account-late.jsonl", lines, staffed)
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert result.report is None
    problem = result.problem or ""
    assert "2 items" in problem and f"line {MORE_THAN_A_CHUNK + 1}" in problem
    assert "Import dialog" in problem
    assert _nothing_stored(staffed)
