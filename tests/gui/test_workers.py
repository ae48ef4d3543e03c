"""Background calls answer on the GUI thread, errors included, and never after their window."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desk.gui.workers import Worker


def test_many_calls_all_answer_on_the_gui_thread(qtbot: QtBot) -> None:
    worker = Worker(max_threads=4)
    gui_thread = threading.get_ident()
    answers: list[tuple[int, int]] = []
    errors: list[str] = []

    def job(n: int) -> int:
        if n % 10 == 0:
            raise ValueError(f"bad {n}")
        return n * 2

    for n in range(200):
        worker.run(
            lambda n=n: job(n),
            lambda value: answers.append((value, threading.get_ident())),
            lambda exc: errors.append(str(exc)),
        )
    qtbot.waitUntil(lambda: not worker.busy, timeout=10_000)
    assert sorted(v for v, _ in answers) == [n * 2 for n in range(200) if n % 10]
    assert {t for _, t in answers} == {gui_thread}
    assert sorted(errors) == sorted(f"bad {n}" for n in range(0, 200, 10))
    assert worker.wait()


def test_no_answer_reaches_a_window_that_has_gone(qtbot: QtBot) -> None:
    worker = Worker()
    window = QWidget()
    release = threading.Event()
    answered: list[object] = []
    worker.run(lambda: release.wait(5), answered.append, answered.append, context=window)
    window.deleteLater()
    qtbot.wait(20)  # the window is deleted while the call is still running
    release.set()
    qtbot.waitUntil(lambda: not worker.busy, timeout=5_000)
    assert answered == []
