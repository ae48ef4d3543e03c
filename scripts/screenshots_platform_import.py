"""Screenshots of importing recorded Bluesky notifications, and of the formats offered (issue 17).

Run alone under Xvfb (as scripts/screenshots.py, whose helpers it uses), or call
:func:`shoot_platform_import` from its ``main``:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python \
        scripts/screenshots_platform_import.py OUTDIR --size 1366x768
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshots as shots

from desk.core.items import Platform

DATA = Path(__file__).resolve().parents[1] / "tests" / "ingest" / "data"
NOTIFICATIONS = "bluesky-notifications.json"  # recorded from bsky.social (SOURCES.md)
BLUESKY_ACCOUNT = "@shinyakato.dev"  # whose notifications the recorded file holds


def shoot_platform_import(shooter: shots.Shooter, base: Path) -> None:
    """The formats the Import dialog offers; recorded Bluesky notifications imported."""
    with shots.demo_desk(base) as made:
        admin = made.sign_in("demo-admin").token
        made.desk.official_accounts.add(admin, Platform.BLUESKY, BLUESKY_ACCOUNT, "Bluesky (demo)")
        window = made.window(made.sign_in("demo"))
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


def main() -> int:
    """Take the platform import pictures into OUTDIR."""
    return shots.run_alone(shoot_platform_import)


if __name__ == "__main__":
    raise SystemExit(main())
