"""Admin → Official accounts…: opens the register window and runs its service calls.

Reads are :class:`~desk.gui.operations.QueryOp`, changes :class:`~desk.gui.operations.ChangeOp`
answering the dialog that asked (a refusal shows inside it, keeping what was typed). The
services decide who may do what: administrators enter, change and ask to open or close
accounts; communications approve or refuse; both record security reviews and save the
public list.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from desk.core.errors import InvalidInput
from desk.core.roles import Action
from desk.core.subject_access import local_day
from desk.gui.account_dialogs import AccountEntryDialog, ExportDialog, ReasonDialog
from desk.gui.account_texts import day_text, request_details
from desk.gui.accounts_window import AccountsWindow
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.review_dialog import ReviewDialog
from desk.gui.shell import Shell
from desk.services.account_export import PublicList
from desk.services.account_requests import RequestView
from desk.services.account_reviews import ReviewView
from desk.services.official_accounts import RegisterEntry


def write_list(made: PublicList, path: Path) -> PublicList:
    """Write the public list to ``path`` unchanged (CSV keeps its CRLF line ends)."""
    try:
        path.write_text(made.text, encoding="utf-8", newline="")
    except OSError as exc:
        raise InvalidInput(
            f"Desk could not save the list to {path}: {exc.strerror or exc}. "
            "Choose a folder you may write to."
        ) from exc
    return made


class AccountsMenu(QObject):
    """Admin → Official accounts…: the register, requests, reviews and the public list."""

    def __init__(self, shell: Shell, ui: Ui_MainWindow, export_folder: Path | None = None) -> None:
        super().__init__(shell)
        self.shell = shell
        self.desk = shell.desk
        self.export_folder = export_folder or Path.home()
        self.window: AccountsWindow | None = None
        self.dialog: QDialog | None = None  # the register's dialog open last (tests, screenshots)
        self.action = QAction(self.tr("&Official accounts…"), shell.window)
        self.action.setObjectName("actionOfficialAccounts")
        self.action.setStatusTip(
            self.tr("The official accounts register: security, reviews, requests, public list.")
        )
        ui.menuAdmin.addAction(self.action)
        self.action.triggered.connect(lambda: self.open())
        # administrators and communications both review; the services check each call
        shell.guard(self.action, Action.REVIEW_ACCOUNT_SECURITY)

    def _today(self) -> date:
        return local_day(self.shell.now())

    def open(self) -> AccountsWindow:
        """Show the register."""
        can = self.shell.can
        window = AccountsWindow(
            can(Action.MANAGE_OFFICIAL_ACCOUNTS),
            can(Action.APPROVE_ACCOUNT_CHANGES),
            can(Action.REVIEW_ACCOUNT_SECURITY),
            self.shell.window,
        )
        window.refresh_requested.connect(self.refresh)
        window.add_requested.connect(lambda: self.open_entry("add"))
        window.open_requested.connect(lambda: self.open_entry("request"))
        window.change_requested.connect(self.open_change)
        window.review_requested.connect(self.open_review)
        window.close_requested.connect(self.open_close)
        window.export_requested.connect(self.open_export)
        window.approve_requested.connect(self.open_approve)
        window.refuse_requested.connect(self.open_refuse)
        window.finished.connect(lambda _result: self._closed(window))
        self.window = window
        self.shell.open_dialog(window, "officialAccountsWindow")
        self.refresh()
        return window

    def _closed(self, window: AccountsWindow) -> None:
        if self.window is window:
            self.window = None

    def refresh(self, then: str = "", select: int | None = None) -> None:
        """Read the register and the requests again (then say ``then``, select ``select``)."""
        window = self.window
        if window is None:
            return
        desk, token = self.desk, self.shell.token
        closed = window.show_closed.isChecked()

        def show(found: tuple[list[RegisterEntry], list[RequestView]]) -> None:
            if self.window is not window:
                return
            window.set_register(found[0])
            window.set_requests(found[1])
            if select is not None:
                window.select(select)
            if then:
                window.say(then)

        QueryOp(
            self.shell,
            lambda: (
                desk.official_accounts.register(token, include_closed=closed),
                desk.account_requests.list(token),
            ),
        ).success(show).run()

    def _show(self, dialog: QDialog, name: str) -> None:
        dialog.setObjectName(name)
        self.dialog = dialog
        dialog.open()

    # entering, changing, asking ----------------------------------------------------------

    def open_entry(self, mode: str) -> None:
        """Ask for an existing account's entry (``add``) or a request to open one."""
        if self.window is None:
            return
        dialog = AccountEntryDialog(mode, self._today(), None, self.window)
        desk, token = self.desk, self.shell.token

        def save(values: dict[str, Any]) -> None:
            if mode == "add":
                op: ChangeOp[Any] = ChangeOp(
                    self.shell, lambda: desk.official_accounts.add(token, **values)
                )
                text = self.tr("Entered {handle} in the register.")
            else:
                op = ChangeOp(
                    self.shell, lambda: desk.account_requests.request_open(token, **values)
                )
                text = self.tr("Asked to open {handle}: communications decide.")
            said = text.format(handle=str(values["handle"]).strip())
            op.in_dialog(dialog).done(said).success(lambda _v: self.refresh(said)).run()

        dialog.submitted.connect(save)
        self._show(dialog, "accountEntryDialog")

    def open_change(self, account_id: int) -> None:
        """Ask for changes to an account's entry (read fresh first)."""
        desk, token = self.desk, self.shell.token

        def ask(entry: RegisterEntry) -> None:
            if self.window is None:
                return
            dialog = AccountEntryDialog("change", self._today(), entry, self.window)
            said = self.tr("Saved the changes to {handle}.").format(handle=entry.handle)
            dialog.submitted.connect(
                lambda changes: (
                    ChangeOp(
                        self.shell,
                        lambda: desk.official_accounts.update(token, account_id, changes),
                    )
                    .in_dialog(dialog)
                    .done(said)
                    .success(lambda _v: self.refresh(said, account_id))
                    .run()
                )
            )
            self._show(dialog, "accountEntryDialog")

        QueryOp(self.shell, lambda: desk.official_accounts.entry(token, account_id)).success(
            ask
        ).run()

    def open_review(self, account_id: int) -> None:
        """Show the security review checklist for an account, with its earlier reviews."""
        desk, token = self.desk, self.shell.token

        def ask(found: tuple[RegisterEntry, list[ReviewView]]) -> None:
            if self.window is None:
                return
            entry, history = found
            dialog = ReviewDialog(
                entry, desk.account_reviews.checklist(), history, self._today(), self.window
            )

            def record(results: dict[Any, Any], findings: str, actions: str, day: date) -> None:
                def said(view: ReviewView) -> str:
                    failed = len(view.failed)
                    text = self.tr("Recorded the security review of {handle}; next due {day}.")
                    text = text.format(handle=view.handle, day=day_text(view.next_due_on))
                    if failed:
                        text += " " + self.tr("{n} items failed: see the actions.").format(n=failed)
                    return text

                ChangeOp(
                    self.shell,
                    lambda: desk.account_reviews.record(
                        token, account_id, results, findings, actions, reviewed_on=day
                    ),
                ).in_dialog(dialog).done(said).success(
                    lambda view: self.refresh(said(view), account_id)
                ).run()

            dialog.submitted.connect(record)
            self._show(dialog, "accountReviewDialog")

        QueryOp(
            self.shell,
            lambda: (
                desk.official_accounts.entry(token, account_id),
                desk.account_reviews.history(token, account_id),
            ),
        ).success(ask).run()

    def open_close(self, account_id: int) -> None:
        """Ask why the selected account should close."""
        window = self.window
        entry = next((e for e in window.entries if e.id == account_id), None) if window else None
        if entry is None:
            return
        dialog = ReasonDialog(
            self.tr("Ask to close {handle}").format(handle=entry.handle),
            self.tr(
                "Communications decide. Once it closes, revoke every third-party app with "
                "access to it: the request lists them."
            ),
            self.tr("&Ask"),
            parent=window,
        )
        desk, token = self.desk, self.shell.token

        def said(view: RequestView) -> str:
            return self.tr("Asked to close {handle} ({ref}): communications decide.").format(
                handle=view.handle, ref=view.reference
            )

        dialog.submitted.connect(
            lambda reason, _day: (
                ChangeOp(
                    self.shell,
                    lambda: desk.account_requests.request_close(token, account_id, reason),
                )
                .in_dialog(dialog)
                .done(said)
                .success(lambda view: self.refresh(said(view), account_id))
                .run()
            )
        )
        self._show(dialog, "accountCloseDialog")

    # deciding ----------------------------------------------------------------------------

    def _request(self, request_id: int) -> RequestView | None:
        window = self.window
        return next((r for r in window.requests if r.id == request_id), None) if window else None

    def open_approve(self, request_id: int) -> None:
        """Ask for the approval's note and the day the account opened or closed."""
        view = self._request(request_id)
        if view is None:
            return
        opening = view.kind.value == "open"
        dialog = ReasonDialog(
            self.tr("Approve {ref}").format(ref=view.reference),
            request_details(view),
            self.tr("&Approve"),
            today=self._today(),
            day_label=self.tr("&Opened on:") if opening else self.tr("&Closed on:"),
            note_optional=True,
            parent=self.window,
        )
        desk, token = self.desk, self.shell.token

        def said(done: RequestView) -> str:
            text = (
                self.tr("Approved {ref}: {handle} is in the register.")
                if opening
                else self.tr("Approved {ref}: {handle} is closed.")
            ).format(ref=done.reference, handle=done.handle)
            if done.apps_to_revoke:
                text += " " + self.tr("Revoke: {apps}.").format(apps=", ".join(done.apps_to_revoke))
            return text

        dialog.submitted.connect(
            lambda note, day: (
                ChangeOp(
                    self.shell,
                    lambda: desk.account_requests.approve(token, request_id, note, on=day),
                )
                .in_dialog(dialog)
                .done(said, to_do=bool(view.apps_to_revoke))
                .success(lambda done: self.refresh(said(done)))
                .run()
            )
        )
        self._show(dialog, "accountApproveDialog")

    def open_refuse(self, request_id: int) -> None:
        """Ask why a request is refused."""
        view = self._request(request_id)
        if view is None:
            return
        dialog = ReasonDialog(
            self.tr("Refuse {ref}").format(ref=view.reference),
            request_details(view),
            self.tr("Ref&use"),
            parent=self.window,
        )
        desk, token = self.desk, self.shell.token
        said = self.tr("Refused {ref}.").format(ref=view.reference)
        dialog.submitted.connect(
            lambda reason, _day: (
                ChangeOp(
                    self.shell, lambda: desk.account_requests.refuse(token, request_id, reason)
                )
                .in_dialog(dialog)
                .done(said)
                .success(lambda _v: self.refresh(said))
                .run()
            )
        )
        self._show(dialog, "accountRefuseDialog")

    # the public list ---------------------------------------------------------------------

    def open_export(self) -> None:
        """Ask for the public list's format and file, then make and save it."""
        if self.window is None:
            return
        dialog = ExportDialog(self.export_folder, self.window)
        desk, token = self.desk, self.shell.token

        def said(made: PublicList, path: Path) -> str:
            return self.tr("Saved the public list ({n} accounts) to {path}.").format(
                n=len(made.accounts), path=path
            )

        def save(fmt: str, path: Path) -> None:
            ChangeOp(
                self.shell, lambda: write_list(desk.account_export.public_list(token, fmt), path)
            ).in_dialog(dialog).done(lambda made: said(made, path)).success(
                lambda made: self.window.say(said(made, path)) if self.window else None
            ).run()

        dialog.submitted.connect(save)
        self._show(dialog, "accountExportDialog")
