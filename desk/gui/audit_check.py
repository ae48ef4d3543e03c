"""Supervisor → Verify the audit log…: walk the chain; after a restore, accept the log as it is.

The same checks as ``desk-admin audit verify`` (the chain from its newest signed checkpoint,
this workstation's keyring anchor, the signed handovers' anchors) and the same way out as
``desk-admin audit reanchor``: offered only when the chain itself verifies and merely ends
before the anchor, as it does after a backup is restored. A broken chain is never "accepted".
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from desk.core.roles import Action
from desk.gui.formatting import local_time
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.messages import show_message
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.shell import Shell
from desk.services.audit import AuditHealth
from desk.services.handover import AnchorReport

RESULT_NAME = "auditCheckMessage"
CONFIRM_NAME = "reanchorConfirm"
ACCEPT_BUTTON = "acceptLogButton"


def _when(stored: str) -> str:
    """An anchor's stored ISO time in local time (as stored if unreadable)."""
    try:
        return local_time(datetime.fromisoformat(stored), with_seconds=True)
    except ValueError:
        return stored


class AuditCheckMenu(QObject):
    """Verify the audit chain from the window, and re-anchor after a restore (audited)."""

    def __init__(self, shell: Shell, ui: Ui_MainWindow) -> None:
        super().__init__(shell)
        self.shell = shell
        self.result: QMessageBox | None = None
        self.action = QAction(self.tr("&Verify the audit log…"), shell.window)
        self.action.setObjectName("actionVerifyAudit")
        self.action.setStatusTip(
            self.tr("Check that no audit entry was changed, removed or inserted")
        )
        ui.menuSupervisor.addAction(self.action)
        shell.guard(self.action, Action.VERIFY_AUDIT)
        self.action.triggered.connect(self.verify)

    def verify(self) -> None:
        """Walk the chain off the GUI thread and say what was found."""
        desk, token = self.shell.desk, self.shell.token
        QueryOp(
            self.shell,
            lambda: (desk.audit.health(token), desk.handover.verify_anchors(token)),
            key="audit check",
        ).success(self._show).run()

    def _lines(self, health: AuditHealth, handovers: AnchorReport) -> list[str]:
        chain = health.chain
        lines: list[str] = []
        if chain.intact:
            latest = (
                self.tr(", the latest #{seq}").format(seq=chain.last_seq)
                if chain.last_seq is not None
                else ""
            )
            lines.append(
                self.tr("The audit chain verifies: {n} entries{latest}.").format(
                    n=f"{chain.checked:,}", latest=latest
                )
            )
            lines += [
                self.tr("{cut}: checked by its signed checkpoint.").format(cut=c.summary())
                for c in chain.cuts
            ]
        else:
            lines.append(
                self.tr(
                    "The audit chain is broken: {problem} ({n} entries before it verified). "
                    "Keep a copy of the database as evidence and report it."
                ).format(problem=chain.problem, n=f"{chain.checked:,}")
            )
        kept = health.kept
        if health.anchor_problem is not None:
            lines.append(
                self.tr("This workstation's anchor is not reached: {problem}.").format(
                    problem=health.anchor_problem
                )
            )
        elif kept is not None:
            lines.append(
                self.tr("This workstation's anchor matches: entry #{seq}, taken {when}.").format(
                    seq=kept.seq, when=_when(kept.taken_at)
                )
            )
        lines += [
            self.tr("Audit log cut back or changed: {problem}.").format(problem=p)
            for p in handovers.problems
        ]
        if handovers.intact and handovers.checked:
            lines.append(
                self.tr("Signed handovers' anchors intact: {n}.").format(n=handovers.checked)
            )
        if health.only_the_anchor and handovers.intact:
            lines.append(
                self.tr(
                    "If a backup was just restored, the log rightly ends earlier: accept the log "
                    "as it is to anchor this workstation to its head (recorded in the audit)."
                )
            )
        return lines

    def _show(self, found: tuple[AuditHealth, AnchorReport]) -> None:
        health, handovers = found
        intact = health.intact and handovers.intact
        icon = QMessageBox.Icon.Information if intact else QMessageBox.Icon.Warning
        box = show_message(
            self.shell.window,
            self.tr("Verify the audit log"),
            "\n\n".join(self._lines(health, handovers)),
            icon,
            RESULT_NAME,
        )
        if health.only_the_anchor and handovers.intact:
            accept = box.addButton(
                self.tr("Accept the log as it is…"), QMessageBox.ButtonRole.ActionRole
            )
            accept.setObjectName(ACCEPT_BUTTON)
            accept.clicked.connect(self._confirm)
        self.result = box
        if not intact:
            self.shell.notify(self.tr("The audit log did not verify: see why."), warning=True)

    def _confirm(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Accept the log as it is"),
            self.tr(
                "Anchor this workstation to the audit log's head as it is now?\n\n"
                "Do this only after restoring a backup. The entries after the backup are not in "
                "this log; the audit records the anchor replaced and what was found."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self.shell.window,
        )
        box.setObjectName(CONFIRM_NAME)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.accepted.connect(self._reanchor)
        box.open()

    def _reanchor(self) -> None:
        desk, token = self.shell.desk, self.shell.token
        ChangeOp(self.shell, lambda: desk.audit.reanchor(token)).done(
            lambda anchor: self.tr(
                "This workstation's audit anchor now names entry #{seq}."
            ).format(seq=anchor.seq)
        ).run()
