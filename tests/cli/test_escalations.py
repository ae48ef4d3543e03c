"""``desk-admin escalation-target ...`` and ``escalation ...`` end to end."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.cli.conftest import Triage

ITEMS: list[dict[str, Any]] = [
    {"platform": "x", "account": "@ExampleshirePolice", "kind": "mention", "id": "1",
     "author_id": "11", "author_handle": "@angry", "text": "I'm going to kill you tonight",
     "posted_at": "2026-11-26T08:30:00Z"},
]  # fmt: skip


@pytest.fixture
def case(triage: Triage) -> Triage:
    """Case #1 (a threat to life), claimed by Jo."""
    triage.official("x", "@ExampleshirePolice")
    assert triage.import_(triage.jsonl("items.jsonl", ITEMS)).status == 0
    assert triage.cli("case", "claim", "1", session=triage.jo).status == 0
    return triage


def test_administrators_keep_targets_operators_only_read_them(triage: Triage) -> None:
    cli = triage.cli
    listed = cli("escalation-target", "list", "--json", session=triage.jo)
    assert listed.status == 0, listed.err
    targets = json.loads(listed.out)
    assert {t["kind"] for t in targets} >= {"command", "call_for_service", "neighbourhood"}
    refused = cli("escalation-target", "add", "command", "Someone", session=triage.jo)
    assert refused.status == 2
    assert "may not manage escalation targets" in refused.err

    added = cli(
        "escalation-target", "add", "neighbourhood", "Neighbourhood team: East",
        "--area", "East", "--email", "east@example.police.uk", session=triage.admin,
    )  # fmt: skip
    assert added.status == 0, added.err
    number = added.out.split("#")[1].split(":")[0]
    changed = cli("escalation-target", "set", number, "--phone", "01234 5", session=triage.admin)
    assert changed.status == 0, changed.err
    bad = cli("escalation-target", "set", number, "--email", "nope", session=triage.admin)
    assert bad.status == 2 and "'nope' is not an email address" in bad.err
    off = cli("escalation-target", "disable", number, session=triage.admin)
    assert off.out == f"Escalation target #{number} (Neighbourhood team: East) is disabled.\n"
    table = cli("escalation-target", "list", "--all", session=triage.admin).out
    assert "01234 5" in table and "disabled" in table


def test_escalate_list_waiting_acknowledge_and_show_on_the_case(case: Triage) -> None:
    cli, jo = case.cli, case.jo
    case.staffed.clock.advance(minutes=3)
    made = cli(
        "escalation", "create", "1", "--kind", "call-for-service", "--urgency", "immediate",
        "--summary", "Threat to kill tonight", session=jo,
    )  # fmt: skip
    assert made.status == 0, made.err
    assert made.out.startswith("Escalated case #1 to Contact: call for service")

    waiting = json.loads(cli("escalation", "list", "--waiting", "--json", session=jo).out)
    assert [(w["case_id"], w["urgency"], w["overdue"]) for w in waiting] == [
        (1, "immediate", False)
    ]
    case.staffed.clock.advance(minutes=10)
    assert "OVERDUE" not in cli("escalation", "list", "--waiting", session=jo).out
    case.staffed.clock.advance(minutes=6)  # past the 15 minutes of "immediate"
    table = cli("escalation", "list", "--waiting", session=jo).out
    assert "OVERDUE" in table

    missing = cli("escalation", "ack", str(waiting[0]["id"]), session=jo)
    assert missing.status == 2  # --by is required
    acked = cli("escalation", "ack", str(waiting[0]["id"]), "--by", "PS 42 Evans", session=jo)
    assert acked.status == 0, acked.err
    assert cli("escalation", "list", "--waiting", session=jo).out == (
        "No escalations await acknowledgement.\n"
    )
    shown = cli("case", "show", "1", session=jo).out
    assert "Escalated: first at " in shown
    assert "acknowledged by PS 42 Evans" in shown
    assert "escalated to Contact: call for service" in shown


def test_referral_to_investigations(case: Triage) -> None:
    cli = case.cli
    done = cli("escalation", "refer", "1", "--reason", "Needs investigating", session=case.jo)
    assert done.status == 0, done.err
    assert "Desk is for engagement" in done.out
    assert "Referred to investigations at " in cli("case", "show", "1", session=case.jo).out
    again = cli("escalation", "refer", "1", "--reason", "again", session=case.jo)
    assert again.status == 2 and "already referred" in again.err
