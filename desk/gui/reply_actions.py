"""Replying on a case: the Templates menu, the case pane's Reply row, approvals, the library.

Keys: Shift+T the template picker (T is THRIVE), Shift+R a free-text reply (R releases),
Shift+P a private reply, Ctrl+Shift+P the replies waiting for approval. The "call 999 now"
button of the escalation row opens the picker on the scripted reply. A supervisor (anyone who
approves replies) is told when replies wait for approval: at sign-in and when one arrives.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence

from desk.core.cases import CaseStatus
from desk.core.roles import Action
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.poller import Poller
from desk.gui.reply_dialogs import ApprovalsDialog, FreeTextReplyDialog, TemplateLibraryDialog
from desk.gui.shell import Shell
from desk.gui.template_picker import CaseContext, PickedReply, TemplatePicker
from desk.services.case_views import CaseDetail
from desk.services.replies import PENDING, ReplyView
from desk.services.templates import GuidelineView, RenderedTemplate, TemplateView

log = logging.getLogger(__name__)

TEMPLATE_SHORTCUT = "Shift+T"
FREE_TEXT_SHORTCUT = "Shift+R"
PRIVATE_SHORTCUT = "Shift+P"
APPROVALS_SHORTCUT = "Ctrl+Shift+P"
CALL_999 = "call-999-now"
APPROVALS_POLL_MS = 60_000


@dataclass(frozen=True)
class _PickerData:
    templates: list[TemplateView]
    guidelines: list[GuidelineView]
    detail: CaseDetail


class ReplyActions(QObject):
    """The reply actions of one main window."""

    reply_recorded = Signal(int)  # a case id
    approvals_changed = Signal(int)  # how many replies wait for approval

    def __init__(
        self, shell: Shell, ui: Ui_MainWindow, call_999: SignalInstance | None = None
    ) -> None:
        super().__init__(shell)
        self.shell = shell
        self.desk = shell.desk
        self.pane = ui.casePane
        self.dialog: Any = None  # the reply dialog open now (tests, screenshots)
        self.approvals_dialog: ApprovalsDialog | None = None
        self.library_dialog: TemplateLibraryDialog | None = None
        self.waiting: int | None = None  # replies awaiting approval (approvers only)
        menu = ui.menuTemplates
        menu.removeAction(ui.actionTemplatesPending)
        ui.actionTemplatesPending.setVisible(False)
        parent = shell.window

        def make(
            text: str, name: str, keys: str | None, slot: Callable[[], object], icon: str
        ) -> QAction:
            action = QAction(text, parent)
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
        for action in self.case_actions:
            shell.guard(action, Action.WORK_CASES)
        shell.guard(self.action_approvals, Action.APPROVE_REPLIES)
        self.section = self.pane.add_section(
            "reply", self.tr("Reply"), self.case_actions, columns=3
        )
        shell.case_selected.connect(lambda _id: self.update_actions())
        shell.case_changed.connect(lambda _id: self.update_actions())
        shell.permissions_changed.connect(self.update_actions)
        shell.lock_changed.connect(lambda locked: None if locked else self.update_actions())
        if call_999 is not None:
            call_999.connect(lambda case_id: self.open_picker(case_id, CALL_999))

        # replies waiting for approval: told at sign-in and when one arrives
        self.approvals_poller = Poller(
            shell,
            "replies awaiting approval",
            APPROVALS_POLL_MS,
            lambda: len(self.desk.replies.pending(self.shell.token)),
            self._waiting_counted,
            when=lambda: self.shell.can(Action.APPROVE_REPLIES),
        )
        self.approvals_poller.start()
        self.update_actions()

    # state ---------------------------------------------------------------------------------

    def update_actions(self) -> None:
        """Enable each case action when the role allows it and an open case is shown."""
        if self.shell.locked or self.shell.ended:
            return
        row = self.shell.selected_case()
        open_case = row is not None and row.status != CaseStatus.CLOSED.value
        works = self.shell.can(Action.WORK_CASES)
        for action in self.case_actions:
            action.setEnabled(works and open_case)

    def _waiting_counted(self, count: int) -> None:
        before, self.waiting = self.waiting, count
        if count != before:
            self.action_approvals.setText(
                self.tr("Pending &approvals ({n})…").format(n=count)
                if count
                else self.tr("Pending &approvals…")
            )
            self.approvals_changed.emit(count)
            self.shell.status_changed.emit()
        if count and (before is None or count > before):
            self.shell.notify(
                self.tr(
                    "{n} replies wait for your approval: Templates → Pending approvals "
                    "(Ctrl+Shift+P)."
                ).format(n=count)
                if count != 1
                else self.tr(
                    "1 reply waits for your approval: Templates → Pending approvals (Ctrl+Shift+P)."
                ),
                to_do=True,
            )

    def status_text(self) -> str:
        """The status bar's part: 'Replies awaiting approval 2' ('' when none or not known)."""
        if not self.waiting:
            return ""
        return self.tr("Replies awaiting approval {n}").format(n=self.waiting)

    def _recorded(self, case_id: int) -> None:
        self.reply_recorded.emit(case_id)
        self.approvals_poller.poll()

    # the picker ----------------------------------------------------------------------------

    def open_picker(self, case_id: int | None, preselect: str | None = None) -> bool:
        """Open the template picker on a case (the one shown when ``case_id`` is None).

        The templates and the case are read off the GUI thread; the picker (``self.dialog``)
        opens when they arrive. False when there is no case or the picker is already coming.
        """
        if case_id is None:
            row = self.shell.require_case()
            if row is None:
                return False
            case_id = row.case_id
        token, desk = self.shell.token, self.desk
        wanted = case_id

        def read() -> _PickerData:
            return _PickerData(
                desk.templates.list(token),
                desk.templates.guidelines(token),
                desk.queue.detail(token, wanted),
            )

        return bool(
            QueryOp(self.shell, read, key=f"picker {case_id}")
            .success(lambda data: self._show_picker(wanted, data, preselect))
            .run()
        )

    def _show_picker(self, case_id: int, data: _PickerData, preselect: str | None) -> None:
        if self.shell.ended:
            return
        detail = data.detail
        row = detail.row
        newest = detail.items[-1] if detail.items else None
        desk, token = self.desk, self.shell.token

        def render(key: str, lang: str, rule: str | None) -> RenderedTemplate:
            return desk.templates.render(token, case_id, key, lang, rule=rule)

        picker = TemplatePicker(
            f"#{case_id}",
            data.templates,
            data.guidelines,
            render,
            self.shell,
            language="cy" if row.language == "cy" else "en",
            preselect=preselect,
            has_link=any(i.link for i in detail.items),
            parent=self.shell.window,
            case=CaseContext(
                risk=tuple(row.risk),
                platform=row.platform,
                item_kind=newest.kind if newest is not None else row.kind,
            ),
        )
        picker.submitted.connect(lambda picked: self._record_picked(picker, case_id, picked))
        self._open(picker, "templatePicker")

    def _record_picked(self, picker: TemplatePicker, case_id: int, picked: PickedReply) -> None:
        desk, token = self.desk, self.shell.token

        def done(reply: ReplyView) -> None:
            QGuiApplication.clipboard().setText(reply.text)
            self._recorded(case_id)
            if picked.open_link and reply.link:
                self.shell.open_link(reply.link)

        ChangeOp(
            self.shell,
            lambda: desk.replies.reply(
                token,
                case_id,
                picked.text,
                private=picked.private,
                language=picked.language,
                template_key=picked.key,
                template_version=picked.version,
            ),
            case_id,
        ).done(
            self.tr(
                "Reply recorded on case #{id} ({key} v{version}) and copied: post it on the "
                "platform."
            ).format(id=case_id, key=picked.key, version=picked.version)
        ).in_dialog(picker).success(done).run()

    # free text -----------------------------------------------------------------------------

    def free_text(self, private: bool) -> FreeTextReplyDialog | None:
        """Shift+R (or Shift+P for private): a reply in the operator's own words."""
        row = self.shell.require_case()
        if row is None:
            return None
        case_id = row.case_id
        title = (
            self.tr("Private reply on case #{id}") if private else self.tr("Reply on case #{id}")
        ).format(id=case_id)
        dialog = FreeTextReplyDialog(
            title,
            row.author,
            "cy" if row.language == "cy" else "en",
            self.shell.can(Action.OVERRIDE_COLD_CONTACT),
            self.shell.window,
        )
        desk, token = self.desk, self.shell.token

        def said(done: ReplyView) -> str:
            if done.status == PENDING:
                return self.tr(
                    "Reply on case #{id} waits for approval: post it only once approved."
                ).format(id=case_id)
            return self.tr(
                "Reply recorded on case #{id} and copied: post it on the platform."
            ).format(id=case_id)

        def done(reply: ReplyView) -> None:
            if reply.status != PENDING:
                QGuiApplication.clipboard().setText(reply.text)
            self._recorded(case_id)

        def submitted(text: str, language: str, recipient: str, reason: str) -> None:
            ChangeOp(
                self.shell,
                lambda: desk.replies.reply(
                    token,
                    case_id,
                    text,
                    private=private,
                    language=language,
                    recipient=recipient if recipient and recipient != row.author else None,
                    override_reason=reason or None,
                ),
                case_id,
            ).done(said).in_dialog(dialog).success(done).run()

        dialog.submitted.connect(submitted)
        self._open(dialog, "freeTextReplyDialog")
        return dialog

    # shared --------------------------------------------------------------------------------

    def _open(self, dialog: Any, name: str) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.shell.open_dialog(dialog, name)

    def _closed(self, dialog: Any) -> None:
        if self.dialog is dialog:
            self.dialog = None

    # approvals and the library -------------------------------------------------------------

    def open_approvals(self) -> ApprovalsDialog:
        """Ctrl+Shift+P: the free-text replies waiting for approval (filled when read)."""
        if self.approvals_dialog is None:
            dialog = ApprovalsDialog(self.shell.window)
            dialog.decided.connect(self._decide)
            dialog.refresh_requested.connect(self._refresh_approvals)
            self.approvals_dialog = dialog
        self._refresh_approvals()
        self.approvals_dialog.show()
        self.approvals_dialog.raise_()
        return self.approvals_dialog

    def _refresh_approvals(self, then: Callable[[], None] | None = None) -> None:
        desk, token = self.desk, self.shell.token

        def arrived(replies: list[ReplyView]) -> None:
            if self.approvals_dialog is not None:
                self.approvals_dialog.set_replies(replies)
            self._waiting_counted(len(replies))
            if then is not None:
                then()

        QueryOp(self.shell, lambda: desk.replies.pending(token), key="approvals").success(
            arrived
        ).run()

    def _decide(self, reply_id: int, approve: bool, note: str) -> None:
        dialog = self.approvals_dialog
        assert dialog is not None
        desk, token = self.desk, self.shell.token

        def decided(done: ReplyView) -> None:
            if approve:
                QGuiApplication.clipboard().setText(done.text)
            said = (
                self.tr("Reply #{id} approved and copied: post it on the platform.")
                if approve
                else self.tr("Reply #{id} rejected.")
            ).format(id=reply_id)
            self._refresh_approvals(lambda: dialog.decided_ok(said))
            self.shell.case_changed.emit(done.case_id)

        ChangeOp(
            self.shell,
            lambda: (
                desk.replies.approve(token, reply_id, note)
                if approve
                else desk.replies.reject(token, reply_id, note)
            ),
        ).success(decided).failure(lambda exc: dialog.refuse(exc.message)).run()

    def open_library(self) -> TemplateLibraryDialog:
        """The template library: versions and their status (approvers approve or retire)."""
        if self.library_dialog is None:
            dialog = TemplateLibraryDialog(
                self.shell.can(Action.APPROVE_TEMPLATES), self.shell.window
            )
            dialog.approve_requested.connect(
                lambda key, v: self._change_template(self.desk.templates.approve, key, v)
            )
            dialog.retire_requested.connect(
                lambda key, v: self._change_template(self.desk.templates.retire, key, v)
            )
            self.library_dialog = dialog
        self._refresh_library()
        self.library_dialog.show()
        self.library_dialog.raise_()
        return self.library_dialog

    def _refresh_library(self, then: Callable[[], None] | None = None) -> None:
        desk, token = self.desk, self.shell.token

        def arrived(views: list[TemplateView]) -> None:
            if self.library_dialog is not None:
                self.library_dialog.set_views(views)
            if then is not None:
                then()

        QueryOp(
            self.shell, lambda: desk.templates.list(token, all_versions=True), key="library"
        ).success(arrived).run()

    def _change_template(self, change: Callable[[str, str, int], object], key: str, v: int) -> None:
        dialog = self.library_dialog
        assert dialog is not None
        token = self.shell.token
        said = self.tr("{key} v{v} updated.").format(key=key, v=v)
        ChangeOp(self.shell, lambda: change(token, key, v)).success(
            lambda _done: self._refresh_library(lambda: dialog.said(said))
        ).failure(lambda exc: dialog.refuse(exc.message)).run()
