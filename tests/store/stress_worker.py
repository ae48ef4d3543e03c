"""What each process of the PostgreSQL stress test runs: one operator working the shared queue.

A worker opens the desk as a workstation does (``Desk.open(profile, clock, db=Database(url))``),
waits for the others, then for a bounded time takes a case from the top of the queue of new
cases (as an operator would: one of the first few, so that workers often reach for the same
case), claims it, adds a note, sometimes escalates it (then records the acknowledgement, or
closes it despite the escalation still waiting), and closes it. Every action the desk accepted
is written to the worker's own log, one JSON object a line, right after the call returns; a
refused claim is logged as refused, and a refusal of a later step (which only a case with two
owners would give) as lost. The test compares these logs with the audit.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desk.core.cases import CaseStatus, Outcome
from desk.core.clock import ManualClock
from desk.core.errors import Conflict, DeskError
from desk.core.escalation import TargetKind, Urgency
from desk.core.queue_filter import QueueFilter
from desk.paths import resolve_profile
from desk.services.desk import Desk
from desk.store.db import Database

NEW_CASES = QueueFilter(statuses=frozenset({CaseStatus.NEW.value}))
PICK_FROM = 8  # a worker takes one of the first few new cases: the others reach for them too
ESCALATE_ONE_IN = 3
REFUSED = "refused"
LOST = "lost"  # the desk refused the owner's next step on a case it had just claimed


@dataclass(frozen=True)
class Job:
    """What one worker is told: who it is, where the desk is, how long to work."""

    name: str  # the operator's username
    token: str  # the operator's session, signed in by the test
    data_dir: str
    url: str
    now: datetime
    seconds: float
    seed: int
    log: str  # the worker's own log file


def work(job: Job, barrier: Any) -> None:
    """Open the desk, wait for every worker, then work the queue for ``job.seconds``."""
    rng = random.Random(job.seed)  # noqa: S311 - which case to take, not a secret
    desk = Desk.open(resolve_profile(job.data_dir), ManualClock(job.now), db=Database(job.url))
    try:
        with Path(job.log).open("w", encoding="utf-8", buffering=1) as log:
            barrier.wait(timeout=120)
            until = time.monotonic() + job.seconds
            while time.monotonic() < until:
                page = desk.queue.page(job.token, NEW_CASES, limit=PICK_FROM)
                if not page:
                    break  # every case has been taken
                _work_one(desk, job, rng.choice(page).case_id, rng, log)
    finally:
        desk.close()


def _write(log: Any, action: str, case_id: int, **more: Any) -> None:
    log.write(json.dumps({"action": action, "case": case_id, **more}) + "\n")


def _work_one(desk: Desk, job: Job, case_id: int, rng: random.Random, log: Any) -> None:
    """Claim ``case_id`` and, if this worker got it, note, maybe escalate, and close it."""
    try:
        desk.cases.claim(job.token, case_id)
    except Conflict as refused:
        _write(log, REFUSED, case_id, message=refused.message)
        return
    _write(log, "case.claim", case_id)
    try:
        _work_claimed(desk, job, case_id, rng, log)
    except DeskError as lost:
        _write(log, LOST, case_id, message=lost.message)


def _work_claimed(desk: Desk, job: Job, case_id: int, rng: random.Random, log: Any) -> None:
    """Note, maybe escalate, and close a case this worker has just claimed."""
    desk.cases.add_note(job.token, case_id, f"Worked by {job.name} in the stress test")
    _write(log, "case.note", case_id)
    if rng.randrange(ESCALATE_ONE_IN) == 0:
        escalation = desk.escalations.escalate(
            job.token, case_id, TargetKind.COMMAND, Urgency.HOUR, "Stress test escalation"
        )
        _write(log, "case.escalate", case_id, escalation=escalation.id)
        if rng.randrange(2) == 0:
            desk.escalations.acknowledge(job.token, escalation.id, "Insp 1234 Jones")
            _write(log, "escalation.acknowledge", case_id, escalation=escalation.id)
        else:
            desk.cases.close(job.token, case_id, Outcome.REPLIED, despite_unacknowledged=True)
            _write(log, "case.close", case_id)
            _write(log, "case.close_despite_unacknowledged", case_id)
            return
    desk.cases.close(job.token, case_id, Outcome.REPLIED)
    _write(log, "case.close", case_id)
