"""A file a crashed import left in the drop folder's importing/ is put back in line, once.

A window holds a lock on the file it is importing; the system lets go of it when the process
dies. A file in importing/ for over a minute that nobody holds was left by a crash. "A minute"
is measured on the desk's clock from the stamp a window puts on the file when it claims it, so
these tests never compare the desk's (manual) clock with the system's real file times.
"""

from __future__ import annotations

import fcntl
from pathlib import Path

from desk.core.queue_filter import QueueFilter
from desk.services.drop_folder import ABANDONED_AFTER, WORKING
from tests.conftest import Staffed
from tests.services.test_drop_folder import line, settle


def _left_in_importing(folder: Path, name: str, ids: range, staffed: Staffed) -> Path:
    """A file as a window leaves it when it dies mid-import: claimed into importing/.

    The claim is made the way a window makes it: a scan moves the file there (and stamps it
    with the desk's clock), and the window then dies before filing it away.
    """
    waiting = folder / name
    waiting.write_text("\n".join(line(str(i), f"message {i}") for i in ids) + "\n")
    settle(waiting, staffed)
    claimed = staffed.desk.drop_folder.claim(waiting)
    assert claimed is not None and claimed.parent.name == WORKING
    return claimed


def _a_minute_after_it_was_moved(path: Path, staffed: Staffed) -> None:
    """Move the desk's clock just past ABANDONED_AFTER from the window's claim."""
    staffed.clock.advance(seconds=ABANDONED_AFTER.total_seconds() + 1)


def _cases(staffed: Staffed) -> int:
    return staffed.desk.queue.count(staffed.admin_token, QueueFilter())


def test_a_file_left_by_a_crash_is_imported_on_the_next_scan(
    staffed: Staffed, folder: Path
) -> None:
    left = _left_in_importing(folder, "export.jsonl", range(4), staffed)
    _a_minute_after_it_was_moved(left, staffed)
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert result.name == "export.jsonl" and result.report is not None
    assert result.report.added == 4
    assert result.filed_as.parent.name == "imported"
    assert list((folder / WORKING).iterdir()) == []
    assert _cases(staffed) == 4


def test_a_file_left_after_its_import_had_finished_adds_nothing_twice(
    staffed: Staffed, folder: Path
) -> None:
    done_before = folder / "export.jsonl"
    done_before.write_text("\n".join(line(str(i), f"message {i}") for i in range(3)) + "\n")
    settle(done_before, staffed)
    staffed.desk.drop_folder.scan(staffed.admin_token)  # stored; then the window "died"
    left = _left_in_importing(folder, "export.jsonl", range(3), staffed)
    _a_minute_after_it_was_moved(left, staffed)
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert result.report is not None
    assert (result.report.added, result.report.duplicates) == (0, 3)
    assert _cases(staffed) == 3


def test_a_file_another_window_is_importing_is_left_alone(staffed: Staffed, folder: Path) -> None:
    busy = _left_in_importing(folder, "big.jsonl", range(3), staffed)
    _a_minute_after_it_was_moved(busy, staffed)
    moved = busy.stat().st_ctime_ns
    with busy.open("rb") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # as the importing window
        assert staffed.desk.drop_folder.scan(staffed.admin_token) == []
    assert busy.stat().st_ctime_ns == moved  # never moved: not put back, not taken again
    assert _cases(staffed) == 0


def test_a_file_moved_there_moments_ago_is_left_alone(staffed: Staffed, folder: Path) -> None:
    fresh = _left_in_importing(folder, "new.jsonl", range(2), staffed)
    moved_ns = fresh.stat().st_ctime_ns
    staffed.clock.advance(seconds=ABANDONED_AFTER.total_seconds() - 5)
    assert staffed.desk.drop_folder.scan(staffed.admin_token) == []
    assert fresh.stat().st_ctime_ns == moved_ns and _cases(staffed) == 0


def test_a_recovered_file_never_replaces_one_waiting_with_its_name(
    staffed: Staffed, folder: Path
) -> None:
    left = _left_in_importing(folder, "export.jsonl", range(2), staffed)
    waiting = folder / "export.jsonl"
    waiting.write_text("\n".join(line(str(i), f"other {i}") for i in range(10, 13)) + "\n")
    settle(waiting, staffed)
    _a_minute_after_it_was_moved(left, staffed)
    results = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert sorted(r.name for r in results) == ["export-1.jsonl", "export.jsonl"]
    assert _cases(staffed) == 5
