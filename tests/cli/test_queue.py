"""``desk-admin queue``: the window's order and filters, as a table and as a JSON array."""

from __future__ import annotations

import json
from typing import Any

import pytest

from desk.cli import queue as queue_command
from tests.cli.conftest import Triage

PAGE = "Exampleshire Police (Facebook page)"


def _item(n: int, platform: str, account: str, kind: str, author: str, text: str,
          received: str, **more: str) -> dict[str, Any]:  # fmt: skip
    return {
        "platform": platform, "account": account, "kind": kind, "id": f"item-{n}",
        "author_id": f"user-{n}", "author_handle": author, "text": text,
        "posted_at": f"2026-11-26T{received}:00Z", "received_at": f"2026-11-26T{received}:30Z",
        **more,
    }  # fmt: skip


# Case n is item n (each from another author): the file order is not the queue's order.
ITEMS = [
    _item(1, "x", "@ExampleshirePolice", "mention", "@commuter", "Is the A38 open yet?", "08:00"),
    _item(2, "facebook", PAGE, "comment", "Angry Man", "I'm going to kill you when I see you",
          "08:30", author_name="Angry Man"),
    _item(3, "x", "@ExampleshirePolice", "direct_message", "@quiet",
          "my partner hit me again last night and I'm scared", "08:10"),
    _item(4, "instagram", "@exampleshirepolice", "comment", "@bikeowner",
          "call me on 07700 900123 about the bike", "08:20"),
    _item(5, "facebook", PAGE, "comment", "Gareth Hughes",
          "Diolch yn fawr am y diweddariad. Ydy'r ffordd ar agor eto?", "07:50",
          author_name="Gareth Hughes", thread_id="1029384756"),
    _item(6, "x", "@ExampleshirePolice", "reply", "@low", "I want to end my life", "08:40",
          thread_id="1861230000000000000", link="https://x.com/low/status/6"),
    _item(7, "x", "@ExampleshirePolice", "mention", "@neighbour",
          "someone is breaking in right now", "07:00"),
]  # fmt: skip
QUEUE_ORDER = [2, 6, 7, 3, 4, 5, 1]  # P1 oldest first, then P2, P3, P4


@pytest.fixture
def queued(triage: Triage) -> Triage:
    """Seven cases of every priority on three official accounts, imported by Jo."""
    triage.official("x", "@ExampleshirePolice")
    triage.official("facebook", PAGE)
    triage.official("instagram", "@exampleshirepolice")
    done = triage.import_(triage.jsonl("queue.jsonl", ITEMS))
    assert done.status == 0, done.err
    assert "Added items by priority: P1 2, P2 2, P3 1, P4 2." in done.out
    return triage


def test_the_queue_is_highest_priority_first_then_oldest(queued: Triage) -> None:
    cases = queued.queue()
    assert [c["case_id"] for c in cases] == QUEUE_ORDER
    assert [c["priority"] for c in cases] == ["P1", "P1", "P2", "P2", "P3", "P4", "P4"]
    assert [c["opened_at"][11:16] for c in cases] == [
        "08:30", "08:40", "07:00", "08:10", "08:20", "07:50", "08:00",
    ]  # fmt: skip


def test_json_is_one_array_with_a_case_a_line(queued: Triage) -> None:
    done = queued.cli("queue", "--json", session=queued.jo)
    assert done.status == 0 and done.err == ""
    assert len(json.loads(done.out)) == 7
    lines = done.out.splitlines()
    assert lines[0] == "[" and lines[-1] == "]"
    assert len(lines) == 9 and all(line.startswith("{") for line in lines[1:-1])
    first = queued.queue()[0]
    assert set(first) == {
        "case_id", "priority", "status", "risk", "owner", "opened_at", "due_at", "platform",
        "account", "author", "summary", "item_count", "language", "kind", "needs_assessment",
        "items",
    }  # fmt: skip
    assert first == first | {
        "case_id": 2, "priority": "P1", "status": "new", "risk": ["threat_to_life"],
        "owner": None, "opened_at": "2026-11-26T08:30:30Z", "due_at": "2026-11-26T08:45:30Z",
        "platform": "facebook", "account": PAGE, "author": "Angry Man",
        "summary": "I'm going to kill you when I see you", "item_count": 1, "language": "en",
        "kind": "comment", "needs_assessment": True,
    }  # fmt: skip
    (item,) = first["items"]
    assert set(item) == {
        "id", "platform", "account", "kind", "author", "author_name", "text", "language",
        "posted_at", "received_at", "link", "media", "thread_id", "redacted",
    }  # fmt: skip
    assert item == item | {
        "platform": "facebook", "account": PAGE, "kind": "comment", "author": "Angry Man",
        "author_name": "Angry Man", "text": "I'm going to kill you when I see you",
        "language": "en", "posted_at": "2026-11-26T08:30:00Z",
        "received_at": "2026-11-26T08:30:30Z", "link": None, "redacted": False,
    }  # fmt: skip
    welsh = next(c for c in queued.queue() if c["case_id"] == 5)
    assert welsh["language"] == "cy" and welsh["items"][0]["language"] == "cy"
    assert welsh["risk"] == [] and welsh["needs_assessment"] is False
    reply = next(c for c in queued.queue() if c["case_id"] == 6)
    assert reply["items"][0]["link"] == "https://x.com/low/status/6"
    assert reply["items"][0]["thread_id"] == "1861230000000000000"


