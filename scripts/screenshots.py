"""Take Desk's screenshots (for docs/screenshots/ and review) on a virtual X screen.

Run from the checkout, under Xvfb so that Qt really renders (xcb, not offscreen):

    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python scripts/screenshots.py OUTDIR

Everything happens in throw-away profiles in a temporary folder, with an in-memory keyring
defined below (no Secret Service runs under Xvfb), on a clock that moves only when told, so
the pictures come out the same each time. The pictures are written to OUTDIR; the ones the
README and the user guide show are also copied to docs/screenshots/.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import keyring
import keyring.backend
from keyring.errors import PasswordDeleteError
from PySide6.QtCore import QCoreApplication, QEventLoop, QRegularExpression, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from desk.auth.totp import code_at, time_step
from desk.core.cases import Outcome
from desk.core.clock import ManualClock
from desk.core.errors import SignInFailed
from desk.core.roles import Role
from desk.core.signin_policy import LOCK_AFTER, delay_after
from desk.gui.case_dialogs import CloseDialog, RedactDialog
from desk.gui.login_dialog import LoginDialog
from desk.gui.main_window import MainWindow
from desk.gui.queue_model import ROW_ROLE
from desk.gui.setup_wizard import SetupWizard
from desk.gui.theme import apply_theme
from desk.gui.workers import Worker
from desk.sample.generator import write_jsonl
from desk.services import demo
from desk.services.desk import Desk
from desk.services.views import SignInResult

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "screenshots"
# The pictures the README and user guide show; the rest are for review.
FOR_DOCS = (
    "login-demo.png",
    "setup-enrolment.png",
    "queue.png",
    "lock-overlay.png",
    "signin-activity.png",
    "escalation-form.png",
    "immediate-banner.png",
    "template-picker-welsh.png",
    "moderation-dialog.png",
    "handover.png",
    "dashboard.png",
    "people.png",
)
SCREEN = (1440, 900)
DOCS_SCREEN = SCREEN  # the size of the pictures in docs/screenshots
START = datetime(2026, 11, 24, 21, 52, 0, tzinfo=UTC)
EXTRA_PASSWORD = "a long pass phrase 2026"  # noqa: S105 - a throw-away demo account


class ScreenshotKeyring(keyring.backend.KeyringBackend):
    """Keeps the throw-away profiles' keys in memory: nothing reaches a real keyring."""

    priority = 1
    name = "in-memory (screenshots only)"  # shown in the login window's footer

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise PasswordDeleteError(username) from None


def fit(width: int, height: int) -> tuple[int, int]:
    """A window's size for the pictures, never larger than the screen being pictured."""
    if SCREEN == DOCS_SCREEN:
        return width, height  # the documented pictures show whole windows
    return min(width, SCREEN[0]), min(height, SCREEN[1])


def settle(ms: int = 250) -> None:
    """Let Qt lay out and paint for ``ms`` milliseconds."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(ready: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    """Run the event loop until ``ready()`` (a background sign-in has answered)."""
    waited = 0
    while not ready():
        if waited > timeout_ms:
            raise SystemExit("screenshots: timed out waiting for the GUI")
        settle(50)
        waited += 50


class Shooter:
    """Saves widgets as PNG files and remembers what it saved."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.saved: list[Path] = []

    def shoot(self, widget: QWidget, name: str) -> None:
        """Show ``widget``, let it paint, and save what is on screen."""
        widget.show()
        widget.raise_()
        widget.activateWindow()
        settle()
        path = self.outdir / name
        if not widget.grab().save(str(path), "PNG"):
            raise SystemExit(f"screenshots: could not write {path}")
        self.saved.append(path)
        print(f"wrote {path}")


def code_now(seed: str, clock: ManualClock) -> str:
    """Return the code an authenticator shows at the clock's time."""
    return code_at(seed, time_step(clock.now()))


def fail(desk: Desk, username: str, password: str, code: str = "000000") -> None:
    """Make one failed sign-in."""
    try:
        desk.signin.sign_in(username, password, code)
    except SignInFailed:
        return
    raise SystemExit(f"screenshots: a sign-in meant to fail worked for {username}")


