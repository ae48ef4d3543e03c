"""Screenshots of the account estate (issue 14): the official accounts register, its review
checklist and requests, a look-alike author in the queue and the case pane, and the suspected
fake accounts register.

Run alone under Xvfb (as scripts/screenshots.py, whose helpers it uses), or call
:func:`shoot_accounts` from its ``main``:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots_accounts.py \
        OUTDIR --size 1366x768
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshots as shots

from desk.core.account_register import CHECKLIST, CheckResult, Purpose, ReviewCheck
from desk.core.clock import ManualClock
from desk.core.items import Author, IncomingItem, ItemKind, Platform
from desk.core.roles import Role
from desk.core.subject_access import local_day
from desk.gui.main_window import MainWindow
from desk.gui.workers import Worker
from desk.services import demo
from desk.services.desk import Desk
from desk.services.official_accounts import RegisterDetails

FAKE = "@Ex\u0430mpleshirePolice"  # a Cyrillic "а" for the Latin "a"


def _register(desk: Desk, admin: str) -> None:
    """Fill in the demo accounts' register entries, one of them overdue for review."""
    entries = {e.handle: e for e in desk.official_accounts.register(admin)}
    main = entries["@ExampleshirePolice"]
    desk.official_accounts.update(
        admin,
        main.id,
        {
            "link": "https://x.com/ExampleshirePolice",
            "display_name": "Exampleshire Police",
            "owning_team": "Corporate Communications",
            "administrators": ("demo-admin", "Pat Lee"),
            "verified": True,
            "two_factor": True,
            "login_alerts": True,
            "managed": True,
            "credentials_location": "Force password manager, vault Corporate Comms",
        },
    )
    north = entries["@ExampleshireCops_North"]
    desk.official_accounts.update(
        admin,
        north.id,
        {
            "area": "North Exampleshire",
            "owning_team": "North neighbourhood team",
            "administrators": ("PC Sam Hill",),
            "two_factor": True,
            "credentials_location": "Force password manager, vault North NPT",
        },
    )
    today = local_day(desk.ctx.clock.now())
    answers = {c: CheckResult.PASS for c in CHECKLIST}
    desk.account_reviews.record(
        admin,
        north.id,
        answers,
        findings="All in order.",
        reviewed_on=today - timedelta(days=100),
        next_due_on=today - timedelta(days=10),
    )
    desk.official_accounts.add(
        admin,
        Platform.X,
        "@ExampleshireCID_Ops",
        "Exampleshire CID operations",
        details=RegisterDetails(owning_team="CID", purpose=Purpose.INVESTIGATIONS),
    )
    desk.account_requests.request_open(
        admin,
        Platform.WHATSAPP,
        "Exampleshire Police community channel",
        "Exampleshire Police",
        RegisterDetails(owning_team="Corporate Communications", area=""),
        "Reach younger people where they are: the youth engagement plan, action 4.",
    )


def _fake_item(desk: Desk, admin: str) -> None:
    """An item from an author whose handle looks like @ExampleshirePolice; then the scan."""
    now = desk.ctx.clock.now()
    desk.importer.store(
        admin,
        [
            IncomingItem(
                platform=Platform.X,
                account="@ExampleshirePolice",
                kind=ItemKind.MENTION,
                platform_id="fake-1",
                author=Author("fake-1", FAKE, "Exampleshire Police"),
                text="Official: pay your speeding fine here to avoid court http://pay.example",
                posted_at=now - timedelta(minutes=3),
                received_at=now - timedelta(minutes=2),
                link="https://x.example/fake-1",
                thread_id=None,
            )
        ],
        "fake",
    )
    desk.impersonation.scan(admin)


def _window(
    desk: Desk, clock: ManualClock, seeds: dict[str, str], who: str, worker: Worker
) -> MainWindow:
    clock.advance(minutes=1)
    password = shots.EXTRA_PASSWORD if who == "cjones" else demo.DEMO_PASSWORD
    result = desk.signin.sign_in(who, password, shots.code_now(seeds[who], clock))
    window = MainWindow(desk, result, worker)
    window.resize(*shots.SCREEN)
    window.show()
    shots.wait_for_queue(window)
    return window


def shoot_accounts(shooter: shots.Shooter, base: Path) -> None:
    """The register, the checklist, the requests, the flagged author, the fake accounts."""
    clock = ManualClock(shots.START)
    profile = demo.make_demo_profile(base)
    desk = Desk.open(profile, clock)
    worker = Worker()
    try:
        seeds = {login.username: login.seed for login in demo.populate(desk)}
        demo.populate_queue(desk, items=40)
        admin = shots.make_history(desk, clock, seeds)
        cat = desk.accounts.add_user(
            admin, "cjones", "Cat Jones", Role.COMMUNICATIONS, shots.EXTRA_PASSWORD
        )
        seeds["cjones"] = cat.seed
        _register(desk, admin)
        _fake_item(desk, admin)

        window = _window(desk, clock, seeds, "cjones", worker)
        register = window.official_accounts.open()
        shots.wait_until(lambda: bool(register.entries) and not window.shell.busy)
        register.select(next(e.id for e in register.entries if e.handle.endswith("_North")))
        shooter.shoot(register, "accounts-register.png")
        register.review_button.click()
        shots.wait_until(lambda: window.official_accounts.dialog is not None)
        review = window.official_accounts.dialog
        for check in CHECKLIST[:5]:
            review.answer(check, CheckResult.PASS)  # type: ignore[attr-defined]
        review.answer(ReviewCheck.APPS_CHECKED, CheckResult.FAIL)  # type: ignore[attr-defined]
        review.findings_edit.setPlainText(  # type: ignore[attr-defined]
            "A scheduling app unused since June still has publish access."
        )
        review.actions_edit.setPlainText(  # type: ignore[attr-defined]
            "Revoke it today (Cat); record it in Admin → Third-party apps."
        )
        shooter.shoot(review, "accounts-review-checklist.png")
        review.reject()
        register.tabs.setCurrentIndex(1)
        register.requests_table.selectRow(0)
        shooter.shoot(register, "accounts-requests.png")
        register.reject()
        window.sign_out()
        window.close()

        window = _window(desk, clock, seeds, "demo", worker)
        model = window.queue.model
        fake_case = next(
            (
                r.case_id
                for r in (model.row_at(n) for n in range(model.rowCount()))
                if r is not None and r.impersonates
            ),
            None,
        )
        if fake_case is not None:
            window.ui.queueTable.selectRow(model.row_of(fake_case))
            shots.wait_for_queue(window)
        shooter.shoot(window, "lookalike-author.png")
        window.sign_out()
        window.close()

        window = _window(desk, clock, seeds, "demo-supervisor", worker)
        suspects = window.suspects.open()
        shots.wait_until(lambda: not window.shell.busy)
        suspects.tabs.setCurrentIndex(1)
        suspects.flagged_table.selectRow(0)
        shooter.shoot(suspects, "suspects-flagged.png")
        suspects.suspect_button.click()
        dialog = window.suspects.dialog
        dialog.evidence.note_edit.setPlainText(  # type: ignore[attr-defined]
            "Asks people to pay fines through a link: a scam using our name."
        )
        shooter.shoot(dialog, "suspects-add.png")
        dialog.reject()
        suspects.reject()
        window.sign_out()
        window.close()
    finally:
        worker.wait()
        desk.close()


def main() -> int:
    """Take the account estate pictures into OUTDIR."""
    return shots.run_alone(shoot_accounts)


if __name__ == "__main__":
    sys.exit(main())
