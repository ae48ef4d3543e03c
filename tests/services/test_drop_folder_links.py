"""Attack (issue 15 item 7): links and other non-regular entries put in the drop folder.

A link to a file elsewhere was read as if it had been dropped there, and the refusal quoted its
first line (a CSV header) in a note anyone could read. Now links, hard links and named pipes
are filed under refused/ unopened, the note is 0600 and names nothing of the target.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.core.errors import InvalidInput
from desk.core.queue_filter import QueueFilter
from tests.conftest import Staffed
from tests.services.test_drop_folder import line, settle

SECRET = "sk-live-ultra-secret-line-7f3a9c"


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Run with umask 000: every mode Desk gets must come from Desk itself."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _secret(tmp_path: Path) -> Path:
    """A file outside the drop folder whose first line reads like a CSV header."""
    secret = tmp_path / "elsewhere" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET},b,c\n1,2,3\n")
    return secret


def _written_by_desk(folder: Path) -> list[Path]:
    """Every ordinary file under the drop folder that is not a dropped file itself."""
    return [p for p in folder.rglob("*.error.txt") if not p.is_symlink()]


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_a_link_to_a_secret_is_refused_unread_with_a_private_note(
    staffed: Staffed, folder: Path, tmp_path: Path, open_umask: None
) -> None:
    secret = _secret(tmp_path)
    settle(secret, staffed)
    link = folder / "export.csv"
    link.symlink_to(secret)
    before = secret.read_bytes()

    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)

    # reported as a link, filed as the link itself (the secret stays where it was)
    assert result.report is None and "symbolic link" in (result.problem or "")
    assert result.filed_as.parent.name == "refused" and result.filed_as.is_symlink()
    assert not os.path.lexists(link)
    assert secret.read_bytes() == before
    # the secret's text is in no file Desk wrote, nor in what it reports
    notes = _written_by_desk(folder)
    assert notes, "the refusal left no note"
    for note in notes:
        assert SECRET not in note.read_text(encoding="utf-8")
        assert _mode(note) == 0o600, oct(_mode(note))
        assert str(secret) not in note.read_text(encoding="utf-8")  # nor where it points
    assert SECRET not in (result.problem or "")
    # Desk's own folders in the drop folder are its owner's only
    for made in ("refused", "importing"):
        if (folder / made).exists():
            assert _mode(folder / made) == 0o700
    assert staffed.desk.queue.count(staffed.admin_token, QueueFilter()) == 0


def test_a_link_to_a_good_file_is_not_imported_either(
    staffed: Staffed, folder: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "good.jsonl"
    elsewhere.write_text(line("1", "hello") + "\n")
    settle(elsewhere, staffed)
    (folder / "good.jsonl").symlink_to(elsewhere)
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert "symbolic link" in (result.problem or "")
    assert staffed.desk.queue.count(staffed.admin_token, QueueFilter()) == 0


def test_a_hard_link_to_a_secret_is_refused_unread(
    staffed: Staffed, folder: Path, tmp_path: Path, open_umask: None
) -> None:
    secret = _secret(tmp_path)
    os.link(secret, folder / "export.csv")
    settle(folder / "export.csv", staffed)
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert "hard link" in (result.problem or "")
    for note in _written_by_desk(folder):
        assert SECRET not in note.read_text(encoding="utf-8")
        assert _mode(note) == 0o600


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_hanging_the_scan(staffed: Staffed, folder: Path) -> None:
    os.mkfifo(folder / "export.jsonl")
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)  # opening it would block
    assert "named pipe" in (result.problem or "")
    assert stat.S_ISFIFO(os.lstat(result.filed_as).st_mode)


def test_a_planted_link_where_the_note_goes_is_not_written_through(
    staffed: Staffed, folder: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    bad = folder / "broken.jsonl"
    bad.write_text("{not json\n")
    settle(bad, staffed)
    refused = folder / "refused"
    refused.mkdir()
    stamp = staffed.clock.now().strftime("%Y%m%dT%H%M%SZ")
    (refused / f"{stamp}-broken.jsonl.error.txt").symlink_to(victim)
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert victim.read_text() == "keep me\n"
    note = result.filed_as.with_name(result.filed_as.name + ".error.txt")
    assert not note.is_symlink() and "line 1" in note.read_text(encoding="utf-8")


def test_a_linked_refused_folder_is_not_filed_through(
    staffed: Staffed, folder: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (folder / "refused").symlink_to(outside, target_is_directory=True)
    bad = folder / "broken.jsonl"
    bad.write_text("{not json\n")
    settle(bad, staffed)
    with pytest.raises(InvalidInput, match="link or not a folder"):
        staffed.desk.drop_folder.scan(staffed.admin_token)
    assert list(outside.iterdir()) == []
