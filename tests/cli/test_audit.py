"""``desk-admin audit ...``: reading the chain, and verifying it."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from desk.paths import Profile
from tests.cli.conftest import Cli
from tests.conftest import Staffed


def test_verify_on_a_clean_profile(cli: Cli, staffed: Staffed) -> None:
    done = cli.signed(staffed.admin, "audit", "verify")
    assert done.status == 0, done.err
    found = re.fullmatch(
        r"Audit chain intact: (\d+) entries, latest #(\d+)\n"
        r"Keyring anchor matched: entry #(\d+), taken .* UTC\n",
        done.out,
    )
    assert found, done.out
    assert found.group(1) == found.group(2)
    assert int(found.group(3)) <= int(found.group(2))


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_verify_names_a_cut_tail_and_reanchor_accepts_the_log(
    cli: Cli, staffed: Staffed, profile: Profile
) -> None:
    """An intruder deletes the newest entries with sqlite3; the keyring's anchor names it."""
    with sqlite3.connect(profile.db_path) as db:
        (last,) = db.execute("SELECT max(seq) FROM audit_log").fetchone()
        db.executescript(
            f"DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > {last - 2};"  # noqa: S608
        )
    db.close()
    staffed.clock.advance(minutes=1)
    done = cli.signed(staffed.admin, "audit", "verify")
    assert done.status == 1 and done.out == ""
    # the sign-in of the command wrote on over the cut: the entry anchored is another now
    assert f"Audit chain broken: entries after #{last - 2} were removed or rewritten" in done.err
    assert "the keyring's anchor (taken at 2026-11-26 09:" in done.err
    accepted = cli.signed(staffed.admin, "audit", "reanchor")
    assert accepted.status == 0, accepted.err
    assert accepted.out.startswith("The keyring's audit anchor now names entry #")
    again = cli.signed(staffed.admin, "audit", "verify")
    assert again.status == 0, again.err


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_verify_names_an_entry_edited_with_sqlite3(
    cli: Cli, staffed: Staffed, profile: Profile
) -> None:
    # what someone holding the file could do: drop the guard trigger and edit a row
    with sqlite3.connect(profile.db_path) as db:
        db.executescript(
            "DROP TRIGGER audit_log_no_update;"
            """UPDATE audit_log SET details = '{"role":"operator"}' WHERE seq = 3;"""
        )
    db.close()
    done = cli.signed(staffed.admin, "audit", "verify")
    assert done.status == 1
    assert done.out == ""
    assert "entry 3 was changed: its content no longer matches its seal" in done.err
    assert done.err.count("\n") == 1


def test_a_supervisor_may_verify_but_an_operator_may_not(cli: Cli, staffed: Staffed) -> None:
    refused = cli.signed(staffed.operator, "audit", "verify")
    assert refused.status == 2
    assert refused.err == "desk-admin: error: The operator role may not verify audit.\n"


def test_audit_list_json_filter_and_limit(cli: Cli, staffed: Staffed) -> None:
    token = cli.login(staffed.admin)
    listed = cli("audit", "list", "--json", "--action", "account.", session=token)
    assert listed.status == 0, listed.err
    entries = json.loads(listed.out)
    assert [(e["action"], e["object"]) for e in entries] == [
        ("account.create", "account:jsmith"),
        ("account.create", "account:admin"),
    ]
    assert entries[0]["details"] == {"display_name": "Jo Smith", "role": "operator"}
    assert entries[0]["actor"] == "admin" and entries[0]["seq"] > entries[1]["seq"]

    newest = json.loads(cli("audit", "list", "--json", "--limit", "1", session=token).out)
    assert len(newest) == 1 and newest[0]["action"] == "signin.success"


def test_audit_list_table(cli: Cli, staffed: Staffed) -> None:
    listed = cli.signed(staffed.admin, "audit", "list", "--action", "account.create")
    assert listed.status == 0, listed.err
    header, first, second = listed.out.splitlines()
    assert header.split() == ["SEQ", "AT", "(UTC)", "ACTOR", "ACTION", "OBJECT", "DETAILS"]
    assert "2026-11-26 09:00:" in first
    assert first.split()[-4:] == ["account:jsmith", "display_name=Jo", "Smith", "role=operator"]
    assert "account:admin" in second


def test_audit_list_refuses_a_bad_limit(cli: Cli, staffed: Staffed) -> None:
    for limit in ("0", "many", "10001"):
        done = cli.signed(staffed.admin, "audit", "list", "--limit", limit)
        assert done.status == 2
        assert "argument --limit" in done.err
