"""``desk-admin accounts ...``: the register end to end, and the public list validated."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from desk.core.roles import Role
from desk.services.signin import CLI as CLI_SESSION
from tests.cli.conftest import Triage
from tests.conftest import USER_PASSWORD, Person
from tests.html_check import parse_strict


@pytest.fixture
def comms(triage: Triage) -> str:
    """A communications officer's command-line session."""
    d = triage.staffed.desk
    cat = d.accounts.add_user(
        triage.admin, "cjones", "Cat Jones", Role.COMMUNICATIONS, USER_PASSWORD
    )
    return triage.staffed.sign_in(
        Person("cjones", USER_PASSWORD, cat.seed, Role.COMMUNICATIONS), CLI_SESSION
    )


def _ok(done: object) -> str:
    assert done.status == 0, done.err  # type: ignore[attr-defined]
    return done.out  # type: ignore[attr-defined,no-any-return]


def test_open_approve_review_and_show(triage: Triage, comms: str) -> None:
    cli = triage.cli
    asked = cli("accounts", "request-open", "x", "@ExampleshirePolice", "--name",
                "Exampleshire Police", "--reason", "Force-wide news and appeals", "--link",
                "https://x.com/ExampleshirePolice", "--team", "Corporate Communications",
                "--admin", "admin", "--admin", "Pat Lee", "--two-factor", "on",
                "--credentials-location", "Force password manager, vault Comms",
                "--json", session=triage.admin)  # fmt: skip
    request = json.loads(_ok(asked))
    assert request["state"] == "pending" and request["reference"] == f"ACR-{request['id']}"
    assert _ok(cli("accounts", "list", session=comms)).startswith("The register is empty")

    # an administrator cannot approve; communications can
    refused = cli("accounts", "approve", request["reference"], session=triage.admin)
    assert refused.status == 2
    assert "The administrator role may not approve account changes." in refused.err
    approved = _ok(cli("accounts", "approve", request["reference"], session=comms))
    assert approved == (
        f"{request['reference']} approved: @ExampleshirePolice on x is open and in the register.\n"
    )

    (entry,) = json.loads(_ok(cli("accounts", "list", "--json", session=comms)))
    assert entry["handle"] == "@ExampleshirePolice" and entry["opened_on"] == "2026-11-26"
    assert entry["administrators"] == ["admin", "Pat Lee"] and entry["two_factor"] is True
    assert entry["review_due_on"] == "2027-02-24" and entry["review_overdue"] is False

    bad = cli("accounts", "review", str(entry["id"]), "--check", "all=pass", "--check",
              "apps_checked=fail", session=comms)  # fmt: skip
    assert bad.status == 2 and "apps_checked failed: say what will be done" in bad.err
    unknown = cli("accounts", "review", str(entry["id"]), "--check", "vibes=pass", session=comms)
    assert unknown.status == 2 and "Unknown checklist item 'vibes'" in unknown.err
    review = json.loads(_ok(cli(
        "accounts", "review", str(entry["id"]), "--check", "all=pass", "--check",
        "apps_checked=fail", "--findings", "An old scheduler app", "--actions",
        "Revoke it today (Pat)", "--json", session=comms,
    )))  # fmt: skip
    assert review["failed"] == ["apps_checked"] and review["next_due_on"] == "2027-02-24"

    shown = _ok(cli("accounts", "show", str(entry["id"]), session=triage.admin))
    assert "  Purpose:         public engagement\n" in shown
    assert "  Credentials in:  Force password manager, vault Comms\n" in shown
    assert "failed apps_checked; actions: Revoke it today (Pat)" in shown
    # operators may not read the register
    jo = cli("accounts", "show", str(entry["id"]), session=triage.jo)
    assert jo.status == 2 and "may not read the official accounts register" in jo.err


def test_close_is_requested_then_refused_with_a_reason(triage: Triage, comms: str) -> None:
    triage.official("facebook", "Exampleshire Police")
    asked = json.loads(_ok(triage.cli("accounts", "request-close", "1", "--reason",
                                      "Merged", "--json", session=triage.admin)))  # fmt: skip
    no_reason = triage.cli("accounts", "refuse", asked["reference"], session=comms)
    assert no_reason.status == 2 and "--reason" in no_reason.err
    out = _ok(triage.cli("accounts", "refuse", asked["reference"], "--reason",
                         "The page still gets most reports", session=comms))  # fmt: skip
    assert out == f"{asked['reference']} refused: The page still gets most reports\n"
    (req,) = json.loads(_ok(triage.cli("accounts", "requests", "--json", session=comms)))
    assert req["state"] == "refused" and req["decided_by"] == "cjones"
    assert json.loads(_ok(triage.cli("accounts", "list", "--json", session=comms)))[0]["active"]


def test_a_password_typed_as_the_credentials_location_is_refused(triage: Triage) -> None:
    triage.official("x", "@Police")
    done = triage.cli("accounts", "set", "1", "--credentials-location", "pwd=Hunter2hunter!",
                      session=triage.admin)  # fmt: skip
    assert done.status == 2 and "looks like a password" in done.err
    shown = _ok(triage.cli("accounts", "show", "1", "--json", session=triage.admin))
    assert json.loads(shown)["credentials_location"] == ""


