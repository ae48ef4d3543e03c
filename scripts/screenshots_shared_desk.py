"""Screenshots of the first-run wizard's "Join a shared desk" page (issue 16, a shared desk).

Run alone under Xvfb (as scripts/screenshots.py, whose helpers it uses), or call
:func:`shoot_shared_desk` from its ``main``:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots_shared_desk.py \
        OUTDIR --size 1366x768
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import keyring
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QWizard

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshots as shots

from desk.core.clock import ManualClock
from desk.core.errors import Conflict
from desk.gui.setup_wizard import SetupWizard
from desk.gui.theme import apply_theme
from desk.paths import resolve_profile
from desk.services.desk import Desk


def shoot_shared_desk(shooter: shots.Shooter, base: Path) -> None:
    """The first page with its "Join a shared desk…" button, the join page, and a refusal."""
    desk = Desk.open(resolve_profile(base / "profile"), ManualClock(shots.START))
    try:

        def join(url: str, password: str, data: bytes, passphrase: str) -> str:
            raise Conflict(
                "That key file belongs to another desk, not the one on "
                f"{url}: nothing was stored. Export the keys again on a workstation of this desk."
            )

        wizard = SetupWizard(desk.accounts)
        wizard.offer_join(join)
        shooter.shoot(wizard, "setup-wizard-join-offer.png")
        wizard.button(QWizard.WizardButton.CustomButton1).click()
        page = wizard.join_page
        assert page is not None
        page.ui.urlEdit.setText(
            "postgresql+psycopg://desk@db.exampleshire.police.uk:5432/desk?sslmode=verify-full"
        )
        page.ui.urlEdit.setCursorPosition(0)
        page.ui.passwordEdit.setText("database password")
        key_file = base / "desk.keys"
        key_file.write_bytes(b"{}")
        page.ui.keyFileEdit.setText(str(key_file))
        page.ui.passphraseEdit.setText("told apart from the file")
        shooter.shoot(wizard, "setup-wizard-join.png")
        wizard.button(QWizard.WizardButton.FinishButton).click()
        shooter.shoot(wizard, "setup-wizard-join-refused.png")
        wizard.close()
    finally:
        desk.close()


def main() -> int:
    """Take the shared-desk wizard pictures into OUTDIR."""
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
        shoot_shared_desk(shots.Shooter(outdir), base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
