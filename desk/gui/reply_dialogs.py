"""The reply dialogs: a free-text reply, the replies waiting for approval, the template library.

Each dialog says what the person asked for (a signal) and stays open: the reply actions make
the service call and then call ``finish()`` or ``refuse(message)``. Ctrl+Enter records a
free-text reply, as it saves a note.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QWidget,
)

from desk.core.templates import TemplateStatus
from desk.gui.forms.ui_free_text_reply_dialog import Ui_FreeTextReplyDialog
from desk.gui.forms.ui_reply_approvals_dialog import Ui_ApprovalsDialog
from desk.gui.forms.ui_template_library_dialog import Ui_TemplateLibraryDialog
from desk.gui.messages import set_message
from desk.gui.table_rows import fill_rows
from desk.services.replies import ReplyView
from desk.services.templates import TemplateView


def ctrl_enter(dialog: QDialog, target: Any) -> None:
    """Make Ctrl+Enter (either Enter key) in ``dialog`` call ``target``."""
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        QShortcut(QKeySequence(keys), dialog).activated.connect(target)


class FreeTextReplyDialog(QDialog):
    """A reply in the operator's own words (it may wait for approval)."""

    submitted = Signal(str, str, str, str)  # text, language, recipient, override reason

    def __init__(
        self,
        title: str,
        recipient: str,
        language: str,
        may_override: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_FreeTextReplyDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setWindowTitle(title)
        self.recipient_edit = self.ui.recipientEdit
        self.recipient_edit.setText(recipient)
        self.language_combo = self.ui.replyLanguageCombo
        self.language_combo.addItem(self.tr("English"), "en")
        self.language_combo.addItem(self.tr("Cymraeg"), "cy")
        self.language_combo.setCurrentIndex(1 if language == "cy" else 0)
        self.text_edit = self.ui.replyTextEdit
        self.override_edit = self.ui.overrideEdit
        self.ui.overrideLabel.setVisible(may_override)
        self.override_edit.setVisible(may_override)
        self.message_label = self.ui.replyMessageLabel
        set_message(self.message_label, "")
        self.ok_button = self.ui.recordReplyButton
        self.ui.cancelButton.clicked.connect(self.reject)
        self.ok_button.clicked.connect(self._submit)
        self.text_edit.textChanged.connect(
            lambda: self.ok_button.setEnabled(bool(self.text_edit.toPlainText().strip()))
        )
        ctrl_enter(self, self._submit)
        self.text_edit.setFocus()

    def _submit(self) -> None:
        text = self.text_edit.toPlainText()
        if text.strip():
            self.submitted.emit(
                text,
                str(self.language_combo.currentData()),
                self.recipient_edit.text().strip(),
                self.override_edit.text().strip(),
            )

    def refuse(self, message: str) -> None:
        """Show why the services refused; keep what was typed."""
        set_message(self.message_label, message)

    def finish(self) -> None:
        """Close once recorded."""
        self.accept()


class ApprovalsDialog(QDialog):
    """Free-text replies waiting for a supervisor's or communications officer's decision."""

    decided = Signal(int, bool, str)  # reply id, approve?, note
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_ApprovalsDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setObjectName("approvalsDialog")
        self.replies: list[ReplyView] = []
        self.table = self.ui.approvalsTable
        headers = [self.tr("Case"), self.tr("By"), self.tr("To"), self.tr("Lang"), self.tr("Text")]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.text_view = self.ui.textView
        self.note_edit = self.ui.approvalNoteEdit
        self.message_label = self.ui.messageLabel
        set_message(self.message_label, "")
        self.approve_button = self.ui.approveReplyButton
        self.reject_button = self.ui.rejectReplyButton
        self.approve_button.clicked.connect(lambda: self._decide(True))
        self.reject_button.clicked.connect(lambda: self._decide(False))
        self.ui.refreshButton.clicked.connect(self.refresh_requested.emit)
        self.ui.closeButton.clicked.connect(self.close)
        self.table.currentCellChanged.connect(lambda *_: self._show())

    def set_replies(self, replies: list[ReplyView]) -> None:
        """Show these pending replies."""
        self.replies = replies
        fill_rows(
            self.table,
            [[f"#{r.case_id}", r.created_by, r.recipient, r.language, r.text] for r in replies],
        )
        if replies:
            self.table.setCurrentCell(0, 0)
        self._show()

    def _current(self) -> ReplyView | None:
        row = self.table.currentRow()
        return self.replies[row] if 0 <= row < len(self.replies) else None

    def _show(self) -> None:
        current = self._current()
        self.text_view.setPlainText(current.text if current else "")
        self.approve_button.setEnabled(current is not None)
        self.reject_button.setEnabled(current is not None)
        if not self.replies:
            set_message(self.message_label, self.tr("No replies are waiting."), "info")

    def _decide(self, approve: bool) -> None:
        current = self._current()
        if current is not None:
            self.decided.emit(current.id, approve, self.note_edit.text())

    def refuse(self, message: str) -> None:
        """Show why the services refused."""
        set_message(self.message_label, message)

    def said(self, text: str) -> None:
        """Say what was done."""
        set_message(self.message_label, text, "info")

    def decided_ok(self, text: str) -> None:
        """Say what was decided; the note is cleared for the next reply."""
        self.note_edit.clear()
        set_message(self.message_label, text, "info")


class TemplateLibraryDialog(QDialog):
    """Every template version with its status; approvers approve drafts or retire versions."""

    approve_requested = Signal(str, int)
    retire_requested = Signal(str, int)

    def __init__(self, may_approve: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_TemplateLibraryDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setObjectName("templateLibraryDialog")
        self.views: list[TemplateView] = []
        self.table = self.ui.libraryTable
        headers = [
            self.tr("Key"),
            self.tr("Version"),
            self.tr("Status"),
            self.tr("Kind"),
            self.tr("Title"),
        ]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.english_view = self.ui.englishView
        self.welsh_view = self.ui.welshView
        self.message_label = self.ui.messageLabel
        set_message(self.message_label, "")
        self.approve_button = self.ui.approveTemplateButton
        self.retire_button = self.ui.retireTemplateButton
        self._may_approve = may_approve
        self.approve_button.setVisible(may_approve)
        self.retire_button.setVisible(may_approve)
        self.ui.closeButton.clicked.connect(self.close)
        self.table.currentCellChanged.connect(lambda *_: self._show())
        self.approve_button.clicked.connect(lambda: self._request(self.approve_requested))
        self.retire_button.clicked.connect(lambda: self._request(self.retire_requested))

    def set_views(self, views: list[TemplateView]) -> None:
        """Show these template versions."""
        self.views = views
        fill_rows(
            self.table,
            [[v.key, f"v{v.version}", v.status.value, v.kind.value, v.title] for v in views],
        )
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        if views:
            self.table.setCurrentCell(0, 0)
        self._show()

    def _current(self) -> TemplateView | None:
        row = self.table.currentRow()
        return self.views[row] if 0 <= row < len(self.views) else None

    def _show(self) -> None:
        v = self._current()
        self.english_view.setPlainText(v.text_en if v else "")
        self.welsh_view.setPlainText(v.text_cy if v else "")
        self.approve_button.setEnabled(v is not None and v.status is TemplateStatus.DRAFT)
        self.retire_button.setEnabled(v is not None and v.status is not TemplateStatus.RETIRED)

    def _request(self, signal: Any) -> None:
        v = self._current()
        if v is not None:
            signal.emit(v.key, v.version)

    def refuse(self, message: str) -> None:
        """Show why the services refused."""
        set_message(self.message_label, message)

    def said(self, text: str) -> None:
        """Say what was done."""
        set_message(self.message_label, text, "info")
