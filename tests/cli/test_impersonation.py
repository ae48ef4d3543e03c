"""``desk-admin impersonation check|flagged|scan|reminders`` and ``impersonation suspects ...``."""

from __future__ import annotations

import json

from desk.services.signin import CLI as CLI_SESSION
from tests.cli.conftest import Cli
from tests.services.test_impersonation import FAKE, Watched, watched  # noqa: F401  (fixture)


def test_scan_flags_the_look_alike_and_flagged_lists_it(cli: Cli, watched: Watched) -> None:  # noqa: F811
    admin = watched.staffed.sign_in(watched.staffed.admin, CLI_SESSION)
    scanned = cli("impersonation", "scan", session=admin)
    assert scanned.status == 0, scanned.err
    assert (
        "Checked 2 authors: 1 flagged (0 new, 0 cleared, 0 changed)." in scanned.out
    )  # on arrival
    listed = json.loads(cli("impersonation", "flagged", "--json", session=admin).out)
    assert [(f["handle"], f["why"]) for f in listed] == [(FAKE, "look_alike")]
    table = cli("impersonation", "flagged", session=admin)
    assert "resembles @ExampleshirePolice: Cyrillic look-alike" in table.out

    jo = watched.staffed.sign_in(watched.staffed.operator, CLI_SESSION)
    refused = cli("impersonation", "scan", session=jo)
    assert refused.status == 2 and "may not manage official accounts" in refused.err


def test_check_names_what_it_resembles(cli: Cli, watched: Watched) -> None:  # noqa: F811
    jo = watched.staffed.sign_in(watched.staffed.operator, CLI_SESSION)
    near = cli("impersonation", "check", "x", "@ExampleshirePolise", session=jo)
    assert near.status == 0, near.err
    assert "resembles @ExampleshirePolice: one letter different" in near.out
    plain = cli("impersonation", "check", "x", "@resident", session=jo)
    assert "does not resemble an official account" in plain.out
    bad = cli("impersonation", "check", "myspace", "@x", session=jo)
    assert bad.status == 2 and "myspace" in bad.err


def test_the_register_add_report_outcome_list(cli: Cli, watched: Watched) -> None:  # noqa: F811
    jo = watched.staffed.sign_in(watched.staffed.operator, CLI_SESSION)
    added = cli(
        "impersonation", "suspects", "add", "x", FAKE,
        "--link", "https://x.example/fake",
        "--evidence", "https://x.example/fake/status/1",
        "--item", str(watched.fake_item),
        "--note", "Fake road closures",
        session=jo,
    )  # fmt: skip
    assert added.status == 0, added.err
    assert "as suspected fake account #1, resembling @ExampleshirePolice" in added.out
    bad = cli(
        "impersonation", "suspects", "add", "x", "@other", "--evidence", "ftp://x", session=jo
    )
    assert bad.status == 2 and "is not a web link" in bad.err

    refused = cli("impersonation", "suspects", "report", "1", "--reference", "X-1", session=jo)
    assert refused.status == 2 and "may not manage fake accounts" in refused.err

    sue = watched.staffed.sign_in(watched.sue, CLI_SESSION)
    reported = cli("impersonation", "suspects", "report", "1", "--reference", "X-123", session=sue)
    assert reported.status == 0, reported.err
    assert "reference X-123" in reported.out
    watched.staffed.clock.advance(days=15)
    sue = watched.staffed.sign_in(watched.sue, CLI_SESSION)
    due = json.loads(cli("impersonation", "reminders", "--json", session=sue).out)
    assert [(r["suspect_id"], r["days_waiting"]) for r in due] == [(1, 15)]
    listed = cli("impersonation", "suspects", "list", session=sue)
    assert "reported, OVERDUE" in listed.out

    wrong = cli("impersonation", "suspects", "outcome", "1", "gone", session=sue)
    assert wrong.status == 2 and "Unknown outcome" in wrong.err
    done = cli("impersonation", "suspects", "outcome", "1", "not removed", session=sue)
    assert done.status == 0, done.err
    assert "Suspect #1" in done.out and "not removed" in done.out
    shown = json.loads(cli("impersonation", "suspects", "show", "1", "--json", session=sue).out)
    assert shown["outcome"] == "not_removed" and shown["item_ids"] == [watched.fake_item]
    assert shown["links"] == ["https://x.example/fake/status/1"]
    assert json.loads(cli("impersonation", "suspects", "list", "--open", "--json",
                          session=sue).out) == []  # fmt: skip
