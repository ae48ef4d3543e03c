"""Screenshots of the account estate and the information manager's windows (issues 13 and 14).

Admin → Third-party apps…, Admin → Retention periods…, the Areas dialog, and the information
manager's main window with its Records menu. Run alone under Xvfb (as scripts/screenshots.py,
whose helpers it uses), or call :func:`shoot_estate` from its ``main``:

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots_estate.py \
        OUTDIR --size 1280x800
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

import keyring
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshots as shots

from desk.core.clock import ManualClock
from desk.core.roles import Role
from desk.core.third_party_apps import AppAccess
from desk.gui.areas_dialog import AreasDialog
from desk.gui.main_window import MainWindow
from desk.gui.workers import Worker
from desk.services import demo
from desk.services.desk import Desk


def _apps(desk: Desk, admin: str) -> None:
    """Three apps on the demo's accounts, one of them revoked."""
    ids = [a.id for a in desk.official_accounts.list(admin)]
    comms = desk.accounts.add_user(
        admin, "cjones", "Cat Jones", Role.COMMUNICATIONS, shots.EXTRA_PASSWORD + " c"
    )
    del comms
    desk.third_party_apps.add(
        admin,
        "Hootsuite",
        ids[:2],
        [AppAccess.READ, AppAccess.PUBLISH],
        "Schedules the overnight appeals and road closure updates when the desk is not staffed",
        "cjones",
        approved_on=date(2026, 6, 1),
    )
    desk.third_party_apps.add(
        admin,
        "Brandwatch",
        ids[:1],
        [AppAccess.READ],
        "Finds the mentions of the force we are not tagged in, for the impersonation watch",
        "cjones",
        approved_on=date(2025, 3, 1),
    )
    old = desk.third_party_apps.add(
        admin,
        "Old scheduler",
        ids[-1:],
        [AppAccess.PUBLISH, AppAccess.ADMIN],
        "Scheduled posts for the neighbourhood team before the management platform",
        "cjones",
        approved_on=date(2025, 1, 10),
    )
    desk.third_party_apps.revoke(admin, old.id, "Replaced by the management platform")


def shoot_estate(shooter: shots.Shooter, base: Path) -> None:
    """Third-party apps…, Retention periods…, Areas…, and the Records menu."""
    clock = ManualClock(shots.START)
    desk = Desk.open(demo.make_demo_profile(base), clock)
    worker = Worker()
    try:
        seeds = {login.username: login.seed for login in demo.populate(desk)}
        demo.populate_queue(desk)
        clock.advance(minutes=1)
        result = desk.signin.sign_in(
            "demo-admin", demo.DEMO_PASSWORD, shots.code_now(seeds["demo-admin"], clock)
        )
        admin = result.token
        _apps(desk, admin)
        first = desk.official_accounts.list(admin)[0]
        desk.official_accounts.update(admin, first.id, {"area": "North"})
        made = desk.accounts.add_user(
            admin, "ines", "Ines Info", Role.INFORMATION_MANAGER, shots.EXTRA_PASSWORD
        )

        window = MainWindow(desk, result, worker)
        window.resize(*shots.SCREEN)
        window.show()
        shots.wait_for_queue(window)

        window.apps.action.trigger()
        shots.wait_until(lambda: window.apps.window is not None and not window.shell.busy)
        register = window.apps.window
        register.table.selectRow(0)
        shots.settle(300)
        shooter.shoot(register, "apps-register.png")
        register.close()

        window.retention_rules.open_rules()
        shots.wait_until(
            lambda: window.retention_rules.dialog is not None and not window.shell.busy
        )
        rules = window.retention_rules.dialog
        rules.ui.rulesTable.selectRow(2)
        shots.settle(200)
        shooter.shoot(rules, "retention-periods.png")
        rules.reject()

        person = desk.areas.areas_of(admin, "demo")
        areas = AreasDialog(person, desk.areas.known(admin), window)
        areas.show()
        shots.settle(300)
        shooter.shoot(areas, "areas-dialog.png")
        areas.reject()

        window.sign_out()
        window.close()
        clock.advance(minutes=1)
        ines = desk.signin.sign_in("ines", shots.EXTRA_PASSWORD, shots.code_now(made.seed, clock))
        window = MainWindow(desk, ines, worker)
        window.resize(*shots.SCREEN)
        window.show()
        shots.wait_for_queue(window)
        menu = window.ui.menuSupervisor
        menu.popup(window.mapToGlobal(window.ui.menubar.geometry().bottomLeft()))
        shots.settle(400)
        shooter.shoot(window, "information-manager.png")
        shooter.shoot(menu, "records-menu.png")
        menu.close()
        window.sign_out()
        window.close()
    finally:
        worker.wait()
        desk.close()


def main(argv: list[str] | None = None) -> int:
    """Take only these screenshots into OUTDIR."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--size", type=shots._size, default=shots.SCREEN, metavar="WxH")
    args = parser.parse_args(argv)
    shots.SCREEN = args.size
    if not os.environ.get("DISPLAY"):
        print("screenshots: no DISPLAY; run under xvfb-run", file=sys.stderr)
        return 2
    args.outdir.mkdir(parents=True, exist_ok=True)
    keyring.set_keyring(shots.ScreenshotKeyring())
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    app = QApplication([sys.argv[0]])
    QCoreApplication.setApplicationName("Desk")
    shots.apply_theme(app)
    base = Path(tempfile.mkdtemp(prefix="desk-screenshots-"))
    try:
        shoot_estate(shots.Shooter(args.outdir), base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
