"""The desk at a glance: Qt Charts for a chosen period, fetched off the GUI thread.

Every chart has its numbers written beside it (bar labels and a line of text), so nothing is
told by colour alone. The figures come from ``desk.dashboard.figures`` on the window's worker;
the window never waits for the database.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
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
from PySide6.QtCore import QCoreApplication, QDateTime, QMargins, Qt, QTimer, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desk.core.dashboard import DashboardData, PeriodKind
from desk.core.errors import DeskError
from desk.gui.labels import platform_label, risk_label
from desk.services.desk import Desk

log = logging.getLogger(__name__)

_CONTEXT = "Dashboard"
AUTO_REFRESH_MS = 60_000
CHART_HEIGHT = 250

PERIODS: tuple[tuple[PeriodKind, str], ...] = (
    (PeriodKind.TODAY, "Today"),
    (PeriodKind.LAST_24H, "Last 24 hours"),
    (PeriodKind.LAST_7D, "Last 7 days"),
    (PeriodKind.LAST_30D, "Last 30 days"),
    (PeriodKind.CUSTOM, "Custom…"),
)

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
REASONS = {
    "no_one_on_shift": "no one on shift",
    "platform_outage": "platform outage",
    "system_outage": "system outage",
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


def _local(moment: datetime) -> datetime:
    return moment.astimezone()


def _aware(value: QDateTime) -> datetime:
    """A chooser's local date and time as an aware UTC datetime."""
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


def bucket_label(moment: datetime, width_hours: int) -> str:
    """Label one bar of the arrivals chart in local time."""
    local = _local(moment)
    if width_hours == 1:
        return local.strftime("%H:%M")
    if width_hours == 24:
        return local.strftime("%a %d %b")
    return local.strftime("%a %H:%M")


