"""Every recorded payload in tests/ingest/data/SOURCES.md imports, and importing it again adds
nothing: no item, no own post, no case (issue 17)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desk.core.items import Platform
from desk.ingest import ImportRefused, read_items
from desk.services.importing import ImportSource
from desk.store.tables import Case, Item, OwnPost
from tests.conftest import Staffed

DATA = Path(__file__).resolve().parents[1] / "ingest" / "data"
RECORDED = re.findall(r"^- `([^`]+)`", (DATA / "SOURCES.md").read_text("utf-8"), re.MULTILINE)
ACCOUNT = "@ExampleshirePolice"


def _counts(staffed: Staffed) -> tuple[int, int, int]:
    with staffed.desk.ctx.db.read() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(t)) or 0 for t in (Item, OwnPost, Case)
        )


@pytest.mark.parametrize("name", RECORDED)
def test_a_recorded_payload_imports_once(staffed: Staffed, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    shutil.copy(DATA / name, path)
    try:
        batch = read_items(path, account=ACCOUNT)
    except ImportRefused:
        pytest.skip(f"{name} is recorded as a refusal")
    # the accounts the file addresses, and the one given for the records that say nothing
    for platform in {i.platform for i in batch.items} | {Platform.X}:
        staffed.desk.official_accounts.add(staffed.admin_token, platform, ACCOUNT, "Police")
    source = ImportSource(path, account=ACCOUNT)
    first = staffed.desk.importer.import_file(staffed.admin_token, source)
    stored = _counts(staffed)
    assert first.report.added + first.report.own_posts == stored[0] + stored[1]
    again = staffed.desk.importer.import_file(staffed.admin_token, source)
    assert again.report.added == 0 and again.report.own_posts == 0
    assert _counts(staffed) == stored
