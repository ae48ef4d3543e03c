"""``case close`` with escalations still awaiting acknowledgement."""

from __future__ import annotations

from typing import Any

from tests.cli.conftest import Triage

ITEMS: list[dict[str, Any]] = [
    {"platform": "x", "account": "@ExampleshirePolice", "kind": "mention", "id": "1",
     "author_id": "11", "author_handle": "@asking", "text": "What time does the road reopen?",
     "posted_at": "2026-11-26T08:30:00Z"},
]  # fmt: skip


def test_close_refuses_while_an_escalation_waits_and_names_the_flag(triage: Triage) -> None:
    cli, jo = triage.cli, triage.jo
    triage.official("x", "@ExampleshirePolice")
    assert triage.import_(triage.jsonl("items.jsonl", ITEMS)).status == 0
    assert cli("case", "claim", "1", session=jo).status == 0
    made = cli(
        "escalation", "create", "1", "--kind", "intelligence", "--urgency", "today",
        "--summary", "Road question", session=jo,
    )  # fmt: skip
    assert made.status == 0, made.err

    refused = cli("case", "close", "1", "--outcome", "no_action", session=jo)
    assert refused.status == 2
    assert "Case #1 has 1 escalation still awaiting acknowledgement: #1 to " in refused.err
    assert "or add --despite-unacknowledged to close it anyway." in refused.err
    assert triage.show(1)["status"] != "closed"

    closed = cli(
        "case", "close", "1", "--outcome", "no_action", "--despite-unacknowledged", session=jo
    )
    assert closed.status == 0, closed.err
    shown = triage.show(1)
    assert shown["status"] == "closed"
    assert shown["timeline"][-1]["text"].startswith("closed despite 1 unacknowledged escalation")
