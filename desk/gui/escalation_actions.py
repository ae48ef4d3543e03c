"""Escalation in the main window: menu, buttons, banner, acknowledgements, status flag.

The Escalate menu and the case pane's buttons, the case's escalations with their
acknowledgement state, the immediate-risk banner with its countdown, and the status bar's
count of escalations awaiting acknowledgement.

One key per target (F5 Command, F6 call for service, F7 intelligence, F8 communications,
Ctrl+F5 professional standards, Ctrl+F6 neighbourhood, Ctrl+F7 safeguarding, Ctrl+F8
investigations); Refresh is Ctrl+R, so that F5 is Command as the desk's guidance sketches it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from desk.core.cases import CaseStatus
from desk.core.errors import DeskError
from desk.core.escalation import KIND_LABELS, URGENCY_LABELS, TargetKind, Urgency
from desk.core.roles import Action, may
from desk.gui.case_dialogs import TextEntryDialog
from desk.gui.escalation_dialog import AckDialog, CaseFacts, EscalationDialog, WaitingDialog
from desk.gui.formatting import clock_time, span_text
from desk.gui.labels import grade_label, platform_label, risk_words
from desk.services.case_views import CaseDetail
from desk.services.escalations import CaseEscalations, EscalationView

if TYPE_CHECKING:
    from desk.gui.main_window import MainWindow

log = logging.getLogger(__name__)

COUNTDOWN_MS = 1_000

# (kind, menu text, button text, keys) in the order of the Escalate menu
ESCALATE: tuple[tuple[TargetKind, str, str, str], ...] = (
    (TargetKind.COMMAND, "&Command (duty inspector)…", "Command", "F5"),
    (TargetKind.CALL_FOR_SERVICE, "Contact: call for &service…", "Call for service", "F6"),
    (TargetKind.INTELLIGENCE, "&Intelligence submission…", "Intel", "F7"),
    (TargetKind.COMMUNICATIONS, "Corporate c&ommunications…", "Comms", "F8"),
    (TargetKind.PROFESSIONAL_STANDARDS, "&Professional standards…", "PSD", "Ctrl+F5"),
    (TargetKind.NEIGHBOURHOOD, "&Neighbourhood team…", "Local team", "Ctrl+F6"),
    (TargetKind.SAFEGUARDING, "Safe&guarding…", "Safeguard", "Ctrl+F7"),
    (TargetKind.INVESTIGATIONS, "&Refer to investigations…", "Refer", "Ctrl+F8"),
)
WAITING_SHORTCUT = "Ctrl+Shift+E"
BANNER_STYLE = (
    "#immediateBanner { background: #fdecea; border: 1px solid #8b0000; "
    "border-left: 6px solid #8b0000; border-radius: 3px; }"
    " #immediateLabel { color: #5a0000; font-weight: bold; }"
)


def _clock(delta: timedelta) -> str:
    """Return a countdown as 'mm:ss' (or 'h:mm:ss')."""
    seconds = max(0, int(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


class EscalationActions(QObject):
    """Builds and drives everything about escalation in one main window."""

    call_999_requested = Signal(int)  # the "call 999 now" scripted reply, for the template picker
    escalated = Signal(int)  # a case was escalated (or referred)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.desk = window.desk
        self.queue = window.queue
        self.pane = window.ui.casePane
        self.state: CaseEscalations | None = None
        self.counts: tuple[int, int] | None = None
        self.dialog: Any = None  # the escalation dialog open now (tests, screenshots)
        self.waiting_dialog: WaitingDialog | None = None
        self._counts_busy = False
        self._state_seq = 0
        self._acted_on: int | None = None  # the case an action just succeeded on
        self.auto_opened: set[int] = set()  # cases whose call-for-service form Desk opened

        self._timer = QTimer(self)  # the banner's countdown
        self._timer.setInterval(COUNTDOWN_MS)
        self._timer.timeout.connect(self._tick)
        self.actions: dict[TargetKind, QAction] = {}
        self._build_actions()
        self._build_pane()
        self.queue.case_selected.connect(self.load_case)
        self.queue.case_changed.connect(self._case_changed)
        self.queue.counts_changed.connect(self.refresh_counts)
        self.refresh_counts()
        self.update_actions()

    # building -----------------------------------------------------------------------------

    def _build_actions(self) -> None:
        ui = self.window.ui
        menu = ui.menuEscalate
        menu.removeAction(ui.actionEscalatePending)
        ui.actionEscalatePending.setVisible(False)
        for kind, text, short, keys in ESCALATE:
            action = QAction(self.tr(text), self.window)
            action.setObjectName(f"actionEscalate_{kind.value}")
            action.setIconText(self.tr(short))
            action.setShortcut(QKeySequence(keys))
            action.setStatusTip(self.tr(KIND_LABELS[kind]))
            action.triggered.connect(lambda _checked=False, k=kind: self.escalate(k))
            if kind is TargetKind.INVESTIGATIONS:
                menu.addSeparator()
            menu.addAction(action)
            self.actions[kind] = action
        menu.addSeparator()
        self.action_waiting = QAction(
            self.tr("Escalations &awaiting acknowledgement…"), self.window
        )
        self.action_waiting.setObjectName("actionEscalationsWaiting")
        self.action_waiting.setShortcut(QKeySequence(WAITING_SHORTCUT))
        self.action_waiting.triggered.connect(self.open_waiting)
        menu.addAction(self.action_waiting)
        self.action_call_999 = QAction(self.tr("Call 999 now"), self.window)
        self.action_call_999.setObjectName("actionCall999")
        self.action_call_999.triggered.connect(self._call_999)

    def _build_pane(self) -> None:
        pane = self.pane
        self.section = pane.add_section(
            "escalate", self.tr("Escalate"), list(self.actions.values()), columns=3
        )
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
        self.ack_button.setAutoDefault(False)
        self.ack_button.clicked.connect(self.acknowledge_selected)
        row.addWidget(self.ack_button)
        row.addStretch(1)
        inner.addLayout(row)
        layout.insertWidget(layout.indexOf(self.section) + 1, box)
        self.box = box

        # the immediate-risk banner, at the top of the case
        banner = QFrame(pane.ui.caseContents)
        banner.setObjectName("immediateBanner")
        banner.setStyleSheet(BANNER_STYLE)
        row = QHBoxLayout(banner)
        self.banner_label = QLabel(banner)
        self.banner_label.setObjectName("immediateLabel")
        self.banner_label.setWordWrap(True)
        self.banner_label.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.banner_label, 1)
        self.call_999_button = QPushButton(self.tr("Call 999 now"), banner)
        self.call_999_button.setObjectName("call999Button")
        self.call_999_button.setAutoDefault(False)
        self.call_999_button.clicked.connect(self._call_999)
        self.call_for_service_button = QPushButton(self.tr("Call for service…"), banner)
        self.call_for_service_button.setObjectName("callForServiceButton")
        self.call_for_service_button.setAutoDefault(False)
        self.call_for_service_button.clicked.connect(
            lambda: self.escalate(TargetKind.CALL_FOR_SERVICE, Urgency.IMMEDIATE)
        )
        row.addWidget(self.call_999_button)
        row.addWidget(self.call_for_service_button)
        layout.insertWidget(0, banner)
        banner.hide()
        self.banner = banner
        pane.guard.watch([self.list, self.ack_button, self.call_999_button,
                          self.call_for_service_button])  # fmt: skip
        self._show_state(None)

    # state --------------------------------------------------------------------------------

    def _usable(self) -> bool:
        return not (self.window.ended or self.window.locked)

    def load_case(self, case_id: int) -> None:
        """Fetch the case's escalations and immediate-risk state (off the GUI thread)."""
        if not self._usable():
            return
        self._state_seq += 1
        seq, token, desk = self._state_seq, self.window.token, self.desk

        def done(state: CaseEscalations) -> None:
            if seq == self._state_seq and state.case_id == self.queue.case_id:
                self._show_state(state)
                self._offer_call_for_service(state)

        def failed(exc: Exception) -> None:
            log.info("escalations not read: %s", type(exc).__name__)

        self.worker_run(lambda: desk.escalations.case_state(token, case_id), done, failed)
        self.update_actions()

    def _case_changed(self, case_id: int) -> None:
        self._acted_on = case_id  # claimed, graded...: an immediate case gets its form
        self.load_case(case_id)

    def _offer_call_for_service(self, state: CaseEscalations) -> None:
        """Immediate risk: after the operator acts on the case, open call for service at once.

        Once per case and window: cancelling the form is respected; the banner keeps the
        buttons and the countdown.
        """
        acted, self._acted_on = self._acted_on, None
        if (
            acted != state.case_id
            or not state.immediate
            or state.escalations
            or state.status == CaseStatus.CLOSED.value
            or state.case_id in self.auto_opened
            or self.dialog is not None
            or not self.actions[TargetKind.CALL_FOR_SERVICE].isEnabled()
        ):
            return
        self.auto_opened.add(state.case_id)
        self.queue.notify(
            self.tr(
                "Immediate risk on case #{id}: the call-for-service form is open; "
                "the 999 reply is on the banner."
            ).format(id=state.case_id)
        )
        self.escalate(TargetKind.CALL_FOR_SERVICE, Urgency.IMMEDIATE)

    def worker_run(self, fn: Any, done: Any, failed: Any) -> None:
        """Run ``fn`` on the window's worker."""
        self.window.worker.run(fn, done, failed, context=self)

    def refresh_counts(self) -> None:
        """Fetch the status bar's flag: escalations awaiting acknowledgement, and overdue."""
        if self._counts_busy or not self._usable():
            return
        self._counts_busy = True
        token, desk = self.window.token, self.desk

        def read() -> tuple[tuple[int, int], frozenset[int]]:
            return desk.escalations.waiting_counts(token), desk.escalations.overdue_cases(token)

        def done(found: tuple[tuple[int, int], frozenset[int]]) -> None:
            self._counts_busy = False
            self.counts, overdue = found
            self.queue.model.set_flagged(overdue)  # ⚑ on the queue's rows
            self.window._update_status()

        def failed(exc: Exception) -> None:
            self._counts_busy = False
            log.info("escalation counts not read: %s", type(exc).__name__)

        self.worker_run(read, done, failed)

    def status_text(self) -> str:
        """The status bar's part: 'Escalations awaiting ack 2 (1 overdue)' ('' before known)."""
        if self.counts is None:
            return ""
        waiting, late = self.counts
        text = self.tr("Escalations awaiting ack {n}").format(n=waiting)
        if late:
            text += " " + self.tr("(⚑ {m} overdue)").format(m=late)
        return text

    def _show_state(self, state: CaseEscalations | None) -> None:
        self.state = state
        self.list.clear()
        if state is None:
            self.timing_label.setText(self.tr("No case."))
            self.banner.hide()
            self._timer.stop()
            self._list_selected()
            return
        now = self.desk.ctx.clock.now()
        taken = state.time_to_escalation
        if taken is None:
            timing = self.tr("Not escalated yet · arrived {when}").format(
                when=clock_time(state.opened_at)
            )
        else:
            assert state.first_escalated_at is not None
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
            item.setToolTip(e.body)
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
        now = self.desk.ctx.clock.now()
        waiting = state.waiting
        if waiting:
            first = waiting[0]
            left = first.deadline_at - now
            if left.total_seconds() >= 0:
                when = self.tr("{t} left for {target} to acknowledge").format(
                    t=_clock(left), target=first.target_name
                )
            else:
                when = self.tr("⚑ OVERDUE by {t}: chase {target} for acknowledgement").format(
                    t=_clock(-left), target=first.target_name
                )
        else:
            when = self.tr("{t} since arrival, not escalated yet").format(
                t=_clock(now - state.opened_at)
            )
        self.banner_label.setText(self.tr("⚠ IMMEDIATE RISK · {when}").format(when=when))

    @property
    def banner_text(self) -> str:
        """The banner's words ('' when hidden)."""
        return self.banner_label.text() if self.banner.isVisible() else ""

    def _list_selected(self) -> None:
        chosen = self._selected_escalation()
        self.ack_button.setEnabled(
            chosen is not None
            and chosen.acknowledged_at is None
            and may(self.window.actor.role, Action.WORK_CASES)
        )

    def _selected_escalation(self) -> EscalationView | None:
        item = self.list.currentItem()
        if item is None or self.state is None:
            return None
        wanted = item.data(Qt.ItemDataRole.UserRole)
        return next((e for e in self.state.escalations if e.id == wanted), None)

    def update_actions(self) -> None:
        """Enable the escalation keys when a case is open and the role works cases."""
        if self.window.locked or self.window.ended:
            return
        role = self.window.actor.role
        works = may(role, Action.WORK_CASES)
        row = self.queue.selected_row() if self.queue.case_id is not None else None
        usable = works and row is not None and row.status != CaseStatus.CLOSED.value
        for action in [*self.actions.values(), self.action_call_999]:
            action.setEnabled(usable)
            action.setToolTip(
                ""
                if works
                else self.tr("Your role ({role}) does not include this.").format(role=role.value)
            )
        self.call_999_button.setEnabled(usable)
        self.call_for_service_button.setEnabled(usable)
        self.action_waiting.setEnabled(may(role, Action.VIEW_QUEUE))

    # doing --------------------------------------------------------------------------------

    def _call_999(self) -> None:
        case_id = self.queue.case_id
        if case_id is not None:
            self.call_999_requested.emit(case_id)
            self.queue.notify(
                self.tr("Case #{id}: reply with the “call 999 now” script.").format(id=case_id)
            )

    def _facts(self, detail: CaseDetail) -> CaseFacts:
        row = detail.row
        first = detail.items[0] if detail.items else None
        if detail.assessments:
            latest = detail.assessments[-1]
            assessment = self.tr("THRIVE v{v} done · Grade: {grade}").format(
                v=latest.version, grade=grade_label(latest.grade)
            )
        else:
            assessment = self.tr("THRIVE not recorded")
        author = first.author_handle if first else row.author
        if first and first.author_name and first.author_name != first.author_handle:
            author = f"{first.author_name} ({first.author_handle})"
        return CaseFacts(
            case_id=row.case_id,
            summary=" ".join(row.summary.split())[:300],
            item_text="\n\n".join(i.text for i in detail.items),
            link=(first.link or "") if first else "",
            author=author,
            platform=platform_label(row.platform),
            arrived=row.opened_at,
            risk=risk_words(row.risk)
            if row.risk
            else self.tr("not yet assessed (no rule matched)"),
            assessment=assessment,
        )

    def escalate(self, kind: TargetKind, urgency: Urgency | None = None) -> None:
        """Open the escalation form for ``kind`` on the selected case (F5–F8, Ctrl+F5–F8)."""
        row = self.queue._case()
        if row is None:
            return
        if kind is TargetKind.INVESTIGATIONS:
            self.refer(row.case_id)
            return
        token, case_id = self.window.token, row.case_id
        calls = self.window.calls
        detail = calls.call(self.desk.queue.detail, token, case_id)
        targets = calls.call(self.desk.escalations.targets, token, kind)
        if not detail.ok or detail.value is None or not targets.ok or targets.value is None:
            return
        facts = self._facts(detail.value)
        if urgency is None:
            immediate = self.state is not None and self.state.immediate
            urgency = Urgency.IMMEDIATE if immediate else Urgency.HOUR

        def preview(target_id: int, chosen: Urgency, summary: str) -> Any:
            return self.desk.escalations.preview(
                self.window.token, case_id, kind, chosen, summary, target_id=target_id
            )

        dialog = EscalationDialog(
            self.tr("Escalate case #{id} to {target}").format(
                id=case_id, target=self.tr(KIND_LABELS[kind])
            ),
            kind,
            targets.value,
            facts,
            urgency,
            preview,
            self.window,
        )
        dialog.handed_on.connect(self.queue.notify)
        dialog.submitted.connect(
            lambda target_id, code, summary: self.queue._in_dialog(
                dialog,
                case_id,
                lambda: self._escalate(case_id, kind, target_id, Urgency(code), summary),
                self.tr("Case #{id} escalated to {target}.").format(
                    id=case_id, target=dialog.target.name if dialog.target else ""
                ),
            )
        )
        self._open(dialog, "escalationDialog")

    def _open(self, dialog: Any, name: str) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.queue._open(dialog, name)

    def _closed(self, dialog: Any) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _escalate(
        self, case_id: int, kind: TargetKind, target_id: int, urgency: Urgency, summary: str
    ) -> None:
        self.desk.escalations.escalate(
            self.window.token, case_id, kind, urgency, summary, target_id=target_id
        )
        self.escalated.emit(case_id)
        self.refresh_counts()

    def refer(self, case_id: int) -> None:
        """Ctrl+F8: refer the content to the investigations team, saying why."""
        dialog = TextEntryDialog(
            self.tr("Refer case #{id} to investigations").format(id=case_id),
            self.tr(
                "Desk is for engagement, not investigation. Say why this content needs "
                "investigating: the investigations team gets the case and it is marked referred."
            ),
            self.tr("Refer"),
            self.window,
        )

        def refer(reason: str) -> None:
            self.desk.escalations.refer_to_investigations(self.window.token, case_id, reason)
            self.escalated.emit(case_id)
            self.refresh_counts()

        dialog.submitted.connect(
            lambda text: self.queue._in_dialog(
                dialog,
                case_id,
                lambda: refer(text),
                self.tr("Case #{id} referred to investigations.").format(id=case_id),
            )
        )
        self._open(dialog, "referDialog")

    def acknowledge_selected(self) -> None:
        """Record the acknowledgement of the escalation chosen in the case pane."""
        chosen = self._selected_escalation()
        if chosen is not None and chosen.acknowledged_at is None:
            self.acknowledge(chosen)

    def acknowledge(self, escalation: EscalationView) -> AckDialog:
        """Open the acknowledgement dialog for ``escalation``."""
        dialog = AckDialog(escalation, self.desk.ctx.clock.now(), self.window)
        case_id = escalation.case_id

        def record(who: str, when: datetime, note: str) -> None:
            now = self.desk.ctx.clock.now()
            at = None if abs((when - now).total_seconds()) < 60 else when
            self.desk.escalations.acknowledge(self.window.token, escalation.id, who, note, at)
            self.refresh_counts()
            self._refresh_waiting()

        dialog.submitted.connect(
            lambda who, when, note: self.queue._in_dialog(
                dialog,
                case_id,
                lambda: record(who, when, note),
                self.tr("Escalation #{id} acknowledged by {who}.").format(
                    id=escalation.id, who=who
                ),
            )
        )
        self._open(dialog, "ackDialog")
        return dialog

    def open_waiting(self) -> WaitingDialog | None:
        """Ctrl+Shift+E: the escalations awaiting acknowledgement."""
        outcome = self.window.calls.call(self.desk.escalations.waiting, self.window.token)
        if not outcome.ok or outcome.value is None:
            return None
        if self.waiting_dialog is None:
            dialog = WaitingDialog(self.window)
            dialog.setObjectName("escalationsWaitingDialog")
            dialog.refresh_requested.connect(self._refresh_waiting)
            dialog.acknowledge_requested.connect(self._acknowledge_from_list)
            self.waiting_dialog = dialog
        self.waiting_dialog.set_escalations(outcome.value)
        self.waiting_dialog.show()
        self.waiting_dialog.raise_()
        self.waiting_dialog.activateWindow()
        return self.waiting_dialog

    def _refresh_waiting(self) -> None:
        dialog = self.waiting_dialog
        if dialog is None or not dialog.isVisible():
            return
        try:
            dialog.set_escalations(self.desk.escalations.waiting(self.window.token))
        except DeskError as exc:
            self.window.calls.handle(exc)

    def _acknowledge_from_list(self, escalation_id: int) -> None:
        dialog = self.waiting_dialog
        if dialog is None:
            return
        chosen = next((e for e in dialog.escalations if e.id == escalation_id), None)
        if chosen is not None:
            self.acknowledge(chosen)
