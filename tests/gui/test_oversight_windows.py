"""Supervisor → Dashboard… and Quality review…, with real widgets and the real worker."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from desk.core.dashboard import PeriodKind
from desk.gui import dashboard_charts
from desk.gui.dashboard_charts import LATE_COLOUR, MET_COLOUR, MISSED_COLOUR, whole_step
from desk.gui.main_window import MainWindow
from tests.conftest import Staffed
from tests.gui.queue_fixtures import MakeWindow
from tests.services.test_quality import Desk2


def test_the_dashboard_fills_its_charts_from_the_worker(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    qa = Desk2(staffed)  # twelve X items, all closed within their target
    window, _ = make_window(qa.sue)
    action = window.oversight.dashboard_action
    assert action.isEnabled()
    assert action in window.ui.menuSupervisor.actions()
    action.trigger()
    dashboard = window.oversight.dashboard
    assert dashboard is not None and dashboard.isVisible()
    # the figures are fetched on the worker: the window is up before they arrive
    assert dashboard.busy and dashboard.data is None
    with qtbot.waitSignal(dashboard.refreshed, timeout=10_000):
        pass
    assert dashboard.data is not None
    assert "12 items arrived" in dashboard.summary.text()
    assert "met 12 of 12 (100%)" in dashboard.summary.text()
    for box in (dashboard.arrivals, dashboard.response, dashboard.targets, dashboard.risks):
        assert box.series_count() >= 1
    assert "X 12" in dashboard.arrivals.text.text()
    assert dashboard.coverage_list.text() == "None recorded in this period."
    # another period: the chooser fetches again, in six-hour bars for a week
    with qtbot.waitSignal(dashboard.refreshed, timeout=10_000):
        dashboard.choose_period(PeriodKind.LAST_7D)
    assert dashboard.data.bucket_hours == 6
    with qtbot.waitSignal(dashboard.refreshed, timeout=10_000):
        qtbot.mouseClick(dashboard.refresh_button, Qt.MouseButton.LeftButton)
    dashboard.close()
    assert not dashboard.poller.active


def test_an_operator_has_neither_window(make_window: MakeWindow, staffed: Staffed) -> None:
    window, _ = make_window(staffed.operator)
    assert not window.oversight.dashboard_action.isEnabled()
    assert not window.oversight.quality_action.isEnabled()


def test_quality_review_draws_a_sample_and_records_a_review(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    qa = Desk2(staffed)
    window: MainWindow
    window, token = make_window(qa.sue)
    window.oversight.quality_action.trigger()
    quality = window.oversight.quality
    assert quality is not None
    qtbot.waitUntil(lambda: quality.month == qa.month and not window.worker.busy)
    with qtbot.waitSignal(quality.loaded, timeout=10_000):
        qtbot.mouseClick(quality.draw_button, Qt.MouseButton.LeftButton)
    assert quality.sample_table.rowCount() == 9
    assert quality.results_table.rowCount() == 2
    quality.sample_table.selectRow(0)
    current = quality.current
    assert current is not None
    qtbot.waitUntil(lambda: f"#{current.case_id}" in quality.case_view.toPlainText())
    # nothing is answered for the reviewer: saving now says what is missing
    qtbot.mouseClick(quality.save_button, Qt.MouseButton.LeftButton)
    assert "Answer every item first" in quality.state_label.text()
    for check, index in (
        ("thrive_complete", 1),
        ("grade_justified", 1),
        ("right_template", 3),
        ("target_met", 2),
    ):
        quality.answer_boxes[check].setCurrentIndex(index)
    quality.comment.setPlainText("good")
    with qtbot.waitSignal(quality.loaded, timeout=10_000):
        qtbot.mouseClick(quality.save_button, Qt.MouseButton.LeftButton)
    saved = staffed.desk.quality.get(token, current.id)
    assert saved.reviewed and saved.reviewer == "sgreen"
    assert saved.answers["target_met"] is False and saved.answers["right_template"] is None
    row = next(
        r
        for r in range(quality.results_table.rowCount())
        if current.operator in quality.results_table.item(r, 0).text()
    )
    assert quality.results_table.item(row, 2).text() == "1"
    assert quality.results_table.item(row, 6).text() == "0/1 (0%)"
    assert "saved" in window.notice_text


def test_whole_steps_for_count_axes() -> None:
    assert [whole_step(n) for n in (0, 1, 2, 5, 6, 7, 12, 40, 130, 2500)] == [
        1, 1, 1, 1, 1, 2, 2, 10, 50, 500,
    ]  # fmt: skip


def test_the_dashboard_warns_in_colour_counts_in_whole_numbers_and_its_legends_fit(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    qa = Desk2(staffed)
    window, _ = make_window(qa.sue)
    window.resize(1280, 800)
    window.show()
    window.oversight.dashboard_action.trigger()
    dashboard = window.oversight.dashboard
    assert dashboard is not None
    qtbot.waitUntil(lambda: dashboard.data is not None, timeout=10_000)
    assert dashboard.width() <= 1280 and dashboard.height() <= 800
    targets = dashboard.targets.chart.series()[0]
    colours = {bar.label(): bar.color() for bar in targets.barSets()}
    assert colours == {"Met": MET_COLOUR, "Missed": MISSED_COLOUR}
    escalations = dashboard.escalations.chart.series()[0]
    late = next(bar for bar in escalations.barSets() if bar.label() == "Late or overdue")
    assert late.color() == LATE_COLOUR
    for box in (dashboard.escalations, dashboard.risks, dashboard.arrivals):
        axis = next(a for a in box.chart.axes() if isinstance(a, dashboard_charts.QValueAxis))
        assert axis.labelFormat() == "%d"
        assert axis.tickInterval() >= 1 and axis.tickInterval() == int(axis.tickInterval())
        assert axis.max() == int(axis.max()) and axis.max() % axis.tickInterval() == 0
    for box in (dashboard.response, dashboard.targets, dashboard.escalations, dashboard.arrivals):
        legend = box.chart.legend()
        if not legend.isVisible():
            continue
        metrics = QFontMetrics(legend.font())
        wanted = sum(metrics.horizontalAdvance(m.label()) + 40 for m in legend.markers())
        assert wanted <= box.view.width(), box.objectName()
