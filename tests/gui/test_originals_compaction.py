"""The window compresses what an import kept raw, soon after the import, on the worker."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from desk.core.items import Platform
from desk.gui.originals_compaction import OriginalsCompaction
from desk.store.tables import Item, ItemOriginal
from tests.conftest import Staffed
from tests.gui.conftest import settle
from tests.gui.queue_fixtures import MakeWindow, wait_ready
from tests.services.test_originals_compaction import LINES, stored


def test_records_kept_raw_are_compressed_after_an_import(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, tmp_path: Path
) -> None:
    staffed.desk.official_accounts.add(
        staffed.admin_token, Platform.X, "@ExampleshirePolice", "Police"
    )
    window, _token = make_window(staffed.operator)
    wait_ready(qtbot, window)
    assert isinstance(window.queue.polls.compaction, OriginalsCompaction)  # every window has one
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(LINES))
    staffed.desk.importer.import_file(staffed.admin_token, path)
    with staffed.desk.ctx.db.write() as s:  # one record changed behind Desk's back
        changed = s.scalar(select(Item.id).where(Item.platform_id == "k3"))
        s.execute(update(ItemOriginal).where(ItemOriginal.item_id == changed).values(data=b"other"))
    compaction = OriginalsCompaction(window.shell, after_import_ms=10, again_ms=10)
    window.shell.cases_changed.emit()  # as an import does
    qtbot.waitUntil(lambda: compaction.last is not None, timeout=10_000)
    settle(qtbot, window)
    kept = stored(staffed)
    assert [pid for pid, (_, packed, _) in sorted(kept.items()) if not packed] == ["k3"]
    assert compaction.reported == {changed}
    (told,) = [n for n in window.shell.notices.waiting if f"(items {changed})" in n.text]
    assert told.warning  # stays until the operator presses Done
