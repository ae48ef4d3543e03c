"""scripts/demo.sh on a machine without a display: Ctrl-C ends the demo and leaves nothing behind.

Ctrl-C in a terminal sends SIGINT to the whole foreground process group. Xvfb used to be in that
group: it stopped first, Qt stopped on the broken X connection before Desk's clean-up ran, and
the demo profile and a D-Bus folder were left in the temporary folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from pathlib import Path

from tests.conftest import need_command

ROOT = Path(__file__).resolve().parents[2]
READY = "Desk demo profile (throw-away):"


def test_ctrl_c_in_the_demo_stops_it_cleanly_and_leaves_no_profile(tmp_path: Path) -> None:
    need_command("Xvfb")
    need_command("dbus-run-session")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "QT_QPA_PLATFORM")
    }
    env["TMPDIR"] = str(temp)
    demo = subprocess.Popen(
        ["bash", "scripts/demo.sh"],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    said: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert demo.stdout is not None
        for line in demo.stdout:
            said.append(line)
            if READY in line:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(120), "".join(said)
        profile = next(line for line in said if READY in line).split(READY, 1)[1].strip()
        assert Path(profile).is_dir() and Path(profile).is_relative_to(temp)
        threading.Event().wait(3)  # the window is up and the profile open
        os.killpg(demo.pid, signal.SIGINT)  # Ctrl-C
        assert demo.wait(60) == 130, "".join(said)
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait(10)
    reader.join(10)
    text = "".join(said)
    assert "X11 connection" not in text and "broken" not in text.lower(), text
    assert not Path(profile).exists()
    assert sorted(p.name for p in temp.iterdir()) == [], text
