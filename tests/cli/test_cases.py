"""``desk-admin case ...``: a case worked end to end through the command line."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.conftest import Triage

RISKY = "I'm going to kill you when I see you. Ring me on 07700 900123"
ITEMS: list[dict[str, Any]] = [
    {"platform": "x", "account": "@ExampleshirePolice", "kind": "mention", "id": "1",
     "author_id": "11", "author_handle": "@angry", "author_name": "Angry Man", "text": RISKY,
     "posted_at": "2026-11-26T08:30:00Z", "thread_id": "t1"},
    {"platform": "x", "account": "@ExampleshirePolice", "kind": "mention", "id": "2",
     "author_id": "12", "author_handle": "@commuter", "text": "Is the A38 open yet?",
     "posted_at": "2026-11-26T08:40:00Z"},
]  # fmt: skip


@pytest.fixture
def cases(triage: Triage) -> Triage:
    """Two new cases: #1 is risky (P1, threat and personal data), #2 is not (P4)."""
    triage.official("x", "@ExampleshirePolice")
    assert triage.import_(triage.jsonl("items.jsonl", ITEMS)).status == 0
    return triage


def test_claim_note_assess_close_and_reopen(cases: Triage) -> None:
    cli, jo, sam = cases.cli, cases.jo, cases.sam_token

    claimed = cli("case", "claim", "1", session=jo)
    assert claimed.status == 0, claimed.err
    assert claimed.out == "Claimed case #1: it is yours.\n"

    second = cli("case", "claim", "#1", session=sam)
    assert second.status == 2
    assert second.out == ""
    assert second.err.startswith("desk-admin: error: Case #1 is already owned by jsmith (claimed ")
    again = cli("case", "claim", "1", session=jo)
    assert again.status == 2 and "You already own case #1." in again.err

    noted = cli("case", "note", "1", "Rang the author back; no answer", session=jo)
    assert noted.status == 0 and noted.out == "Added a note to case #1.\n"

    early = cli("case", "close", "1", "--outcome", "referred_999", session=jo)
    assert early.status == 2
    assert "Case #1 matched a risk rule: record a THRIVE assessment before closing it." in early.err

    thrive = ("--threat", "Threat to kill", "--harm", "Serious", "--risk", "High",
              "--investigation", "Refer to 999", "--vulnerability", "Unknown",
              "--engagement", "Author replied once", "--grade", "immediate")  # fmt: skip
    not_sams = cli("case", "assess", "1", *thrive, session=sam)
    assert not_sams.status == 2 and "Case #1 is owned by jsmith." in not_sams.err
    assessed = cli("case", "assess", "1", *thrive, session=jo)
    assert assessed.status == 0, assessed.err
    assert assessed.out == "Recorded THRIVE v1 for case #1: grade immediate.\n"

    closed = cli("case", "close", "1", "--outcome", "Referred-999", "--note", "Passed to 999",
                 session=jo)  # fmt: skip
    assert closed.status == 0, closed.err
    assert closed.out == "Closed case #1: Referred to 999.\n"
    assert cases.ids("--status", "closed") == [1]

    shown = cases.show(1)
    assert shown["status"] == "closed" and shown["owner"] == "jsmith"
    assert [(e["kind"], e["actor"]) for e in shown["timeline"] if e["actor"] != "rules"] == [
        ("arrived", "@angry"), ("claim", "jsmith"), ("note", "jsmith"), ("assess", "jsmith"),
        ("close", "jsmith"),
    ]  # fmt: skip
    assert shown["timeline"][-1]["text"] == "Passed to 999"
    (assessment,) = shown["assessments"]
    assert assessment == assessment | {
        "version": 1, "actor": "jsmith", "grade": "immediate", "threat": "Threat to kill",
        "engagement": "Author replied once",
    }  # fmt: skip

    no_reason = cli("case", "reopen", "1", "--reason", " ", session=sam)
    assert no_reason.status == 2 and "Say why the case is re-opened." in no_reason.err
    reopened = cli("case", "reopen", "1", "--reason", "Author wrote again by phone", session=sam)
    assert reopened.status == 0, reopened.err
    assert reopened.out == "Re-opened case #1: it is yours.\n"
    case = cases.queue("--search", "kill")[0]
    assert case["status"] == "triage" and case["owner"] == "sbrown"
    assert cases.show(1)["timeline"][-1]["kind"] == "reopen"
    twice = cli("case", "reopen", "1", "--reason", "again", session=sam)
    assert twice.status == 2 and "A triage case cannot be re-opened." in twice.err

    audit = cases.staffed.desk.audit.entries(cases.staffed.admin_token, 50, "case.")
    assert [e.action for e in reversed(audit)] == [
        "case.claim", "case.note", "case.assess", "case.close", "case.reopen",
    ]  # fmt: skip


