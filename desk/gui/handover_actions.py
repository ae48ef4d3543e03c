"""The handover's actions on the main window, and the windows they open.

Supervisor → Handover… and Coverage log…, File → Handover note…, and Case → Flag as notable…
(with "Clear notable flag", a "Handover" row of buttons in the case pane).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from desk.core.roles import Action, role_name
from desk.core.shifts import Shift
from desk.gui.case_dialogs import TextEntryDialog
from desk.gui.coverage_dialog import CoverageDialog
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.handover_window import HandoverWindow
from desk.gui.operations import ChangeOp
from desk.gui.shell import Shell

NOTE_SHORTCUT = "Ctrl+Shift+H"
NOTABLE_SHORTCUT = "Ctrl+Shift+N"


def _bring_forward(window: HandoverWindow | CoverageDialog) -> None:
    window.show()
    window.raise_()
    window.activateWindow()


class HandoverActions(QObject):
    """The handover's menu actions on the main window, and the windows they open."""

    def __init__(self, shell: Shell, ui: Ui_MainWindow) -> None:
        super().__init__(shell)
        self.shell = shell
        self.desk = shell.desk
        self.handover_window: HandoverWindow | None = None
        self.coverage_dialog: CoverageDialog | None = None

        self.action_handover = self._action(
            "actionHandover",
            self.tr("&Handover…"),
            self.open_handover,
            self.tr("Review the shift handover, export or print it, and sign it off"),
        )
        self.action_coverage = self._action(
            "actionCoverageLog",
            self.tr("Co&verage log…"),
            self.open_coverage,
            self.tr("Record when the desk was not monitored, and the risk accepted"),
        )
        menu = ui.menuSupervisor
        menu.addSeparator()
        menu.addAction(self.action_handover)
        menu.addAction(self.action_coverage)

        self.action_note = self._action(
            "actionHandoverNote",
            self.tr("Hando&ver note…"),
            self.add_note,
            self.tr("Write a note for this shift's handover"),
            NOTE_SHORTCUT,
        )
        ui.menuFile.insertAction(ui.actionSignOut, self.action_note)
        ui.menuFile.insertSeparator(ui.actionSignOut)

        self.action_flag = self._action(
            "actionFlagNotable",
            self.tr("Flag as &notable…"),
            self.flag_notable,
            self.tr("Flag the case for the shift handover, saying why"),
            NOTABLE_SHORTCUT,
        )
        self.action_unflag = self._action(
            "actionClearNotable",
            self.tr("Clear notable flag"),
            self.unflag_notable,
            self.tr("Take the case off the handover's notable cases"),
        )
        ui.menuCase.addSeparator()
        ui.menuCase.addAction(self.action_flag)  # the clearing is a case-pane button only
        shell.window.addAction(self.action_unflag)
        ui.casePane.add_section(
            "handover", self.tr("Handover"), [self.action_flag, self.action_unflag], 2
        )

        shell.guard(self.action_handover, Action.SIGN_OFF_HANDOVER)
        shell.guard(self.action_coverage, Action.RECORD_COVERAGE)
        shell.guard(self.action_note, Action.WORK_CASES)
        shell.case_selected.connect(lambda _case_id: self.update_case_actions())
        shell.permissions_changed.connect(self.update_case_actions)
        self.update_case_actions()

    def _action(
        self, name: str, text: str, slot: Callable[[], object], tip: str, keys: str = ""
    ) -> QAction:
        action = QAction(text, self.shell.window)
        action.setObjectName(name)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        return action

    @property
    def dialog(self) -> object:
        """The dialog opened last through the shell (tests)."""
        return self.shell.dialog

    def update_case_actions(self) -> None:
        """Offer the notable flag when a case is selected and the role works cases."""
        if self.shell.locked or self.shell.ended:
            return
        works = self.shell.can(Action.WORK_CASES)
        usable = works and self.shell.selected_case() is not None
        for action in (self.action_flag, self.action_unflag):
            action.setEnabled(usable)
            action.setToolTip(
                action.statusTip()
                if usable
                else self.tr("Select a case first.")
                if works
                else self.tr("Your role ({role}) does not work cases.").format(
                    role=role_name(self.shell.actor.role)
                )
            )

    # windows -----------------------------------------------------------------------------

    def open_handover(self) -> HandoverWindow:
        """Supervisor → Handover…: the previous shift's handover (the one to sign off)."""
        if self.handover_window is None:
            self.handover_window = HandoverWindow(self.shell)
            self.handover_window.show_previous()
        _bring_forward(self.handover_window)
        self.handover_window.refresh_past()
        return self.handover_window

    def open_coverage(self) -> CoverageDialog:
        """Supervisor → Coverage log…."""
        if self.coverage_dialog is None:
            self.coverage_dialog = CoverageDialog(self.shell)
        self.coverage_dialog.refresh()
        _bring_forward(self.coverage_dialog)
        return self.coverage_dialog

    def _text_dialog(self, heading: str, prompt: str, ok: str, name: str) -> TextEntryDialog:
        dialog = TextEntryDialog(heading, prompt, ok, self.shell.window)
        self.shell.open_dialog(dialog, name)
        return dialog

    def add_note(self) -> TextEntryDialog:
        """File → Handover note…: a note for the handover of the shift running now."""
        desk, moment = self.desk, self.shell.now()
        dialog = self._text_dialog(
            self.tr("Handover note"),
            self.tr("For the incoming shift: what they need to know from this shift."),
            self.tr("Add to handover"),
            "handoverNoteDialog",
        )

        def added(shift: Shift) -> str:
            return self.tr("Note added to the handover for {shift}.").format(shift=shift.label())

        dialog.submitted.connect(
            lambda text: (
                ChangeOp(self.shell, lambda: desk.handover.add_note(self.shell.token, moment, text))
                .done(added)
                .in_dialog(dialog)
                .run()
            )
        )
        return dialog

    def flag_notable(self) -> TextEntryDialog | None:
        """Case → Flag as notable…: the case goes in the handover's notable cases."""
        row = self.shell.require_case()
        if row is None:
            return None
        case_id, desk = row.case_id, self.desk
        dialog = self._text_dialog(
            self.tr("Flag case #{id} as notable").format(id=case_id),
            self.tr("Why should the incoming shift know about this case?"),
            self.tr("Flag"),
            "notableDialog",
        )
        dialog.submitted.connect(
            lambda text: (
                ChangeOp(
                    self.shell,
                    lambda: desk.handover.flag_notable(self.shell.token, case_id, text),
                    case_id=case_id,
                )
                .done(self.tr("Case #{id} flagged as notable for the handover.").format(id=case_id))
                .in_dialog(dialog)
                .run()
            )
        )
        return dialog

    def unflag_notable(self) -> None:
        """Case → Clear notable flag."""
        row = self.shell.require_case()
        if row is None:
            return
        case_id, desk, token = row.case_id, self.desk, self.shell.token
        ChangeOp(
            self.shell, lambda: desk.handover.unflag_notable(token, case_id), case_id=case_id
        ).done(self.tr("Case #{id} is no longer notable.").format(id=case_id)).run()
