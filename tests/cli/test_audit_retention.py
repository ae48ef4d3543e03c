"""``retention due|run`` cut the audit log behind a signed checkpoint; ``audit verify`` names the
cut, still catches a forged checkpoint, and checks an anchor made before the cut."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desk.paths import Profile
from tests.cli.conftest import Cli
from tests.conftest import Staffed


def _cut_a_year_on(cli: Cli, staffed: Staffed) -> int:
    """Set the audit period to a year, move past it, approve and run; return the entries cut."""
    staffed.desk.settings.set(staffed.admin_token, "retention_rules", "audit=1y delete")
    staffed.clock.advance(days=366)
    due = json.loads(cli.signed(staffed.admin, "retention", "due", "--json").out)
    audit = next(c for c in due["classes"] if c["class"] == "audit")
    assert audit["runs"] and audit["rule"] == "audit=1y delete"
    count = audit["count"]
    assert count > 0 and audit["sample"] == [f"#1 to #{count}"]
    ran = cli.signed(staffed.admin, "retention", "run", "--approve")
    assert ran.status == 0, ran.err
    assert f"audit: {count}" in ran.out
    return int(count)


def test_verify_names_the_cut_after_a_retention_run(cli: Cli, staffed: Staffed) -> None:
    count = _cut_a_year_on(cli, staffed)
    done = cli.signed(staffed.admin, "audit", "verify")
    assert done.status == 0, done.err
    assert done.out.startswith("Audit chain intact:")
    day = staffed.clock.now().strftime("%Y-%m-%d")
    assert (
        f"{count} entries before #{count + 1} were removed by retention on {day} "
        "(approved by admin, batch #1, rule audit=1y delete): checked by its signed checkpoint"
    ) in done.out


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_verify_fails_on_a_forged_checkpoint_naming_the_entry(
    cli: Cli, staffed: Staffed, profile: Profile
) -> None:
    count = _cut_a_year_on(cli, staffed)
    conn = sqlite3.connect(profile.db_path)
    with conn:
        conn.execute("UPDATE audit_checkpoints SET count = count + 5, first_seq = 1")
    conn.close()
    done = cli.signed(staffed.admin, "audit", "verify")
    assert done.status == 1
    assert (
        f"Audit chain broken: the retention checkpoint for entries 1 to {count} was altered"
        in done.err
    )


def test_an_anchor_made_before_the_cut_says_so(cli: Cli, staffed: Staffed, tmp_path: Path) -> None:
    out = tmp_path / "anchor.json"
    assert cli.signed(staffed.admin, "audit", "anchor", "--out", str(out)).status == 0
    _cut_a_year_on(cli, staffed)
    done = cli.signed(staffed.admin, "audit", "verify", "--anchor", str(out))
    assert done.status == 0, done.err
    assert "Anchor checked: the anchor (entry #" in done.out
    assert "predates the retention cut of entries 1 to" in done.out