def make_history(desk: Desk, clock: ManualClock, seeds: dict[str, str]) -> str:
    """Fill the demo desk with a plausible evening of sign-ins; return the admin's token."""
    clock.advance(minutes=1)
    admin = desk.signin.sign_in(
        "demo-admin", demo.DEMO_PASSWORD, code_now(seeds["demo-admin"], clock)
    ).token
    extra = desk.accounts.add_user(admin, "rpatel", "R. Patel", Role.OPERATOR, EXTRA_PASSWORD)
    clock.advance(minutes=3)
    desk.signin.sign_in(
        "demo-supervisor", demo.DEMO_PASSWORD, code_now(seeds["demo-supervisor"], clock)
    )
    # someone guessing at the operator's account, then the operator signing in
    clock.advance(minutes=4)
    fail(desk, "demo", "Password123!")
    clock.advance(seconds=40)
    fail(desk, "demo", "demodemo2026")
    clock.advance(seconds=50)
    fail(desk, "demo", demo.DEMO_PASSWORD, "123456")
    clock.advance(minutes=2)
    fail(desk, "jbloggs", "letmein please")
    # an account locked after ten failures, and an administrator lifting the lock
    for failures in range(LOCK_AFTER):
        # wait out each growing delay, so that every attempt counts towards the lock
        clock.advance(seconds=delay_after(failures).total_seconds() + 20)
        fail(desk, "rpatel", "wrong " + EXTRA_PASSWORD)
    clock.advance(minutes=1)
    # the lock took the evening: an idle window session is locked by now, so sign in afresh
    admin = desk.signin.sign_in(
        "demo-admin", demo.DEMO_PASSWORD, code_now(seeds["demo-admin"], clock)
    ).token
    desk.accounts.unlock(admin, "rpatel")
    clock.advance(minutes=1)
    desk.signin.sign_in("rpatel", EXTRA_PASSWORD, code_now(extra.seed, clock))
    clock.advance(minutes=1)
    return admin


def shoot_wizard(shooter: Shooter, base: Path) -> None:
    """The set-up wizard on an empty profile: the password page and the enrolment page."""
    profile = demo.make_demo_profile(base)  # a fresh, empty profile (not populated)
    desk = Desk.open(profile, ManualClock(START))
    try:
        wizard = SetupWizard(desk.accounts)
        page = wizard.account_page.ui
        page.displayNameEdit.setText("Ada Lovelace")
        page.passwordEdit.setText("ponies12")
        page.confirmEdit.setText("ponies12")
        shooter.shoot(wizard, "setup-password.png")
        page.passwordEdit.setText("correct pony battery clip")
        page.confirmEdit.setText("correct pony battery clip")
        wizard.next()
        shooter.shoot(wizard, "setup-enrolment.png")
        wizard.next()
        wizard.code_page.ui.codeEdit.setText("123 456")
        shooter.shoot(wizard, "setup-code.png")
        wizard.close()
    finally:
        desk.close()


def shoot_demo(shooter: Shooter, base: Path) -> None:
    """The login dialog, the main window, the lock overlay and sign-in activity."""
    clock = ManualClock(START)
    profile = demo.make_demo_profile(base)
    desk = Desk.open(profile, clock)
    worker = Worker()
    try:
        seeds = {login.username: login.seed for login in demo.populate(desk)}
        demo.populate_queue(desk)

        login = LoginDialog(desk, worker)
        login.ui.usernameEdit.setText("demo")
        login.ui.passwordEdit.setText(demo.DEMO_PASSWORD)
        login.ui.codeEdit.setFocus()  # as if about to type the code shown below
        shooter.shoot(login, "login-demo.png")
        login.ui.codeEdit.setText("999 999")
        login.ui.signInButton.click()
        wait_until(lambda: not worker.busy)
        shooter.shoot(login, "login-failed.png")
        login.close()

        admin_token = make_history(desk, clock, seeds)

        # the operator signs in after three failures: the login alert
        result = desk.signin.sign_in("demo", demo.DEMO_PASSWORD, code_now(seeds["demo"], clock))
        window = MainWindow(desk, result, worker)
        window.resize(*SCREEN)
        window.show()
        wait_for_queue(window)
        notice = window.show_signin_notice(result)
        if notice is None:
            raise SystemExit("screenshots: expected a login alert for the demo operator")
        settle()
        shooter.shoot(notice, "signin-notice.png")
        notice.close()
        window.lock()
        shooter.shoot(window, "lock-overlay.png")
        window.sign_out()
        window.close()

        clock.advance(minutes=2)
        sup = desk.signin.sign_in(
            "demo-supervisor", demo.DEMO_PASSWORD, code_now(seeds["demo-supervisor"], clock)
        )
        supervisor_window = MainWindow(desk, sup, worker)
        supervisor_window.resize(*SCREEN)
        supervisor_window.show()
        wait_for_queue(supervisor_window)
        supervisor_window.open_signin_activity()
        wait_until(lambda: supervisor_window.activity_dialog is not None)
        dialog = supervisor_window.activity_dialog
        if dialog is None:
            raise SystemExit("screenshots: the sign-in activity dialog did not open")
        dialog.resize(*fit(1100, 600))
        shooter.shoot(dialog, "signin-activity.png")
        supervisor_window.sign_out()
        supervisor_window.close()
        desk.signin.sign_out(admin_token)
    finally:
        worker.wait()
        desk.close()


def wait_for_queue(window: MainWindow) -> None:
    """Wait until the queue is fetched and the selected case shown in full."""
    queue = window.queue
    wait_until(lambda: not queue.model.loading)
    wait_until(
        lambda: (
            queue.model.rowCount() == 0
            or (window.ui.casePane.detail is not None and window.worker.busy is False)
        )
    )
    settle(300)


