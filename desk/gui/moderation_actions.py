"""Moderation on the desk: Hide (H), Delete (D), Block (B) and the rest, and the author's record.

Builds the Moderate menu and the case pane's "Moderate" row, the author's moderation
record under the pane's author line, and Admin → Community guidelines. An action without a
connector for the platform is finished by hand: the item's link opens in the browser and the
explanation is copied, ready to paste.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu

from desk.core.cases import CaseStatus
from desk.core.errors import Conflict, DeskError, ReauthenticationRequired, SessionEnded
from desk.core.moderation import PAST_TENSE, ModerationKind
from desk.core.roles import Action, may
from desk.gui.formatting import local_time
from desk.gui.guidelines_dialog import GuidelinesDialog
from desk.gui.moderation_dialog import ModerationDialog
from desk.gui.queue_model import first_line
from desk.gui.theme import repolish
from desk.services.moderation import AuthorRecord, ModerationDone

if TYPE_CHECKING:
    from desk.gui.main_window import MainWindow

log = logging.getLogger(__name__)

# kind: (menu text, short text on the button, shortcut)
ACTIONS: dict[ModerationKind, tuple[str, str, str]] = {
    ModerationKind.HIDE: ("&Hide comment…", "Hide", "H"),
    ModerationKind.UNHIDE: ("&Unhide comment…", "Unhide", "Shift+H"),
    ModerationKind.DELETE: ("&Delete comment…", "Delete", "D"),
    ModerationKind.BLOCK: ("&Block author…", "Block author", "B"),
    ModerationKind.RESTRICT: ("&Restrict author…", "Restrict", "Shift+B"),
    ModerationKind.REPORT: ("Report to &platform…", "Report", "Shift+F"),
}
RECORD_LABEL = "moderationRecordLabel"


class ModerationActions(QObject):
    """The moderation actions of one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.desk = window.desk
        self.queue = window.queue
        self.pane = window.ui.casePane
        self.dialog: ModerationDialog | None = None
        self.guidelines_dialog: GuidelinesDialog | None = None
        self.record: AuthorRecord | None = None
        self._record_seq = 0
        # how a manual action's link is opened (tests put something else here)
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl

        self.actions: dict[ModerationKind, QAction] = {}
        menu = QMenu(self.tr("&Moderate"), window)
        menu.setObjectName("menuModerate")
        for kind, (text, short, keys) in ACTIONS.items():
            action = QAction(self.tr(text), window)
            action.setObjectName(f"actionModerate{kind.value.title()}")
            action.setIconText(self.tr(short))
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _checked=False, k=kind: self.moderate(k))
            menu.addAction(action)
            self.actions[kind] = action
        # its own menu after Case (the Case menu lists only the case's own moves)
        window.ui.menubar.insertMenu(window.ui.menuEscalate.menuAction(), menu)
        self.menu = menu
        self.pane.add_section(
            "moderate",
            self.tr("Moderate (by the community guidelines)"),
            list(self.actions.values()),
            columns=3,
        )

        self.guidelines_action = QAction(self.tr("Community &guidelines…"), window)
        self.guidelines_action.setObjectName("actionGuidelines")
        self.guidelines_action.triggered.connect(self.open_guidelines)
        pending = getattr(window.ui, "actionAdminPending", None)
        if pending is not None:
            pending.setVisible(False)
        window.ui.menuAdmin.addAction(self.guidelines_action)
        allowed = may(window.actor.role, Action.MANAGE_GUIDELINES)
        self.guidelines_action.setEnabled(allowed)
        if not allowed:
            self.guidelines_action.setToolTip(
                self.tr("Your role ({role}) does not include this.").format(
                    role=window.actor.role.value
                )
            )

        self.record_label = self._record_label()
        self.queue.case_selected.connect(self._case_selected)
        self.queue.case_changed.connect(self._case_changed)
        self.update_actions()

    # the author's record -----------------------------------------------------------------

    def _record_label(self) -> QLabel:
        """A line under the pane's author line: the author's moderation record."""
        label = QLabel(self.pane.ui.caseContents)
        label.setObjectName(RECORD_LABEL)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = self.pane.ui.caseLayout
        at = layout.indexOf(self.pane.ui.authorLabel)
        layout.insertWidget(at + 1 if at >= 0 else layout.count(), label)
        return label

    def _case_selected(self, case_id: int) -> None:
        self.record = None
        self.record_label.setText(self.tr("Moderation record: loading…"))
        self._style_record(False)
        self.load_record(case_id)
        self.update_actions()

    def _case_changed(self, case_id: int) -> None:
        if case_id == self.queue.case_id:
            self.load_record(case_id)
        self.update_actions()

    def load_record(self, case_id: int) -> None:
        """Fetch the case's author's moderation record off the GUI thread."""
        self._record_seq += 1
        seq, token, desk = self._record_seq, self.window.token, self.desk

        def failed(exc: Exception) -> None:
            if isinstance(exc, (SessionEnded, ReauthenticationRequired)):
                return  # the window's own checks deal with the session
            log.info("moderation record not read: %s", type(exc).__name__)
            if seq == self._record_seq:
                self.record_label.setText(self.tr("Moderation record: could not be read (F5)."))

        self.window.worker.run(
            lambda: desk.moderation.author_record_for_case(token, case_id),
            lambda record: self._record_arrived(seq, case_id, record),
            failed,
            context=self,
        )

    def _record_arrived(self, seq: int, case_id: int, record: AuthorRecord) -> None:
        if seq != self._record_seq or case_id != self.queue.case_id:
            return
        self.record = record
        self.record_label.setText(self.record_text(record))
        self._style_record(record.repeat_offender)

    def record_text(self, record: AuthorRecord) -> str:
        """The author's record in words (a repeat offender is said in words, not colour)."""
        n = len(record.actions)
        if n == 0:
            return self.tr("Moderation record: no earlier moderation actions against this author")
        count = (
            self.tr("1 earlier moderation action")
            if n == 1
            else self.tr("{n} earlier moderation actions").format(n=n)
        )
        latest = record.actions[0]
        text = self.tr("Moderation record: {count} (latest: {what} under {rule}, {when})").format(
            count=count,
            what=PAST_TENSE[latest.kind].lower(),
            rule=latest.guideline_code,
            when=local_time(latest.at),
        )
        if record.repeat_offender:
            text = (
                self.tr("⚠ REPEAT OFFENDER: {n} actions against them in 90 days.").format(
                    n=record.recent
                )
                + " "
                + text
            )
        return text

    def _style_record(self, repeat: bool) -> None:
        label = self.record_label
        label.setProperty("kind", "error" if repeat else "")
        font = label.font()
        font.setBold(repeat)
        label.setFont(font)
        repolish(label)

    # acting ------------------------------------------------------------------------------

    def update_actions(self) -> None:
        """Enable the actions when a case is shown, open, and the role works cases."""
        if self.window.locked or self.window.ended:
            return
        role = self.window.actor.role
        works = may(role, Action.WORK_CASES)
        row = self.queue.selected_row() if self.queue.case_id is not None else None
        sensible = row is not None and row.status != CaseStatus.CLOSED.value
        for action in self.actions.values():
            action.setEnabled(works and sensible)
            action.setToolTip(
                ""
                if works
                else self.tr("Your role ({role}) does not include this.").format(role=role.value)
            )

    def moderate(self, kind: ModerationKind) -> ModerationDialog | None:
        """H, D, B...: choose the guideline broken and the explanation, then record."""
        row = self.queue._case()
        if row is None:
            return None
        case_id, token, calls = row.case_id, self.window.token, self.window.calls
        found = calls.call(self.desk.guidelines.list, token)
        if not found.ok or found.value is None:
            return None
        plan = calls.call(self.desk.moderation.connector_for, token, case_id, kind)
        if not plan.ok:
            return None
        detail = self.pane.detail
        items = detail.items if detail is not None and detail.row.case_id == case_id else ()
        has_link = any(i.link for i in items) if items else True
        summary = f"#{case_id} · {row.author}: {first_line(row.summary)[:140]}"
        record = calls.call(self.desk.moderation.author_record_for_case, token, case_id)
        if record.ok and record.value is not None:  # fresh: another session may have acted
            self._record_seq += 1
            self._record_arrived(self._record_seq, case_id, record.value)
            if record.value.actions:
                summary += "\n" + self.record_text(record.value)
        dialog = ModerationDialog(
            kind,
            summary,
            found.value,
            plan.value,
            has_link,
            welsh=row.language == "cy",
            parent=self.window,
        )
        dialog.submitted.connect(lambda code, text: self._record(dialog, case_id, kind, code, text))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        self.queue._open(dialog, "moderationDialog")
        return dialog

    def _closed(self, dialog: ModerationDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _record(
        self, dialog: ModerationDialog, case_id: int, kind: ModerationKind, code: str, text: str
    ) -> None:
        try:
            done = self.desk.moderation.act(self.window.token, case_id, kind, code, text)
        except (SessionEnded, ReauthenticationRequired) as exc:
            dialog.reject()
            self.window.calls.handle(exc)
            return
        except DeskError as exc:
            dialog.refuse(exc.message)
            self.queue.notify(exc.message)
            if isinstance(exc, Conflict):
                self.queue.case_refused.emit(case_id, exc.message)
                self.queue._after_action(case_id)
            return
        dialog.finish()
        self.queue.notify(self._finish(done))
        self.queue.case_changed.emit(case_id)
        self.queue._after_action(case_id)

    def _finish(self, done: ModerationDone) -> str:
        """Hand a manual action to the operator: copy the explanation, open the link."""
        said = self.tr("Case #{id}: {what} under {rule}.").format(
            id=done.case_id, what=PAST_TENSE[done.kind].lower(), rule=done.guideline_code
        )
        if not done.manual:
            return said + " " + self.tr("Applied through {name}.").format(name=done.applied_via)
        if done.explanation:
            QGuiApplication.clipboard().setText(done.explanation)
        if done.link:
            self.open_url(QUrl(done.link))
        steps = []
        if done.message:
            steps.append(done.message)
        if done.link and done.explanation:
            steps.append(
                self.tr("Finish it on the platform: the link is open and the explanation copied.")
            )
        elif done.link:
            steps.append(self.tr("Finish it on the platform: the link is open."))
        else:
            steps.append(self.tr("Finish it on the platform (the item has no link)."))
        return " ".join([said, *steps])

    # admin -------------------------------------------------------------------------------

    def open_guidelines(self) -> GuidelinesDialog:
        """Admin → Community guidelines (administrators and communications officers)."""
        if self.guidelines_dialog is None:
            dialog = GuidelinesDialog(
                self.desk, lambda: self.window.token, self.window.calls, self.window
            )
            dialog.setObjectName("guidelinesDialog")
            self.guidelines_dialog = dialog
        else:
            self.guidelines_dialog.reload()
        self.guidelines_dialog.show()
        self.guidelines_dialog.raise_()
        self.guidelines_dialog.activateWindow()
        return self.guidelines_dialog
