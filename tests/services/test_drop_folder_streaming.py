"""The drop folder checks each file whole, then reads it again into one transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from desk.ingest import CheckedFile
from desk.services import drop_folder
from tests.conftest import Staffed
from tests.services.test_drop_folder import line, settle


@pytest.fixture
def folder(staffed: Staffed, tmp_path: Path) -> Path:
    drop = tmp_path / "drop"
    drop.mkdir()
    staffed.desk.official_accounts.add(staffed.admin_token, Platform.X, "@ExampleshirePolice")
    staffed.desk.settings.set(staffed.admin_token, "drop_folder", str(drop))
    return drop


def test_a_file_is_checked_then_streamed(
    staffed: Staffed, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    streamed: list[int] = []
    check = drop_folder.check_items

    def spy(path: Path, *args: Any, **kwargs: Any) -> Any:
        checked = check(path, *args, **kwargs)

        class Spied:
            def items(self) -> Any:
                for item in checked.items():
                    streamed.append(1)
                    yield item

        return Spied()

    monkeypatch.setattr(drop_folder, "check_items", spy)
    good = folder / "export.jsonl"
    good.write_text("\n".join(line(str(i), f"message {i}") for i in range(5)) + "\n")
    settle(good, staffed)
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert result.report is not None and result.report.added == 5
    assert len(streamed) == 5  # stored from the second reading, one item at a time


def test_a_file_changed_after_its_check_is_refused_and_stores_nothing(
    staffed: Staffed, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check = drop_folder.check_items

    def check_then_change(path: Path, *args: Any, **kwargs: Any) -> CheckedFile:
        checked = check(path, *args, **kwargs)
        with path.open("a", encoding="utf-8") as fh:  # a second writer, after the check
            fh.write("{not json\n")
        return checked

    monkeypatch.setattr(drop_folder, "check_items", check_then_change)
    changing = folder / "changing.jsonl"
    changing.write_text("\n".join(line(str(i), f"message {i}") for i in range(3)) + "\n")
    settle(changing, staffed)
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert result.report is None and "line 4" in (result.problem or "")
    assert result.filed_as.parent.name == "refused"
    assert staffed.desk.queue.count(staffed.admin_token, QueueFilter()) == 0