@dataclass
class DemoDesk:
    """A demo desk with its people and its queue, for one topic's pictures."""

    desk: Desk
    clock: ManualClock
    worker: Worker
    seeds: dict[str, str]

    def sign_in(self, username: str) -> SignInResult:
        """Sign ``username`` in a minute on, with the demo password and the code of that time."""
        self.clock.advance(minutes=1)
        return self.desk.signin.sign_in(
            username, demo.DEMO_PASSWORD, code_now(self.seeds[username], self.clock)
        )

    def window(self, signed: SignInResult) -> MainWindow:
        """A main window for the person ``signed`` in, at the screen's size, its queue read."""
        window = MainWindow(self.desk, signed, self.worker)
        window.resize(*SCREEN)
        window.show()
        wait_for_queue(window)
        return window


@contextmanager
def demo_desk(base: Path) -> Iterator[DemoDesk]:
    """Open a demo profile in ``base`` with its people and queue; close it (and its worker)."""
    clock = ManualClock(START)
    desk = Desk.open(demo.make_demo_profile(base), clock)
    worker = Worker()
    try:
        seeds = {login.username: login.seed for login in demo.populate(desk)}
        demo.populate_queue(desk)
        yield DemoDesk(desk, clock, worker, seeds)
    finally:
        worker.wait()
        desk.close()


def shoot_queue(shooter: Shooter, base: Path) -> None:
    """The queue with a P1 selected, the close dialog, import with progress, and F1."""
    clock = ManualClock(START)
    profile = demo.make_demo_profile(base)
    desk = Desk.open(profile, clock)
    worker = Worker()
    try:
        seeds = {login.username: login.seed for login in demo.populate(desk)}
        demo.populate_queue(desk)
        clock.advance(minutes=1)
        sup = desk.signin.sign_in(
            "demo-supervisor", demo.DEMO_PASSWORD, code_now(seeds["demo-supervisor"], clock)
        )
        result = desk.signin.sign_in("demo", demo.DEMO_PASSWORD, code_now(seeds["demo"], clock))
        window = MainWindow(desk, result, worker)
        window.resize(*SCREEN)
        window.show()
        wait_for_queue(window)
        queue = window.queue
        # the riskiest, oldest case is selected; claim it and start THRIVE, as an operator would
        first = queue.model.row_at(0)
        if first is None or first.priority != 1:
            raise SystemExit("screenshots: expected a P1 case at the top of the demo queue")
        desk.cases.viewing(sup.token, first.case_id)  # someone else is looking too
        queue.claim()
        wait_for_queue(window)
        pane = window.ui.casePane
        pane.ui.threatEdit.setText(
            "Named person threatened with death; author says they know her address"
        )
        pane.ui.harmEdit.setText("Serious harm to Rachel if carried out")
        pane.ui.riskEdit.setText("High: specific, targeted, stated intent")
        queue.refresh_presence()
        wait_for_queue(window)
        for edit in pane.thrive_edits().values():
            edit.setCursorPosition(0)
        pane.ui.investigationEdit.setFocus()
        shooter.shoot(window, "queue.png")
        # for review: THRIVE with the risk the operator sees (the rules' categories to start)
        pane.ui.caseScroll.ensureWidgetVisible(pane.ui.riskSeenButton, 0, 200)
        settle()
        shooter.shoot(window, "thrive-risk-seen.png")
        # for review: the lower half of the case pane (actions and timeline)
        bar = pane.ui.caseScroll.verticalScrollBar()
        bar.setValue(bar.maximum())
        shooter.shoot(window, "queue-actions.png")
        bar.setValue(0)

        # the close dialog, on a case with no risk (the first such row after the 40th)
        model = window.ui.queueTable.model()
        here = window.ui.queueTable.currentIndex().row()
        quiet = next(
            r
            for r in range(40, model.rowCount())
            if not getattr(model.index(r, 0).data(ROW_ROLE), "risk", ("?",))
        )
        queue.step(quiet - here)
        wait_for_queue(window)
        queue.claim()
        wait_for_queue(window)
        queue.close_case()
        settle()
        dialog = queue.dialog
        if not isinstance(dialog, CloseDialog):
            raise SystemExit("screenshots: the close dialog did not open")
        dialog.choose(Outcome.REPLIED)
        dialog.ui.noteEdit.setPlainText(
            "Replied with the road closure times and the diversion map."
        )
        shooter.shoot(dialog, "close-dialog.png")
        dialog.reject()
        settle()

        # the risky case refused without THRIVE
        window.help.show_shortcuts()
        sheet = window.help.shortcuts_dialog
        if sheet is None:
            raise SystemExit("screenshots: the cheat sheet did not open")
        shooter.shoot(sheet, "shortcuts.png")
        sheet.close()

        shoot_redaction(shooter, window)

        # import: a big file, caught while storing; then a broken one
        export = base / "evening-export.jsonl"
        write_jsonl(export, 12_000, seed=11, start=START, span=clock.now() - START)
        queue.open_import()
        importer = queue.import_dialog
        if importer is None:
            raise SystemExit("screenshots: the import dialog did not open")
        importer.set_file(export)
        shooter.shoot(importer, "import-dialog.png")
        importer.start()
        bar = importer.ui.progressBar
        wait_until(lambda: "storing" in importer.progress_text.lower(), timeout_ms=60_000)
        wait_until(lambda: bar.value() >= 2000, timeout_ms=60_000)
        shooter.shoot(importer, "import-progress.png")  # the progress row under the fields
        wait_until(lambda: not importer.running, timeout_ms=60_000)
        shooter.shoot(importer, "import-report.png")
        broken = base / "broken-export.jsonl"
        lines = export.read_text("utf-8").splitlines()[:40]
        lines[17] = lines[17].replace('"posted_at": "', '"posted_at": "yesterday ')
        broken.write_text("\n".join(lines) + "\n", "utf-8")
        importer.set_file(broken)
        importer.start()
        wait_until(lambda: not importer.running)
        shooter.shoot(importer, "import-refused.png")
        importer.close()
        wait_for_queue(window)
        window.sign_out()
        window.close()
    finally:
        worker.wait()
        desk.close()


