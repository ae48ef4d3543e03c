"""Escalation in the main window: the Escalate menu, the forms, acknowledgements, the deadlines.

The Escalate menu and the case pane's buttons, the escalation form and the referral, the
acknowledgement of an escalation, the list of escalations awaiting acknowledgement, and a
poller that keeps the status bar's count and the queue's ⚑ flags up to date as deadlines pass.
What the case pane shows (the case's escalations, the immediate-risk banner) is
:class:`~desk.gui.escalation_panel.EscalationPanel`.

One key per target (F5 Command, F6 call for service, F7 intelligence, F8 communications,
Ctrl+F5 professional standards, Ctrl+F6 neighbourhood, Ctrl+F7 safeguarding, Ctrl+F8
investigations); Refresh is Ctrl+R, so that F5 is Command as the desk's guidance sketches it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

from desk.core.cases import CaseStatus
from desk.core.disguised_text import neutralise
from desk.core.escalation import KIND_LABELS, HandOn, TargetKind, Urgency
from desk.core.roles import Action
from desk.gui.acknowledgement_dialogs import AckDialog, WaitingDialog
from desk.gui.case_dialogs import TextEntryDialog
from desk.gui.escalation_dialog import CaseFacts, EscalationDialog
from desk.gui.escalation_panel import EscalationPanel
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.labels import grade_label, platform_label, risk_words
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.poller import Poller
from desk.gui.shell import Shell
from desk.services.case_views import CaseDetail
from desk.services.escalations import CaseEscalations, EscalationView, TargetView

log = logging.getLogger(__name__)

DEADLINES_MS = 30_000  # how often the deadlines are checked (the count and the ⚑ flags)

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


@dataclass(frozen=True)
class _FormData:
    detail: CaseDetail
    targets: list[TargetView]


class EscalationActions(QObject):
    """Builds and drives everything about escalation in one main window."""

    call_999_requested = Signal(int)  # the "call 999 now" scripted reply, for the template picker
    escalated = Signal(int)  # a case was escalated (or referred)

    def __init__(self, shell: Shell, ui: Ui_MainWindow, deadlines_ms: int = DEADLINES_MS) -> None:
        super().__init__(shell)
        self.shell = shell
        self.desk = shell.desk
        self.ui = ui
        self.case_id = 0  # the case shown in the pane (0: none)
        self.counts: tuple[int, int] | None = None
        self.dialog: Any = None  # the escalation dialog open now (tests, screenshots)
        self.waiting_dialog: WaitingDialog | None = None
        self._state_seq = 0
        self._acted_on: int | None = None  # the case an action just succeeded on
        self.auto_opened: set[int] = set()  # cases whose call-for-service form Desk opened

        self.actions: dict[TargetKind, QAction] = {}
        self._build_actions()
        self.section = ui.casePane.add_section(
            "escalate", self.tr("Escalate"), list(self.actions.values()), columns=3
        )
        self.panel = EscalationPanel(ui.casePane, self.desk.ctx.clock, self.section)
        self.panel.acknowledge_requested.connect(self.acknowledge)
        self.panel.call_999_clicked.connect(self._call_999)
        self.panel.call_for_service_clicked.connect(
            lambda: self.escalate(TargetKind.CALL_FOR_SERVICE, Urgency.IMMEDIATE)
        )
        shell.case_selected.connect(self._case_selected)
        shell.case_changed.connect(self._case_changed)
        shell.cases_changed.connect(self.refresh_counts)
        shell.permissions_changed.connect(self.update_actions)
        shell.lock_changed.connect(lambda locked: None if locked else self.update_actions())
        token, desk = shell.token, self.desk
        self.deadlines = Poller(
            shell,
            "escalation deadlines",
            deadlines_ms,
            lambda: self._read_counts(token, desk),
            self._counted,
            when=lambda: self.shell.can(Action.VIEW_QUEUE),
        )
        self.deadlines.start()
        self.update_actions()

    # building -----------------------------------------------------------------------------

    def _build_actions(self) -> None:
        ui, parent = self.ui, self.shell.window
        menu = ui.menuEscalate
        menu.removeAction(ui.actionEscalatePending)
        ui.actionEscalatePending.setVisible(False)
        for kind, text, short, keys in ESCALATE:
            action = QAction(self.tr(text), parent)
            action.setObjectName(f"actionEscalate_{kind.value}")
            action.setIconText(self.tr(short))
            action.setShortcut(QKeySequence(keys))
            action.setStatusTip(self.tr(KIND_LABELS[kind]))
            action.triggered.connect(lambda _checked=False, k=kind: self.escalate(k))
            if kind is TargetKind.INVESTIGATIONS:
                menu.addSeparator()
            menu.addAction(action)
            self.shell.guard(action, Action.WORK_CASES)
            self.actions[kind] = action
        menu.addSeparator()
        self.action_waiting = QAction(self.tr("Escalations &awaiting acknowledgement…"), parent)
        self.action_waiting.setObjectName("actionEscalationsWaiting")
        self.action_waiting.setShortcut(QKeySequence(WAITING_SHORTCUT))
        self.action_waiting.triggered.connect(self.open_waiting)
        self.shell.guard(self.action_waiting, Action.VIEW_QUEUE)
        menu.addAction(self.action_waiting)
        self.action_call_999 = QAction(self.tr("Call 999 now"), parent)
        self.action_call_999.setObjectName("actionCall999")
        self.action_call_999.triggered.connect(self._call_999)
        self.shell.guard(self.action_call_999, Action.WORK_CASES)

    # what the pane shows (kept as the panel's, for tests and screenshots) -------------------

    @property
    def state(self) -> CaseEscalations | None:
        """The escalations of the case shown."""
        return self.panel.state

    @property
    def list(self) -> Any:
        """The case pane's list of the case's escalations."""
        return self.panel.list

    @property
    def banner(self) -> Any:
        """The immediate-risk banner."""
        return self.panel.banner

    @property
    def banner_text(self) -> str:
        """The banner's words ('' when hidden)."""
        return self.panel.banner_text

    # state --------------------------------------------------------------------------------

    def _case_selected(self, case_id: int) -> None:
        self.case_id = case_id
        self.update_actions()
        if case_id:
            self.load_case(case_id)
        else:
            self.panel.show_state(None)

    def _case_changed(self, case_id: int) -> None:
        self._acted_on = case_id  # claimed, graded...: an immediate case gets its form
        self.update_actions()
        if case_id == self.case_id:
            self.load_case(case_id)
        self.refresh_counts()

    def load_case(self, case_id: int) -> None:
        """Fetch the case's escalations and immediate-risk state (off the GUI thread)."""
        self._state_seq += 1
        seq, token, desk = self._state_seq, self.shell.token, self.desk

        def arrived(state: CaseEscalations) -> None:
            if seq == self._state_seq and state.case_id == self.case_id:
                self.panel.show_state(state)
                self._offer_call_for_service(state)

        QueryOp(self.shell, lambda: desk.escalations.case_state(token, case_id)).success(
            arrived
        ).quiet().run()

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
        self.shell.notify(
            self.tr(
                "Immediate risk on case #{id}: the call-for-service form is open; "
                "the 999 reply is on the banner."
            ).format(id=state.case_id)
        )
        self.escalate(TargetKind.CALL_FOR_SERVICE, Urgency.IMMEDIATE)

    @staticmethod
    def _read_counts(token: str, desk: Any) -> tuple[tuple[int, int], frozenset[int]]:
        return desk.escalations.waiting_counts(token), desk.escalations.overdue_cases(token)

    def refresh_counts(self) -> None:
        """Check the deadlines now: the status bar's count and the queue's ⚑ flags."""
        self.deadlines.poll()

    def _counted(self, found: tuple[tuple[int, int], frozenset[int]]) -> None:
        self.counts, overdue = found
        model = self.ui.queueTable.model()
        set_flagged = getattr(model, "set_flagged", None)
        if callable(set_flagged):
            set_flagged(overdue)  # ⚑ on the queue's rows
        self.shell.status_changed.emit()

    def status_text(self) -> str:
        """The status bar's part: 'Escalations awaiting ack 2 (1 overdue)' ('' before known)."""
        if self.counts is None:
            return ""
        waiting, late = self.counts
        text = self.tr("Escalations awaiting ack {n}").format(n=waiting)
        if late:
            text += " " + self.tr("(⚑ {m} overdue)").format(m=late)
        return text

    def update_actions(self) -> None:
        """Enable the escalation keys when an open case is shown and the role works cases."""
        if self.shell.locked or self.shell.ended:
            return
        works = self.shell.can(Action.WORK_CASES)
        row = self.shell.selected_case() if self.case_id else None
        usable = works and row is not None and row.status != CaseStatus.CLOSED.value
        for action in [*self.actions.values(), self.action_call_999]:
            action.setEnabled(usable)
        self.panel.set_case_actions(usable, works)

    # doing --------------------------------------------------------------------------------

    def _call_999(self) -> None:
        case_id = self.case_id
        if case_id:
            self.call_999_requested.emit(case_id)
            self.shell.notify(
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
            item_text="\n\n".join(neutralise(i.text) for i in detail.items),  # issue 17
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
        """Open the escalation form for ``kind`` on the selected case (F5–F8, Ctrl+F5–F8).

        The case and the targets are read off the GUI thread; the form (``self.dialog``)
        opens when they arrive.
        """
        row = self.shell.require_case()
        if row is None:
            return
        if kind is TargetKind.INVESTIGATIONS:
            self.refer(row.case_id)
            return
        token, case_id, desk = self.shell.token, row.case_id, self.desk

        def read() -> _FormData:
            # the case's area's targets first: its neighbourhood team is chosen by default
            return _FormData(
                desk.queue.detail(token, case_id),
                desk.escalations.targets(token, kind, case_id=case_id),
            )

        QueryOp(self.shell, read, key=f"escalation form {case_id}").success(
            lambda data: self._open_form(case_id, kind, urgency, data)
        ).run()

    def _open_form(
        self, case_id: int, kind: TargetKind, urgency: Urgency | None, data: _FormData
    ) -> None:
        if self.shell.ended or self.dialog is not None:
            return
        facts = self._facts(data.detail)
        if urgency is None:
            immediate = self.state is not None and self.state.immediate
            urgency = Urgency.IMMEDIATE if immediate else Urgency.HOUR
        desk = self.desk

        def preview(
            target_id: int,
            chosen: Urgency,
            summary: str,
            then: Callable[[tuple[HandOn, str]], None],
        ) -> None:
            token = self.shell.token
            QueryOp(
                self.shell,
                lambda: desk.escalations.preview(
                    token, case_id, kind, chosen, summary, target_id=target_id
                ),
            ).success(then).run()

        dialog = EscalationDialog(
            self.tr("Escalate case #{id} to {target}").format(
                id=case_id, target=self.tr(KIND_LABELS[kind])
            ),
            kind,
            data.targets,
            facts,
            urgency,
            preview,
            self.shell.window,
        )
        dialog.handed_on.connect(self.shell.notify)

        def submitted(target_id: int, code: str, summary: str) -> None:
            token = self.shell.token
            ChangeOp(
                self.shell,
                lambda: desk.escalations.escalate(
                    token, case_id, kind, Urgency(code), summary, target_id=target_id
                ),
                case_id,
            ).done(
                self.tr("Case #{id} escalated to {target}.").format(
                    id=case_id, target=dialog.target.name if dialog.target else ""
                )
            ).in_dialog(dialog).success(lambda _done: self.escalated.emit(case_id)).run()

        dialog.submitted.connect(submitted)
        self._open(dialog, "escalationDialog")

    def _open(self, dialog: Any, name: str) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.shell.open_dialog(dialog, name)

    def _closed(self, dialog: Any) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def refer(self, case_id: int) -> None:
        """Ctrl+F8: refer the content to the investigations team, saying why."""
        dialog = TextEntryDialog(
            self.tr("Refer case #{id} to investigations").format(id=case_id),
            self.tr(
                "Desk is for engagement, not investigation. Say why this content needs "
                "investigating: the investigations team gets the case and it is marked referred."
            ),
            self.tr("Refer"),
            self.shell.window,
        )
        desk = self.desk

        def submitted(reason: str) -> None:
            token = self.shell.token
            ChangeOp(
                self.shell,
                lambda: desk.escalations.refer_to_investigations(token, case_id, reason),
                case_id,
            ).done(self.tr("Case #{id} referred to investigations.").format(id=case_id)).in_dialog(
                dialog
            ).success(lambda _done: self.escalated.emit(case_id)).run()

        dialog.submitted.connect(submitted)
        self._open(dialog, "referDialog")

    def acknowledge_selected(self) -> None:
        """Record the acknowledgement of the escalation chosen in the case pane."""
        self.panel.acknowledge_selected()

    @property
    def ack_button(self) -> Any:
        """The case pane's Acknowledge button."""
        return self.panel.ack_button

    @property
    def timing_label(self) -> Any:
        """The case pane's line on when the case was escalated."""
        return self.panel.timing_label

    @property
    def box(self) -> Any:
        """The case pane's Escalations box."""
        return self.panel.box

    @property
    def call_999_button(self) -> Any:
        """The banner's Call 999 now button."""
        return self.panel.call_999_button

    def acknowledge(self, escalation: EscalationView) -> AckDialog:
        """Open the acknowledgement dialog for ``escalation``."""
        dialog = AckDialog(escalation, self.shell.now(), self.shell.window)
        case_id, desk = escalation.case_id, self.desk

        def submitted(who: str, when: datetime, note: str) -> None:
            now = self.shell.now()
            at = None if abs((when - now).total_seconds()) < 60 else when
            token = self.shell.token
            ChangeOp(
                self.shell,
                lambda: desk.escalations.acknowledge(token, escalation.id, who, note, at),
                case_id,
            ).done(
                self.tr("Escalation #{id} acknowledged by {who}.").format(id=escalation.id, who=who)
            ).in_dialog(dialog).success(lambda _done: self._refresh_waiting()).run()

        dialog.submitted.connect(submitted)
        self._open(dialog, "ackDialog")
        return dialog

    def open_waiting(self) -> WaitingDialog:
        """Ctrl+Shift+E: the escalations awaiting acknowledgement (filled when read)."""
        if self.waiting_dialog is None:
            dialog = WaitingDialog(self.shell.window)
            dialog.setObjectName("escalationsWaitingDialog")
            dialog.refresh_requested.connect(self._refresh_waiting)
            dialog.acknowledge_requested.connect(self._acknowledge_from_list)
            self.waiting_dialog = dialog
        self.waiting_dialog.show()
        self.waiting_dialog.raise_()
        self.waiting_dialog.activateWindow()
        self._refresh_waiting()
        return self.waiting_dialog

    def _refresh_waiting(self) -> None:
        dialog = self.waiting_dialog
        if dialog is None or not dialog.isVisible():
            return
        token, desk = self.shell.token, self.desk
        QueryOp(
            self.shell, lambda: desk.escalations.waiting(token), key="escalations waiting"
        ).success(dialog.set_escalations).run()

    def _acknowledge_from_list(self, escalation_id: int) -> None:
        dialog = self.waiting_dialog
        if dialog is None:
            return
        chosen = next((e for e in dialog.escalations if e.id == escalation_id), None)
        if chosen is not None:
            self.acknowledge(chosen)
