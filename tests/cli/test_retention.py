"""``desk-admin retention due|approve|run``, ``hold add|lift|list``, ``appeal mark|list|done``."""

from __future__ import annotations

import json

from desk.services.signin import CLI as CLI_SESSION
from tests.cli.conftest import Cli
from tests.services.test_retention import Desked, case, desked  # noqa: F401  (fixture)


def test_due_approve_and_run_delete_what_is_due(cli: Cli, desked: Desked) -> None:  # noqa: F811
    desked.staffed.clock.advance(days=91)
    sue = desked.staffed.sign_in(desked.sue, CLI_SESSION)
    due = cli("retention", "due", session=sue)
    assert due.status == 0, due.err
    assert "unactioned" in due.out and "90d delete" in due.out
    data = json.loads(cli("retention", "due", "--json", session=sue).out)
    unactioned = next(c for c in data["classes"] if c["class"] == "unactioned")
    assert unactioned["count"] == 1 and unactioned["sample"] == [desked.quiet]

    refused = cli("retention", "run", session=sue)
    assert refused.status != 0
    assert "No approved retention batch waits" in refused.err
    assert case(desked, desked.quiet) is not None

    dry = cli("retention", "run", "--dry-run", "--approve", session=sue)
    assert dry.status == 0, dry.err
    assert "would remove or anonymise unactioned: 1" in dry.out
    assert case(desked, desked.quiet) is not None

    approved = cli("retention", "approve", session=sue)
    assert approved.status == 0, approved.err
    assert "Approved retention batch #1 (unactioned: 1) as sue." in approved.out
    ran = cli("retention", "run", session=sue)
    assert ran.status == 0, ran.err
    assert "Ran batch #1: removed or anonymised unactioned: 1." in ran.out
    assert case(desked, desked.quiet) is None
    batches = json.loads(cli("retention", "batches", "--json", session=sue).out)
    assert batches[0]["approved_by"] == "sue" and batches[0]["ran_by"] == "sue"


def test_a_hold_keeps_a_case_until_lifted(cli: Cli, desked: Desked) -> None:  # noqa: F811
    sue = desked.staffed.sign_in(desked.sue, CLI_SESSION)
    placed = cli("hold", "add", "case", str(desked.quiet), "--reason", "IOPC request", session=sue)
    assert placed.status == 0, placed.err
    assert f"Legal hold #1 placed on case {desked.quiet}." in placed.out
    empty = cli("hold", "add", "case", str(desked.quiet), "--reason", " ", session=sue)
    assert empty.status != 0
    listed = json.loads(cli("hold", "list", "--json", session=sue).out)
    assert [(h["target"], h["target_id"], h["reason"]) for h in listed] == [
        ("case", desked.quiet, "IOPC request")
    ]
    desked.staffed.clock.advance(days=91)
    sue = desked.staffed.sign_in(desked.sue, CLI_SESSION)
    refused = cli("retention", "run", "--approve", session=sue)
    assert refused.status != 0 and "Nothing is due" in refused.err
    lifted = cli("hold", "lift", "1", "--reason", "closed by IOPC", session=sue)
    assert lifted.status == 0, lifted.err
    assert cli("retention", "run", "--approve", session=sue).status == 0
    assert case(desked, desked.quiet) is None


def test_an_appeal_is_marked_listed_when_ended_and_recorded_done(
    cli: Cli,
    desked: Desked,  # noqa: F811
) -> None:
    jo = desked.staffed.sign_in(desked.staffed.operator, CLI_SESSION)
    bad = cli("appeal", "mark", str(desked.still_open), "--ends", "soon", session=jo)
    assert bad.status != 0 and "'soon' is not an ISO date and time" in bad.err
    marked = cli(
        "appeal", "mark", str(desked.still_open), "--ends", "2026-12-01T18:00Z", session=jo
    )
    assert marked.status == 0, marked.err
    assert "ending 2026-12-01 18:00:00 UTC" in marked.out
    assert json.loads(cli("appeal", "list", "--ended", "--json", session=jo).out) == []
    desked.staffed.clock.advance(days=6)
    jo = desked.staffed.sign_in(desked.staffed.operator, CLI_SESSION)
    ended = json.loads(cli("appeal", "list", "--ended", "--json", session=jo).out)
    assert [a["case"] for a in ended] == [desked.still_open]
    done = cli("appeal", "done", str(ended[0]["id"]), "removed", session=jo)
    assert done.status == 0, done.err
    assert json.loads(cli("appeal", "list", "--ended", "--json", session=jo).out) == []
