"""What each process of the claim race runs (imported by name in a spawned interpreter)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import keyring

from desk.core.clock import ManualClock
from desk.core.errors import Conflict
from desk.paths import resolve_profile
from desk.services.desk import Desk
from tests.keyrings import MemoryKeyring

CLAIMED = "claimed"


def claim_all(
    name: str,
    data_dir: str,
    keyring_entries: dict[tuple[str, str], str],
    now: datetime,
    token: str,
    case_ids: list[int],
    barrier: Any,
    results: Any,
) -> None:
    """Open the profile as the parent's keyring allows, wait for the other process, then claim
    every case in order; put (name, {case id: "claimed" or the refusal's message}) on
    ``results``."""
    backend = MemoryKeyring()
    backend.entries.update(keyring_entries)
    keyring.set_keyring(backend)
    desk = Desk.open(resolve_profile(data_dir), ManualClock(now))
    outcomes: dict[int, str] = {}
    try:
        barrier.wait(timeout=60)
        for case_id in case_ids:
            try:
                desk.cases.claim(token, case_id)
                outcomes[case_id] = CLAIMED
            except Conflict as exc:
                outcomes[case_id] = exc.message
    finally:
        desk.close()
        results.put((name, outcomes))
