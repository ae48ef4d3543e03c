"""desk-admin maintenance compact-originals, and desk-admin import compacting what it kept."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select, update

from desk.cli.context import EXIT_OK
from desk.core.items import Platform
from desk.services.signin import CLI as CLI_SESSION
from desk.store.tables import Item, ItemOriginal
from tests.cli.conftest import Cli
from tests.conftest import Staffed
from tests.services.test_originals_compaction import LINES, assert_every_record_intact, stored


def test_import_compresses_what_it_kept_once_the_file_is_in(
    cli: Cli, staffed: Staffed, tmp_path: Path
) -> None:
    staffed.desk.official_accounts.add(
        staffed.admin_token, Platform.X, "@ExampleshirePolice", "Police"
    )
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(LINES))
    admin = staffed.sign_in(staffed.admin, CLI_SESSION)
    done = cli("import", str(path), session=admin)
    assert done.status == EXIT_OK, done.err
    assert f"{len(LINES)} added" in done.out and not done.err
    assert all(packed for _, packed, _ in stored(staffed).values())
    assert_every_record_intact(staffed)


def test_compact_originals_says_what_it_did_and_names_a_damaged_record(
    cli: Cli, staffed: Staffed, tmp_path: Path
) -> None:
    staffed.desk.official_accounts.add(
        staffed.admin_token, Platform.X, "@ExampleshirePolice", "Police"
    )
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(LINES))
    staffed.desk.importer.import_file(staffed.admin_token, path)  # kept raw
    with staffed.desk.ctx.db.write() as s:
        damaged = s.scalar(select(Item.id).where(Item.platform_id == "k1"))
        s.execute(
            update(ItemOriginal).where(ItemOriginal.item_id == damaged).values(data=b"changed")
        )
    admin = staffed.sign_in(staffed.admin, CLI_SESSION)
    done = cli("maintenance", "compact-originals", "--batch", "2", session=admin)
    assert done.status == EXIT_OK, done.err
    assert f"Compressed {len(LINES) - 1} kept record(s); 1 left uncompressed." in done.out
    assert f"(items {damaged})" in done.out
    again = cli("maintenance", "compact-originals", "--json", session=admin)
    assert json.loads(again.out) == {"compacted": 0, "damaged": [damaged], "still_raw": 1}
    refused = cli("maintenance", "compact-originals", "--batch", "0", session=admin)
    assert refused.status != EXIT_OK and "--batch must be at least 1" in refused.err