def shoot_redaction(shooter: Shooter, window: MainWindow) -> None:
    """A witness's phone number selected in the item text, the Redact dialog, and after."""
    queue, pane = window.queue, window.ui.casePane
    bar = window.ui.filterBar
    bar.ui.searchEdit.insert("Ring me on")  # as typed: the search runs after a pause

    def shown() -> bool:
        detail = pane.detail
        return (
            not queue.model.loading
            and detail is not None
            and detail.row.case_id == queue.case_id
            and "Ring me on" in detail.items[0].text
        )

    wait_until(shown)
    queue.claim()
    wait_for_queue(window)
    view = pane.ui.itemTextView
    number = view.document().find(QRegularExpression(r"07700 900\d{3}"))
    if number.isNull():
        raise SystemExit("screenshots: no phone number in the demo case")
    view.setFocus()
    view.setTextCursor(number)  # as if selected with the mouse or Shift+arrows
    shooter.shoot(window, "redact-selection.png")
    queue.redact()
    settle()
    dialog = queue.dialog
    if not isinstance(dialog, RedactDialog):
        raise SystemExit("screenshots: the redact dialog did not open")
    dialog.choose("phone number")
    dialog.details_edit.setText("the witness's own mobile; details passed to control room")
    dialog.reason_combo.setFocus()
    shooter.shoot(dialog, "redact-dialog.png")
    dialog.ok_button.click()
    wait_until(lambda: pane.detail is not None and pane.detail.items[0].redacted)
    wait_for_queue(window)
    shooter.shoot(window, "redacted.png")
    bar.clear()
    wait_for_queue(window)


def shoot_moderation(shooter: Shooter, base: Path) -> None:
    """The moderation dialog (H), the author's record on the pane, the guidelines dialog."""
    from desk.core.moderation import ModerationKind
    from desk.gui.moderation_dialog import ModerationDialog

    clock = ManualClock(START)
    profile = demo.make_demo_profile(base)
    desk = Desk.open(profile, clock)
    worker = Worker()
    try:
        seeds = {login.username: login.seed for login in demo.populate(desk)}
        demo.populate_queue(desk)
        clock.advance(minutes=1)
        result = desk.signin.sign_in("demo", demo.DEMO_PASSWORD, code_now(seeds["demo"], clock))
        window = MainWindow(desk, result, worker)
        window.resize(*SCREEN)
        window.show()
        wait_for_queue(window)
        queue, moderation = window.queue, window.moderation
        queue.step(12)
        wait_for_queue(window)
        queue.claim()
        wait_for_queue(window)
        case_id = queue.case_id
        if case_id is None:
            raise SystemExit("screenshots: no case to moderate")
        # two earlier actions against this author, recorded from another session
        clock.advance(seconds=30)
        other = desk.signin.sign_in("demo", demo.DEMO_PASSWORD, code_now(seeds["demo"], clock))
        desk.moderation.act(other.token, case_id, ModerationKind.REPORT, "CG-1", "")
        desk.moderation.act(other.token, case_id, ModerationKind.REPORT, "CG-6", "")
        moderation.moderate(ModerationKind.HIDE)  # opens once the services agree
        wait_until(lambda: moderation.dialog is not None)
        dialog = moderation.dialog
        if not isinstance(dialog, ModerationDialog):
            raise SystemExit("screenshots: the moderation dialog did not open")
        dialog.choose("CG-3")
        shooter.shoot(dialog, "moderation-dialog.png")
        dialog.ok_button.click()
        wait_until(lambda: "REPEAT OFFENDER" in moderation.record_label.text())
        wait_for_queue(window)
        shooter.shoot(window, "author-record.png")
        pane = window.ui.casePane
        bar = pane.ui.caseScroll.verticalScrollBar()
        bar.setValue(bar.maximum())
        shooter.shoot(window, "moderation-actions.png")
        bar.setValue(0)
        window.sign_out()
        window.close()

        clock.advance(seconds=30)
        admin = desk.signin.sign_in(
            "demo-admin", demo.DEMO_PASSWORD, code_now(seeds["demo-admin"], clock)
        )
        window = MainWindow(desk, admin, worker)
        window.resize(*SCREEN)
        window.show()
        wait_for_queue(window)
        guidelines = window.moderation.open_guidelines()
        wait_until(lambda: guidelines.table.rowCount() > 3)
        guidelines.table.setCurrentCell(3, 0)
        shooter.shoot(guidelines, "guidelines-dialog.png")
        guidelines.close()
        window.sign_out()
        window.close()
    finally:
        worker.wait()
        desk.close()


