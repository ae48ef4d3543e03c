"""The GUI floor: operations off the GUI thread, the single-flight poller, notices, the shell."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, Qt, QThread
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desk.core.errors import Conflict
from desk.core.queue_filter import QueueFilter
from desk.gui.main_window import MainWindow
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.poller import Poller
from desk.gui.wheel_guard import install_wheel_guard
from tests.conftest import Staffed
from tests.gui.conftest import activate, settle
from tests.gui.queue_fixtures import fill_queue

MakeWindow = Callable[..., tuple[MainWindow, str]]


class AskingDialog(QDialog):
    """A dialog that shows a refusal inside itself, as every Desk dialog does."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.ok = QPushButton("OK", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.ok)

    def refuse(self, message: str) -> None:
        self.label.setText(message)

    def finish(self) -> None:
        self.accept()

    def set_busy(self, busy: bool) -> None:
        self.ok.setEnabled(not busy)


def first_case(staffed: Staffed) -> int:
    rows = staffed.desk.queue.page(staffed.admin_token, QueueFilter(), limit=1)
    return rows[0].case_id


def test_a_change_runs_off_the_gui_thread_then_every_view_hears_of_it(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    fill_queue(staffed)
    window, token = make_window(staffed.operator)
    case_id = first_case(staffed)
    threads: list[QThread] = []
    changed: list[int] = []
    window.shell.case_changed.connect(changed.append)

    def claim() -> None:
        threads.append(QThread.currentThread())
        staffed.desk.cases.claim(token, case_id)

    assert ChangeOp(window.shell, claim, case_id=case_id).done("Claimed.").run()
    settle(qtbot, window)
    assert threads and threads[0] is not QApplication.instance().thread()
    assert changed == [case_id]
    assert window.notice_text == "Claimed."
    assert staffed.desk.queue.detail(token, case_id).row.owner == "jsmith"


def test_a_refusal_shows_inside_the_dialog_which_stays_open_with_what_was_typed(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, token = make_window(staffed.operator)
    dialog = AskingDialog(window)
    window.shell.open_dialog(dialog, "askingDialog")
    op = ChangeOp(window.shell, lambda: staffed.desk.cases.add_note(token, 999_999, "x"), 999_999)
    op.in_dialog(dialog).run()
    assert not dialog.ok.isEnabled()  # busy while the call runs
    settle(qtbot, window)
    assert dialog.isVisible()
    assert "999999" in dialog.label.text().replace(",", "")
    assert dialog.ok.isEnabled()
    assert window.notice_text == dialog.label.text()


def test_a_conflict_refreshes_the_case_that_was_out_of_date(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    fill_queue(staffed)
    window, _token = make_window(staffed.operator)
    case_id = first_case(staffed)
    refused: list[tuple[int, str]] = []
    changed: list[int] = []
    window.shell.case_refused.connect(lambda i, m: refused.append((i, m)))
    window.shell.case_changed.connect(changed.append)

    def stale() -> None:
        raise Conflict("Someone else claimed it first.")

    ChangeOp(window.shell, stale, case_id=case_id).run()
    settle(qtbot, window)
    assert refused == [(case_id, "Someone else claimed it first.")]
    assert changed == [case_id]
    boxes = [b.text() for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes == ["Someone else claimed it first."]


def test_a_second_change_to_the_same_case_waits_for_the_first(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    release = threading.Event()
    runs: list[int] = []

    def slow() -> None:
        runs.append(1)
        release.wait(5)

    assert ChangeOp(window.shell, slow, case_id=7).run()
    assert not ChangeOp(window.shell, slow, case_id=7).run()
    assert window.notice_text == "Still working on case #7: try again in a moment."
    release.set()
    settle(qtbot, window)
    assert runs == [1]


def test_a_session_that_ended_takes_the_window_back_to_the_login(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, token = make_window(staffed.operator)
    staffed.desk.signin.sign_out(token)
    with qtbot.waitSignal(window.signed_out, timeout=5_000):
        QueryOp(window.shell, lambda: staffed.desk.signin.authorize(token)).run()
    assert window.ended


def test_a_poll_that_finds_the_last_run_busy_skips(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    release = threading.Event()
    calls: list[int] = []
    results: list[int] = []

    def slow() -> int:
        calls.append(1)
        release.wait(5)
        return len(calls)

    poller = Poller(window.shell, "slow", 10, slow, results.append)
    poller.start()
    qtbot.wait(200)  # twenty ticks while the first run is held
    assert calls == [1]
    release.set()
    qtbot.waitUntil(lambda: len(results) >= 2, timeout=5_000)
    poller.stop()
    settle(qtbot, window)
    assert results[:2] == [1, 2]


def test_a_poll_waits_while_the_window_is_locked(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    calls: list[int] = []
    poller = Poller(window.shell, "test-only", 60_000, lambda: calls.append(1), lambda _r: None)
    settle(qtbot, window)
    window.shell.set_locked(True)
    poller.start()
    assert calls == [] and not window.shell.busy
    window.shell.set_locked(False)  # unlocking catches up at once
    settle(qtbot, window)
    assert calls == [1]
    poller.stop()


def test_a_notice_that_asks_for_something_stays_until_done_and_all_can_be_read_again(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    bar = window.notice_bar
    window.shell.notify("Remove the comment on Facebook too.", to_do=True)
    window.shell.notify("You claimed case #3.")
    assert window.notice_text == "You claimed case #3."
    assert not bar.done_button.isVisible()
    window.notices._timer.timeout.emit()  # the plain notice has lingered its time
    assert window.notice_text == "Remove the comment on Facebook too."
    assert bar.done_button.isVisible()
    qtbot.mouseClick(bar.done_button, Qt.MouseButton.LeftButton)
    assert window.notice_text == ""
    dialog = bar.show_history()
    assert [line.split("  ", 1)[1] for line in dialog.lines] == [
        "You claimed case #3.",
        "Remove the comment on Facebook too.",
    ]


def test_a_link_that_cannot_be_opened_is_told(
    make_window: MakeWindow, staffed: Staffed, monkeypatch: object
) -> None:
    window, _token = make_window(staffed.operator)
    # offscreen Qt has no browser to open: the operator must be told, with the link
    opened = window.shell.open_link("https://example.invalid/post/1")
    if not opened:
        assert "https://example.invalid/post/1" in window.notice_text
        assert window.notice_bar.done_button.isVisible()


def test_the_wheel_over_an_unfocused_combo_scrolls_the_pane_and_changes_nothing(
    qtbot: QtBot,
) -> None:
    install_wheel_guard()
    area = QScrollArea()
    inner = QWidget()
    layout = QVBoxLayout(inner)
    combo = QComboBox()
    combo.addItems(["Immediate", "Priority", "Appointment (7 days)"])
    layout.addWidget(combo)
    for n in range(40):
        layout.addWidget(QLabel(f"line {n}"))
    area.setWidget(inner)
    area.resize(300, 200)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    bar = area.verticalScrollBar()
    point = combo.rect().center()
    wheel = QWheelEvent(
        QPointF(point),
        QPointF(combo.mapToGlobal(point)),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(combo, wheel)
    assert combo.currentText() == "Immediate"
    assert bar.value() > 0  # the pane scrolled instead
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    QApplication.sendEvent(combo, wheel)
    assert combo.currentText() == "Priority"  # with focus, the wheel is the person's choice


def test_signing_out_with_unsaved_work_asks_first(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, token = make_window(staffed.operator)
    window.shell.watch_unsaved(lambda: "the THRIVE assessment on case #4")
    window.sign_out()
    box = window.unsaved_question
    assert box is not None and "the THRIVE assessment on case #4" in box.text()
    keep = next(b for b in box.buttons() if b.text() == "Keep working")
    keep.click()
    assert not window.ended
    assert staffed.desk.signin.authorize(token).username == "jsmith"
    window.sign_out()
    box = window.unsaved_question
    assert box is not None
    with qtbot.waitSignal(window.signed_out, timeout=5_000):
        next(b for b in box.buttons() if b.text() == "Sign out anyway").click()


def test_a_changed_idle_lock_takes_effect_without_signing_in_again(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    before = window.idle.interval_ms
    assert before == int(staffed.desk.settings.get("idle_lock_minutes")) * 60_000
    staffed.desk.settings.set(staffed.admin_token, "idle_lock_minutes", "3")
    window.check_session()
    settle(qtbot, window)
    assert window.idle.interval_ms == 3 * 60_000 != before
    assert "idle lock is now 3 minutes" in window.notice_text


def test_a_new_p1_while_desk_is_not_in_front_raises_a_notification_and_the_sound(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    shown: list[tuple[str, str]] = []
    beeps: list[int] = []
    alerts = window.urgent
    alerts.show_notification = lambda title, text: shown.append((title, text))
    alerts.beep = lambda: beeps.append(1)
    staffed.desk.settings.set(staffed.admin_token, "new_p1_sound", "on")
    settle(qtbot, window)  # the first poll: what waits at sign-in is not news
    fill_queue(staffed)  # two P1s arrive (self-harm, a knife)
    window.showMinimized()  # the operator works elsewhere
    alerts.poller.poll()
    settle(qtbot, window)
    assert len(shown) == 1 and shown[0][0] == "Desk: new P1"
    assert "2 new P1 cases" in shown[0][1]
    assert beeps == [1]
    assert "2 new P1 cases" in window.notice_text
    alerts.poller.poll()  # each case is announced once
    settle(qtbot, window)
    assert len(shown) == 1


def test_a_new_p1_while_desk_is_in_front_is_a_notice_only(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    shown: list[tuple[str, str]] = []
    window.urgent.show_notification = lambda title, text: shown.append((title, text))
    activate(qtbot, window)
    settle(qtbot, window)
    fill_queue(staffed)
    window.urgent.poller.poll()
    settle(qtbot, window)
    assert shown == []
    assert "2 new P1 cases" in window.notice_text
