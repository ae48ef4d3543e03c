"""DESK_STARTUP_PROBE: the first window shown prints one line and quits (for the benchmark)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desk.gui import app as app_module
from desk.gui import startup_probe
from tests.keyrings import MemoryKeyring

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _restore_app_state(qapp: QApplication) -> Iterator[None]:
    """main() styles the shared QApplication and adds a log handler: undo both afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    qapp.setStyleSheet("")
    qapp.setQuitOnLastWindowClosed(True)
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def run_script(script: str, probe: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh Python with offscreen Qt (and the probe, unless told not to)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if probe:
        env[startup_probe.ENV] = "1"
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def test_without_the_variable_nothing_is_installed(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(startup_probe.ENV, raising=False)
    assert startup_probe.install(qapp) is False


def test_a_bare_window_says_it_is_shown_and_quits() -> None:
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication, QWidget\n"
        "from desk.gui import startup_probe\n"
        "app = QApplication(sys.argv[:1])\n"
        "assert startup_probe.install(app)\n"
        "w = QWidget(); w.show()\n"
        "sys.exit(app.exec())\n"
    )
    done = run_script(script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [startup_probe.SHOWN]


def test_a_window_not_yet_shown_is_not_reported() -> None:
    script = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication, QWidget\n"
        "from desk.gui import startup_probe\n"
        "app = QApplication(sys.argv[:1])\n"
        "assert startup_probe.install(app)\n"
        "w = QWidget()\n"
        "w.winId()  # its native window exists, but is not on screen\n"
        "def show():\n"
        "    print('showing', flush=True)\n"
        "    w.show()\n"
        "QTimer.singleShot(300, show)\n"
        "sys.exit(app.exec())\n"
    )
    done = run_script(script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["showing", startup_probe.SHOWN]


def test_desk_says_when_its_first_window_is_shown_and_exits_0(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    qapp: QApplication,
) -> None:
    monkeypatch.setenv(startup_probe.ENV, "1")
    guard = QTimer()  # a probe that never fires fails the test rather than hanging it
    guard.setSingleShot(True)
    guard.timeout.connect(qapp.quit)
    guard.start(30_000)
    try:
        assert app_module.main(["--data-dir", str(tmp_path / "p")]) == 0
    finally:
        guard.stop()
    assert startup_probe.SHOWN in capsys.readouterr().out.splitlines()
