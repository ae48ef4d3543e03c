"""``desk-admin user role|disable|enable|review``: movers, leavers and the access review."""

from __future__ import annotations

import json

from desk.core.items import Platform
from desk.core.roles import Role
from tests.backend import plain_reads
from tests.cli.conftest import Cli
from tests.conftest import Person, Staffed
from tests.services.helpers import item

SUP_PASSWORD = "sergeant pass phrase 42"


def _add_sergeant(staffed: Staffed) -> Person:
    enrolment = staffed.desk.accounts.add_user(
        staffed.admin_token, "sgt", "Sgt Evans", Role.SUPERVISOR, SUP_PASSWORD
    )
    return Person("sgt", SUP_PASSWORD, enrolment.seed, Role.SUPERVISOR)


def _jsmith_owns_two_cases(staffed: Staffed) -> list[int]:
    d, admin = staffed.desk, staffed.admin_token
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.importer.store(
        admin, [item("1", "First", author="u1"), item("2", "Second", author="u2")], "t"
    )
    with plain_reads(d) as db:
        ids = [r[0] for r in db.execute("SELECT id FROM cases ORDER BY id")]
    token = staffed.sign_in(staffed.operator)
    for case_id in ids:
        d.cases.claim(token, case_id)
    return ids


def _owners(staffed: Staffed) -> dict[int, str | None]:
    with plain_reads(staffed.desk) as db:
        return dict(
            db.execute(
                "SELECT c.id, a.username FROM cases c LEFT JOIN accounts a ON a.id = c.owner_id"
            )
        )


def test_review_json_lists_every_account_with_its_approver(cli: Cli, staffed: Staffed) -> None:
    sgt = _add_sergeant(staffed)
    assert cli.signed(sgt, "whoami").status == 0
    review = cli.signed(sgt, "user", "review", "--json")  # supervisors may read it
    assert review.status == 0, review.err
    rows = {r["username"]: r for r in json.loads(review.out)}
    assert set(rows) == {"admin", "jsmith", "sgt"}
    assert rows["admin"]["approved_by"] == "setup"
    assert rows["sgt"]["approved_by"] == "admin"
    assert rows["sgt"]["last_login_at"].endswith("Z")
    assert rows["jsmith"]["last_login_at"] is None
    assert rows["jsmith"] | {"created_at": None} == {
        "username": "jsmith",
        "display_name": "Jo Smith",
        "role": "operator",
        "active": True,
        "disabled_at": None,
        "last_login_at": None,
        "approved_by": "admin",
        "role_changed_at": None,
        "under_investigation": False,
        "locked": False,
        "open_cases": 0,
        "created_at": None,
    }
    table = cli.signed(staffed.admin, "user", "review")
    assert table.status == 0, table.err
    assert "APPROVED BY" in table.out and "setup" in table.out


def test_an_operator_may_not_see_the_review(cli: Cli, staffed: Staffed) -> None:
    refused = cli.signed(staffed.operator, "user", "review")
    assert refused.status == 2
    assert "may not view access review" in refused.err


def test_role_change_records_the_approver(cli: Cli, staffed: Staffed) -> None:
    staffed.desk.accounts.add_user(
        staffed.admin_token, "cjones", "Insp 1234 Jones", Role.SUPERVISOR, "sergeant pass phrase 42"
    )  # the approver is an account on the desk (issue 15 item 12)
    done = cli.signed(staffed.admin, "user", "role", "jsmith", "Supervisor",
                      "--approved-by", "cjones")  # fmt: skip
    assert done.status == 0, done.err
    assert done.out == "jsmith is now supervisor; ended 0 sessions.\n"
    rows = {r["username"]: r for r in json.loads(cli.signed(staffed.admin, "user", "review",
                                                            "--json").out)}  # fmt: skip
    assert rows["jsmith"]["role"] == "supervisor"
    assert rows["jsmith"]["approved_by"] == "cjones"
    assert rows["jsmith"]["role_changed_at"] is not None
    bad = cli.signed(staffed.admin, "user", "role", "jsmith", "chief")
    assert bad.status == 2 and "Unknown role 'chief'" in bad.err
    last = cli.signed(staffed.admin, "user", "role", "admin", "operator")
    assert last.status == 2 and "last active administrator" in last.err


def test_disable_with_open_cases_needs_a_choice(cli: Cli, staffed: Staffed) -> None:
    ids = _jsmith_owns_two_cases(staffed)
    refused = cli.signed(staffed.admin, "user", "disable", "jsmith")
    assert refused.status == 2
    assert (
        f"jsmith owns 2 open cases (#{ids[0]}, #{ids[1]}): say what happens to them with "
        "--release or --reassign-to USER." in refused.err
    )
    both = cli.signed(staffed.admin, "user", "disable", "jsmith", "--release",
                      "--reassign-to", "admin")  # fmt: skip
    assert both.status == 2 and "not allowed with argument" in both.err
    assert set(_owners(staffed).values()) == {"jsmith"}


def test_disable_release(cli: Cli, staffed: Staffed) -> None:
    ids = _jsmith_owns_two_cases(staffed)
    done = cli.signed(staffed.admin, "user", "disable", "jsmith", "--release")
    assert done.status == 0, done.err
    assert f"Released to the queue: #{ids[0]}, #{ids[1]}." in done.out
    assert set(_owners(staffed).values()) == {None}


def test_disable_under_investigation_reassigns(cli: Cli, staffed: Staffed) -> None:
    ids = _jsmith_owns_two_cases(staffed)
    _add_sergeant(staffed)
    refused = cli.signed(staffed.admin, "user", "disable", "jsmith", "--release",
                         "--under-investigation")  # fmt: skip
    assert refused.status == 2
    assert "under investigation must have their open cases reassigned" in refused.err
    nobody = cli.signed(staffed.admin, "user", "disable", "jsmith", "--reassign-to", "ghost",
                        "--under-investigation")  # fmt: skip
    assert nobody.status == 2 and "no active account called 'ghost'" in nobody.err
    done = cli.signed(staffed.admin, "user", "disable", "jsmith", "--reassign-to", "SGT",
                      "--under-investigation")  # fmt: skip
    assert done.status == 0, done.err
    assert f"Reassigned to sgt: #{ids[0]}, #{ids[1]}." in done.out
    assert "Marked as a leaver under investigation." in done.out
    assert set(_owners(staffed).values()) == {"sgt"}
    rows = {r["username"]: r for r in json.loads(cli.signed(staffed.admin, "user", "review",
                                                            "--json").out)}  # fmt: skip
    assert rows["jsmith"]["under_investigation"] is True
    assert rows["jsmith"]["disabled_at"] is not None
    assert rows["sgt"]["open_cases"] == 2