def shoot_escalation(shooter: Shooter, base: Path) -> None:
    """The immediate-risk banner, the escalation form (F5), the case escalated, waiting list."""
    from desk.core.escalation import IMMEDIATE_CATEGORIES, TargetKind, Urgency
    from desk.gui.escalation_dialog import EscalationDialog

    clock = ManualClock(START)
    profile = demo.make_demo_profile(base)
    desk = Desk.open(profile, clock)
    worker = Worker()
    try:
        seeds = {login.username: login.seed for login in demo.populate(desk)}
        demo.populate_queue(desk)
        clock.advance(minutes=1)
        result = desk.signin.sign_in("demo", demo.DEMO_PASSWORD, code_now(seeds["demo"], clock))
        window = MainWindow(desk, result, worker)
        window.resize(*SCREEN)
        window.show()
        wait_for_queue(window)
        queue, escalations = window.queue, window.escalations
        for number in range(queue.model.rowCount()):
            row = queue.model.row_at(number)
            if row is not None and IMMEDIATE_CATEGORIES.intersection(row.risk):
                queue.step(number)
                break
        else:
            raise SystemExit("screenshots: no immediate-risk case in the demo queue")
        wait_for_queue(window)
        queue.claim()
        wait_for_queue(window)
        wait_until(lambda: escalations.banner.isVisible())
        shooter.shoot(window, "immediate-banner.png")
        escalations.escalate(TargetKind.COMMAND, Urgency.IMMEDIATE)
        wait_until(lambda: escalations.dialog is not None)
        dialog = escalations.dialog
        if not isinstance(dialog, EscalationDialog):
            raise SystemExit("screenshots: the escalation form did not open")
        shooter.shoot(dialog, "escalation-form.png")
        dialog.save_pdf_to(shooter.outdir / "escalation.pdf")  # render with pdftoppm to check
        dialog.ok_button.click()
        wait_until(lambda: escalations.list.count() > 0)
        wait_for_queue(window)
        shooter.shoot(window, "escalated.png")
        pane = window.ui.casePane
        pane.ui.caseScroll.ensureWidgetVisible(escalations.box)
        shooter.shoot(pane, "escalation-pane.png")
        waiting = escalations.open_waiting()
        wait_until(lambda: waiting.table.rowCount() > 0)
        if waiting is not None:
            shooter.shoot(waiting, "escalations-waiting.png")
            waiting.close()
        window.sign_out()
        window.close()
    finally:
        worker.wait()
        desk.close()


def shoot_people(shooter: Shooter, base: Path) -> None:
    """Admin → People (a leaver disabled, a mover), the Disable dialog, the access review."""
    from desk.gui.people_dialog import DisableDialog

    clock = ManualClock(START)
    profile = demo.make_demo_profile(base)
    desk = Desk.open(profile, clock)
    worker = Worker()
    try:
        seeds = {login.username: login.seed for login in demo.populate(desk)}
        demo.populate_queue(desk)
        admin_token = make_history(desk, clock, seeds)
        desk.accounts.add_user(
            admin_token, "kjones", "K. Jones", Role.OPERATOR, EXTRA_PASSWORD + " kj"
        )
        desk.accounts.add_user(
            admin_token, "mlewis", "M. Lewis", Role.COMMUNICATIONS, EXTRA_PASSWORD + " ml"
        )
        clock.advance(minutes=5)
        desk.people.change_role(admin_token, "rpatel", Role.SUPERVISOR, "demo-supervisor")
        clock.advance(minutes=5)
        desk.people.disable(admin_token, "kjones", "reassign", "demo", under_investigation=True)
        clock.advance(minutes=2)
        result = desk.signin.sign_in(
            "demo-admin", demo.DEMO_PASSWORD, code_now(seeds["demo-admin"], clock)
        )
        window = MainWindow(desk, result, worker)
        window.resize(*SCREEN)
        window.show()
        wait_for_queue(window)
        dialog = window.people.open_people()
        wait_until(lambda: dialog.review.model.rowCount() > 0 and not worker.busy)
        dialog.resize(*fit(1400, 500))
        dialog.review.select("demo")
        shooter.shoot(dialog, "people.png")
        window.people.disable(dialog.review.selected())  # type: ignore[arg-type]
        settle()
        step = window.people.step
        if not isinstance(step, DisableDialog):
            raise SystemExit("screenshots: the Disable dialog did not open")
        step.reassign_radio.setChecked(True)
        shooter.shoot(step, "people-disable.png")
        step.reject()
        window.sign_out()
        window.close()

        clock.advance(minutes=1)
        sup = desk.signin.sign_in(
            "demo-supervisor", demo.DEMO_PASSWORD, code_now(seeds["demo-supervisor"], clock)
        )
        supervisor_window = MainWindow(desk, sup, worker)
        supervisor_window.resize(*SCREEN)
        supervisor_window.show()
        wait_for_queue(supervisor_window)
        review = supervisor_window.people.open_review()
        wait_until(lambda: review.view.model.rowCount() > 0 and not worker.busy)
        review.resize(*fit(1400, 440))
        shooter.shoot(review, "access-review.png")
        supervisor_window.sign_out()
        supervisor_window.close()
    finally:
        worker.wait()
        desk.close()


