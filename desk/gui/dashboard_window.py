"""Supervisor → Dashboard…: the desk at a glance for a chosen period, fetched off the GUI thread.

The charts themselves are :mod:`desk.gui.dashboard_charts`. The figures come from
``desk.dashboard.figures`` through an operation (Refresh, a new period) and a poller (every
minute while the window shows); the window never waits for the database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from desk.core.dashboard import DashboardData, PeriodKind
from desk.core.errors import DeskError
from desk.core.outages import Outage, outage_line
from desk.gui.dashboard_charts import (
    draw_arrivals,
    draw_escalations,
    draw_response,
    draw_risks,
    draw_targets,
    local,
    percent_text,
)
from desk.gui.forms.ui_dashboard_window import Ui_DashboardWindow
from desk.gui.labels import platform_label
from desk.gui.operations import QueryOp
from desk.gui.poller import Poller
from desk.gui.screen_fit import fit_to_screen
from desk.gui.shell import Shell

AUTO_REFRESH_MS = 60_000

PERIODS: tuple[tuple[PeriodKind, str], ...] = (
    (PeriodKind.TODAY, "Today"),
    (PeriodKind.LAST_24H, "Last 24 hours"),
    (PeriodKind.LAST_7D, "Last 7 days"),
    (PeriodKind.LAST_30D, "Last 30 days"),
    (PeriodKind.CUSTOM, "Custom…"),
)
REASONS = {
    "no_one_on_shift": "no one on shift",
    "platform_outage": "platform outage",
    "system_outage": "system outage",
}
# what a fetch asks for: the period's kind, and its ends when custom
Asked = tuple[PeriodKind, datetime | None, datetime | None]


def _aware(value: QDateTime) -> datetime:
    """A chooser's local date and time as an aware UTC datetime."""
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


