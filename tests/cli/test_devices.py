"""``sessions list|end`` and ``user leaver-review|leaver-reviews|leaver-reviewed``."""

from __future__ import annotations

import csv
import io
import json

import pytest

from desk.cli import auth as cli_auth
from desk.core.roles import Role
from desk.services.people import REASSIGN
from tests.cli.conftest import Cli
from tests.conftest import Person, Staffed

SUP_PASSWORD = "sergeant pass phrase 42"


@pytest.fixture(autouse=True)
def _workstation(monkeypatch: pytest.MonkeyPatch) -> None:
    """desk-admin tells the session which computer it runs on: a fixed name here."""
    monkeypatch.setattr(cli_auth, "this_workstation", lambda: "ops-laptop-7")


def _add(staffed: Staffed, username: str, role: Role) -> Person:
    enrolment = staffed.desk.accounts.add_user(
        staffed.admin_token, username, username.title(), role, SUP_PASSWORD
    )
    return Person(username, SUP_PASSWORD, enrolment.seed, role)


def test_sessions_list_shows_workstation_kind_and_this_session(cli: Cli, staffed: Staffed) -> None:
    token = cli.login(staffed.operator)
    listed = cli("sessions", "list", session=token)
    assert listed.status == 0, listed.err
    lines = listed.out.splitlines()
    assert lines[0].split() == ["ID", "USER", "KIND", "WORKSTATION", "STARTED", "(UTC)", "LAST",
                                "USED", "(UTC)"]  # fmt: skip
    assert len(lines) == 2 and lines[1].startswith("*")
    assert "jsmith" in lines[1] and "command line" in lines[1] and "ops-laptop-7" in lines[1]
    data = json.loads(cli("sessions", "list", "--json", session=token).out)
    assert [(s["username"], s["kind"], s["workstation"], s["current"]) for s in data] == [
        ("jsmith", "cli", "ops-laptop-7", True)
    ]
    refused = cli("sessions", "list", "--user", "admin", session=token)
    assert refused.status == 2 and "only your own sessions" in refused.err


def test_an_administrator_ends_a_session_and_its_next_use_says_who(
    cli: Cli, staffed: Staffed
) -> None:
    theirs = cli.login(staffed.operator)
    admin = cli.login(staffed.admin)
    everyone = json.loads(cli("sessions", "list", "--json", session=admin).out)
    target = next(s for s in everyone if s["username"] == "jsmith")
    # the operator cannot end the administrator's session
    mine = next(s for s in everyone if s["current"])
    refused = cli("sessions", "end", str(mine["id"]), session=theirs)
    assert refused.status == 2 and "You have no session numbered" in refused.err
    done = cli("sessions", "end", str(target["id"]), session=admin)
    assert done.status == 0, done.err
    assert f"Signed out session {target['id']} (jsmith, command line on ops-laptop-7)" in done.out
    after = cli("whoami", session=theirs)
    assert after.status == 2
    assert after.err == (
        "desk-admin: error: This session (ops-laptop-7) was signed out from another device by "
        "admin: sign in again.\n"
    )
    own = cli("sessions", "end", str(mine["id"]), session=admin)
    assert own.status == 2 and "sign out instead" in own.err


def test_leaver_review_csv_is_marked_and_formula_safe(cli: Cli, staffed: Staffed) -> None:
    d = staffed.desk
    sgt = _add(staffed, "sgt", Role.SUPERVISOR)
    _add(staffed, "kbrown", Role.OPERATOR)
    staffed.sign_in(staffed.operator)
    with d.ctx.db.write() as s:  # an object a spreadsheet would run as a formula
        d.ctx.audit.record(s, "jsmith", "case.note", '=HYPERLINK("http://x.example")')
    cli.clock.advance(minutes=1)
    d.people.disable(
        staffed.admin_token, "jsmith", cases=REASSIGN, to="kbrown", under_investigation=True
    )
    out = cli.signed(sgt, "user", "leaver-review", "jsmith", "--csv")
    assert out.status == 0, out.err
    rows = list(csv.reader(io.StringIO(out.out)))
    assert rows[0] == ["OFFICIAL-SENSITIVE"] and rows[-1] == ["OFFICIAL-SENSITIVE"]
    assert rows[1] == ["time (UTC)", "action", "object", "case"]
    assert [r[1] for r in rows[2:-1]] == ["signin.success", "case.note"]
    assert rows[3][2] == '\'=HYPERLINK("http://x.example")'

    as_json = json.loads(cli.signed(sgt, "user", "leaver-review", "jsmith", "--json").out)
    assert as_json["protective_marking"] == "OFFICIAL-SENSITIVE"
    assert as_json["under_investigation"] is True
    assert [a["action"] for a in as_json["actions"]] == ["signin.success", "case.note"]

    waiting = cli.signed(sgt, "user", "leaver-reviews")
    assert "jsmith" in waiting.out and "admin" in waiting.out
    table = cli.signed(sgt, "user", "leaver-review", "jsmith")
    assert "Waiting for a supervisor's review" in table.out
    done = cli.signed(sgt, "user", "leaver-reviewed", "jsmith", "--note", "Checked: fine.")
    assert done.status == 0 and "Recorded your review of jsmith" in done.out
    assert cli.signed(sgt, "user", "leaver-reviews").out == "No leaver review is waiting.\n"
    again = cli.signed(sgt, "user", "leaver-reviewed", "jsmith")
    assert again.status == 2 and "sgt recorded it reviewed" in again.err


def test_an_operator_cannot_read_a_leaver_review(cli: Cli, staffed: Staffed) -> None:
    refused = cli.signed(staffed.operator, "user", "leaver-review", "admin")
    assert refused.status == 2 and "may not review leavers" in refused.err
