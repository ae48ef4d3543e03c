"""Screenshots of disguised text in the queue and case pane, and of mapping a CSV export's columns
(issue 17).

Run alone under Xvfb (as scripts/screenshots.py, whose helpers it uses), or call
:func:`shoot_import` from its ``main``:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots_import.py \
        OUTDIR --size 1366x768
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshots as shots

from desk.core.clock import ManualClock
from desk.core.items import Author, IncomingItem, ItemKind, Platform
from desk.gui.queue_model import ROW_ROLE
from desk.services.desk import Desk

EXPORT = (
    "Channel;Handle;Msg Type;Message Id;User Id;User;Body;Created (UK)\n"
    "Twitter;@ExampleshirePolice;Mention;t-1;u1;@resident1;The road by the school is flooded "
    "again;24/11/2026 20:14\n"
    "Twitter;@ExampleshirePolice;Reply;t-2;u2;@resident2;Thanks for the update, much "
    "appreciated;24/11/2026 20:20\n"
    "Twitter;@ExampleshirePolice;Mention;t-3;u3;@resident3;Street lights out on the A30 near "
    "the roundabout;24/11/2026 20:31\n"
)
CHOICES = {
    "platform": "Channel",
    "account": "Handle",
    "kind": "Msg Type",
    "id": "Message Id",
    "author_id": "User Id",
    "author_handle": "User",
    "text": "Body",
    "posted_at": "Created (UK)",
}


def _disguised(desk: Desk, token: str, clock: ManualClock) -> None:
    """Two items that disguise themselves: a zero-width space, a right-to-left override."""
    at = clock.now() - timedelta(minutes=3)
    items = [
        IncomingItem(
            platform=Platform.X,
            account="@ExampleshirePolice",
            kind=ItemKind.REPLY,
            platform_id=f"disguised-{n}",
            author=Author("u-hider", "@night_owl_77", "Night Owl"),
            text=text,
            posted_at=at + timedelta(seconds=n),
            received_at=at + timedelta(seconds=n),
            link=f"https://x.com/night_owl_77/status/99{n}",
            thread_id="post-road",
            thread_title="Road closures this weekend",
        )
        for n, text in enumerate(
            [
                "honestly can't cope any more, going to k\u200bill myself tonight",
                "the details are in the file I sent: statement\u202efdp.exe",
            ]
        )
    ]
    # a case whose first item is plain and whose later reply hides a reversed file name
    later = [
        IncomingItem(
            platform=Platform.X,
            account="@ExampleshirePolice",
            kind=ItemKind.REPLY,
            platform_id=f"later-{n}",
            author=Author("u-lamp", "@elm_row_resident", "Elm Row Resident"),
            text=text,
            posted_at=at + timedelta(seconds=10 + n),
            received_at=at + timedelta(seconds=10 + n),
            link=f"https://x.com/elm_row_resident/status/88{n}",
            thread_id="post-lights",
            thread_title="Report a street light fault",
        )
        for n, text in enumerate(
            [
                "Street light out on Elm Row again, third time this month",
                "photos of it are in here: lamp\u202egpj.exe",
            ]
        )
    ]
    desk.importer.store(token, items + later, "screenshots")


def shoot_import(shooter: shots.Shooter, base: Path) -> None:
    """Disguised text in the queue and case pane; an unmapped CSV export mapped and saved."""
    with shots.demo_desk(base) as made:
        desk, clock, worker = made.desk, made.clock, made.worker
        _disguised(desk, made.sign_in("demo-admin").token, clock)
        window = made.window(made.sign_in("demo"))
        queue = window.queue
        model = queue.model
        row = next(
            r
            for r in range(model.rowCount())
            if "\u200b" in model.data(model.index(r, 0), ROW_ROLE).summary
        )
        queue.select(row)
        shots.wait_until(
            lambda: (
                window.ui.casePane.detail is not None
                and len(window.ui.casePane.detail.items) == 2
                and not worker.busy
            )
        )
        shots.settle(300)
        shooter.shoot(window, "disguised-text.png")
        # the queue flags the Elm Row case by its later reply, not by its first line
        later = next(
            r
            for r in range(model.rowCount())
            if "Elm Row" in model.data(model.index(r, 0), ROW_ROLE).summary
        )
        queue.select(later)
        shots.wait_until(
            lambda: (
                window.ui.casePane.detail is not None
                and "Elm Row" in window.ui.casePane.detail.items[0].text
                and not worker.busy
            )
        )
        shots.settle(300)
        shooter.shoot(window, "disguised-later-item.png")

        export = base / "inbox-export.csv"
        export.write_text(EXPORT, encoding="utf-8")
        queue.open_import()
        importer = queue.import_dialog
        if importer is None:
            raise SystemExit("screenshots: the import dialog did not open")
        importer.set_file(export)
        importer.start()
        shots.wait_until(lambda: not importer.running)
        shooter.shoot(importer, "import-unmapped.png")
        mapping = importer.map_columns()
        if mapping is None:
            raise SystemExit("screenshots: the mapping dialog did not open")
        mapping.resize(960, 700)
        shots.wait_until(lambda: mapping.preview is not None and not mapping.busy)
        for field, column in CHOICES.items():
            mapping.choose(field, column)
        mapping.ui.timeFormatEdit.setText("%d/%m/%Y %H:%M")
        mapping.ui.nameEdit.setText("Inbox tool weekly export")
        mapping.check()
        shots.wait_until(lambda: not mapping.busy)
        shooter.shoot(mapping, "csv-mapping-problems.png")
        mapping.ui.timezoneEdit.setText("Europe/London")
        mapping.check()
        shots.wait_until(lambda: not mapping.busy)
        shooter.shoot(mapping, "csv-mapping.png")
        mapping.save()
        shots.wait_until(lambda: importer.mapping_dialog is None)
        shooter.shoot(importer, "import-saved-mapping.png")
        importer.start()
        shots.wait_until(lambda: not importer.running)
        shooter.shoot(importer, "import-mapped-report.png")
        importer.close()
        shots.wait_for_queue(window)
        window.sign_out()
        window.close()


def main() -> int:
    """Take the disguised-text and CSV mapping pictures into OUTDIR."""
    return shots.run_alone(shoot_import)


if __name__ == "__main__":
    raise SystemExit(main())