class DashboardWindow(QDialog):
    """Supervisor → Dashboard…: arrivals, response, targets, escalations, risks, coverage."""

    refreshed = Signal()  # the figures arrived and the charts were drawn

    def __init__(
        self,
        shell: Shell,
        parent: QWidget | None = None,
        auto_refresh_ms: int = AUTO_REFRESH_MS,
    ) -> None:
        super().__init__(parent or shell.window)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.shell = shell
        self.desk = shell.desk
        self.busy = False
        self.data: DashboardData | None = None

        self.ui = Ui_DashboardWindow()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setObjectName("dashboardWindow")
        ui = self.ui
        self.period_box = ui.periodBox
        for kind, label in PERIODS:
            self.period_box.addItem(self.tr(label), kind.value)
        self.period_box.setCurrentIndex(1)
        now = QDateTime.fromSecsSinceEpoch(int(shell.now().timestamp()))
        self.from_edit, self.to_edit = ui.fromEdit, ui.toEdit
        self.from_edit.setDateTime(now.addDays(-1))
        self.to_edit.setDateTime(now)
        self.refresh_button = ui.refreshButton
        self.state_label = ui.stateLabel
        self.summary = ui.summaryLabel
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.summary.setFont(font)
        self.arrivals = ui.arrivalsChart
        self.response = ui.responseChart
        self.targets = ui.targetsChart
        self.escalations = ui.escalationsChart
        self.risks = ui.risksChart
        self.coverage_box = ui.coverageBox
        self.coverage_list = ui.coverageList
        # issue 16: outages ongoing now, above everything else (hidden when there are none)
        self.outage_label = QLabel(self)
        self.outage_label.setObjectName("outageLabel")
        self.outage_label.setWordWrap(True)
        self.outage_label.setTextFormat(Qt.TextFormat.PlainText)
        self.outage_label.setStyleSheet("font-weight: bold; color: #a00000;")
        self.outage_label.setVisible(False)
        ui.mainLayout.insertWidget(1, self.outage_label)
        fit_to_screen(self, 1240, 760)

        self._asked: Asked = self._period()
        self.period_box.currentIndexChanged.connect(self._period_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.from_edit.editingFinished.connect(self._custom_changed)
        self.to_edit.editingFinished.connect(self._custom_changed)
        self._key = f"dashboard {id(self)}"  # one Refresh at a time
        self.poller = Poller(
            shell,
            f"dashboard {id(self)}",
            auto_refresh_ms,
            self._fetch,
            self._arrived,
            when=self.isVisible,
        )

    # fetching -----------------------------------------------------------------------------

    def _period(self) -> Asked:
        kind = PeriodKind(self.period_box.currentData())
        if kind is PeriodKind.CUSTOM:
            return kind, _aware(self.from_edit.dateTime()), _aware(self.to_edit.dateTime())
        return kind, None, None

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

    def _fetch(self) -> DashboardData:
        """On the worker: the figures for the period asked last."""
        kind, start, end = self._asked
        return self.desk.dashboard.figures(self.shell.token, kind, start, end)

    def refresh(self) -> None:
        """Fetch the figures for the chosen period off the GUI thread; draw them on arrival."""
        self._asked = self._period()
        op = QueryOp(self.shell, self._fetch, key=self._key)
        if not op.success(self._arrived).failure(self._failed).run():
            return  # a fetch is under way: its answer comes first, then Refresh again
        self.busy = True
        self.state_label.setText(self.tr("Fetching…"))
        self.refresh_button.setEnabled(False)

    def _failed(self, exc: DeskError) -> None:
        self.busy = False
        self.refresh_button.setEnabled(True)
        self.state_label.setText(self.tr("Not updated: {why}").format(why=exc.message))

    def _arrived(self, data: DashboardData) -> None:
        self.busy = False
        self.refresh_button.setEnabled(True)
        self.data = data
        self.show_data(data)
        self.state_label.setText(
            self.tr("Updated {time} ({seconds:.2f} s)").format(
                time=local(data.computed_at).strftime("%H:%M:%S"), seconds=data.seconds
            )
        )
        self.refreshed.emit()

    # drawing ------------------------------------------------------------------------------

    def show_data(self, data: DashboardData) -> None:
        """Draw every chart and write every number for ``data``."""
        start = local(data.period.start).strftime("%a %d %b %H:%M")
        end = local(data.period.end).strftime("%a %d %b %H:%M")
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
        sar = data.extra.get("subject_access", {})
        if sar.get("overdue") or sar.get("due_soon"):  # issue 13: the register's deadlines
            self.summary.setText(
                self.summary.text()
                + self.tr(
                    " · subject access requests: {late} overdue, {soon} due this week"
                ).format(late=sar.get("overdue", 0), soon=sar.get("due_soon", 0))
            )
        reviews = data.extra.get("account_reviews", {}).get("overdue", 0)
        if reviews:  # issue 14: official accounts' security reviews
            self.summary.setText(
                self.summary.text()
                + self.tr(" · official account security reviews overdue: {n}").format(n=reviews)
            )
        apps = data.extra.get("third_party_apps", {}).get("overdue", 0)
        if apps:  # issue 14: third-party apps' reviews
            self.summary.setText(
                self.summary.text()
                + self.tr(" · third-party app reviews overdue: {n}").format(n=apps)
            )
        draw_arrivals(self.arrivals, data)
        draw_response(self.response, data)
        draw_targets(self.targets, data)
        draw_escalations(self.escalations, data)
        draw_risks(self.risks, data)
        self._list_coverage(data)
        self._list_outages(data)

    def _list_outages(self, data: DashboardData) -> None:
        """Ongoing outages at the top; those ended in the period under the coverage gaps."""
        found = data.extra.get("outages", {})
        ongoing: list[Outage] = found.get("ongoing", [])
        ended: list[Outage] = found.get("in_period", [])
        now = data.computed_at
        self.outage_label.setText(
            "\n".join(
                self.tr("Outage now: {line}").format(line=outage_line(o, now)) for o in ongoing
            )
        )
        self.outage_label.setVisible(bool(ongoing))
        if ended:
            lines = "\n\n".join(outage_line(o, now) for o in ended)
            self.coverage_list.setText(
                self.coverage_list.text()
                + "\n\n"
                + self.tr("Outages in this period:")
                + "\n"
                + lines
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
                    start=local(gap.starts_at).strftime("%a %d %b %H:%M"),
                    end=local(gap.ends_at).strftime("%a %d %b %H:%M"),
                    reason=self.tr(REASONS.get(gap.reason, gap.reason)),
                    where=where,
                    risk=gap.risk_accepted,
                    who=gap.recorded_by,
                )
            )
        self.coverage_list.setText("\n\n".join(lines))

    def done(self, result: int) -> None:
        """Stop refreshing once closed."""
        self.poller.stop()
        super().done(result)

    def showEvent(self, event: Any) -> None:
        """Refresh every minute while shown."""
        super().showEvent(event)
        self.poller.start(now=False)
