"""``desk-admin user areas``: scoping people to areas, and what a scoped person then sees."""

from __future__ import annotations

import json

from sqlalchemy import select

from desk.core.items import Platform
from desk.services.official_accounts import RegisterDetails
from desk.store.tables import Case
from tests.cli.conftest import Cli, Triage
from tests.conftest import Staffed
from tests.services.helpers import item


def _estate(staffed: Staffed) -> dict[str, int]:
    d, admin = staffed.desk, staffed.admin_token
    for handle, area in (("@NorthPolice", "North"), ("@EastPolice", "East")):
        d.official_accounts.add(admin, Platform.X, handle, details=RegisterDetails(area=area))
    d.importer.store(
        admin,
        [
            item("1", "Noise on the high street", author="u1", account="@NorthPolice"),
            item("2", "Bins not collected", author="u2", account="@EastPolice", thread=None),
        ],
        "test",
    )
    with d.ctx.db.read() as s:
        return {c.summary: c.id for c in s.scalars(select(Case))}


def test_an_administrator_sets_shows_and_clears_areas(cli: Cli, staffed: Staffed) -> None:
    _estate(staffed)
    done = cli.signed(staffed.admin, "user", "areas", "jsmith", "--set", "north, East")
    assert done.status == 0, done.err
    assert done.out == "jsmith now works: North, East.\n"
    shown = cli.signed(staffed.admin, "user", "areas", "jsmith", "--json")
    assert json.loads(shown.out) == {
        "username": "jsmith",
        "areas": ["North", "East"],
        "whole_force": False,
        "unmatched": [],
    }
    listed = cli.signed(staffed.admin, "user", "list", "--json")
    assert next(u for u in json.loads(listed.out) if u["username"] == "jsmith")["areas"] == [
        "North",
        "East",
    ]
    cleared = cli.signed(staffed.admin, "user", "areas", "jsmith", "--clear")
    assert cleared.status == 0, cleared.err
    assert cleared.out == "jsmith now works: the whole force (no areas).\n"


def test_an_area_without_an_account_is_kept_with_a_note(cli: Cli, staffed: Staffed) -> None:
    done = cli.signed(staffed.admin, "user", "areas", "jsmith", "--set", "Westfield")
    assert done.status == 0, done.err
    assert "No official account is in Westfield yet" in done.err


def test_bad_areas_and_operators_are_refused_with_exit_2(cli: Cli, staffed: Staffed) -> None:
    for args, said in (
        (("--set", "force-wide"), "'force-wide' is not an area"),
        (("--set", " , "), "Name at least one area"),
    ):
        bad = cli.signed(staffed.admin, "user", "areas", "jsmith", *args)
        assert bad.status == 2 and said in bad.err, bad.err
    both = cli.signed(staffed.admin, "user", "areas", "jsmith", "--set", "North", "--clear")
    assert both.status == 2
    refused = cli.signed(staffed.operator, "user", "areas", "jsmith", "--set", "North")
    assert refused.status == 2
    assert "The operator role may not manage users." in refused.err
    assert staffed.desk.areas.areas_of(staffed.admin_token, "jsmith").areas == ()


def test_a_scoped_operator_sees_and_claims_only_their_areas_cases(triage: Triage) -> None:
    ids = _estate(triage.staffed)
    done = triage.cli("user", "areas", "jsmith", "--set", "North", session=triage.admin)
    assert done.status == 0, done.err
    assert triage.ids() == [ids["Noise on the high street"]]  # Jo works North
    assert sorted(triage.ids(session=triage.sam_token)) == sorted(ids.values())
    east = ids["Bins not collected"]
    refused = triage.cli("case", "claim", str(east), session=triage.jo)
    assert refused.status == 2
    assert f"Case {east} belongs to the East area; you work North." in refused.err


def test_a_person_is_added_with_their_areas(cli: Cli, staffed: Staffed) -> None:
    added = cli.signed(staffed.admin, "user", "add", "pc_north", "--role", "operator",
                       "--areas", "North", more=("a new starter's pass 77",))  # fmt: skip
    assert added.status == 0, added.err
    assert "pc_north works: North." in added.out
    assert staffed.desk.areas.areas_of(staffed.admin_token, "pc_north").areas == ("North",)
