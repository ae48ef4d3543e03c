"""The ``desk`` command: open a profile and run the windows."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

import desk as desk_package
from desk.core.errors import DatabaseProblem, KeyringUnavailable
from desk.gui import startup_probe
from desk.gui.controller import DeskController
from desk.gui.theme import apply_theme
from desk.log import setup_logging
from desk.paths import ENV_DATA_DIR, Profile, resolve_profile
from desk.services import demo
from desk.services.desk import Desk

log = logging.getLogger(__name__)
EXIT_REFUSED = 2


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
    parser.add_argument("--version", action="store_true", help="print Desk's version and exit")
    args = parser.parse_args(argv)
    if args.demo and args.data_dir:
        parser.error("--demo makes its own throw-away profile: leave out --data-dir")
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


def _log_uncaught(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    log.critical("unexpected error", exc_info=(kind, value, tb))
    QMessageBox.critical(
        None,
        QCoreApplication.translate("App", "Desk"),
        QCoreApplication.translate(
            "App",
            "Something went wrong inside Desk. What you were doing may not have finished; "
            "the details are in Desk's log. Tell your supervisor if it happens again.",
        ),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run Desk; return the exit code (2 when the keyring or database refuses)."""
    args = parse_args(argv)
    if args.version:
        print(f"desk {desk_package.__version__}")
        return 0
    profile = demo.make_demo_profile() if args.demo else resolve_profile(args.data_dir).create()
    setup_logging(profile.log_dir)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    startup_probe.install(app)  # only with DESK_STARTUP_PROBE set: the benchmark's timer
    app.setApplicationName("Desk")
    app.setApplicationVersion(desk_package.__version__)
    app.setDesktopFileName("desk")
    apply_theme(app)
    try:
        opened = Desk.open(profile)
    except (KeyringUnavailable, DatabaseProblem) as exc:
        log.error("Desk refused to start: %s", exc.code)
        print(exc.message, file=sys.stderr)
        QMessageBox.critical(
            None, QCoreApplication.translate("App", "Desk cannot start"), exc.message
        )
        return EXIT_REFUSED
    if args.demo:
        logins = demo.populate(opened)
        demo.populate_queue(opened)
        print(demo_instructions(logins, profile), flush=True)
        # Ctrl+C or a kill ends the demo as cleanly as closing the window: profile removed
        for stop in (signal.SIGINT, signal.SIGTERM):
            signal.signal(stop, lambda *_: app.quit())
        # Python runs signal handlers only when it gets control: wake it up a few times a second
        wake = QTimer(app)
        wake.timeout.connect(lambda: None)
        wake.start(250)
    sys.excepthook = _log_uncaught
    controller = DeskController(opened)
    controller.quit_requested.connect(app.quit)
    app.setQuitOnLastWindowClosed(False)
    controller.start()
    try:
        return app.exec()
    finally:
        controller.shutdown()
        if args.demo:
            demo.discard(opened)
        else:
            opened.close()
        sys.excepthook = sys.__excepthook__
