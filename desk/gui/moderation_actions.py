"""Moderation on the desk: Hide (H), Delete (D), Block (B) and the rest, and the author's record.

Builds the Moderate menu and the case pane's "Moderate" row, the author's moderation
record under the pane's author line, and Admin → Community guidelines. The domain says
which actions apply to the case's item (a direct message cannot be hidden or deleted) and
whether this person may moderate the case (they own it): the entries are greyed out with the
reason, and a dialog opens only once the services have agreed (``desk.moderation.prepare``).
An action without a connector for the platform is finished by hand: the explanation is
copied, the item's link opens, and a notice stays until the operator says it is done.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu

from desk.core.cases import CaseStatus
from desk.core.moderation import PAST_TENSE, ModerationKind
from desk.core.roles import Action
from desk.gui.formatting import local_time
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.guidelines_dialog import GuidelinesDialog
from desk.gui.moderation_dialog import ModerationDialog, item_word
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.queue_model import first_line
from desk.gui.shell import Shell
from desk.gui.theme import repolish
from desk.services.moderation import AuthorRecord, ModerationDone, ModerationOptions, ModerationPlan

log = logging.getLogger(__name__)

# kind: (menu text with {item}, short text on the button, shortcut)
ACTIONS: dict[ModerationKind, tuple[str, str, str]] = {
    ModerationKind.HIDE: ("&Hide {item}…", "Hide", "H"),
    ModerationKind.UNHIDE: ("&Unhide {item}…", "Unhide", "Shift+H"),
    ModerationKind.DELETE: ("&Delete {item}…", "Delete", "D"),
    ModerationKind.BLOCK: ("&Block author…", "Block author", "B"),
    ModerationKind.RESTRICT: ("&Restrict author…", "Restrict", "Shift+B"),
    ModerationKind.REPORT: ("Report to &platform…", "Report", "Shift+F"),
}
RECORD_LABEL = "moderationRecordLabel"


@dataclass(frozen=True)
class _Opening:
    plan: ModerationPlan
    record: AuthorRecord


class ModerationActions(QObject):
    """The moderation actions of one main window."""

    def __init__(self, shell: Shell, ui: Ui_MainWindow) -> None:
        super().__init__(shell)
        self.shell = shell
        self.desk = shell.desk
        self.pane = ui.casePane
        self.dialog: ModerationDialog | None = None
        self.guidelines_dialog: GuidelinesDialog | None = None
        self.record: AuthorRecord | None = None
        self.options: ModerationOptions | None = None
        self.case_id = 0  # the case shown in the pane (0: none)
        self._seq = 0
        parent = shell.window

        self.actions: dict[ModerationKind, QAction] = {}
        menu = QMenu(self.tr("&Moderate"), parent)
        menu.setObjectName("menuModerate")
        for kind, (text, short, keys) in ACTIONS.items():
            action = QAction(self.tr(text).format(item=item_word("comment")), parent)
            action.setObjectName(f"actionModerate{kind.value.title()}")
            action.setIconText(self.tr(short))
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _checked=False, k=kind: self.moderate(k))
            menu.addAction(action)
            shell.guard(action, Action.WORK_CASES)
            self.actions[kind] = action
        # its own menu after Case (the Case menu lists only the case's own moves)
        ui.menubar.insertMenu(ui.menuEscalate.menuAction(), menu)
        self.menu = menu
        self.pane.add_section(
            "moderate",
            self.tr("Moderate (by the community guidelines)"),
            list(self.actions.values()),
            columns=3,
        )

        self.guidelines_action = QAction(self.tr("Community &guidelines…"), parent)
        self.guidelines_action.setObjectName("actionGuidelines")
        self.guidelines_action.triggered.connect(self.open_guidelines)
        pending = getattr(ui, "actionAdminPending", None)
        if pending is not None:
            pending.setVisible(False)
        ui.menuAdmin.addAction(self.guidelines_action)
        shell.guard(self.guidelines_action, Action.MANAGE_GUIDELINES)

        self.record_label = self._record_label()
        shell.case_selected.connect(self._case_selected)
        shell.case_changed.connect(self._case_changed)
        shell.permissions_changed.connect(self.update_actions)
        shell.lock_changed.connect(lambda locked: None if locked else self.update_actions())
        self.update_actions()

    # the case shown: its author's record and what applies to its item ---------------------

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
        self.case_id = case_id
        self.record = None
        self.options = None
        self.record_label.setText(self.tr("Moderation record: loading…") if case_id else "")
        self._style_record(False)
        self.update_actions()
        if case_id:
            self.load(case_id)

    def _case_changed(self, case_id: int) -> None:
        if case_id == self.case_id:
            self.load(case_id)
        self.update_actions()

    def load(self, case_id: int) -> None:
        """Read the author's record and the actions that apply, off the GUI thread."""
        self._seq += 1
        seq, token, desk = self._seq, self.shell.token, self.desk

        def read() -> tuple[AuthorRecord, ModerationOptions]:
            return (
                desk.moderation.author_record_for_case(token, case_id),
                desk.moderation.options(token, case_id),
            )

        def arrived(found: tuple[AuthorRecord, ModerationOptions]) -> None:
            if seq == self._seq and case_id == self.case_id:
                self._show_record(found[0])
                self.options = found[1]
                self.update_actions()

        def failed(_exc: Exception) -> None:
            if seq == self._seq:
                self.record_label.setText(self.tr("Moderation record: could not be read (F5)."))

        QueryOp(self.shell, read).success(arrived).failure(failed).quiet().run()

    def _show_record(self, record: AuthorRecord) -> None:
        self.record = record
        self.record_label.setText(self.record_text(record))
        self._style_record(record.repeat_offender)

    def record_text(self, record: AuthorRecord) -> str:
        """The author's record in words (a repeat offender is said in words, not colour)."""
        n = record.against
        counted = record.counted
        if n == 0 or not counted:
            return self.tr("Moderation record: no earlier moderation actions against this author")
        count = (
            self.tr("1 earlier moderation action")
            if n == 1
            else self.tr("{n} earlier moderation actions").format(n=n)
        )
        latest = counted[0]
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

    def update_actions(self) -> None:
        """Enable each action that applies to the item of the open case shown, saying why not."""
        if self.shell.locked or self.shell.ended:
            return
        works = self.shell.can(Action.WORK_CASES)
        row = self.shell.selected_case()
        sensible = row is not None and row.status != CaseStatus.CLOSED.value
        options = self.options if self.options and self.options.case_id == self.case_id else None
        noun = item_word(options.item_kind) if options is not None else item_word("comment")
        for kind, action in self.actions.items():
            action.setText(self.tr(ACTIONS[kind][0]).format(item=noun))
            why = options.why_not(kind) if options is not None else ""
            # kept enabled, so that its key is answered: the services then say why not
            action.setEnabled(works and sensible)
            if works:
                tip = why or action.text().replace("&", "").rstrip("…")
                action.setToolTip(tip)
                action.setStatusTip(why)

    # acting ------------------------------------------------------------------------------

    def moderate(self, kind: ModerationKind) -> None:
        """H, D, B...: once the services agree, choose the guideline broken and explain.

        The dialog (``self.dialog``) opens when the services have checked that the action
        applies to the item and that the case is this person's; otherwise they say why.
        """
        row = self.shell.require_case()
        if row is None:
            return
        case_id, token, desk = row.case_id, self.shell.token, self.desk

        def read() -> _Opening:
            return _Opening(
                desk.moderation.prepare(token, case_id, kind),
                desk.moderation.author_record_for_case(token, case_id),
            )

        QueryOp(self.shell, read, key=f"moderate {case_id}").success(
            lambda opening: self._open(row, kind, opening)
        ).run()

    def _open(self, row: Any, kind: ModerationKind, opening: _Opening) -> None:
        if self.shell.ended or self.dialog is not None:
            return
        plan, record = opening.plan, opening.record
        case_id = row.case_id
        if case_id == self.case_id:  # fresh: another session may have acted
            self._show_record(record)
        summary = f"#{case_id} · {row.author}: {first_line(row.summary)[:140]}"
        if record.against:
            summary += "\n" + self.record_text(record)
        dialog = ModerationDialog(
            kind,
            summary,
            plan.guidelines,
            plan.connector,
            plan.has_link,
            welsh=row.language == "cy",
            parent=self.shell.window,
            item_kind=plan.options.item_kind,
            default_guideline=plan.default_guideline,
        )
        dialog.submitted.connect(lambda code, text: self._act(dialog, case_id, kind, code, text))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        self.shell.open_dialog(dialog, "moderationDialog")

    def _closed(self, dialog: ModerationDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _act(
        self, dialog: ModerationDialog, case_id: int, kind: ModerationKind, code: str, text: str
    ) -> None:
        desk, token = self.desk, self.shell.token
        ChangeOp(
            self.shell, lambda: desk.moderation.act(token, case_id, kind, code, text), case_id
        ).in_dialog(dialog).success(self._finish).run()

    def _finish(self, done: ModerationDone) -> None:
        """Say what was done; hand a manual action to the operator until they say it is done."""
        said = self.tr("Case #{id}: {what} under {rule}.").format(
            id=done.case_id, what=PAST_TENSE[done.kind].lower(), rule=done.guideline_code
        )
        if not done.manual:
            self.shell.notify(
                said + " " + self.tr("Applied through {name}.").format(name=done.applied_via)
            )
            return
        if done.explanation:
            QGuiApplication.clipboard().setText(done.explanation)
        steps = [done.message] if done.message else []
        if done.link and done.explanation:
            steps.append(
                self.tr("Finish it on the platform: the link is open and the explanation copied.")
            )
        elif done.link:
            steps.append(self.tr("Finish it on the platform: the link is open."))
        else:
            steps.append(self.tr("Finish it on the platform (the item has no link)."))
        self.shell.notify(" ".join([said, *steps]), to_do=True)
        if done.link:
            self.shell.open_link(done.link)  # if no browser opens, a notice gives the link

    # admin -------------------------------------------------------------------------------

    def open_guidelines(self) -> GuidelinesDialog:
        """Admin → Community guidelines (administrators and communications officers)."""
        if self.guidelines_dialog is None:
            dialog = GuidelinesDialog(self.shell, self.shell.window)
            dialog.setObjectName("guidelinesDialog")
            self.guidelines_dialog = dialog
        else:
            self.guidelines_dialog.reload()
        self.guidelines_dialog.show()
        self.guidelines_dialog.raise_()
        self.guidelines_dialog.activateWindow()
        return self.guidelines_dialog
