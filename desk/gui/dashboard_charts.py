"""The dashboard's charts: one titled chart per figure, with its numbers written underneath.

Every chart has its numbers written beside it (bar labels and a line of text), so nothing is
told by colour alone; where colour does speak, it warns: targets met are green, late is amber,
missed is red. Count axes step in whole numbers, and legends name their series briefly so that
they fit.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalPercentBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGroupBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desk.core.dashboard import DashboardData
from desk.gui.labels import platform_label, risk_label

_CONTEXT = "Dashboard"
CHART_HEIGHT = 250
MET_COLOUR = QColor("#2e7d32")  # green: the target was met
LATE_COLOUR = QColor("#e08a00")  # amber: late, or overdue
MISSED_COLOUR = QColor("#c62828")  # red: missed
NEUTRAL_COLOUR = QColor("#5b6b7a")  # slate: a plain count, neither good nor bad
TARGET_LINE_COLOUR = QColor("#1a1a1a")
MOST_TICKS = 6  # a count axis has at most this many steps

KIND_NAMES = {
    "command": "Command",
    "communications": "Comms",
    "call_for_service": "Call for service",
    "intelligence": "Intelligence",
    "professional_standards": "PSD",
    "neighbourhood": "Neighbourhood",
    "safeguarding": "Safeguarding",
    "investigations": "Investigations",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def minutes_text(minutes: float | None) -> str:
    """Say a number of minutes in words ('—' when there is none)."""
    if minutes is None:
        return "—"
    if minutes < 90:
        return _tr("{n} min").format(n=f"{minutes:g}")
    return _tr("{n} h").format(n=f"{minutes / 60:.1f}")


def percent_text(value: float | None) -> str:
    """Say a share as a percentage ('—' when there is none)."""
    return "—" if value is None else f"{value * 100:.0f}%"


def local(moment: datetime) -> datetime:
    """A time in the computer's own time zone."""
    return moment.astimezone()


def bucket_label(moment: datetime, width_hours: int) -> str:
    """Label one bar of the arrivals chart in local time."""
    when = local(moment)
    if width_hours == 1:
        return when.strftime("%H:%M")
    if width_hours == 24:
        return when.strftime("%a %d %b")
    return when.strftime("%a %H:%M")


def whole_step(top: float, most: int = MOST_TICKS) -> int:
    """The step of a count axis up to ``top``: 1, 2, 5, 10, 20, 50... (at most ``most`` steps)."""
    top = max(1.0, top)
    for power in range(12):
        for base in (1, 2, 5):
            step = int(base * 10**power)
            if math.ceil(top / step) <= most:
                return step
    return 10**12  # pragma: no cover


def count_axis(axis: QValueAxis, top: float) -> None:
    """Make ``axis`` count in whole numbers from 0 past ``top`` (room for the bar labels)."""
    step = whole_step(top * 1.1)
    axis.setLabelFormat("%d")
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setMinorTickCount(0)
    axis.setRange(0, step * max(1, math.ceil(top * 1.1 / step)))


def _colour(bar: QBarSet, colour: QColor) -> None:
    bar.setColor(colour)
    bar.setBorderColor(colour.darker(130))
    bar.setLabelColor(QColor("#ffffff") if colour.lightness() < 140 else QColor("#1a1a1a"))


def _reversed(bar: QBarSet) -> None:
    values = [bar.at(i) for i in range(bar.count())]
    bar.remove(0, bar.count())
    bar.append(list(reversed(values)))


