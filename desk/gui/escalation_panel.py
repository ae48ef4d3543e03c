"""What the case pane shows about escalation: the case's escalations and the immediate-risk banner.

The "Escalations" box lists the case's escalations with their acknowledgement state; the
banner at the top of the case counts down while an immediate-risk case is not escalated or
its escalation not acknowledged, with "Call 999 now" and "Call for service…" beside it. The
banner's words wrap and its buttons keep their full size at any window width.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desk.core.cases import CaseStatus
from desk.core.clock import Clock
from desk.core.escalation import URGENCY_LABELS
from desk.gui.case_pane import CasePane
from desk.gui.formatting import clock_time, span_text
from desk.gui.plain_text import plain_tip
from desk.services.escalations import CaseEscalations, EscalationView

COUNTDOWN_MS = 1_000
BANNER_STYLE = (
    "#immediateBanner { background: #fdecea; border: 1px solid #8b0000; "
    "border-left: 6px solid #8b0000; border-radius: 3px; }"
    " #immediateLabel { color: #5a0000; font-weight: bold; }"
)


def countdown(delta: timedelta) -> str:
    """Return a countdown as 'mm:ss' (or 'h:mm:ss')."""
    seconds = max(0, int(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def _keeps_size(button: QPushButton) -> None:
    """Never squeeze ``button`` below its size hint (its words stay whole)."""
    button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
    button.setAutoDefault(False)


class EscalationPanel(QObject):
    """The case pane's escalations box and immediate-risk banner for the case shown."""

    acknowledge_requested = Signal(object)  # the EscalationView chosen
    call_999_clicked = Signal()
    call_for_service_clicked = Signal()

    def __init__(self, pane: CasePane, clock: Clock, after: QWidget) -> None:
        super().__init__(pane)
        self.pane = pane
        self.clock = clock
        self.state: CaseEscalations | None = None
        self.may_acknowledge = False
        self._timer = QTimer(self)  # the banner's countdown
        self._timer.setInterval(COUNTDOWN_MS)
        self._timer.timeout.connect(self._tick)
        layout = pane.ui.caseLayout

        # the case's escalations, with their acknowledgement state
        box = QGroupBox(self.tr("Escalations"), pane.ui.caseContents)
        box.setObjectName("escalationsGroup")
        inner = QVBoxLayout(box)
        self.timing_label = QLabel(box)
        self.timing_label.setObjectName("escalationTimingLabel")
        self.timing_label.setTextFormat(Qt.TextFormat.PlainText)
        self.timing_label.setWordWrap(True)
        inner.addWidget(self.timing_label)
        self.list = QListWidget(box)
        self.list.setObjectName("escalationList")
        self.list.setAccessibleName(self.tr("The case's escalations"))
        self.list.setAccessibleDescription(
            self.tr("Each escalation with its target, urgency and acknowledgement")
        )
        self.list.setMaximumHeight(110)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.itemSelectionChanged.connect(self._list_selected)
        self.list.itemActivated.connect(lambda _item: self.acknowledge_selected())
        inner.addWidget(self.list)
        row = QHBoxLayout()
        self.ack_button = QPushButton(self.tr("Acknowledge…"), box)
        self.ack_button.setObjectName("escalationAckButton")
        _keeps_size(self.ack_button)
        self.ack_button.clicked.connect(self.acknowledge_selected)
        row.addWidget(self.ack_button)
        row.addStretch(1)
        inner.addLayout(row)
        layout.insertWidget(layout.indexOf(after) + 1, box)
        self.box = box

        # the immediate-risk banner, at the top of the case: words above, buttons below
        banner = QFrame(pane.ui.caseContents)
        banner.setObjectName("immediateBanner")
        banner.setStyleSheet(BANNER_STYLE)
        column = QVBoxLayout(banner)
        self.banner_label = QLabel(banner)
        self.banner_label.setObjectName("immediateLabel")
        self.banner_label.setWordWrap(True)
        self.banner_label.setTextFormat(Qt.TextFormat.PlainText)
        self.banner_label.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.MinimumExpanding
        )
        column.addWidget(self.banner_label)
        buttons = QHBoxLayout()
        self.call_999_button = QPushButton(self.tr("Call 999 now"), banner)
        self.call_999_button.setObjectName("call999Button")
        self.call_999_button.setToolTip(self.tr("Reply with the “call 999 now” script"))
        self.call_999_button.clicked.connect(self.call_999_clicked.emit)
        self.call_for_service_button = QPushButton(self.tr("Call for service…"), banner)
        self.call_for_service_button.setObjectName("callForServiceButton")
        self.call_for_service_button.clicked.connect(self.call_for_service_clicked.emit)
        for button in (self.call_999_button, self.call_for_service_button):
            _keeps_size(button)
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        layout.insertWidget(0, banner)
        banner.hide()
        self.banner = banner
        pane.guard.watch([self.list, self.ack_button, self.call_999_button,
                          self.call_for_service_button])  # fmt: skip
        self.show_state(None)

    # showing ------------------------------------------------------------------------------

    def show_state(self, state: CaseEscalations | None) -> None:
        """Show the case's escalations and immediate-risk state (None: no case)."""
        self.state = state
        self.list.clear()
        if state is None:
            self.timing_label.setText(self.tr("No case."))
            self.banner.hide()
            self._timer.stop()
            self._list_selected()
            return
        now = self.clock.now()
        taken = state.time_to_escalation
        if taken is None or state.first_escalated_at is None:
            timing = self.tr("Not escalated yet · arrived {when}").format(
                when=clock_time(state.opened_at)
            )
        else:
            timing = self.tr("First escalated {when}, {span} after arrival").format(
                when=clock_time(state.first_escalated_at), span=span_text(taken)
            )
        if state.referred_at is not None:
            timing += " · " + self.tr(
                "referred to investigations {when}: Desk is for engagement, not investigation"
            ).format(when=clock_time(state.referred_at))
        late = [e for e in state.escalations if e.acknowledged_at is None and e.deadline_at < now]
        if late:
            timing += " · " + self.tr("⚑ overdue escalation")
        self.timing_label.setText(timing)
        for e in state.escalations:
            item = QListWidgetItem(self._line(e, now))
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            item.setToolTip(plain_tip(e.body) or "")
            self.list.addItem(item)
        waiting = state.waiting
        if waiting:
            for index in range(self.list.count()):
                if self.list.item(index).data(Qt.ItemDataRole.UserRole) == waiting[0].id:
                    self.list.setCurrentRow(index)
        self._list_selected()
        self._banner()

    def _line(self, e: EscalationView, now: datetime) -> str:
        head = f"#{e.id} {clock_time(e.created_at)} {e.target_name} · " + self.tr(
            URGENCY_LABELS[e.urgency]
        )
        if e.acknowledged_at is not None:
            return (
                head
                + " · "
                + self.tr("acknowledged by {who} at {when}").format(
                    who=e.acknowledged_by, when=clock_time(e.acknowledged_at)
                )
            )
        if e.deadline_at < now:
            return (
                head
                + " · "
                + self.tr("⚑ OVERDUE: awaiting ack since {when}").format(
                    when=clock_time(e.deadline_at)
                )
            )
        return (
            head + " · " + self.tr("awaiting ack by {when}").format(when=clock_time(e.deadline_at))
        )

    def _banner(self) -> None:
        state = self.state
        show = (
            state is not None
            and state.immediate
            and state.status != CaseStatus.CLOSED.value
            and (not state.escalations or bool(state.waiting))
        )
        self.banner.setVisible(show)
        if show:
            self._tick()
            self._timer.start()
        else:
            self._timer.stop()

    def _tick(self) -> None:
        state = self.state
        if state is None or not self.banner.isVisible():
            return
        now = self.clock.now()
        waiting = state.waiting
        if waiting:
            first = waiting[0]
            left = first.deadline_at - now
            if left.total_seconds() >= 0:
                when = self.tr("{t} left for {target} to acknowledge").format(
                    t=countdown(left), target=first.target_name
                )
            else:
                when = self.tr("⚑ OVERDUE by {t}: chase {target} for acknowledgement").format(
                    t=countdown(-left), target=first.target_name
                )
        else:
            when = self.tr("{t} since arrival, not escalated yet").format(
                t=countdown(now - state.opened_at)
            )
        self.banner_label.setText(self.tr("⚠ IMMEDIATE RISK · {when}").format(when=when))

    @property
    def banner_text(self) -> str:
        """The banner's words ('' when hidden)."""
        return self.banner_label.text() if self.banner.isVisible() else ""

    def set_case_actions(self, usable: bool, may_acknowledge: bool) -> None:
        """Enable the banner's buttons and Acknowledge for what this person may do now."""
        self.call_999_button.setEnabled(usable)
        self.call_for_service_button.setEnabled(usable)
        self.may_acknowledge = may_acknowledge
        self._list_selected()

    # acknowledging ------------------------------------------------------------------------

    def _list_selected(self) -> None:
        chosen = self.selected()
        self.ack_button.setEnabled(
            chosen is not None and chosen.acknowledged_at is None and self.may_acknowledge
        )

    def selected(self) -> EscalationView | None:
        """The escalation chosen in the list, if any."""
        item = self.list.currentItem()
        if item is None or self.state is None:
            return None
        wanted = item.data(Qt.ItemDataRole.UserRole)
        return next((e for e in self.state.escalations if e.id == wanted), None)

    def acknowledge_selected(self) -> None:
        """Ask to record the acknowledgement of the escalation chosen."""
        chosen = self.selected()
        if chosen is not None and chosen.acknowledged_at is None and self.may_acknowledge:
            self.acknowledge_requested.emit(chosen)
