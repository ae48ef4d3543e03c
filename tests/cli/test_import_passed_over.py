"""desk-admin import says what it passed over, by reason, and the force's own posts (issue 17)."""

from __future__ import annotations

import json

from tests.cli.conftest import Triage


def test_the_summary_sums_what_was_passed_over_by_reason(triage: Triage) -> None:
    force = triage
    force.official("x", "@TwitterDev")
    users = [
        {"id": "2244994945", "username": "TwitterDev", "name": "Twitter Dev"},
        {"id": "11", "username": "jo_public", "name": "Jo"},
    ]
    posts = [
        {"id": "c1", "text": "Our post", "author_id": "2244994945",
         "created_at": "2026-11-26T09:00:00Z", "conversation_id": "c1"},
        {"id": "c2", "text": "@TwitterDev hello", "author_id": "11",
         "created_at": "2026-11-26T09:01:00Z", "conversation_id": "c1",
         "in_reply_to_user_id": "2244994945",
         "referenced_tweets": [{"type": "replied_to", "id": "c1"}]},
        {"id": "c3", "text": "RT", "author_id": "11", "created_at": "2026-11-26T09:02:00Z",
         "referenced_tweets": [{"type": "retweeted", "id": "c1"}]},
        {"id": "c4", "text": "nothing to do with it", "author_id": "11",
         "created_at": "2026-11-26T09:03:00Z"},
        {"id": "c5", "text": "still nothing", "author_id": "11",
         "created_at": "2026-11-26T09:04:00Z"},
    ]  # fmt: skip
    path = force.write("timeline.json", json.dumps({"data": posts, "includes": {"users": users}}))
    done = force.import_(path)
    assert done.status == 0, done.err
    lines = done.out.splitlines()
    assert lines[0].startswith(f"Imported {path} (x_v2): 1 item read, 1 added")
    assert lines[1] == (
        "The force's own posts: 1 kept as thread context (0 already on the desk); never queued."
    )
    assert lines[2] == "Passed over 3 records:"
    assert lines[3] == (
        "  posts addressed to no official account and in no conversation of one: 2 "
        "(first at $.data[3])"
    )
    assert lines[4] == "  reposts (someone else's words passed on): 1 (first at $.data[2])"
    again = force.import_(path)
    assert again.status == 0 and "0 added, 1 duplicate skipped" in again.out
    assert "(1 already on the desk)" in again.out
