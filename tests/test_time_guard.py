"""No test mixes the desk's manual clock with real time: the suite passes on any day.

Tests run the desk on a :class:`~desk.core.clock.ManualClock` set to a fixed day. A test that
also reads real time (the system clock, or a file's times, which the system stamps) passes only
while real time happens to be near that day, and fails weeks later. This check finds every read
of real time in the tests; the few that never meet the manual clock are listed with the reason.
``scripts/test.sh`` also runs the services and command-line tests with the clock a year ahead.
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent

REAL_TIME = re.compile(
    r"time\.time\(|time\.time_ns\(|datetime\.now\(|datetime\.utcnow\(|date\.today\(|"
    r"SystemClock\(|\.st_[amc]time\b|getmtime\(|getctime\(|getatime\(|time\.localtime\("
)

ALLOWED = {
    # real processes on the real clock, with codes computed for that same clock
    ("cli/test_subprocess.py", "time.time("): "desk-admin runs as a process on the real clock",
    ("gui/test_cold_start.py", "SystemClock("): "the login window runs on the real clock",
}


def test_no_test_reads_real_time_beside_the_manual_clock() -> None:
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        if path == Path(__file__).resolve():
            continue
        name = path.relative_to(TESTS).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for hit in REAL_TIME.finditer(line):
                if (name, hit.group()) not in ALLOWED:
                    found.append(f"{name}:{number}: {line.strip()}")
    assert not found, (
        "These tests read real time while the desk runs on a manual clock; set file times "
        "from the test's clock (os.utime) or move the clock by a fixed amount instead:\n"
        + "\n".join(found)
    )


def test_the_pattern_finds_what_it_should() -> None:
    for text in ("time.time()", "datetime.now(UTC)", "p.stat().st_ctime", "p.stat().st_mtime"):
        assert REAL_TIME.search(text), text
    assert not REAL_TIME.search("p.stat().st_ctime_ns")  # nanoseconds compared with each other
