"""Screenshots of backups (issue 16): File → Back up now…'s progress dialog, the File menu, and
the backup schedule in Admin → Settings….

Run alone under Xvfb (as scripts/screenshots.py, whose helpers it uses), or call
:func:`shoot_backup` from its ``main``:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots_backup.py \
        OUTDIR --size 1366x768
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshots as shots

from desk.services.desk import Desk


def _held_at_forty_percent(desk: Desk, gate: threading.Event) -> None:
    """Make the next backup stop at 40% until ``gate`` opens (a small desk copies at once)."""
    real = desk.backup.make

    def held(token: str, out: Path | None = None, **kw: Any) -> Any:
        progress = kw.get("progress")
        if progress is not None:
            progress(400, 1000)
        gate.wait(30)
        return real(token, out, **kw)

    desk.backup.make = held  # type: ignore[method-assign]


@contextmanager
def _opened_at_the_end(gate: threading.Event) -> Iterator[None]:
    try:
        yield
    finally:
        gate.set()


def shoot_backup(shooter: shots.Shooter, base: Path) -> None:
    """Back up now… in progress, the File menu, the schedule setting, the audit verified."""
    gate = threading.Event()
    # the gate is opened before the desk closes, even when a picture fails while it is held
    with shots.demo_desk(base) as made, _opened_at_the_end(gate):
        desk = made.desk
        window = made.window(made.sign_in("demo-admin"))

        backups = window.settings_menu.backups
        _held_at_forty_percent(desk, gate)
        backups.start(base / "desk-backup-20261126T090100Z.sqlite3")
        shots.wait_until(lambda: backups.dialog is not None and backups.dialog.value() >= 400)
        shots.settle(300)
        assert backups.dialog is not None
        shooter.shoot(backups.dialog, "backup-progress.png")
        gate.set()
        shots.wait_until(lambda: backups.dialog is None and not window.shell.busy)
        shots.settle(300)
        shooter.shoot(window, "backup-done.png")

        window.settings_menu.open_settings("backup_schedule")
        shots.wait_until(lambda: window.settings_menu.dialog is not None)
        dialog = window.settings_menu.dialog
        assert dialog is not None
        shots.settle(300)
        shooter.shoot(dialog, "settings-backup-schedule.png")
        dialog.close()

        # Supervisor → Verify the audit log…: what is checked after a backup or a restore
        window.audit_check.verify()
        shots.wait_until(lambda: window.audit_check.result is not None and not window.shell.busy)
        result = window.audit_check.result
        assert result is not None
        shots.settle(300)
        shooter.shoot(result, "audit-verified.png")
        result.close()
        window.sign_out()
        window.close()


def main(argv: list[str] | None = None) -> int:
    """Take only these screenshots into OUTDIR."""
    return shots.run_alone(shoot_backup, argv)


if __name__ == "__main__":
    sys.exit(main())
