"""Cold start, the same way for Desk and a bare window: ``python -m bench.coldstart desk|bare``.

The runner starts this module in a fresh process with ``DESK_STARTUP_PROBE`` set and the
in-memory keyring's entries on stdin, and times it from just before starting the process to
the line :data:`desk.gui.startup_probe.SHOWN` on its stdout.

- ``desk``: plugs in the in-memory keyring (the real ``desk`` refuses to start without a
  usable keyring, and the benchmark never touches the OS one), then runs
  ``desk.gui.app.main(["--data-dir", DIR])``, the function the ``desk`` command runs: the
  theme and the login window shown, the one the person types into; the profile (keyring,
  quick check, schema, rules, services) opens on a worker thread once the window is painted,
  and Sign in waits for it. The process exits once that opening has finished and the profile
  is closed again, after the line is written.
- ``bare``: goes through the very same steps up to there (this module, the same imports, the
  keyring plugged in), then shows a plain ``QWidget`` with the same probe.

So both pay the same interpreter start and the same thin wrapper; what differs is Desk.
"""

from __future__ import annotations

import json
import sys

from bench.keyring_memory import install


def bare() -> int:
    """Show a plain PySide6 window, nothing else."""
    from PySide6.QtWidgets import QApplication, QWidget

    from desk.gui import startup_probe

    app = QApplication([sys.argv[0]])
    startup_probe.install(app)
    window = QWidget()
    window.setWindowTitle("bare")
    window.resize(420, 320)
    window.show()
    return app.exec()


def desk(data_dir: str) -> int:
    """Start Desk on the profile, through the ``desk`` command's own function."""
    from desk.gui.app import main as desk_main

    return desk_main(["--data-dir", data_dir])


def main() -> int:
    """Read the payload on stdin, plug in the keyring, start the one asked for."""
    payload = json.loads(sys.stdin.read())
    install(payload["keyring"])
    if sys.argv[1] == "desk":
        return desk(payload["data_dir"])
    return bare()


if __name__ == "__main__":
    sys.exit(main())