@pytest.fixture
def estate(triage: Triage, comms: str) -> Triage:
    """Open engagement accounts, one with hostile text, an investigations one and a closed one."""
    cli, admin = triage.cli, triage.admin
    _ok(cli("settings", "set", "force_name", "Exampleshire Police", session=admin))
    triage.official("x", "@ExampleshirePolice", "--name", "Exampleshire Police", "--link",
                    "https://x.com/ExampleshirePolice", "--admin", "admin",
                    "--credentials-location", "Vault Corporate Comms")  # fmt: skip
    triage.official("facebook", "=HYPERLINK(\"http://evil.example\")", "--name",
                    "<script>alert(1)</script> & Teignbridge", "--area", "Teignbridge",
                    "--link", "https://facebook.com/x?a=1&b=\"2\"")  # fmt: skip
    triage.official("x", "@ExampleshireCID", "--purpose", "investigations")
    triage.official("instagram", "@OldAccount")
    closing = json.loads(_ok(cli("accounts", "request-close", "4", "--reason", "unused",
                                 "--json", session=admin)))  # fmt: skip
    _ok(cli("accounts", "approve", closing["reference"], session=comms))
    return triage


def test_the_public_html_list_is_valid_accessible_and_escaped(
    estate: Triage, tmp_path: Path
) -> None:
    out = tmp_path / "accounts.html"
    done = estate.cli("accounts", "export", "--public", "--format", "html", "--out", str(out),
                      session=estate.admin)  # fmt: skip
    assert _ok(done) == f"Wrote the public list of 2 official accounts to {out}.\n"
    page = out.read_bytes().decode("utf-8")
    html = parse_strict(page)
    assert html.attrs["lang"] == "en-GB"
    (title,) = html.find_all("title")
    assert title.text == "Official social media accounts: Exampleshire Police"
    (h1,) = html.find_all("h1")
    assert h1.text == "Official social media accounts of Exampleshire Police"
    (table,) = html.find_all("table")
    assert table.children[0].tag == "caption" and "2 official accounts" in table.children[0].text
    headers = table.find_all("th")
    assert [h.text for h in headers] == ["Platform", "Account", "Name", "Area"]
    assert all(h.attrs.get("scope") == "col" for h in headers)
    rows = table.find_all("tbody")[0].find_all("tr")
    cells = [[c.text for c in r.find_all("td")] for r in rows]
    assert cells == [
        ["Facebook", '=HYPERLINK("http://evil.example") on Facebook',
         "<script>alert(1)</script> & Teignbridge", "Teignbridge"],
        ["X", "@ExampleshirePolice on X", "Exampleshire Police", "Force-wide"],
    ]  # fmt: skip
    links = html.find_all("a")
    assert [a.attrs["href"] for a in links] == [
        'https://facebook.com/x?a=1&b="2"', "https://x.com/ExampleshirePolice",
    ]  # fmt: skip
    assert all(a.text.endswith((" on Facebook", " on X")) for a in links)  # descriptive text
    assert not html.find_all("script") and "<script>" not in page
    # nothing but the public fields
    for private in ("@ExampleshireCID", "@OldAccount", "Vault Corporate Comms", "admin<",
                    "OFFICIAL-SENSITIVE"):  # fmt: skip
        assert private not in page


def test_the_public_csv_list_is_formula_safe_and_public(estate: Triage, tmp_path: Path) -> None:
    out = tmp_path / "accounts.csv"
    _ok(estate.cli("accounts", "export", "--public", "--format", "csv", "--out", str(out),
                   session=estate.admin))  # fmt: skip
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == ["OFFICIAL (for publication)"] and rows[-1] == rows[0]
    assert rows[1] == ["Platform", "Account", "Name", "Area", "Link"]
    assert rows[2][1] == '\'=HYPERLINK("http://evil.example")'  # shown, never run
    assert rows[3][:2] == ["X", "'@ExampleshirePolice"]
    assert len(rows) == 5
    assert "Vault" not in out.read_text(encoding="utf-8")


def test_export_needs_the_public_flag_and_a_folder(estate: Triage, tmp_path: Path) -> None:
    no_flag = estate.cli("accounts", "export", "--out", str(tmp_path / "a.html"),
                         session=estate.admin)  # fmt: skip
    assert no_flag.status == 2 and "--public" in no_flag.err
    nowhere = estate.cli("accounts", "export", "--public", "--out",
                         str(tmp_path / "missing" / "a.html"), session=estate.admin)  # fmt: skip
    assert nowhere.status == 2 and "There is no folder" in nowhere.err


def test_the_checklist_is_printed(triage: Triage) -> None:
    out = _ok(triage.cli("accounts", "checklist", session=triage.jo))
    assert out.splitlines()[0].split()[0] == "two_factor"
    assert len(out.splitlines()) == 7


def test_a_case_on_an_investigations_account_is_refused_with_why(triage: Triage) -> None:
    triage.official("x", "@ExampleshirePolice")
    record = {"platform": "x", "account": "@ExampleshirePolice", "kind": "mention", "id": "1",
              "author_id": "12", "author_handle": "@commuter", "text": "Is the A38 open yet?",
              "posted_at": "2026-11-26T08:40:00Z"}  # fmt: skip
    assert triage.import_(triage.jsonl("items.jsonl", [record])).status == 0
    _ok(triage.cli("accounts", "set", "1", "--purpose", "investigations", session=triage.admin))
    refused = triage.cli("case", "claim", "1", session=triage.jo)
    assert refused.status == 2
    assert (
        "@ExampleshirePolice on x is an account used for investigations: Desk does not work its "
        "items." in refused.err
    )
    assert triage.show(1)["status"] == "new"  # nothing changed
