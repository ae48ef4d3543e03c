"""Screenshots of live updates (issue 16): another workstation's claim, and a stale close refused.

Run alone under Xvfb (as scripts/screenshots.py, whose helpers it uses), or call
:func:`shoot_live` from its ``main``:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots_live.py \
        OUTDIR --size 1366x768
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshots as shots

from desk.core.cases import Outcome
from desk.core.clock import ManualClock
from desk.gui.main_window import MainWindow
from desk.gui.workers import Worker
from desk.services import demo
from desk.services.desk import Desk
from desk.services.signin import GUI


def _window(desk: Desk, username: str, seed: str, clock: ManualClock, worker: Worker, pc: str):  # type: ignore[no-untyped-def]
    clock.advance(minutes=1)
    result = desk.signin.sign_in(username, demo.DEMO_PASSWORD, shots.code_now(seed, clock), GUI, pc)
    window = MainWindow(desk, result, worker)
    window.resize(*shots.SCREEN)
    window.show()
    shots.wait_for_queue(window)
    shots.wait_until(lambda: window.queue.live.cursor is not None)
    return window


def shoot_live(shooter: shots.Shooter, base: Path) -> None:
    """Two workstations (two Desks on one file): one claims, the other shows it at once."""
    clock = ManualClock(shots.START)
    profile = demo.make_demo_profile(base)
    desk = Desk.open(profile, clock)
    other: Desk | None = None
    worker = Worker()
    try:
        seeds = {login.username: login.seed for login in demo.populate(desk)}
        demo.populate_queue(desk)
        shots.make_history(desk, clock, seeds)
        other = Desk.open(profile, clock)  # its own engine: as a second workstation
        sup = _window(other, "demo-supervisor", seeds["demo-supervisor"], clock, worker, "SGT-PC")
        op = _window(desk, "demo", seeds["demo"], clock, worker, "DESK-PC-0007")
        model = sup.queue.model
        row = next(
            i
            for i in range(model.rowCount())
            if model.row_at(i, fetch=False).owner is None
            and not model.row_at(i, fetch=False).needs_thrive
        )
        case_id = model.row_at(row, fetch=False).case_id
        for window in (sup, op):
            window.queue.select(window.queue.model.row_of(case_id) or 0)
            shots.wait_until(
                lambda w=window: (
                    w.ui.casePane.detail is not None and w.ui.casePane.detail.row.case_id == case_id
                )
            )
        sup.queue.live.pause()  # the supervisor's close comes from the view before the claim
        sup.queue.close_case()
        op.queue.claim()

        def claimed_shown() -> bool:
            detail = op.ui.casePane.detail
            return detail is not None and detail.row.owner == "demo"

        shots.wait_until(claimed_shown)
        sup.queue.close_with(Outcome.NO_ACTION)
        shots.wait_until(lambda: "look again" in sup.notice_text and not worker.busy)
        dialog = sup.shell.dialog
        shooter.shoot(dialog, "live-stale-refused.png")  # the refusal inside the close dialog
        dialog.reject()
        for box in sup.findChildren(QMessageBox):
            box.close()
        sup.queue.live.resume()
        op.queue.live.resume()

        def seen() -> bool:
            index = sup.queue.model.row_of(case_id)
            found = None if index is None else sup.queue.model.row_at(index, fetch=False)
            return found is not None and found.owner == "demo"

        shots.wait_until(seen)
        shots.wait_until(lambda: not worker.busy)
        shooter.shoot(sup, "live-claim-seen.png")
        for window in (op, sup):
            window.sign_out()
            window.close()
    finally:
        worker.wait()
        if other is not None:
            other.close()
        desk.close()


def main() -> int:
    """Take the live-update pictures into OUTDIR."""
    return shots.run_alone(shoot_live)


if __name__ == "__main__":
    sys.exit(main())