class ChartBox(QGroupBox):
    """A titled chart with its figures written underneath."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = QChart()
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.legend().setShowToolTips(True)  # a label cut short still reads whole
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.view = QChartView(self.chart, self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(CHART_HEIGHT)
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.text = QLabel(self)
        self.text.setObjectName("chartText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(self.text)

    def clear(self) -> None:
        """Remove every series and axis."""
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)

    def series_count(self) -> int:
        """How many series the chart draws (for tests and the screenshot check)."""
        return len(self.chart.series())

    def set_axes(
        self,
        series: Any,
        categories: list[str],
        value_title: str,
        category_title: str = "",
        horizontal: bool = False,
        max_value: float | None = None,
    ) -> tuple[QBarCategoryAxis, QValueAxis]:
        """Attach a category axis and a value axis (titled) to ``series``."""
        cat_axis = QBarCategoryAxis()
        cat_axis.append(categories)
        if category_title:
            cat_axis.setTitleText(category_title)
        value_axis = QValueAxis()
        value_axis.setTitleText(value_title)
        count_axis(value_axis, max_value or 0)
        cat_side = Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom
        value_side = Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft
        self.chart.addAxis(cat_axis, cat_side)
        self.chart.addAxis(value_axis, value_side)
        series.attachAxis(cat_axis)
        series.attachAxis(value_axis)
        return cat_axis, value_axis


def draw_arrivals(box: ChartBox, data: DashboardData) -> None:
    """Draw the arrivals chart and write its figures."""
    box.clear()
    series = QStackedBarSeries()
    totals = [0] * len(data.buckets)
    for platform, counts in data.arrivals.items():
        bar = QBarSet(platform_label(platform))
        bar.append([float(n) for n in counts])
        series.append(bar)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    box.chart.addSeries(series)
    per = {1: _tr("per hour"), 6: _tr("per 6 hours"), 24: _tr("per day")}[data.bucket_hours]
    labels = [bucket_label(b, data.bucket_hours) for b in data.buckets]
    cat_axis, _ = box.set_axes(
        series,
        labels,
        _tr("Items {per}").format(per=per),
        _tr("Local time (start of each bar)"),
        max_value=max(totals, default=0),
    )
    if len(labels) > 12:
        cat_axis.setLabelsAngle(-90)
    box.chart.legend().setVisible(True)
    by_platform = ", ".join(f"{platform_label(p)} {sum(c):,}" for p, c in data.arrivals.items())
    busiest = max(range(len(totals)), key=totals.__getitem__) if any(totals) else None
    busiest_text = (
        _tr("busiest: {when} with {n}").format(when=labels[busiest], n=f"{totals[busiest]:,}")
        if busiest is not None
        else _tr("no arrivals")
    )
    box.text.setText(
        _tr("{total} items ({by}); {busiest}.").format(
            total=f"{data.total_arrivals:,}", by=by_platform or "—", busiest=busiest_text
        )
    )


def draw_response(box: ChartBox, data: DashboardData) -> None:
    """Draw the response chart and write its figures."""
    box.clear()
    series = QHorizontalBarSeries()
    share = QBarSet(_tr("Median, % of target"))
    _colour(share, NEUTRAL_COLOUR)
    labels = []
    for r in data.response:
        value = (
            0.0 if r.median_minutes is None else round(100 * r.median_minutes / r.target_minutes, 1)
        )
        share.append(value)
        labels.append(
            f"P{r.priority}: {minutes_text(r.median_minutes)} / {minutes_text(r.target_minutes)}"
        )
    labels.reverse()  # P1 at the top
    _reversed(share)
    series.append(share)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value%")
    box.chart.addSeries(series)
    target = QLineSeries()
    target.setName(_tr("Target"))
    target.append(100, -0.5)
    target.append(100, len(labels) - 0.5)
    pen = target.pen()
    pen.setColor(TARGET_LINE_COLOUR)
    pen.setWidth(2)
    pen.setStyle(Qt.PenStyle.DashLine)
    target.setPen(pen)
    box.chart.addSeries(target)
    top = max([share.at(i) for i in range(share.count())] + [100.0])
    cat_axis, value_axis = box.set_axes(
        series,
        labels,
        _tr("Median, % of target"),
        horizontal=True,
        max_value=top,
    )
    target.attachAxis(cat_axis)
    target.attachAxis(value_axis)
    box.text.setText(
        "; ".join(
            _tr("P{p}: median {median} for {n} acted on (target {target})").format(
                p=r.priority,
                median=minutes_text(r.median_minutes),
                n=r.acted,
                target=minutes_text(r.target_minutes),
            )
            for r in data.response
        )
    )


def draw_targets(box: ChartBox, data: DashboardData) -> None:
    """Draw the targets chart and write its figures."""
    box.clear()
    series = QHorizontalPercentBarSeries()
    met = QBarSet(_tr("Met"))
    missed = QBarSet(_tr("Missed"))
    _colour(met, MET_COLOUR)
    _colour(missed, MISSED_COLOUR)
    labels = []
    for r in data.response:
        met.append(float(r.met))
        missed.append(float(r.decided - r.met))
        labels.append(
            _tr("P{p}: {share} met").format(p=r.priority, share=percent_text(r.met_share))
        )
    met.append(float(data.targets_met))
    missed.append(float(data.targets_decided - data.targets_met))
    labels.append(_tr("All: {share} met").format(share=percent_text(data.met_share)))
    labels.reverse()  # P1 at the top, all priorities at the bottom
    for bar in (met, missed):
        _reversed(bar)
    series.append(met)
    series.append(missed)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value")
    box.chart.addSeries(series)
    _, value_axis = box.set_axes(series, labels, _tr("% of cases"), horizontal=True, max_value=100)
    value_axis.setTickInterval(25)
    value_axis.setRange(0, 100)
    per_priority = "; ".join(
        _tr("P{p} {met} of {decided}").format(p=r.priority, met=r.met, decided=r.decided)
        for r in data.response
    )
    box.text.setText(
        _tr(
            "Met {met} of {decided} ({share}): {per_priority}. Missed counts cases acted on "
            "late and cases still waiting past their target; {waiting} more are waiting "
            "within it."
        ).format(
            met=f"{data.targets_met:,}",
            decided=f"{data.targets_decided:,}",
            share=percent_text(data.met_share),
            per_priority=per_priority,
            waiting=sum(r.waiting - r.waiting_past_target for r in data.response),
        )
    )


def draw_escalations(box: ChartBox, data: DashboardData) -> None:
    """Draw the escalations chart and write its figures."""
    box.clear()
    series = QHorizontalBarSeries()
    made = QBarSet(_tr("Escalated"))
    late = QBarSet(_tr("Late or overdue"))
    _colour(made, NEUTRAL_COLOUR)
    _colour(late, LATE_COLOUR)
    labels = []
    for e in reversed(data.escalations):  # the most escalated at the top
        made.append(float(e.escalated))
        late.append(float(e.late))
        labels.append(
            _tr("{kind}: {median}").format(
                kind=KIND_NAMES.get(e.kind, e.kind), median=minutes_text(e.median_ack_minutes)
            )
        )
    for bar in (made, late):
        series.append(bar)
    series.setLabelsVisible(True)
    box.chart.addSeries(series)
    box.set_axes(
        series,
        labels or [_tr("none")],
        _tr("Escalations"),
        horizontal=True,
        max_value=max((e.escalated for e in data.escalations), default=0),
    )
    box.text.setText(
        "; ".join(
            _tr("{kind}: {n} escalated, {ack} acknowledged (median {median}), {late} late").format(
                kind=KIND_NAMES.get(e.kind, e.kind),
                n=e.escalated,
                ack=e.acknowledged,
                median=minutes_text(e.median_ack_minutes),
                late=e.late,
            )
            for e in data.escalations
        )
        or _tr("No escalations in this period.")
    )


def draw_risks(box: ChartBox, data: DashboardData) -> None:
    """Draw the risks chart and write its figures."""
    box.clear()
    series = QHorizontalBarSeries()
    bar = QBarSet(_tr("Cases"))
    _colour(bar, NEUTRAL_COLOUR)
    ordered = list(reversed(list(data.risks.items())))  # biggest at the top
    bar.append([float(n) for _, n in ordered])
    series.append(bar)
    series.setLabelsVisible(True)
    box.chart.addSeries(series)
    box.set_axes(
        series,
        [risk_label(code) for code, _ in ordered] or [_tr("none")],
        _tr("Cases"),
        horizontal=True,
        max_value=max(data.risks.values(), default=0),
    )
    box.chart.legend().setVisible(False)
    box.view.setMinimumHeight(max(CHART_HEIGHT, 30 * len(ordered) + 90))
    box.text.setText(
        ", ".join(f"{risk_label(code)} {n:,}" for code, n in data.risks.items())
        or _tr("No risky cases opened in this period.")
    )