def shoot_templates(shooter: Shooter, base: Path) -> None:
    """The template picker (Shift+T) in Welsh and with a missing rule, approvals, the library."""
    from desk.gui.template_picker import TemplatePicker

    clock = ManualClock(START)
    profile = demo.make_demo_profile(base)
    desk = Desk.open(profile, clock)
    worker = Worker()
    try:
        seeds = {login.username: login.seed for login in demo.populate(desk)}
        demo.populate_queue(desk)
        clock.advance(minutes=1)
        result = desk.signin.sign_in("demo", demo.DEMO_PASSWORD, code_now(seeds["demo"], clock))
        window = MainWindow(desk, result, worker)
        window.resize(*SCREEN)
        window.show()
        wait_for_queue(window)
        queue, replies = window.queue, window.replies
        for number in range(queue.model.rowCount()):
            row = queue.model.row_at(number)
            if row is not None and row.language == "cy" and not row.risk:
                queue.step(number)
                break
        else:
            raise SystemExit("screenshots: no Welsh case in the demo queue")
        wait_for_queue(window)
        queue.claim()
        wait_for_queue(window)
        replies.open_picker(None)
        wait_until(lambda: replies.dialog is not None)
        picker = replies.dialog
        if not isinstance(picker, TemplatePicker):
            raise SystemExit("screenshots: the template picker did not open")
        picker.select("public-reply-thanks")
        wait_until(picker.copy_button.isEnabled)
        shooter.shoot(picker, "template-picker-welsh.png")
        picker.set_language("en")
        picker.select("hide-notice")
        wait_until(
            lambda: picker.rendered is not None and picker.rendered.template.key == "hide-notice"
        )
        shooter.shoot(picker, "template-picker-missing.png")
        picker.choose_rule("CG-1")
        wait_until(picker.copy_button.isEnabled)
        shooter.shoot(picker, "template-picker.png")
        picker.reject()
        settle()
        dialog = replies.free_text(private=False)
        if dialog is not None:
            dialog.text_edit.setPlainText("Diolch am eich neges. Mae'r ffordd ar agor eto.")
            dialog.ok_button.click()
        wait_for_queue(window)
        pane = window.ui.casePane
        pane.ui.caseScroll.ensureWidgetVisible(replies.section)
        shooter.shoot(window, "reply-section.png")
        window.sign_out()
        window.close()

        clock.advance(seconds=30)
        boss = desk.signin.sign_in(
            "demo-supervisor", demo.DEMO_PASSWORD, code_now(seeds["demo-supervisor"], clock)
        )
        window = MainWindow(desk, boss, worker)
        window.resize(*SCREEN)
        window.show()
        wait_for_queue(window)
        approvals = window.replies.open_approvals()
        wait_until(lambda: bool(approvals.replies))
        if approvals is not None:
            shooter.shoot(approvals, "reply-approvals.png")
            approvals.close()
        library = window.replies.open_library()
        wait_until(lambda: bool(library.views))
        if library is not None:
            library.table.setCurrentCell(2, 0)
            shooter.shoot(library, "template-library.png")
            library.close()
        window.sign_out()
        window.close()
    finally:
        worker.wait()
        desk.close()


def shoot_handover(shooter: Shooter, base: Path) -> None:
    """Supervisor → Handover… for the running shift (a note, a notable case, a coverage gap)."""
    from datetime import timedelta

    from desk.core.handover import CoverageReason
    from desk.core.queue_filter import QueueFilter

    clock = ManualClock(START)
    profile = demo.make_demo_profile(base)
    desk = Desk.open(profile, clock)
    worker = Worker()
    try:
        seeds = {login.username: login.seed for login in demo.populate(desk)}
        demo.populate_queue(desk)
        clock.advance(minutes=1)
        op = desk.signin.sign_in("demo", demo.DEMO_PASSWORD, code_now(seeds["demo"], clock))
        cases = desk.queue.page(op.token, QueueFilter(), limit=1)
        first = cases[0].case_id
        desk.handover.flag_notable(op.token, first, "Missing person appeal: replies need watching")
        desk.handover.add_note(
            op.token, clock.now(), "Road closure thread busy; bus diversions end at 23:30."
        )
        clock.advance(minutes=1)
        result = desk.signin.sign_in(
            "demo-supervisor", demo.DEMO_PASSWORD, code_now(seeds["demo-supervisor"], clock)
        )
        desk.coverage.record(
            result.token,
            START - timedelta(hours=4),
            START - timedelta(hours=3, minutes=30),
            CoverageReason.PLATFORM_OUTAGE,
            "facebook",
            "Facebook comments unread for 30 minutes; control room told",
        )
        window = MainWindow(desk, result, worker)
        window.resize(*SCREEN)
        window.show()
        wait_for_queue(window)
        handover = window.handover.open_handover()
        handover.show_current()
        wait_until(lambda: handover.report is not None and not handover.loading)
        settle()
        shooter.shoot(handover, "handover.png")
        coverage = window.handover.open_coverage()
        settle()
        shooter.shoot(coverage, "coverage-log.png")
        coverage.close()
        handover.close()
        window.sign_out()
        window.close()
    finally:
        worker.wait()
        desk.close()


