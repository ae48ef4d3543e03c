"""Screenshots of continuity (issue 16): the continuity pack, the outage log, the dashboard's
outages, and the pack's PDF rendered to PNG (first pages, when poppler's pdftoppm is there).

Run alone under Xvfb (as scripts/screenshots.py, whose helpers it uses), or call
:func:`shoot_continuity` from its ``main``:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots_continuity.py \
        OUTDIR --size 1366x768
"""

from __future__ import annotations

import shutil
import subprocess  # pdftoppm, a fixed local tool, to look at the PDF
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshots as shots

from desk.core.clock import ManualClock
from desk.render.pdf import write_pdf
from desk.services.desk import Desk


def _outages(desk: Desk, token: str, clock: ManualClock) -> None:
    """One ongoing platform outage, one over, and one of Desk itself recorded after the fact."""
    now = clock.now()
    desk.outages.start(
        token,
        "facebook",
        now - timedelta(minutes=50),
        "Holding statement posted on X and Instagram; Facebook checked by hand on a phone",
    )
    desk.outages.record(
        token,
        "x",
        now - timedelta(hours=9),
        now - timedelta(hours=8, minutes=20),
        "Posted the holding statement on Facebook; pointed people to 101 and online reporting",
    )
    desk.outages.record(
        token,
        "desk",
        now - timedelta(hours=20),
        now - timedelta(hours=17, minutes=30),
        "Worked from the printed continuity pack; messages answered on the platforms' own "
        "apps and logged on the paper sheet, entered into Desk afterwards",
        paper_cases=6,
    )


def shoot_continuity(shooter: shots.Shooter, base: Path) -> None:
    """Continuity pack…, Outage log…, the dashboard with outages, and the pack's PDF."""
    with shots.demo_desk(base) as made:
        desk, clock = made.desk, made.clock
        admin = made.sign_in("demo-admin")
        desk.settings.set(admin.token, "force_name", "Exampleshire Police")
        desk.settings.set(
            admin.token,
            "continuity_contacts",
            "IT service desk (24 hours)=0300 000 0000, option 2; "
            "Force control room supervisor=Extension 4410; "
            "Duty inspector=Through the control room",
        )
        result = made.sign_in("demo-supervisor")
        _outages(desk, result.token, clock)

        doc = desk.continuity.pack(result.token)
        pdf = write_pdf(
            shooter.outdir / "continuity-pack.pdf", doc.title, doc.pdf_html, doc.marking
        )
        print(f"wrote {pdf}")
        tool = shutil.which("pdftoppm")
        if tool:
            prefix = shooter.outdir / "continuity-pack-page"
            subprocess.run([tool, "-png", "-r", "60", "-l", "3", str(pdf), str(prefix)], check=True)

        window = made.window(result)

        pack = window.oversight.open_continuity()
        shots.wait_until(lambda: pack.document is not None and not window.shell.busy)
        pack.resize(min(1100, shots.SCREEN[0] - 40), min(760, shots.SCREEN[1] - 40))
        shots.settle(300)
        shooter.shoot(pack, "continuity-pack.png")
        pack.close()

        log = window.oversight.open_outages()
        shots.wait_until(lambda: bool(log.outages) and not window.shell.busy)
        log.log_list.setCurrentRow(0)
        log.platform_box.setCurrentIndex(log.platform_box.findData("desk"))
        log.ongoing_box.setChecked(False)
        shots.settle(300)
        shooter.shoot(log, "outage-log.png")
        log.close()

        dashboard = window.oversight.open_dashboard()
        shots.wait_until(lambda: dashboard.data is not None and not window.shell.busy)
        shots.settle(400)
        shooter.shoot(dashboard, "dashboard-outages.png")
        dashboard.close()

        handover = window.handover.open_handover()
        shots.wait_until(lambda: handover.report is not None and not window.shell.busy)
        shots.settle(300)
        shooter.shoot(handover, "handover-outages.png")
        handover.close()
        window.sign_out()
        window.close()


def main(argv: list[str] | None = None) -> int:
    """Take only these screenshots into OUTDIR."""
    return shots.run_alone(shoot_continuity, argv)


if __name__ == "__main__":
    sys.exit(main())
