"""The ``desk`` command: show the login window, open the profile behind it, run the windows.

A cold start shows the login dialog first, importing only Qt and the dialog's own light
modules; the profile (keyring check, database check and schema, rules, and the services with
SQLAlchemy) is opened on a worker thread while the person types, and Sign in waits for it
(docs/performance.md, cold_start).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

import desk as desk_package
from desk.core.errors import (
    DatabaseDamaged,
    DatabaseProblem,
    DeskError,
    InvalidInput,
    KeyringUnavailable,
)
from desk.gui import startup_probe
from desk.gui.damage import EXIT_DAMAGED
from desk.gui.login_dialog import LoginDialog
from desk.gui.theme import apply_theme
from desk.gui.workers import Worker
from desk.paths import DESK_UMASK, ENV_DATA_DIR, Profile, resolve_profile

if TYPE_CHECKING:
    from desk.gui.controller import DeskController
    from desk.services import demo
    from desk.services.desk import Desk

log = logging.getLogger(__name__)
EXIT_REFUSED = 2
OPEN_AT_THE_LATEST_MS = 1000


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="desk", description="Desk: the social media digital desk console."
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"the profile folder (default: ${ENV_DATA_DIR}, else the user's data folder)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a new throw-away demo profile with demo people (never the real profile)",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="a shared desk's PostgreSQL server, postgresql+psycopg://USER@HOST:PORT/DB "
        "(default: $DESK_DATABASE_URL, else the profile's saved choice, else its SQLite "
        "file); never with a password: 'desk-admin database set-password' keeps it in the "
        "OS keyring",
    )
    parser.add_argument("--version", action="store_true", help="print Desk's version and exit")
    args = parser.parse_args(argv)
    if args.demo and args.data_dir:
        parser.error("--demo makes its own throw-away profile: leave out --data-dir")
    if args.demo and args.database_url:
        parser.error("--demo makes its own throw-away profile: leave out --database-url")
    return args


def demo_instructions(logins: Sequence[demo.DemoLogin], profile: Profile) -> str:
    """Return how to sign in to a demo profile, for the terminal."""
    lines = [
        f"Desk demo profile (throw-away): {profile.data_dir}",
        "Sign in as any of these people:",
    ]
    for login in logins:
        lines.append(
            f"  username {login.username:<16} role {login.role.value:<14} "
            f"password {login.password!r}  authenticator key (base32) {login.seed}"
        )
    lines.append(
        "The login window shows the current code for the username typed (demo profiles only);"
        " or add a key to an authenticator app."
    )
    return "\n".join(lines)


@dataclass
class _Opened:
    """What the worker thread opened, kept so that it is closed whatever happens next."""

    desk: Desk
    logins: list[demo.DemoLogin] = field(default_factory=list)


def _open_profile(
    profile: Profile, is_demo: bool, opened: list[_Opened], url: str | None = None
) -> _Opened:
    """On the worker thread: import the services, open the profile (and fill a demo one).

    The database is ``url`` (--database-url), else DESK_DATABASE_URL, else the profile's
    saved server, else its own SQLite file.
    """
    from desk.services import demo
    from desk.services.desk import Desk
    from desk.services.shared_desk import chosen_database, local_database

    # a demo profile is thrown away whole: never on a server DESK_DATABASE_URL names
    db = local_database(profile) if is_demo else chosen_database(profile, url)
    result = _Opened(Desk.open(profile, db=db))
    opened.append(result)  # closed at the end even if the window has gone meanwhile
    if is_demo:
        result.logins = demo.populate(result.desk)
        demo.populate_queue(result.desk)
    # the windows' modules too, while the person types: safe only while no desk.gui module
    # makes a Qt object (a pixmap, a widget) when it is imported; keep it that way
    import_module("desk.gui.controller")

    return result


def _log_uncaught(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    log.critical("unexpected error", exc_info=(kind, value, tb))
    from PySide6.QtWidgets import QMessageBox  # not on the cold start's path

    QMessageBox.critical(
        None,
        QCoreApplication.translate("App", "Desk"),
        QCoreApplication.translate(
            "App",
            "Something went wrong inside Desk. What you were doing may not have finished; "
            "the details are in Desk's log. Tell your supervisor if it happens again.",
        ),
    )


def _refuse(app: QApplication, dialog: LoginDialog, exc: DeskError) -> None:
    """Opening the profile refused (keyring, damaged or newer database): say so and stop."""
    log.error("Desk refused to start: %s", exc.code)
    print(exc.message, file=sys.stderr)
    if isValid(dialog):  # gone once the first-run wizard replaced it
        dialog.hide()
    from PySide6.QtWidgets import QMessageBox  # not on the cold start's path

    QMessageBox.critical(None, QCoreApplication.translate("App", "Desk cannot start"), exc.message)
    app.exit(EXIT_DAMAGED if isinstance(exc, DatabaseDamaged) else EXIT_REFUSED)


def _warn_looser(profile: Profile, keep: list[object]) -> None:
    """Say (without blocking) that profile folders were open to others and are now not."""
    if not profile.tightened:
        return
    from PySide6.QtWidgets import QMessageBox  # not on the cold start's path

    log.warning("profile folders were open to others: now owner-only")
    text = QCoreApplication.translate(
        "App",
        "These profile folders could be read by other people on this computer: {folders}. "
        "Desk has made them readable by you only. Check who else could have read them.",
    ).format(folders=", ".join(str(f) for f in profile.tightened))
    title = QCoreApplication.translate("App", "Desk: folder made private")
    box = QMessageBox(QMessageBox.Icon.Warning, title, text)
    box.setModal(False)
    box.show()
    keep.append(box)


def offer_join(
    profile: Profile,
    controller: DeskController,
    url: str | None,
    rejoin: Callable[[DeskController], None],
) -> None:
    """Offer "Join a shared desk" in the first-run wizard of a profile on its own SQLite file."""
    from desk.services import shared_desk

    wizard = controller.wizard
    if wizard is None or shared_desk.uses_server(profile, url):
        return

    def join(server: str, password: str, key_data: bytes, passphrase: str) -> str:
        return shared_desk.join(profile, server, password, key_data, passphrase).server

    wizard.offer_join(join)
    # after the wizard has closed itself: the desk it was opened on is closed next
    wizard.joined.connect(lambda _server: QTimer.singleShot(0, lambda: rejoin(controller)))


def main(argv: Sequence[str] | None = None) -> int:
    """Run Desk; return the exit code (2 when the keyring or database refuses, 5 damaged)."""
    args = parse_args(argv)
    if args.version:
        print(f"desk {desk_package.__version__}")
        return 0
    if args.demo:
        from desk.services import demo

        profile = demo.make_demo_profile()
    else:
        profile = resolve_profile(args.data_dir).create()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    startup_probe.install(app)  # only with DESK_STARTUP_PROBE set: the benchmark's timer
    app.setApplicationName("Desk")
    app.setApplicationVersion(desk_package.__version__)
    app.setDesktopFileName("desk")
    app.setQuitOnLastWindowClosed(False)
    apply_theme(app)

    worker = Worker(app, max_threads=4)  # handed on to the controller once the desk is open
    dialog = LoginDialog(None, worker, profile_name=profile.name)
    dialog.rejected.connect(app.quit)  # Quit before the profile is open
    opening: list[bool] = []
    opened: list[_Opened] = []
    started: list[DeskController] = []
    started_boxes: list[object] = []

    def open_in_background() -> None:
        if not opening:
            opening.append(True)
            from desk.log import setup_logging

            setup_logging(profile.log_dir)  # the log file: the window is up, the rest follows
            worker.run(
                lambda: _open_profile(profile, args.demo, opened, args.database_url),
                ready,
                refused,
                dialog,
            )

    def ready(result: _Opened) -> None:
        from desk.gui.controller import DeskController

        if args.demo:
            print(demo_instructions(result.logins, profile), flush=True)
        controller = DeskController(result.desk, worker=worker)
        controller.quit_requested.connect(app.quit)
        started.append(controller)
        controller.start(dialog)
        if not args.demo:
            offer_join(profile, controller, args.database_url, rejoin)
        _warn_looser(profile, started_boxes)
        startup_probe.ready()  # the benchmark's second time: Sign in can be pressed

    def rejoin(controller: DeskController) -> None:
        """Joined a shared desk in the wizard: close the SQLite desk, open the server's."""
        controller.shutdown()
        started.remove(controller)
        for result in opened:
            result.desk.close()
        opened.clear()
        worker.run(lambda: _open_profile(profile, False, opened), reopened, refused)

    def reopened(result: _Opened) -> None:
        from desk.gui.controller import DeskController

        controller = DeskController(result.desk, worker=worker)
        controller.quit_requested.connect(app.quit)
        started.append(controller)
        controller.start()

    def refused(exc: Exception) -> None:
        # InvalidInput: a --database-url or DESK_DATABASE_URL Desk cannot use, said so
        if isinstance(exc, (KeyringUnavailable, DatabaseProblem, InvalidInput)):
            _refuse(app, dialog, exc)
        else:  # unexpected: logged and told as any other, and Desk stops
            _log_uncaught(type(exc), exc, exc.__traceback__)
            dialog.hide()
            app.exit(1)

    # the profile opens once the window is on screen, so it never holds up the window's
    # paint (or after a second, should the window not be painted: minimised, say)
    dialog.first_painted.connect(open_in_background)
    QTimer.singleShot(OPEN_AT_THE_LATEST_MS, open_in_background)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    if args.demo:
        # Ctrl+C or a kill ends the demo as cleanly as closing the window: profile removed.
        # The exit status is the shell's 128 + signal, so that scripts/demo.sh says "stopped by
        # Ctrl-C" even when its own trap never ran (bash skips it when the child exits first).
        for stop in (signal.SIGINT, signal.SIGTERM):
            signal.signal(stop, lambda signum, _frame: app.exit(128 + signum))
        # Python runs signal handlers only when it gets control: wake it up a few times a second
        wake = QTimer(app)
        wake.timeout.connect(lambda: None)
        wake.start(250)
    sys.excepthook = _log_uncaught
    # every file written while the window runs (profile, exports) is its owner's only,
    # whatever the umask Desk was started with; given back at the end (tests run main())
    umask = os.umask(DESK_UMASK)
    try:
        return app.exec()
    finally:
        for controller in started:
            controller.shutdown()
        worker.wait(-1)  # a profile still opening (the window closed first) is closed below
        if isValid(dialog):  # deleted once a sign-in replaced it
            dialog.close()
        for result in opened:
            if args.demo:
                from desk.services import demo

                demo.discard(result.desk)
            else:
                result.desk.close()
        sys.excepthook = sys.__excepthook__
        os.umask(umask)