def test_json_is_ascii_so_nothing_raw_reaches_a_terminal(queued: Triage) -> None:
    evil = [_item(8, "x", "@ExampleshirePolice", "mention", "@e\u202eve", "hi \x1b[2J there",
                  "09:00")]  # fmt: skip
    assert queued.import_(queued.jsonl("evil.jsonl", evil)).status == 0
    done = queued.cli("queue", "--json", "--search", "there", session=queued.jo)
    assert "\x1b" not in done.out and "\u202e" not in done.out
    table = queued.cli("queue", "--search", "there", session=queued.jo)
    assert "\x1b" not in table.out and "\u202e" not in table.out
    assert "@e\\u202eve" in table.out


def test_a_word_split_by_an_invisible_character_is_shown_split(queued: Triage) -> None:
    hidden = [_item(9, "x", "@ExampleshirePolice", "mention", "@quiet_one",
                    "gonna k\u200bill myself tonight \U000e0041", "09:05")]  # fmt: skip
    assert queued.import_(queued.jsonl("hidden.jsonl", hidden)).status == 0
    table = queued.cli("queue", "--search", "tonight", session=queued.jo)
    assert table.status == 0, table.err
    # the terminal shows the escape where the platform showed nothing: "k\u200bill"
    assert "\u200b" not in table.out and "k\\u200bill" in table.out
    assert "\U000e0041" not in table.out and "\\U000e0041" in table.out


FILTERS = [
    (("--priority", "1"), [2, 6]),
    (("--priority", "P2", "4"), [7, 3, 5, 1]),
    (("--priority", "3", "--priority", "p1"), [2, 6, 4]),
    (("--category", "threat_to_life"), [2]),
    (("--category", "domestic_abuse", "personal_data"), [3, 4]),
    (("--category", "hate"), []),
    (("--platform", "x"), [6, 7, 3, 1]),
    (("--platform", "Facebook", "instagram"), [2, 4, 5]),
    (("--account", PAGE), [2, 5]),
    (("--account", "@exampleshirepolice"), [4]),  # exactly as written: Instagram's
    (("--account", "@ExampleshirePolice"), [6, 7, 3, 1]),
    (("--account", "@EXAMPLESHIREPOLICE"), [6, 7, 3, 4, 1]),  # no exact match: any case
    (("--kind", "direct_message"), [3]),
    (("--kind", "reply", "mention"), [6, 7, 1]),
    (("--status", "new"), QUEUE_ORDER),
    (("--status", "closed"), []),
    (("--owner", "unassigned"), QUEUE_ORDER),
    (("--owner", "me"), []),
    (("--search", "kill"), [2]),
    (("--search", "A38"), [1]),
    (("--search", "brea"), [7]),  # every word as a prefix
    (("--search", "partner scared"), [3]),  # every word
    (("--search", "partner bike"), []),
    (("--search", "gareth"), [5]),  # the author too
    (("--search", "@commuter"), [1]),
    (("--search", "zebra"), []),
    (("--platform", "x", "--priority", "1", "2"), [6, 7, 3]),
    (("--platform", "x", "--search", "right now", "--kind", "mention"), [7]),
]


def test_each_filter_and_combinations(queued: Triage) -> None:
    shown = {" ".join(args): queued.ids(*args) for args, _ in FILTERS}
    assert shown == {" ".join(args): expected for args, expected in FILTERS}


def test_owner_and_status_filters_follow_claims(queued: Triage) -> None:
    assert queued.cli("case", "claim", "3", session=queued.jo).status == 0
    assert queued.cli("case", "claim", "5", session=queued.sam_token).status == 0
    assert queued.ids("--owner", "me") == [3]
    assert queued.ids("--owner", "me", session=queued.sam_token) == [5]
    assert queued.ids("--owner", "unassigned") == [2, 6, 7, 4, 1]
    assert queued.ids("--status", "triage") == [3, 5]
    assert queued.ids("--status", "new", "triage") == QUEUE_ORDER
    assert [c["owner"] for c in queued.queue("--status", "triage")] == ["jsmith", "sbrown"]


