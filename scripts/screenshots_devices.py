"""Screenshots of My devices…, Sessions… and Leaver review… (issue 14, devices and leavers).

Run alone under Xvfb (as scripts/screenshots.py, whose helpers it uses), or call
:func:`shoot_devices` from its ``main``:

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots_devices.py \
        OUTDIR --size 1280x800
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import keyring
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshots as shots

from desk.core.clock import ManualClock
from desk.core.roles import Role
from desk.gui.main_window import MainWindow
from desk.gui.theme import apply_theme
from desk.gui.workers import Worker
from desk.services import demo
from desk.services.desk import Desk
from desk.services.signin import CLI, GUI


def shoot_devices(shooter: shots.Shooter, base: Path) -> None:
    """File → My devices… (a window and two command lines), Sessions…, Leaver review…."""
    clock = ManualClock(shots.START)
    profile = demo.make_demo_profile(base)
    desk = Desk.open(profile, clock)
    worker = Worker()
    try:
        seeds = {login.username: login.seed for login in demo.populate(desk)}
        demo.populate_queue(desk)
        admin_token = shots.make_history(desk, clock, seeds)
        kj = desk.accounts.add_user(
            admin_token, "kjones", "K. Jones", Role.OPERATOR, shots.EXTRA_PASSWORD + " kj"
        )
        clock.advance(minutes=2)
        leaver = desk.signin.sign_in(
            "kjones", shots.EXTRA_PASSWORD + " kj", shots.code_now(kj.seed, clock), GUI, "PC-0099"
        ).token
        for case_id in (1, 2):
            clock.advance(minutes=4)
            desk.cases.claim(leaver, case_id)
        for username, kind, workstation in (
            ("demo", CLI, "ops-laptop-07"),
            ("demo", GUI, "CONTROL-ROOM-PC-0142"),
        ):
            clock.advance(minutes=7)
            desk.signin.sign_in(
                username, demo.DEMO_PASSWORD, shots.code_now(seeds[username], clock), kind,
                workstation,
            )  # fmt: skip
        clock.advance(minutes=3)
        admin_token = desk.signin.sign_in(  # the first session has been idle long enough to lock
            "demo-admin", demo.DEMO_PASSWORD, shots.code_now(seeds["demo-admin"], clock)
        ).token
        desk.people.disable(admin_token, "kjones", "reassign", "demo", under_investigation=True)
        clock.advance(minutes=2)
        result = desk.signin.sign_in(
            "demo", demo.DEMO_PASSWORD, shots.code_now(seeds["demo"], clock), GUI, "DESK-PC-0007"
        )
        window = MainWindow(desk, result, worker)
        window.resize(*shots.SCREEN)
        window.show()
        shots.wait_for_queue(window)
        dialog = window.devices.open_devices()
        shots.wait_until(lambda: dialog.table.rowCount() > 0 and not worker.busy)
        dialog.select(dialog.sessions[-1].id)
        shooter.shoot(dialog, "my-devices.png")
        dialog.reject()
        window.sign_out()
        window.close()

        clock.advance(minutes=1)
        admin = desk.signin.sign_in(
            "demo-admin", demo.DEMO_PASSWORD, shots.code_now(seeds["demo-admin"], clock),
            GUI, "ADMIN-PC-0001",
        )  # fmt: skip
        admin_window = MainWindow(desk, admin, worker)
        admin_window.resize(*shots.SCREEN)
        admin_window.show()
        shots.wait_for_queue(admin_window)
        sessions = admin_window.devices.open_devices(everyone=True)
        shots.wait_until(lambda: sessions.table.rowCount() > 0 and not worker.busy)
        shooter.shoot(sessions, "sessions.png")
        sessions.reject()
        admin_window.sign_out()
        admin_window.close()

        clock.advance(minutes=1)
        sup = desk.signin.sign_in(
            "demo-supervisor", demo.DEMO_PASSWORD,
            shots.code_now(seeds["demo-supervisor"], clock), GUI, "SGT-PC-0003",
        )  # fmt: skip
        supervisor_window = MainWindow(desk, sup, worker)
        supervisor_window.resize(*shots.SCREEN)
        supervisor_window.show()
        shots.wait_for_queue(supervisor_window)
        shots.wait_until(lambda: not worker.busy)
        shooter.shoot(supervisor_window, "leaver-reminder.png")
        review = supervisor_window.devices.open_leaver_review("kjones")
        shots.wait_until(lambda: review.view is not None and not worker.busy)
        review.note_edit.setText("Checked with Professional Standards: nothing further.")
        shooter.shoot(review, "leaver-review.png")
        review.reject()
        supervisor_window.sign_out()
        supervisor_window.close()
    finally:
        worker.wait()
        desk.close()


def main() -> int:
    """Take the devices and leaver review pictures into OUTDIR."""
    outdir = Path(sys.argv[1])
    if len(sys.argv) > 3 and sys.argv[2] == "--size":
        shots.SCREEN = shots._size(sys.argv[3])
    outdir.mkdir(parents=True, exist_ok=True)
    keyring.set_keyring(shots.ScreenshotKeyring())
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    app = QApplication([sys.argv[0]])
    QCoreApplication.setApplicationName("Desk")
    apply_theme(app)
    base = Path(tempfile.mkdtemp(prefix="desk-screenshots-"))
    try:
        shoot_devices(shots.Shooter(outdir), base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