def shoot_oversight(shooter: Shooter, base: Path) -> None:
    """Supervisor → Dashboard… on a day of demo work, and Quality review… with a review."""
    from datetime import timedelta

    from desk.sample.activity import simulate_activity
    from desk.sample.generator import generate
    from desk.services.importing import store_for_setup

    clock = ManualClock(START)
    profile = demo.make_demo_profile(base)
    desk = Desk.open(profile, clock)
    worker = Worker()
    try:
        seeds = {login.username: login.seed for login in demo.populate(desk)}
        demo.populate_queue(desk)  # the official accounts and the last few hours
        day = timedelta(hours=24)
        history = generate(3000, seed=11, start=START - day, span=day - timedelta(hours=8))
        store_for_setup(desk.importer, history, "a day of demo items")
        simulate_activity(desk.ctx.db, clock.now())
        clock.advance(minutes=1)
        result = desk.signin.sign_in(
            "demo-supervisor", demo.DEMO_PASSWORD, code_now(seeds["demo-supervisor"], clock)
        )
        window = MainWindow(desk, result, worker)
        window.resize(*SCREEN)
        window.show()
        wait_for_queue(window)
        dashboard = window.oversight.open_dashboard()
        dashboard.resize(*fit(1400, 1240))  # every chart in one picture at the docs' size
        wait_until(lambda: dashboard.data is not None and not dashboard.busy)
        shooter.shoot(dashboard, "dashboard.png")
        dashboard.close()
        quality = window.oversight.open_quality()
        quality.month_box.setCurrentText(START.strftime("%Y-%m"))
        wait_until(lambda: not worker.busy)
        quality.draw_sample()
        wait_until(lambda: not worker.busy and bool(quality.samples))
        quality.sample_table.selectRow(0)
        wait_until(lambda: not worker.busy)
        for check, answer in (
            ("thrive_complete", 1),  # Yes
            ("grade_justified", 1),  # Yes
            ("right_template", 3),  # N/A
            ("target_met", 2),  # No
        ):
            quality.answer_boxes[check].setCurrentIndex(answer)
        quality.comment.setPlainText("Clear reply; grade fits the risk.")
        quality.save_review()
        wait_until(lambda: not worker.busy)
        quality.sample_table.selectRow(1)
        wait_until(lambda: not worker.busy)
        shooter.shoot(quality, "quality-review.png")
        quality.close()
        window.sign_out()
        window.close()
        # information management, the next afternoon: the audit log, the retention review (a
        # force that keeps never-actioned items one day) and the subject access register
        clock.advance(hours=20)
        admin = desk.signin.sign_in(
            "demo-admin", demo.DEMO_PASSWORD, code_now(seeds["demo-admin"], clock)
        )
        desk.settings.set(admin.token, "retention_rules", "unactioned=1d delete")
        clock.advance(minutes=1)
        result = desk.signin.sign_in(
            "demo-supervisor", demo.DEMO_PASSWORD, code_now(seeds["demo-supervisor"], clock)
        )
        desk.subject_access.add(
            result.token, "A. Resident", "uk_gdpr", (clock.now() - timedelta(days=26)).date()
        )
        window = MainWindow(desk, result, worker)
        window.resize(*SCREEN)
        window.show()
        wait_for_queue(window)
        shoot_case_records(shooter, window)
        audit = window.audit_log.open()
        wait_until(lambda: not window.shell.busy)
        shooter.shoot(audit, "audit-log.png")
        audit.close()
        retention = window.retention.open_review()
        wait_until(lambda: not window.shell.busy)
        shooter.shoot(retention, "retention-review.png")
        retention.close()
        register = window.subject_access.open()
        wait_until(lambda: not window.shell.busy)
        shooter.shoot(register, "subject-access.png")
        register.close()
        window.sign_out()
        window.close()
    finally:
        worker.wait()
        desk.close()


def shoot_case_records(shooter: Shooter, window: MainWindow) -> None:
    """Case → Mark as public appeal… and Hold this author's records…, then the case pane."""
    records = window.retention.case_records
    appeal = records.mark_appeal()
    if appeal is None:  # no case selected
        return
    appeal.ui.noteEdit.setText("https://x.example/ExampleshirePolice/status/1860000000000000001")
    shooter.shoot(appeal, "appeal-dialog.png")
    appeal.ok_button.click()
    wait_until(lambda: not window.shell.busy and window.shell.dialog is None)
    records.hold_author()
    wait_until(lambda: window.shell.dialog is not None)
    hold = window.shell.dialog
    hold.ui.reasonEdit.setPlainText("Preservation order 44/2026: civil claim against the force")
    shooter.shoot(hold, "author-hold-dialog.png")
    hold.ok_button.click()
    pane = window.ui.casePane
    wait_until(lambda: not window.shell.busy and "Legal hold" in pane.records_label.text())
    settle()
    shooter.shoot(window, "case-pane-hold-appeal.png")


