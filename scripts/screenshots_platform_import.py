"""Screenshots of importing recorded Bluesky notifications, and of the formats offered (issue 17).

Run alone under Xvfb (as scripts/screenshots.py, whose helpers it uses), or call
:func:`shoot_platform_import` from its ``main``:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python \
        scripts/screenshots_platform_import.py OUTDIR --size 1366x768
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
from desk.core.items import Platform
from desk.gui.main_window import MainWindow
from desk.gui.theme import apply_theme
from desk.gui.workers import Worker
from desk.services import demo
from desk.services.desk import Desk

DATA = Path(__file__).resolve().parents[1] / "tests" / "ingest" / "data"
NOTIFICATIONS = "bluesky-notifications.json"  # recorded from bsky.social (SOURCES.md)
BLUESKY_ACCOUNT = "@shinyakato.dev"  # whose notifications the recorded file holds


def shoot_platform_import(shooter: shots.Shooter, base: Path) -> None:
    """The formats the Import dialog offers; recorded Bluesky notifications imported."""
    clock = ManualClock(shots.START)
    profile = demo.make_demo_profile(base)
    desk = Desk.open(profile, clock)
    worker = Worker()
    try:
        seeds = {login.username: login.seed for login in demo.populate(desk)}
        demo.populate_queue(desk)
        clock.advance(minutes=1)
        admin = desk.signin.sign_in(
            "demo-admin", demo.DEMO_PASSWORD, shots.code_now(seeds["demo-admin"], clock)
        ).token
        desk.official_accounts.add(admin, Platform.BLUESKY, BLUESKY_ACCOUNT, "Bluesky (demo)")
        clock.advance(minutes=1)
        result = desk.signin.sign_in(
            "demo", demo.DEMO_PASSWORD, shots.code_now(seeds["demo"], clock)
        )
        window = MainWindow(desk, result, worker)
        window.resize(*shots.SCREEN)
        window.show()
        shots.wait_for_queue(window)
        window.queue.open_import()
        importer = window.queue.import_dialog
        if importer is None:
            raise SystemExit("screenshots: the import dialog did not open")
        combo = importer.ui.formatCombo
        combo.showPopup()
        shots.settle(300)
        shooter.shoot(combo.view().window(), "import-formats.png")
        combo.hidePopup()
        export = base / NOTIFICATIONS
        shutil.copyfile(DATA / NOTIFICATIONS, export)
        importer.set_file(export)
        importer.start()
        shots.wait_until(lambda: not importer.running)
        shots.settle(300)
        shooter.shoot(importer, "import-bluesky-report.png")
        importer.close()
        shots.wait_for_queue(window)
        window.sign_out()
        window.close()
    finally:
        worker.wait()
        desk.close()


def main() -> int:
    """Take the platform import pictures into OUTDIR."""
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
        shoot_platform_import(shots.Shooter(outdir), base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