def test_limit_and_keyset_paging(queued: Triage, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue_command, "PAGE", 2)  # pages of two: --limit 0 needs four
    assert queued.ids() == QUEUE_ORDER
    five = queued.cli("queue", "--json", "--limit", "5", session=queued.jo)
    assert [c["case_id"] for c in json.loads(five.out)] == QUEUE_ORDER[:5]
    assert five.err == "desk-admin: showing the first 5 of 7 cases; --limit 0 shows them all.\n"
    exact = queued.cli("queue", "--limit", "7", session=queued.jo)
    assert exact.err == ""
    assert queued.ids("--priority", "4", "2") == [7, 3, 5, 1]


def test_the_default_limit_is_100(queued: Triage) -> None:
    many = [
        _item(100 + n, "x", "@ExampleshirePolice", "mention", f"@p{n}", f"hello {n}", "09:00")
        for n in range(100)
    ]
    assert queued.import_(queued.jsonl("many.jsonl", many)).status == 0
    done = queued.cli("queue", session=queued.jo)
    assert len(done.out.splitlines()) == 1 + 100
    assert done.err == "desk-admin: showing the first 100 of 107 cases; --limit 0 shows them all.\n"
    assert len(queued.ids()) == 107


def test_the_table(queued: Triage) -> None:
    # now is a few minutes past 09:00: the P1s (due 08:45 and 08:55) are late
    assert queued.cli("case", "claim", "4", session=queued.jo).status == 0
    done = queued.cli("queue", session=queued.jo)
    assert done.status == 0, done.err
    header, *rows = done.out.splitlines()
    assert header.split() == [
        "CASE", "PRI", "AGE", "TARGET", "STATUS", "OWNER", "PLATFORM", "ACCOUNT", "AUTHOR",
        "RISK", "SUMMARY",
    ]  # fmt: skip
    assert [int(r.split()[0]) for r in rows] == QUEUE_ORDER
    first = rows[0]
    assert first.startswith("2     P1   ")
    assert " late " in first and " new " in first and "threat_to_life" in first
    assert "Angry Man" in first and PAGE in first
    claimed = rows[QUEUE_ORDER.index(4)]
    assert " triage " in claimed and " jsmith " in claimed and " in " in claimed
    assert rows[-1].split()[-6:] == ["not-assessed", "Is", "the", "A38", "open", "yet?"]


def test_a_long_summary_is_cut_in_the_table(queued: Triage) -> None:
    long = [_item(9, "x", "@ExampleshirePolice", "mention", "@long", "word " * 40, "09:00")]
    assert queued.import_(queued.jsonl("long.jsonl", long)).status == 0
    row = queued.cli("queue", "--search", "word", session=queued.jo).out.splitlines()[1]
    assert row.endswith("word word…")
    assert len(row.split("  ")[-1].strip()) <= 60


def test_an_empty_result(queued: Triage) -> None:
    done = queued.cli("queue", "--search", "zebra", session=queued.jo)
    assert done.status == 0 and done.out == "No cases.\n"
    assert queued.cli("queue", "--json", "--search", "zebra", session=queued.jo).out == "[]\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--priority", "5"), "argument --priority: '5' is not a priority: use 1 to 4"),
        (("--status", "open"), "argument --status: invalid choice: 'open'"),
        (("--category", "rudeness"), "argument --category: invalid choice: 'rudeness'"),
        (("--platform", "myspace"), "argument --platform: Unknown platform 'myspace'"),
        (("--kind", "tweet"), "argument --kind: invalid choice: 'tweet'"),
        (("--owner", "sam"), "argument --owner: invalid choice: 'sam'"),
        (("--limit", "-1"), "argument --limit: -1 is negative: use 0 for every case"),
        (("--limit", "ten"), "argument --limit: 'ten' is not a whole number"),
    ],
)
def test_bad_filters_are_usage_errors(triage: Triage, args: tuple[str, ...], message: str) -> None:
    done = triage.cli("queue", *args, session=triage.jo)
    assert done.status == 2
    assert message in done.err


def test_an_unknown_account_is_refused(queued: Triage) -> None:
    done = queued.cli("queue", "--account", "@Nobody", session=queued.jo)
    assert done.status == 2
    assert "'@Nobody' is not an official account: 'desk-admin official-account list'" in done.err


def test_the_queue_needs_a_sign_in(queued: Triage) -> None:
    done = queued.cli("queue")
    assert done.status == 2
    assert "Say who is acting" in done.err
    signed = queued.cli.signed(queued.staffed.operator, "queue", "--json", "--priority", "1")
    assert signed.status == 0, signed.err
    assert len(json.loads(signed.out)) == 2