def shoot_opening(shooter: Shooter, base: Path) -> None:
    """The login window of a cold start, shown while the profile is still opening."""
    worker = Worker()
    login = LoginDialog(None, worker, profile_name="default")
    login.ui.usernameEdit.setText("jsmith")
    login.ui.passwordEdit.setFocus()  # typing already, while Sign in waits for the profile
    shooter.shoot(login, "login-opening.png")
    login.close()


def _size(text: str) -> tuple[int, int]:
    """Read a window size such as 1366x768 for argparse."""
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit() or int(width) < 640:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 1366x768")
    return int(width), int(height)


def run_alone(shoot: Callable[[Shooter, Path], None], argv: list[str] | None = None) -> int:
    """Run one picture script's ``shoot`` by itself: ``script.py OUTDIR [--size WxH]``."""
    global SCREEN
    parser = argparse.ArgumentParser(description="Take only these screenshots into OUTDIR.")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--size", type=_size, default=SCREEN, metavar="WxH")
    args = parser.parse_args(argv)
    SCREEN = args.size
    if not os.environ.get("DISPLAY"):
        print("screenshots: no DISPLAY; run under xvfb-run", file=sys.stderr)
        return 2
    args.outdir.mkdir(parents=True, exist_ok=True)
    keyring.set_keyring(ScreenshotKeyring())
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    app = QApplication([sys.argv[0]])
    QCoreApplication.setApplicationName("Desk")
    apply_theme(app)
    base = Path(tempfile.mkdtemp(prefix="desk-screenshots-"))
    try:
        shoot(Shooter(args.outdir), base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    del app
    return 0


def main(argv: list[str] | None = None) -> int:
    """Take every screenshot into OUTDIR and copy the documented ones to docs/screenshots/."""
    global SCREEN
    parser = argparse.ArgumentParser(description="Take Desk's screenshots under Xvfb.")
    parser.add_argument("outdir", type=Path)
    parser.add_argument(
        "--size",
        type=_size,
        default=SCREEN,
        metavar="WxH",
        help="the main windows' size, such as 1366x768 (default 1440x900); pictures at "
        "another size are not copied to docs/screenshots/",
    )
    args = parser.parse_args(argv)
    documented = args.size == SCREEN
    SCREEN = args.size
    if not os.environ.get("DISPLAY"):
        print("screenshots: no DISPLAY; run under xvfb-run (see the docstring)", file=sys.stderr)
        return 2
    args.outdir.mkdir(parents=True, exist_ok=True)
    keyring.set_keyring(ScreenshotKeyring())
    os.environ["QT_QPA_PLATFORM"] = "xcb"  # really render on the X server, not offscreen
    app = QApplication([sys.argv[0]])
    QCoreApplication.setApplicationName("Desk")
    apply_theme(app)
    shooter = Shooter(args.outdir)
    base = Path(tempfile.mkdtemp(prefix="desk-screenshots-"))
    try:
        shoot_demo(shooter, base)
        shoot_queue(shooter, base)
        shoot_moderation(shooter, base)
        shoot_escalation(shooter, base)
        shoot_templates(shooter, base)
        shoot_wizard(shooter, base)
        shoot_oversight(shooter, base)
        shoot_people(shooter, base)
        shoot_handover(shooter, base)
        shoot_opening(shooter, base)
        # the account estate's pictures (issue 14) live beside this script and use its helpers
        sys.modules.setdefault("screenshots", sys.modules[__name__])
        from screenshots_accounts import shoot_accounts
        from screenshots_backup import shoot_backup
        from screenshots_continuity import shoot_continuity
        from screenshots_conversations import shoot_conversations
        from screenshots_devices import shoot_devices
        from screenshots_estate import shoot_estate
        from screenshots_import import shoot_import
        from screenshots_live import shoot_live
        from screenshots_platform_import import shoot_platform_import
        from screenshots_shared_desk import shoot_shared_desk

        shoot_accounts(shooter, base)
        shoot_devices(shooter, base)
        shoot_estate(shooter, base)
        shoot_import(shooter, base)  # disguised text, CSV column mapping (issue 17)
        shoot_platform_import(shooter, base)  # Mastodon, ActivityStreams, Bluesky (issue 17)
        shoot_conversations(shooter, base)  # the force's own posts, passed-over records (issue 17)
        shoot_shared_desk(shooter, base)  # joining a shared desk (issue 16)
        shoot_backup(shooter, base)  # backups (issue 16)
        shoot_live(shooter, base)  # another workstation's claim, a stale write (issue 16)
        shoot_continuity(shooter, base)  # continuity pack, outage log (issue 16)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    if not documented:
        return 0
    DOCS.mkdir(parents=True, exist_ok=True)
    for name in FOR_DOCS:
        shutil.copy2(args.outdir / name, DOCS / name)
        print(f"copied {name} to {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
