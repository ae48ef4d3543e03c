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
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import keyring
import keyring.backend
from keyring.errors import PasswordDeleteError
from PySide6.QtCore import QCoreApplication, QEventLoop, QRegularExpression, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from desk.auth.totp import code_at, time_step
from desk.core.cases import Outcome
from desk.core.clock import ManualClock
from desk.core.errors import SignInFailed
from desk.core.roles import Role
from desk.core.signin_policy import LOCK_AFTER, delay_after
from desk.gui.case_dialogs import CloseDialog, RedactDialog
from desk.gui.login_dialog import LoginDialog
from desk.gui.main_window import MainWindow
from desk.gui.setup_wizard import SetupWizard
from desk.gui.theme import apply_theme
from desk.gui.workers import Worker
from desk.sample.generator import write_jsonl
from desk.services import demo
from desk.services.desk import Desk

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "screenshots"
# The pictures the README and user guide show; the rest are for review.
FOR_DOCS = (
    "login-demo.png",
    "setup-enrolment.png",
    "queue.png",
    "lock-overlay.png",
    "signin-activity.png",
)
SCREEN = (1440, 900)
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
        dialog = supervisor_window.activity_dialog
        if dialog is None:
            raise SystemExit("screenshots: the sign-in activity dialog did not open")
        dialog.resize(1100, 600)
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
        # for review: the lower half of the case pane (actions and timeline)
        bar = pane.ui.caseScroll.verticalScrollBar()
        bar.setValue(bar.maximum())
        shooter.shoot(window, "queue-actions.png")
        bar.setValue(0)

        # the close dialog, on a case with no risk
        queue.step(40)
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
        window.show_shortcuts()
        sheet = window.shortcuts_dialog
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
        progress = importer.findChild(QProgressDialog, "importProgress")
        if progress is None:
            raise SystemExit("screenshots: no import progress")
        wait_until(lambda: "Storing" in progress.labelText(), timeout_ms=60_000)
        wait_until(lambda: progress.value() >= 2000, timeout_ms=60_000)
        shooter.shoot(progress, "import-progress.png")
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


def main(argv: list[str] | None = None) -> int:
    """Take every screenshot into OUTDIR and copy the documented ones to docs/screenshots/."""
    parser = argparse.ArgumentParser(description="Take Desk's screenshots under Xvfb.")
    parser.add_argument("outdir", type=Path)
    args = parser.parse_args(argv)
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
        shoot_wizard(shooter, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    DOCS.mkdir(parents=True, exist_ok=True)
    for name in FOR_DOCS:
        shutil.copy2(args.outdir / name, DOCS / name)
        print(f"copied {name} to {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
