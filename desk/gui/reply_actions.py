"""Replying on a case: the Templates menu, the case pane's Reply row, approvals, the library.

Keys: Shift+T the template picker (T is THRIVE), Shift+R a free-text reply (R releases),
Shift+P a private reply, Ctrl+Shift+P the replies waiting for approval. The "call 999 now"
button of the escalation row opens the picker on the scripted reply.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desk.core.errors import DeskError, ReauthenticationRequired, SessionEnded
from desk.core.roles import Action, may
from desk.core.templates import TemplateStatus
from desk.gui.messages import set_message
from desk.gui.table_rows import fill_rows
from desk.gui.template_picker import PickedReply, TemplatePicker
from desk.services.replies import PENDING, ReplyView
from desk.services.templates import RenderedTemplate, TemplateView

if TYPE_CHECKING:
    from desk.gui.main_window import MainWindow

log = logging.getLogger(__name__)

TEMPLATE_SHORTCUT = "Shift+T"
FREE_TEXT_SHORTCUT = "Shift+R"
PRIVATE_SHORTCUT = "Shift+P"
APPROVALS_SHORTCUT = "Ctrl+Shift+P"
CALL_999 = "call-999-now"


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
        self.setWindowTitle(title)
        self.resize(560, 380)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.recipient_edit = QLineEdit(recipient, self)
        self.recipient_edit.setObjectName("recipientEdit")
        form.addRow(self.tr("&To"), self.recipient_edit)
        self.language_combo = QComboBox(self)
        self.language_combo.setObjectName("replyLanguageCombo")
        self.language_combo.addItem(self.tr("English"), "en")
        self.language_combo.addItem(self.tr("Cymraeg"), "cy")
        self.language_combo.setCurrentIndex(1 if language == "cy" else 0)
        form.addRow(self.tr("&Language"), self.language_combo)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setObjectName("replyTextEdit")
        form.addRow(self.tr("&Reply"), self.text_edit)
        self.override_edit = QLineEdit(self)
        self.override_edit.setObjectName("overrideEdit")
        self.override_edit.setPlaceholderText(
            self.tr("Only to contact someone who has not written to this account")
        )
        if may_override:
            form.addRow(self.tr("&Override reason"), self.override_edit)
        else:
            self.override_edit.hide()
        layout.addLayout(form)
        hint = QLabel(
            self.tr(
                "Desk never cold-contacts anyone: the reply goes only to someone who has "
                "written to this account. Free-text replies may need approval before they "
                "count as sent."
            ),
            self,
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("replyMessageLabel")
        self.message_label.setWordWrap(True)
        set_message(self.message_label, "")
        layout.addWidget(self.message_label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.ok_button = QPushButton(self.tr("Record reply"), self)
        self.ok_button.setObjectName("recordReplyButton")
        self.ok_button.setDefault(True)
        self.ok_button.setEnabled(False)
        cancel = QPushButton(self.tr("Cancel"), self)
        cancel.setAutoDefault(False)
        row.addWidget(self.ok_button)
        row.addWidget(cancel)
        layout.addLayout(row)
        cancel.clicked.connect(self.reject)
        self.ok_button.clicked.connect(self._submit)
        self.text_edit.textChanged.connect(
            lambda: self.ok_button.setEnabled(bool(self.text_edit.toPlainText().strip()))
        )
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


def _table(parent: QWidget, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


class ApprovalsDialog(QDialog):
    """Free-text replies waiting for a supervisor's or communications officer's decision."""

    decided = Signal(int, bool, str)  # reply id, approve?, note
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvalsDialog")
        self.setWindowTitle(self.tr("Replies waiting for approval"))
        self.resize(820, 440)
        self.replies: list[ReplyView] = []
        layout = QVBoxLayout(self)
        self.table = _table(
            self, [self.tr("Case"), self.tr("By"), self.tr("To"), self.tr("Lang"), self.tr("Text")]
        )
        self.table.setObjectName("approvalsTable")
        layout.addWidget(self.table, 1)
        self.text_view = QPlainTextEdit(self)
        self.text_view.setReadOnly(True)
        layout.addWidget(self.text_view)
        self.note_edit = QLineEdit(self)
        self.note_edit.setObjectName("approvalNoteEdit")
        self.note_edit.setPlaceholderText(self.tr("Note (needed to reject)"))
        layout.addWidget(self.note_edit)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        set_message(self.message_label, "")
        layout.addWidget(self.message_label)
        row = QHBoxLayout()
        self.approve_button = QPushButton(self.tr("Approve and copy"), self)
        self.approve_button.setObjectName("approveReplyButton")
        self.reject_button = QPushButton(self.tr("Reject"), self)
        self.reject_button.setObjectName("rejectReplyButton")
        refresh = QPushButton(self.tr("Refresh"), self)
        close = QPushButton(self.tr("Close"), self)
        for button in (self.approve_button, self.reject_button, refresh):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.approve_button.clicked.connect(lambda: self._decide(True))
        self.reject_button.clicked.connect(lambda: self._decide(False))
        refresh.clicked.connect(self.refresh_requested.emit)
        close.clicked.connect(self.close)
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


class TemplateLibraryDialog(QDialog):
    """Every template version with its status; approvers approve drafts or retire versions."""

    approve_requested = Signal(str, int)
    retire_requested = Signal(str, int)

    def __init__(self, may_approve: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateLibraryDialog")
        self.setWindowTitle(self.tr("Reply template library"))
        self.resize(900, 560)
        self.views: list[TemplateView] = []
        layout = QVBoxLayout(self)
        self.table = _table(
            self,
            [
                self.tr("Key"),
                self.tr("Version"),
                self.tr("Status"),
                self.tr("Kind"),
                self.tr("Title"),
            ],
        )
        self.table.setObjectName("libraryTable")
        layout.addWidget(self.table, 2)
        texts = QHBoxLayout()
        self.english_view = QPlainTextEdit(self)
        self.english_view.setReadOnly(True)
        self.welsh_view = QPlainTextEdit(self)
        self.welsh_view.setReadOnly(True)
        for title, view in (
            (self.tr("English"), self.english_view),
            (self.tr("Cymraeg"), self.welsh_view),
        ):
            column = QVBoxLayout()
            column.addWidget(QLabel(title, self))
            column.addWidget(view)
            texts.addLayout(column)
        layout.addLayout(texts, 1)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        set_message(self.message_label, "")
        layout.addWidget(self.message_label)
        row = QHBoxLayout()
        self.approve_button = QPushButton(self.tr("Approve draft"), self)
        self.approve_button.setObjectName("approveTemplateButton")
        self.retire_button = QPushButton(self.tr("Retire version"), self)
        self.retire_button.setObjectName("retireTemplateButton")
        close = QPushButton(self.tr("Close"), self)
        self._may_approve = may_approve
        if may_approve:
            row.addWidget(self.approve_button)
            row.addWidget(self.retire_button)
        else:
            self.approve_button.hide()
            self.retire_button.hide()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        close.clicked.connect(self.close)
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


class ReplyActions(QObject):
    """The reply actions of one main window."""

    reply_recorded = Signal(int)  # a case id

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.desk = window.desk
        self.queue = window.queue
        self.dialog: Any = None  # the reply dialog open now (tests, screenshots)
        self.approvals_dialog: ApprovalsDialog | None = None
        self.library_dialog: TemplateLibraryDialog | None = None
        menu = window.ui.menuTemplates
        menu.removeAction(window.ui.actionTemplatesPending)
        window.ui.actionTemplatesPending.setVisible(False)

        def make(
            text: str, name: str, keys: str | None, slot: Callable[[], object], icon: str
        ) -> QAction:
            action = QAction(text, window)
            action.setObjectName(name)
            action.setIconText(icon)
            if keys:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            menu.addAction(action)
            return action

        self.action_template = make(
            self.tr("Reply with a &template…"), "actionReplyTemplate", TEMPLATE_SHORTCUT,
            lambda: self.open_picker(None), self.tr("Template…"),
        )  # fmt: skip
        self.action_free = make(
            self.tr("&Free-text reply…"), "actionReplyFree", FREE_TEXT_SHORTCUT,
            lambda: self.free_text(private=False), self.tr("Free text…"),
        )  # fmt: skip
        self.action_private = make(
            self.tr("&Private reply…"), "actionReplyPrivate", PRIVATE_SHORTCUT,
            lambda: self.free_text(private=True), self.tr("Private…"),
        )  # fmt: skip
        menu.addSeparator()
        self.action_approvals = make(
            self.tr("Pending &approvals…"), "actionPendingApprovals", APPROVALS_SHORTCUT,
            self.open_approvals, self.tr("Approvals"),
        )  # fmt: skip
        self.action_library = make(
            self.tr("Template &library…"), "actionTemplateLibrary", None,
            self.open_library, self.tr("Library"),
        )  # fmt: skip
        self.case_actions = [self.action_template, self.action_free, self.action_private]
        self.section = window.ui.casePane.add_section(
            "reply", self.tr("Reply"), self.case_actions, columns=3
        )
        self.queue.case_selected.connect(lambda _id: self.update_actions())
        self.queue.case_changed.connect(lambda _id: self.update_actions())
        escalations = getattr(window, "escalations", None)
        if escalations is not None and hasattr(escalations, "call_999_requested"):
            escalations.call_999_requested.connect(
                lambda case_id: self.open_picker(case_id, CALL_999)
            )
        self.update_actions()

    # state ---------------------------------------------------------------------------------

    def _may(self, action: Action) -> bool:
        return may(self.window.actor.role, action)

    def update_actions(self) -> None:
        """Enable each action when the role allows it and a case is open."""
        if self.window.locked or self.window.ended:
            return
        row = self.queue.selected_row() if self.queue.case_id is not None else None
        open_case = row is not None and row.status != "closed"
        works = self._may(Action.WORK_CASES)
        refusal = self.tr("Your role ({role}) does not include this.").format(
            role=self.window.actor.role.value
        )
        for action in self.case_actions:
            action.setEnabled(works and open_case)
            action.setToolTip("" if works else refusal)
        approves = self._may(Action.APPROVE_REPLIES)
        self.action_approvals.setEnabled(approves)
        self.action_approvals.setToolTip("" if approves else refusal)

    # the picker ----------------------------------------------------------------------------

    def open_picker(
        self, case_id: int | None, preselect: str | None = None
    ) -> TemplatePicker | None:
        """Open the template picker on a case (the one shown when ``case_id`` is None)."""
        row = self.queue.selected_row()
        if case_id is None:
            if row is None:
                self.queue.notify(self.tr("Select a case first (J and K move through the queue)."))
                return None
            case_id = row.case_id
        token = self.window.token
        calls = self.window.calls
        templates = calls.call(self.desk.templates.list, token)
        if not templates.ok:
            return None
        guidelines = calls.call(self.desk.templates.guidelines, token)
        language = "en"
        has_link = True
        detail = self.window.ui.casePane.detail
        if row is not None and row.case_id == case_id:
            language = "cy" if row.language == "cy" else "en"
        if detail is not None and detail.row.case_id == case_id:
            language = "cy" if detail.row.language == "cy" else "en"
            has_link = any(i.link for i in detail.items)
        desk = self.desk

        def render(key: str, lang: str, rule: str | None) -> RenderedTemplate:
            return desk.templates.render(token, case_id, key, lang, rule=rule)

        picker = TemplatePicker(
            f"#{case_id}",
            templates.value or [],
            guidelines.value or [],
            render,
            self.window.worker,
            language=language,
            preselect=preselect,
            has_link=has_link,
            parent=self.window,
        )
        picker.submitted.connect(lambda picked: self._record_picked(picker, case_id, picked))
        self._open(picker)
        return picker

    def _record_picked(self, picker: TemplatePicker, case_id: int, picked: PickedReply) -> None:
        done = self._record(
            picker,
            case_id,
            lambda: self.desk.replies.reply(
                self.window.token,
                case_id,
                picked.text,
                private=picked.private,
                language=picked.language,
                template_key=picked.key,
                template_version=picked.version,
            ),
        )
        if done is None:
            return
        QGuiApplication.clipboard().setText(done.text)
        if picked.open_link and done.link:
            QDesktopServices.openUrl(QUrl(done.link))
        self.queue.notify(
            self.tr(
                "Reply recorded on case #{id} ({key} v{version}) and copied: post it on the "
                "platform."
            ).format(id=case_id, key=picked.key, version=picked.version)
        )

    # free text -----------------------------------------------------------------------------

    def free_text(self, private: bool) -> FreeTextReplyDialog | None:
        """Shift+R (or Shift+P for private): a reply in the operator's own words."""
        row = self.queue.selected_row()
        if row is None:
            self.queue.notify(self.tr("Select a case first (J and K move through the queue)."))
            return None
        case_id = row.case_id
        title = (
            self.tr("Private reply on case #{id}") if private else self.tr("Reply on case #{id}")
        ).format(id=case_id)
        dialog = FreeTextReplyDialog(
            title,
            row.author,
            "cy" if row.language == "cy" else "en",
            self._may(Action.OVERRIDE_COLD_CONTACT),
            self.window,
        )
        dialog.setObjectName("freeTextReplyDialog")

        def submitted(text: str, language: str, recipient: str, reason: str) -> None:
            done = self._record(
                dialog,
                case_id,
                lambda: self.desk.replies.reply(
                    self.window.token,
                    case_id,
                    text,
                    private=private,
                    language=language,
                    recipient=recipient if recipient and recipient != row.author else None,
                    override_reason=reason or None,
                ),
            )
            if done is None:
                return
            if done.status == PENDING:
                self.queue.notify(
                    self.tr(
                        "Reply on case #{id} waits for approval: post it only once approved."
                    ).format(id=case_id)
                )
            else:
                QGuiApplication.clipboard().setText(done.text)
                self.queue.notify(
                    self.tr("Reply recorded on case #{id} and copied: post it on the platform.")
                    .format(id=case_id)
                )  # fmt: skip

        dialog.submitted.connect(submitted)
        self._open(dialog)
        return dialog

    # shared --------------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        if not self.window.ended:
            self.window.activateWindow()
            self.queue.focus_queue()

    def _record(self, dialog: Any, case_id: int, call: Callable[[], ReplyView]) -> ReplyView | None:
        try:
            done = call()
        except (SessionEnded, ReauthenticationRequired) as exc:
            dialog.reject()
            self.window.calls.handle(exc)
            return None
        except DeskError as exc:
            dialog.refuse(exc.message)
            self.queue.notify(exc.message)
            return None
        dialog.finish()
        self.reply_recorded.emit(case_id)
        self.queue.case_changed.emit(case_id)
        self.queue._after_action(case_id)
        return done

    # approvals and the library -------------------------------------------------------------

    def open_approvals(self) -> ApprovalsDialog | None:
        """Ctrl+Shift+P: the free-text replies waiting for approval."""
        found = self.window.calls.call(self.desk.replies.pending, self.window.token)
        if not found.ok:
            return None
        if self.approvals_dialog is None:
            dialog = ApprovalsDialog(self.window)
            dialog.decided.connect(self._decide)
            dialog.refresh_requested.connect(self._refresh_approvals)
            self.approvals_dialog = dialog
        self.approvals_dialog.set_replies(found.value or [])
        self.approvals_dialog.show()
        self.approvals_dialog.raise_()
        return self.approvals_dialog

    def _refresh_approvals(self) -> None:
        found = self.window.calls.call(self.desk.replies.pending, self.window.token)
        if found.ok and self.approvals_dialog is not None:
            self.approvals_dialog.set_replies(found.value or [])

    def _decide(self, reply_id: int, approve: bool, note: str) -> None:
        dialog = self.approvals_dialog
        assert dialog is not None
        token = self.window.token
        try:
            if approve:
                done = self.desk.replies.approve(token, reply_id, note)
            else:
                done = self.desk.replies.reject(token, reply_id, note)
        except (SessionEnded, ReauthenticationRequired) as exc:
            self.window.calls.handle(exc)
            return
        except DeskError as exc:
            dialog.refuse(exc.message)
            return
        if approve:
            QGuiApplication.clipboard().setText(done.text)
        dialog.note_edit.clear()
        self._refresh_approvals()
        set_message(
            dialog.message_label,
            self.tr("Reply #{id} approved and copied: post it on the platform.").format(id=reply_id)
            if approve
            else self.tr("Reply #{id} rejected.").format(id=reply_id),
            "info",
        )
        self.queue.case_changed.emit(done.case_id)
        self.queue._after_action(done.case_id)

    def open_library(self) -> TemplateLibraryDialog | None:
        """The template library: versions and their status (approvers approve or retire)."""
        found = self.window.calls.call(
            lambda: self.desk.templates.list(self.window.token, all_versions=True)
        )
        if not found.ok:
            return None
        if self.library_dialog is None:
            dialog = TemplateLibraryDialog(self._may(Action.APPROVE_TEMPLATES), self.window)
            dialog.approve_requested.connect(
                lambda key, v: self._change_template(self.desk.templates.approve, key, v)
            )
            dialog.retire_requested.connect(
                lambda key, v: self._change_template(self.desk.templates.retire, key, v)
            )
            self.library_dialog = dialog
        self.library_dialog.set_views(found.value or [])
        self.library_dialog.show()
        self.library_dialog.raise_()
        return self.library_dialog

    def _change_template(self, change: Callable[[str, str, int], object], key: str, v: int) -> None:
        dialog = self.library_dialog
        assert dialog is not None
        try:
            change(self.window.token, key, v)
        except (SessionEnded, ReauthenticationRequired) as exc:
            self.window.calls.handle(exc)
            return
        except DeskError as exc:
            dialog.refuse(exc.message)
            return
        found = self.window.calls.call(
            lambda: self.desk.templates.list(self.window.token, all_versions=True)
        )
        if found.ok:
            dialog.set_views(found.value or [])
        set_message(
            dialog.message_label, self.tr("{key} v{v} updated.").format(key=key, v=v), "info"
        )