def test_a_case_without_risk_closes_without_thrive(cases: Triage) -> None:
    cli, jo = cases.cli, cases.jo
    unclaimed = cli("case", "close", "2", "--outcome", "no_action", session=jo)
    assert unclaimed.status == 2 and "Claim case #2 before working on it." in unclaimed.err
    assert cli("case", "claim", "2", session=jo).status == 0
    closed = cli("case", "close", "2", "--outcome", "no_action", session=jo)
    assert closed.status == 0, closed.err
    assert closed.out == "Closed case #2: No action needed.\n"
    assert cases.show(2)["timeline"][-1]["text"] == "closed: no_action"
    # a closed case cannot be claimed, and the message says why
    claim_closed = cli("case", "claim", "2", session=cases.sam_token)
    assert claim_closed.status == 2
    assert "Case #2 is closed: re-open it to work on it." in claim_closed.err


def test_release_and_reassign(cases: Triage) -> None:
    cli, jo, sam, sue = cases.cli, cases.jo, cases.sam_token, cases.sue_token
    assert cli("case", "claim", "2", session=jo).status == 0
    not_sams = cli("case", "release", "2", session=sam)
    assert not_sams.status == 2 and "Case #2 is owned by jsmith." in not_sams.err
    operator = cli("case", "assign", "2", "sbrown", session=jo)
    assert operator.status == 2
    assert operator.err == "desk-admin: error: The operator role may not reassign cases.\n"

    assigned = cli("case", "assign", "2", "SBrown", session=sue)
    assert assigned.status == 0, assigned.err
    assert assigned.out == "Case #2 is now sbrown's.\n"
    assert cases.queue("--search", "A38")[0]["owner"] == "sbrown"
    assert cases.ids("--owner", "me", session=sam) == [2]

    nobody = cli("case", "assign", "2", "nobody", session=sue)
    assert nobody.status == 2 and "There is no active account called 'nobody'." in nobody.err
    admin = cli("case", "assign", "2", "admin", session=sue)
    assert admin.status == 2 and "admin (administrator) does not work cases." in admin.err

    released = cli("case", "release", "2", session=sam)
    assert released.status == 0 and released.out == "Released case #2.\n"
    case = cases.queue("--search", "A38")[0]
    assert case["status"] == "new" and case["owner"] is None
    not_owned = cli("case", "release", "2", session=sam)
    assert not_owned.status == 2 and "Case #2 has no owner." in not_owned.err
    timeline = [e["text"] for e in cases.show(2)["timeline"]]
    assert timeline[-3:] == [
        "claimed", "reassigned from jsmith to sbrown", "released (was sbrown)",
    ]  # fmt: skip


def test_redaction(cases: Triage) -> None:
    cli, jo = cases.cli, cases.jo
    (item,) = cases.show(1)["items"]
    start = item["text"].index("07700")
    end = start + len("07700 900123")
    args = ("case", "redact", str(item["id"]), "--start", str(start), "--end", str(end),
            "--reason", "Phone number")  # fmt: skip
    unclaimed = cli(*args, session=jo)
    assert unclaimed.status == 2 and "Claim case #1 before working on it." in unclaimed.err
    assert cli("case", "claim", "1", session=jo).status == 0
    done = cli(*args, session=jo)
    assert done.status == 0, done.err
    assert done.out == f"Redacted characters {start} to {end} of item #{item['id']}.\n"
    (after,) = cases.show(1)["items"]
    assert after["text"] == "I'm going to kill you when I see you. Ring me on [redacted]"
    assert after["redacted"] is True and after["matches"] == []
    assert cases.ids("--search", "900123") == []
    event = cases.show(1)["timeline"][-1]
    assert event["kind"] == "redact" and event["text"] == "redacted 12 characters: Phone number"

    outside = cli("case", "redact", str(item["id"]), "--start", "0", "--end", "999",
                  "--reason", "x", session=jo)  # fmt: skip
    assert outside.status == 2 and "are outside the item's text" in outside.err
    backwards = cli("case", "redact", str(item["id"]), "--start", "5", "--end", "5",
                    "--reason", "x", session=jo)  # fmt: skip
    assert backwards.status == 2 and "--end (5) must be after --start (5)." in backwards.err
    missing = cli("case", "redact", "99", "--start", "0", "--end", "1", "--reason", "x",
                  session=jo)  # fmt: skip
    assert missing.status == 2 and "There is no item #99." in missing.err


