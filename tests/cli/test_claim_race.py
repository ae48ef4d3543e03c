"""Two processes claim the same cases at the same moment on one SQLite file."""

from __future__ import annotations

import multiprocessing
import queue
import re
from typing import Any

from tests.cli.conftest import Triage
from tests.cli.race_worker import CLAIMED, claim_all
from tests.keyrings import MemoryKeyring

CASES = 50


def test_two_processes_never_both_own_a_case(triage: Triage, memory_keyring: MemoryKeyring) -> None:
    triage.official("x", "@ExampleshirePolice")
    records = [
        {"platform": "x", "account": "@ExampleshirePolice", "kind": "mention", "id": str(n),
         "author_id": f"u{n}", "author_handle": f"@person{n}", "text": f"Help please {n}",
         "posted_at": "2026-11-26T08:00:00Z"}
        for n in range(CASES)
    ]  # fmt: skip
    assert triage.import_(triage.jsonl("race.jsonl", records)).status == 0
    case_ids = sorted(c["case_id"] for c in triage.queue("--limit", "0"))
    assert len(case_ids) == CASES

    staffed = triage.staffed
    players = {"jsmith": staffed.operator, "sbrown": triage.sam}
    tokens = {name: staffed.sign_in(person, "cli") for name, person in players.items()}
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(len(players))
    results: Any = spawn.Queue()
    data_dir = str(triage.cli.profile.data_dir)
    entries = dict(memory_keyring.entries)
    now = staffed.clock.now()
    workers = [
        spawn.Process(
            target=claim_all,
            args=(name, data_dir, entries, now, token, case_ids, barrier, results),
            name=f"claimer-{name}",
        )
        for name, token in tokens.items()
    ]
    for worker in workers:
        worker.start()
    outcomes: dict[str, dict[int, str]] = {}
    try:
        for _ in workers:
            name, claimed = results.get(timeout=120)
            outcomes[name] = claimed
    except queue.Empty:
        pass
    for worker in workers:
        worker.join(timeout=30)
        if worker.is_alive():
            worker.kill()
    assert [w.exitcode for w in workers] == [0, 0]
    assert set(outcomes) == set(players)
    assert all(list(o) == case_ids for o in outcomes.values())

    owners = {c["case_id"]: c["owner"] for c in triage.queue("--limit", "0")}
    for case_id in case_ids:
        owner = owners[case_id]
        assert owner in players, (case_id, owner)
        (other,) = set(players) - {owner}
        # the owner's process claimed it; the other was told who owns it
        assert outcomes[owner][case_id] == CLAIMED
        assert re.fullmatch(
            rf"Case #{case_id} is already owned by {owner} \(claimed \d\d \w{{3}} \d\d:\d\d UTC\)\.",
            outcomes[other][case_id],
        ), outcomes[other][case_id]

    # every case has exactly one claim on its timeline, and the audit has one per case
    for case_id in case_ids:
        timeline = staffed.desk.queue.detail(staffed.admin_token, case_id).timeline
        assert [t.kind for t in timeline].count("claim") == 1
    claims = staffed.desk.audit.entries(staffed.admin_token, 500, "case.claim")
    assert len(claims) == CASES
    assert {e.actor for e in claims} <= set(players)