class ChartBox(QGroupBox):
    """A titled chart with its figures written underneath."""

    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(name)
        self.chart = QChart()
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.view = QChartView(self.chart, self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(CHART_HEIGHT)
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.text = QLabel(self)
        self.text.setObjectName(name + "Text")
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
        value_axis.setLabelFormat("%d")
        value_axis.setMin(0)
        value_axis.setMax(max(max_value or 0, 1) * 1.15)
        value_axis.applyNiceNumbers()
        cat_side = Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom
        value_side = Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft
        self.chart.addAxis(cat_axis, cat_side)
        self.chart.addAxis(value_axis, value_side)
        series.attachAxis(cat_axis)
        series.attachAxis(value_axis)
        return cat_axis, value_axis


class DashboardWindow(QDialog):
    """Supervisor → Dashboard…: arrivals, response, targets, escalations, risks, coverage."""

    refreshed = Signal()  # the figures arrived and the charts were drawn

    def __init__(
        self,
        desk: Desk,
        token_source: Any,
        worker: Any,
        calls: Any,
        parent: QWidget | None = None,
        auto_refresh_ms: int = AUTO_REFRESH_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardWindow")
        self.setWindowTitle(self.tr("Desk — the desk at a glance"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.desk = desk
        self._token_source = token_source
        self.worker = worker
        self.calls = calls
        self.busy = False
        self.data: DashboardData | None = None

        self.period_box = QComboBox(self)
        self.period_box.setObjectName("periodBox")
        for kind, label in PERIODS:
            self.period_box.addItem(_tr(label), kind.value)
        self.period_box.setCurrentIndex(1)
        self.period_box.setAccessibleName(self.tr("Period"))
        now = QDateTime.fromSecsSinceEpoch(int(desk.ctx.clock.now().timestamp()))
        self.from_edit = QDateTimeEdit(now.addDays(-1), self)
        self.from_edit.setObjectName("fromEdit")
        self.to_edit = QDateTimeEdit(now, self)
        self.to_edit.setObjectName("toEdit")
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy HH:mm")
            edit.setEnabled(False)
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setObjectName("refreshButton")
        self.state_label = QLabel(self)
        self.state_label.setObjectName("dashboardState")

        top = QHBoxLayout()
        period_label = QLabel(self.tr("&Period"), self)
        period_label.setBuddy(self.period_box)
        top.addWidget(period_label)
        top.addWidget(self.period_box)
        top.addWidget(QLabel(self.tr("from"), self))
        top.addWidget(self.from_edit)
        top.addWidget(QLabel(self.tr("to"), self))
        top.addWidget(self.to_edit)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        top.addWidget(self.state_label)

        self.summary = QLabel(self)
        self.summary.setObjectName("dashboardSummary")
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.summary.setFont(font)

        self.arrivals = ChartBox(self.tr("Arrivals by platform"), "arrivalsChart", self)
        self.response = ChartBox(
            self.tr("Time to first action by priority, against the target"),
            "responseChart",
            self,
        )
        self.targets = ChartBox(self.tr("Share of response targets met"), "targetsChart", self)
        self.escalations = ChartBox(
            self.tr("Escalations by target, and time to acknowledgement"),
            "escalationsChart",
            self,
        )
        self.risks = ChartBox(self.tr("Risk categories (cases opened)"), "risksChart", self)
        self.coverage_box = QGroupBox(self.tr("Coverage gaps (desk not monitored)"), self)
        self.coverage_list = QLabel(self.coverage_box)
        self.coverage_list.setObjectName("coverageList")
        self.coverage_list.setWordWrap(True)
        self.coverage_list.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.coverage_list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(self.coverage_box).addWidget(self.coverage_list)

        grid_host = QWidget(self)
        grid = QGridLayout(grid_host)
        grid.addWidget(self.arrivals, 0, 0, 1, 3)
        grid.addWidget(self.response, 1, 0)
        grid.addWidget(self.targets, 1, 1)
        grid.addWidget(self.escalations, 1, 2)
        grid.addWidget(self.risks, 2, 0, 1, 2)
        grid.addWidget(self.coverage_box, 2, 2)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        self.resize(1280, 900)

        self.period_box.currentIndexChanged.connect(self._period_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.from_edit.editingFinished.connect(self._custom_changed)
        self.to_edit.editingFinished.connect(self._custom_changed)
        self.timer = QTimer(self)
        self.timer.setInterval(auto_refresh_ms)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    # fetching -----------------------------------------------------------------------------

    def _period_changed(self) -> None:
        custom = self.period_box.currentData() == PeriodKind.CUSTOM.value
        self.from_edit.setEnabled(custom)
        self.to_edit.setEnabled(custom)
        self.refresh()

    def _custom_changed(self) -> None:
        if self.period_box.currentData() == PeriodKind.CUSTOM.value:
            self.refresh()

    def choose_period(self, kind: PeriodKind) -> None:
        """Choose a period (as the person would with the chooser) and fetch it."""
        self.period_box.setCurrentIndex(self.period_box.findData(kind.value))

    def refresh(self) -> None:
        """Fetch the figures for the chosen period on the worker; draw them when they arrive."""
        if self.busy or (not self.isVisible() and self.data is not None):
            return
        kind = PeriodKind(self.period_box.currentData())
        start = end = None
        if kind is PeriodKind.CUSTOM:
            start = _aware(self.from_edit.dateTime())
            end = _aware(self.to_edit.dateTime())
        token = self._token_source()
        desk = self.desk
        self.busy = True
        self.state_label.setText(self.tr("Fetching…"))
        self.refresh_button.setEnabled(False)
        self.worker.run(
            lambda: desk.dashboard.figures(token, kind, start, end),
            self._arrived,
            self._failed,
            context=self,
        )

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.refresh_button.setEnabled(True)
        self.state_label.setText(self.tr("Not updated"))
        if isinstance(exc, DeskError):
            self.calls.handle(exc)
        else:
            log.error("dashboard figures failed: %s", type(exc).__name__)
            self.state_label.setText(self.tr("Desk could not read the figures."))

    def _arrived(self, data: DashboardData) -> None:
        self.busy = False
        self.refresh_button.setEnabled(True)
        self.data = data
        self.show_data(data)
        self.state_label.setText(
            self.tr("Updated {time} ({seconds:.2f} s)").format(
                time=_local(data.computed_at).strftime("%H:%M:%S"), seconds=data.seconds
            )
        )
        self.refreshed.emit()

    # drawing ------------------------------------------------------------------------------

    def show_data(self, data: DashboardData) -> None:
        """Draw every chart and write every number for ``data``."""
        start = _local(data.period.start).strftime("%a %d %b %H:%M")
        end = _local(data.period.end).strftime("%a %d %b %H:%M")
        self.summary.setText(
            self.tr(
                "{start} to {end}: {arrivals} items arrived · response targets met "
                "{met} of {decided} ({share}) · escalations {esc} · coverage gaps {gaps}"
            ).format(
                start=start,
                end=end,
                arrivals=f"{data.total_arrivals:,}",
                met=f"{data.targets_met:,}",
                decided=f"{data.targets_decided:,}",
                share=percent_text(data.met_share),
                esc=sum(e.escalated for e in data.escalations),
                gaps=len(data.coverage),
            )
        )
        self._draw_arrivals(data)
        self._draw_response(data)
        self._draw_targets(data)
        self._draw_escalations(data)
        self._draw_risks(data)
        self._list_coverage(data)

    def _draw_arrivals(self, data: DashboardData) -> None:
        box = self.arrivals
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

    def _draw_response(self, data: DashboardData) -> None:
        box = self.response
        box.clear()
        series = QHorizontalBarSeries()
        share = QBarSet(_tr("Median time to first action, % of target"))
        labels = []
        for r in data.response:
            value = (
                0.0
                if r.median_minutes is None
                else round(100 * r.median_minutes / r.target_minutes, 1)
            )
            share.append(value)
            labels.append(
                f"P{r.priority}: {minutes_text(r.median_minutes)} / "
                f"{minutes_text(r.target_minutes)}"
            )
        labels.reverse()  # P1 at the top
        values = [share.at(i) for i in range(share.count())]
        share.remove(0, share.count())
        share.append(list(reversed(values)))
        series.append(share)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value%")
        box.chart.addSeries(series)
        target = QLineSeries()
        target.setName(_tr("Target (100%)"))
        target.append(100, -0.5)
        target.append(100, len(labels) - 0.5)
        pen = target.pen()
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

    def _draw_targets(self, data: DashboardData) -> None:
        box = self.targets
        box.clear()
        series = QHorizontalPercentBarSeries()
        met = QBarSet(_tr("Met"))
        missed = QBarSet(_tr("Missed"))
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
            values = [bar.at(i) for i in range(bar.count())]
            bar.remove(0, bar.count())
            bar.append(list(reversed(values)))
        series.append(met)
        series.append(missed)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        box.chart.addSeries(series)
        _, value_axis = box.set_axes(
            series, labels, _tr("% of cases"), horizontal=True, max_value=100
        )
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

    def _draw_escalations(self, data: DashboardData) -> None:
        box = self.escalations
        box.clear()
        series = QHorizontalBarSeries()
        made = QBarSet(_tr("Escalated"))
        late = QBarSet(_tr("Late or overdue"))
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
                _tr(
                    "{kind}: {n} escalated, {ack} acknowledged (median {median}), {late} late"
                ).format(
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

    def _draw_risks(self, data: DashboardData) -> None:
        box = self.risks
        box.clear()
        series = QHorizontalBarSeries()
        bar = QBarSet(_tr("Cases"))
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

    def _list_coverage(self, data: DashboardData) -> None:
        if not data.coverage:
            self.coverage_list.setText(self.tr("None recorded in this period."))
            return
        lines = []
        for gap in data.coverage:
            where = f" ({platform_label(gap.platform)})" if gap.platform else ""
            lines.append(
                self.tr(
                    "{start} to {end} · {reason}{where} · risk accepted: {risk} · by {who}"
                ).format(
                    start=_local(gap.starts_at).strftime("%a %d %b %H:%M"),
                    end=_local(gap.ends_at).strftime("%a %d %b %H:%M"),
                    reason=REASONS.get(gap.reason, gap.reason),
                    where=where,
                    risk=gap.risk_accepted,
                    who=gap.recorded_by,
                )
            )
        self.coverage_list.setText("\n\n".join(lines))

    def done(self, result: int) -> None:
        """Stop refreshing once closed."""
        self.timer.stop()
        super().done(result)

    def showEvent(self, event: Any) -> None:
        """Restart auto refresh when shown again."""
        super().showEvent(event)
        self.timer.start()
