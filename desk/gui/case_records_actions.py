"""Case → Mark as public appeal… and Hold this author's records…, with buttons by the author.

Both ask in a dialog opened through the shell and run the service call as a
:class:`~desk.gui.operations.ChangeOp` on the case, so the case pane shows the new hold or
appeal line when it refreshes itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from desk.core.retention import HoldTarget
from desk.core.roles import Action
from desk.gui.appeal_dialog import AppealDialog
from desk.gui.hold_dialogs import AuthorHoldDialog
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.queue_cells import first_line
from desk.gui.shell import Shell
from desk.services.case_views import CaseDetail, QueueRow

ITEM_TEXT_SHOWN = 60
APPEAL_SHORTCUT = "Ctrl+Shift+A"
HOLD_AUTHOR_SHORTCUT = "Ctrl+Shift+L"  # L: legal hold


class CaseRecordActions(QObject):
    """Marks the selected case as a public appeal; holds its author's records."""

    def __init__(self, shell: Shell, ui: Any) -> None:
        super().__init__(shell)
        self.shell = shell
        self.pane = ui.casePane
        self.action_appeal = self._action(
            "actionPublicAppeal",
            self.tr("Mark as public appea&l…"),
            self.tr("Public appeal…"),
            self.tr("Mark the case as a public appeal with the day it ends"),
            APPEAL_SHORTCUT,
        )
        self.action_appeal.triggered.connect(self.mark_appeal)
        self.action_hold_author = self._action(
            "actionHoldAuthor",
            self.tr("&Hold this author's records…"),
            self.tr("Hold author…"),
            self.tr("Place a legal hold on everything of this case's author, with the reason"),
            HOLD_AUTHOR_SHORTCUT,
        )
        self.action_hold_author.triggered.connect(self.hold_author)
        ui.menuCase.addSeparator()
        ui.menuCase.addAction(self.action_appeal)
        ui.menuCase.addAction(self.action_hold_author)
        shell.guard(self.action_appeal, Action.WORK_CASES)
        shell.guard(self.action_hold_author, Action.MANAGE_HOLDS)
        self.pane.add_records_actions([self.action_hold_author, self.action_appeal])

    def _action(self, name: str, text: str, short: str, tip: str, keys: str) -> QAction:
        action = QAction(text, self.shell.window)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(keys))
        action.setIconText(short)  # on the case pane's button
        action.setStatusTip(tip)
        return action

    def _detail(self, case_id: int) -> CaseDetail | None:
        """The case pane's full case, when it shows ``case_id``."""
        detail = self.pane.detail
        return detail if detail is not None and detail.row.case_id == case_id else None

    # public appeals -------------------------------------------------------------------------

    def mark_appeal(self) -> AppealDialog | None:
        """Ask which part of the selected case is the appeal, and when it ends."""
        row: QueueRow | None = self.shell.require_case()
        if row is None:
            return None
        case_id = row.case_id
        detail = self._detail(case_id)
        items = []
        if detail is not None and len(detail.items) > 1:
            for k, item in enumerate(detail.items, 1):
                text = first_line(item.text)[:ITEM_TEXT_SHOWN] or self.tr("(media only)")
                items.append((self.tr("Item {k}: {text}").format(k=k, text=text), item.id))
        today = self.shell.now().astimezone().date()
        dialog = AppealDialog(case_id, items, today, self.shell.window)
        dialog.submitted.connect(
            lambda ends, item_id, note: self._mark(dialog, case_id, ends, item_id, note)
        )
        self.shell.open_dialog(dialog, "appealDialog")
        return dialog

    def _mark(
        self, dialog: AppealDialog, case_id: int, ends: datetime, item_id: int | None, note: str
    ) -> None:
        token, desk = self.shell.token, self.shell.desk
        done = self.tr("Case #{id} is a public appeal until {day}.").format(
            id=case_id, day=ends.astimezone().strftime("%d %b %Y")
        )
        ChangeOp(
            self.shell,
            lambda: desk.retention.mark_appeal(token, case_id, ends, item_id, note),
            case_id,
        ).done(done).in_dialog(dialog).run()

    # legal holds ----------------------------------------------------------------------------

    def hold_author(self) -> None:
        """Ask why the selected case's author's records are held, then hold them."""
        row: QueueRow | None = self.shell.require_case()
        if row is None:
            return
        detail = self._detail(row.case_id)
        if detail is not None:
            self._ask_hold(row, detail)
            return
        token, desk, case_id = self.shell.token, self.shell.desk, row.case_id
        QueryOp(self.shell, lambda: desk.queue.detail(token, case_id)).success(
            lambda found: self._ask_hold(row, found)
        ).run()

    def _ask_hold(self, row: QueueRow, detail: CaseDetail) -> None:
        author_id, case_id = detail.author_id, row.case_id
        if author_id is None:
            return
        dialog = AuthorHoldDialog(self.shell.window, platform=row.platform, handle=row.author)
        token, desk = self.shell.token, self.shell.desk
        done = self.tr("Legal hold placed on {handle}'s records.").format(handle=row.author)
        dialog.submitted.connect(
            lambda _platform, _handle, reason: (
                ChangeOp(
                    self.shell,
                    lambda: desk.retention.add_hold(token, HoldTarget.AUTHOR, author_id, reason),
                    case_id,
                )
                .done(done)
                .in_dialog(dialog)
                .run()
            )
        )
        self.shell.open_dialog(dialog, "authorHoldDialog")
