"""Case → Evidence bundle…: write the selected case's signed evidence bundle to a folder.

The dialog asks for a folder (typed, or chosen with Choose…; nothing blocks until Choose… is
pressed, so tests fill the field); the export runs on the worker and the notice names the
signing key's fingerprint, which whoever checks the bundle compares with the desk's.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QWidget

from desk.core.roles import Action
from desk.gui.forms.ui_evidence_dialog import Ui_EvidenceDialog
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.messages import set_message
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.pdf_export import remember_folder, save_folder
from desk.gui.shell import Shell
from desk.render.pdf import write_pdf
from desk.services.evidence import EvidenceExport


class EvidenceDialog(QDialog):
    """Asks where to write a case's evidence bundle."""

    submitted = Signal(str)

    def __init__(self, case_id: int, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_EvidenceDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setWindowTitle(self.tr("Evidence bundle for case #{id}").format(id=case_id))
        self.ui.promptLabel.setText(
            self.tr(
                "The bundle holds each record as it arrived, the case, its timeline, THRIVE, "
                "escalations, replies, moderation, the audit extract and a PDF, with a manifest "
                "signed by the desk's key. Anyone can check it with 'desk-admin evidence verify'."
            )
        )
        self.ui.folderEdit.setText(str(folder))
        self.ok_button = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Write bundle"))
        self.ui.buttonBox.accepted.connect(self._submit)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.browseButton.clicked.connect(self._choose)
        self.ui.folderEdit.textChanged.connect(
            lambda text: self.ok_button.setEnabled(bool(text.strip()))
        )
        set_message(self.ui.messageLabel, "")
        self.ui.markingLabel.setVisible(False)

    def show_marking(self, marking: str) -> None:
        """Say the protective marking the bundle will carry."""
        self.ui.markingLabel.setText(self.tr("Marked {marking}.").format(marking=marking))
        self.ui.markingLabel.setVisible(bool(marking))

    @property
    def folder(self) -> str:
        """The folder typed or chosen."""
        return self.ui.folderEdit.text().strip()

    def _choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Folder for the evidence bundle"), self.folder or str(save_folder())
        )
        if chosen:
            self.ui.folderEdit.setText(chosen)

    def _submit(self) -> None:
        if self.folder:
            self.submitted.emit(self.folder)

    def refuse(self, message: str) -> None:
        """Show why the bundle was not written; keep the folder typed."""
        set_message(self.ui.messageLabel, message)

    def finish(self) -> None:
        """Close: the bundle is written."""
        self.accept()

    def set_busy(self, busy: bool) -> None:
        """Grey the buttons out while the bundle is written."""
        self.ok_button.setEnabled(not busy)
        self.ui.browseButton.setEnabled(not busy)


class EvidenceActions(QObject):
    """Case → Evidence bundle… (supervisors and administrators)."""

    def __init__(self, shell: Shell, ui: Ui_MainWindow) -> None:
        super().__init__(shell)
        self.shell = shell
        self.action_bundle = QAction(self.tr("&Evidence bundle…"), shell.window)
        self.action_bundle.setObjectName("actionEvidenceBundle")
        self.action_bundle.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.action_bundle.setStatusTip(
            self.tr("Write the selected case's signed evidence bundle to a folder")
        )
        self.action_bundle.triggered.connect(self.open_bundle)
        ui.menuCase.addSeparator()
        ui.menuCase.addAction(self.action_bundle)
        shell.guard(self.action_bundle, Action.EXPORT_EVIDENCE)
        self.last_export: EvidenceExport | None = None

    def open_bundle(
        self, _checked: bool = False, folder: Path | None = None
    ) -> EvidenceDialog | None:
        """Ask where to write the selected case's bundle (``folder``: the one proposed)."""
        row = self.shell.require_case()
        if row is None:
            return None
        case_id = row.case_id
        proposed = folder or save_folder() / f"case-{case_id}-evidence"
        dialog = EvidenceDialog(case_id, proposed, self.shell.window)
        dialog.submitted.connect(lambda chosen: self._write(dialog, case_id, Path(chosen)))
        self.shell.open_dialog(dialog, "evidenceDialog")
        desk = self.shell.desk
        QueryOp(self.shell, lambda: str(desk.settings.get("protective_marking"))).success(
            dialog.show_marking
        ).quiet().run()
        return dialog

    def _write(self, dialog: EvidenceDialog, case_id: int, folder: Path) -> None:
        token, desk = self.shell.token, self.shell.desk

        def done(result: EvidenceExport) -> str:
            self.last_export = result
            remember_folder(result.folder / "manifest.json")
            return self.tr(
                "Wrote the evidence bundle for case #{id} to {folder} ({files} files), "
                "marked {marking}, signed with the desk's key {key}."
            ).format(
                id=case_id,
                folder=result.folder,
                files=len(result.files),
                marking=result.marking,
                key=result.fingerprint,
            )

        op = ChangeOp(self.shell, lambda: desk.evidence.export(token, case_id, folder, write_pdf))
        op.in_dialog(dialog).done(done, to_do=False).run()