def test_show_prints_the_case_in_full(cases: Triage) -> None:
    cli, jo = cases.cli, cases.jo
    assert cli("case", "claim", "1", session=jo).status == 0
    assert cli("case", "note", "1", "Checking PNC", session=jo).status == 0
    shown = cli("case", "show", "1", session=jo)
    assert shown.status == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0] == "Case #1  P1  triage  owner: jsmith"
    assert lines[1].startswith("Opened:    2026-11-26 ")
    assert "Platform:  x, account @ExampleshirePolice, mention" in lines
    assert "Author:    @angry (1 item on this desk)" in lines
    assert "Risk:      personal_data, threat_to_life  (needs a THRIVE assessment)" in lines
    assert "Items (1):" in lines
    assert "      " + RISKY in lines
    assert (
        '      matched threat_to_life (rule threat.kill, critical): "I\'m going to kill you"'
        in lines
    )
    assert any(line.endswith("jsmith  note: Checking PNC") for line in lines)

    as_json = cases.show(1)
    assert as_json["case_id"] == 1 and as_json["priority"] == "P1"
    assert {"thread", "author_items", "author_cases", "assessments", "timeline",
            "viewers"} <= set(as_json)  # fmt: skip
    match = next(m for m in as_json["items"][0]["matches"] if m["category"] == "threat_to_life")
    start, end = match["spans"][0]
    assert RISKY[start:end] == match["matched"][0]


def test_unknown_cases_and_bad_arguments(cases: Triage) -> None:
    cli, jo = cases.cli, cases.jo
    missing = cli("case", "claim", "99", session=jo)
    assert missing.status == 2 and missing.err == "desk-admin: error: There is no case #99.\n"
    shown = cli("case", "show", "99", session=jo)
    assert shown.status == 2 and "There is no case #99." in shown.err
    bad_id = cli("case", "claim", "one", session=jo)
    assert bad_id.status == 2 and "argument ID: 'one' is not a case or item number" in bad_id.err
    bad_outcome = cli("case", "close", "1", "--outcome", "sorted", session=jo)
    assert bad_outcome.status == 2
    assert "argument --outcome: Unknown outcome 'sorted': use one of no_action, replied" in (
        bad_outcome.err
    )
    no_grade = cli("case", "assess", "1", "--threat", "a", "--harm", "b", "--risk", "c",
                   "--investigation", "d", "--vulnerability", "e", "--engagement", "f",
                   "--grade", "urgent", session=jo)  # fmt: skip
    assert no_grade.status == 2 and "argument --grade: invalid choice: 'urgent'" in no_grade.err
    blank = cli("case", "note", "1", "  ", session=jo)
    assert blank.status == 2 and "A note cannot be empty." in blank.err
    assert cli("case", "claim", "1", session=jo).status == 0
    empty_factor = cli("case", "assess", "1", "--threat", " ", "--harm", "b", "--risk", "c",
                       "--investigation", "d", "--vulnerability", "e", "--engagement", "f",
                       "--grade", "priority", session=jo)  # fmt: skip
    assert empty_factor.status == 2
    assert "THRIVE is incomplete: write something for Threat." in empty_factor.err


def test_an_administrator_does_not_work_cases(cases: Triage) -> None:
    refused = cases.cli("case", "claim", "1", session=cases.admin)
    assert refused.status == 2
    assert refused.err == "desk-admin: error: The administrator role may not work cases.\n"
    assert cases.cli("case", "show", "1", session=cases.admin).status == 0


def test_case_commands_sign_in_like_every_other(cases: Triage) -> None:
    done = cases.cli.signed(cases.staffed.operator, "case", "claim", "2")
    assert done.status == 0, done.err
    assert cases.queue("--search", "A38")[0]["owner"] == "jsmith"
    nobody = cases.cli("case", "claim", "1")
    assert nobody.status == 2 and "Say who is acting" in nobody.err
