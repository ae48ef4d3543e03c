"""Supervisor → Subject access requests…: the register, its due dates, export and erasure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont
from PySide6.QtWidgets import QDialog, QFileDialog, QHeaderView, QWidget

from desk.core.roles import Action
from desk.core.subject_access import (
    DueState,
    Ground,
    Outcome,
    Regime,
    local_day,
    parse_redaction,
)
from desk.gui.case_dialogs import TextEntryDialog
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.forms.ui_subject_access_window import Ui_SubjectAccessWindow
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.pdf_export import save_folder, write_pdf
from desk.gui.plain_text import plain_labels
from desk.gui.screen_fit import fit_to_screen
from desk.gui.shell import Shell
from desk.gui.subject_access_dialogs import FieldsDialog, ReviewDialog
from desk.gui.table_rows import fill_rows
from desk.services.author_export import AuthorExport, FlaggedPassage
from desk.services.subject_access import RequestView

_CONTEXT = "SubjectAccess"
HEADERS = ("Ref", "Requester", "Regime", "Received", "Due", "State", "Outcome")
COL_STATE = 5
# the warning colour: the word OVERDUE says it; the colour only helps
OVERDUE_BACKGROUND = QColor("#fdecea")
OVERDUE_FOREGROUND = QColor("#8b0000")
DUE_SOON_BACKGROUND = QColor("#fff4ce")
STATE_WORDS = {
    DueState.CLOSED: "closed",
    DueState.PAUSED: "paused (clock stopped)",
    DueState.OVERDUE: "OVERDUE",
    DueState.DUE_SOON: "due within a week",
    DueState.ON_TIME: "on time",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def state_text(v: RequestView) -> str:
    """The state in words."""
    return _tr(STATE_WORDS[v.state])


def detail_text(v: RequestView) -> str:
    """Everything recorded about a request, in a few lines."""
    lines = [f"{v.reference} · {v.regime.label()} · {v.requester}"]
    if v.subject:
        lines.append(_tr("Subject: {s}").format(s=v.subject))
    if v.identity_checked_at:
        lines.append(
            _tr("Identity checked by {who}: {how}").format(
                who=v.identity_checked_by, how=v.identity_how
            )
        )
    else:
        lines.append(_tr("Identity not checked yet."))
    if v.extension_months:
        lines.append(
            _tr("Extended by {n} month(s); notice: {notice}").format(
                n=v.extension_months, notice=v.extension_notice
            )
        )
    if v.paused_since:
        lines.append(
            _tr("Clock paused since {day}: {why}").format(
                day=v.paused_since.isoformat(), why=v.pause_reason
            )
        )
    elif v.paused_days:
        lines.append(_tr("{n} day(s) paused so far.").format(n=v.paused_days))
    for r in v.restrictions:
        lines.append(
            _tr("Restricted ({ground}): {note}").format(ground=r.ground.value, note=r.note)
        )
    if v.outcome:
        lines.append(
            _tr("Closed as {outcome} by {who}. {note}").format(
                outcome=v.outcome.value, who=v.closed_by, note=v.outcome_note
            )
        )
    return "\n".join(lines)


class SubjectAccessWindow(QDialog):
    """The register: add, identity, extend, pause, resume, restrict, close; export; erase."""

    loaded = Signal()
    exported = Signal(str)  # the folder written to

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent or shell.window)
        self.shell = shell
        self.desk = shell.desk
        self.requests: list[RequestView] = []
        self.ui = Ui_SubjectAccessWindow()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setObjectName("subjectAccessWindow")
        ui = self.ui
        plain_labels(ui.detailLabel, ui.stateLabel)  # handles and requesters as typed
        table = ui.requestTable
        table.setColumnCount(len(HEADERS))
        table.setHorizontalHeaderLabels([_tr(h) for h in HEADERS])
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        fit_to_screen(self, 1100, 640)
        ui.refreshButton.clicked.connect(self.reload)
        ui.closedCheck.toggled.connect(lambda _on: self.reload())
        table.itemSelectionChanged.connect(self._selected)
        ui.addButton.clicked.connect(self.add)
        ui.identityButton.clicked.connect(self.identity)
        ui.extendButton.clicked.connect(self.extend)
        ui.pauseButton.clicked.connect(self.pause)
        ui.resumeButton.clicked.connect(self.resume)
        ui.restrictButton.clicked.connect(self.restrict)
        ui.closeButton.clicked.connect(self.close_request)
        ui.exportButton.clicked.connect(self.review)
        ui.eraseButton.clicked.connect(self.erase)
        self._selected()

    # reading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the register on the worker."""
        token, desk = self.shell.token, self.desk
        show_closed = self.ui.closedCheck.isChecked()
        QueryOp(
            self.shell, lambda: desk.subject_access.list(token, open_only=not show_closed)
        ).success(self._loaded).run()

    def _loaded(self, found: list[RequestView]) -> None:
        keep = self.current.id if self.current else None
        self.requests = found
        rows = [
            (
                v.reference,
                v.requester,
                v.regime.label(),
                v.received_on.isoformat(),
                v.due_on.isoformat(),
                state_text(v),
                v.outcome.value if v.outcome else "",
            )
            for v in found
        ]
        table = self.ui.requestTable
        table.blockSignals(True)
        made = fill_rows(table, rows)
        for v, items in zip(found, made, strict=True):
            for item in items:
                item.setData(Qt.ItemDataRole.UserRole, v.id)
                if v.state is DueState.OVERDUE:
                    item.setBackground(QBrush(OVERDUE_BACKGROUND))
                    item.setForeground(QBrush(OVERDUE_FOREGROUND))
                elif v.state is DueState.DUE_SOON:
                    item.setBackground(QBrush(DUE_SOON_BACKGROUND))
            if v.state is DueState.OVERDUE:
                bold = QFont(items[COL_STATE].font())
                bold.setBold(True)
                items[COL_STATE].setFont(bold)
        table.blockSignals(False)
        for r, v in enumerate(found):
            if v.id == keep:
                table.selectRow(r)
        overdue = sum(1 for v in found if v.state is DueState.OVERDUE)
        soon = sum(1 for v in found if v.state is DueState.DUE_SOON)
        self.ui.stateLabel.setText(
            self.tr("{n} request(s) shown: {late} overdue, {soon} due within a week.").format(
                n=len(found), late=overdue, soon=soon
            )
        )
        self._selected()
        self.loaded.emit()

    @property
    def current(self) -> RequestView | None:
        """The selected request."""
        rows = self.ui.requestTable.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.requests):
            return None
        return self.requests[rows[0].row()]

    def select(self, request_id: int) -> None:
        """Select a request by its number."""
        for r, v in enumerate(self.requests):
            if v.id == request_id:
                self.ui.requestTable.selectRow(r)

    def _selected(self) -> None:
        v = self.current
        open_one = v is not None and v.closed_at is None
        ui = self.ui
        for button in (
            ui.identityButton,
            ui.extendButton,
            ui.pauseButton,
            ui.restrictButton,
            ui.closeButton,
        ):
            button.setEnabled(open_one)
        ui.resumeButton.setEnabled(open_one and v is not None and v.paused_since is not None)
        ui.pauseButton.setEnabled(open_one and v is not None and v.paused_since is None)
        ui.detailLabel.setText(detail_text(v) if v else self.tr("Select a request to see it."))
        if v is not None and v.subject and not ui.authorEdit.text().strip():
            ui.authorEdit.setText(v.subject)

    # changing -----------------------------------------------------------------------------

    def _change(self, dialog: Any, call: Callable[[], Any], done: str) -> None:
        op = ChangeOp(self.shell, call, key="subject access")
        op.in_dialog(dialog).done(done).success(lambda _r: self.reload()).run()

    def _open(self, dialog: QDialog, name: str) -> None:
        self.shell.open_dialog(dialog, name)

    def add(self) -> None:
        """Record a new request."""
        d = FieldsDialog(
            self.tr("New subject access request"),
            self.tr("It is due one calendar month after the day it was received."),
            self.tr("Record"),
            self,
        )
        d.add_line("requester", self.tr("&Requester"))
        d.add_choice("regime", self.tr("Re&gime"), [(r.label(), r.value) for r in Regime])
        d.add_date("received", self.tr("Recei&ved"), local_day(self.shell.now()))
        d.add_line("subject", self.tr("&Subject (author)"), required=False)
        d.add_line("identity", self.tr("&Identity checked (how)"), required=False)
        token, sar = self.shell.token, self.desk.subject_access

        def submit(v: dict[str, Any]) -> None:
            self._change(
                d,
                lambda: sar.add(
                    token, v["requester"], v["regime"], v["received"], v["subject"], v["identity"]
                ),
                self.tr("Recorded the subject access request."),
            )

        d.submitted.connect(submit)
        self._open(d, "addRequestDialog")

    def _text_step(
        self, title: str, prompt: str, ok: str, call: Callable[[str, int], Any], done: str
    ) -> None:
        v = self.current
        if v is None:
            return
        d = TextEntryDialog(title, prompt, ok, self)
        d.submitted.connect(lambda text: self._change(d, lambda: call(text, v.id), done))
        self._open(d, "requestStepDialog")

    def identity(self) -> None:
        """Record how the requester's identity was checked."""
        token, sar = self.shell.token, self.desk.subject_access
        self._text_step(
            self.tr("Identity checked"),
            self.tr("How was the requester's identity checked?"),
            self.tr("Record"),
            lambda text, rid: sar.check_identity(token, rid, text),
            self.tr("Recorded the identity check."),
        )

    def extend(self) -> None:
        """Extend the time limit by one month, with the notice given."""
        token, sar = self.shell.token, self.desk.subject_access
        self._text_step(
            self.tr("Extend by one month"),
            self.tr("The notice given to the requester: when, how, and why (two months at most)."),
            self.tr("Extend"),
            lambda text, rid: sar.extend(token, rid, 1, text),
            self.tr("Extended the request by a month."),
        )

    def pause(self) -> None:
        """Stop the clock while clarification is awaited."""
        token, sar = self.shell.token, self.desk.subject_access
        self._text_step(
            self.tr("Pause the clock"),
            self.tr("What clarification was asked of the requester?"),
            self.tr("Pause"),
            lambda text, rid: sar.pause(token, rid, text),
            self.tr("Paused the request's clock."),
        )

    def resume(self) -> None:
        """Start the clock again."""
        v = self.current
        if v is None:
            return
        token, sar = self.shell.token, self.desk.subject_access
        op = ChangeOp(self.shell, lambda: sar.resume(token, v.id), key="subject access")
        op.done(self.tr("Resumed the request's clock.")).success(lambda _r: self.reload()).run()

    def restrict(self) -> None:
        """Record a restriction and its ground."""
        v = self.current
        if v is None:
            return
        d = FieldsDialog(
            self.tr("Restrict what is released"),
            self.tr(
                "Record what is withheld (or that Desk will neither confirm nor deny) and why."
            ),
            self.tr("Record"),
            self,
        )
        d.add_choice("ground", self.tr("&Ground"), [(g.value, g.value) for g in Ground])
        d.add_text("note", self.tr("&What and why"))
        token, sar = self.shell.token, self.desk.subject_access
        d.submitted.connect(
            lambda vals: self._change(
                d,
                lambda: sar.restrict(token, v.id, vals["ground"], vals["note"]),
                self.tr("Recorded the restriction."),
            )
        )
        self._open(d, "restrictDialog")

    def close_request(self) -> None:
        """Close the request with its outcome."""
        v = self.current
        if v is None:
            return
        d = FieldsDialog(
            self.tr("Close the request"), self.tr("How did it end?"), self.tr("Close"), self
        )
        d.add_choice("outcome", self.tr("&Outcome"), [(o.value, o.value) for o in Outcome])
        d.add_text("note", self.tr("&Note"), required=False)
        token, sar = self.shell.token, self.desk.subject_access
        d.submitted.connect(
            lambda vals: self._change(
                d,
                lambda: sar.close(token, v.id, vals["outcome"], vals["note"]),
                self.tr("Closed the request."),
            )
        )
        self._open(d, "closeRequestDialog")

    # export and erasure ----------------------------------------------------------------------

    def _author(self) -> str:
        return self.ui.authorEdit.text().strip()

    def review(self) -> None:
        """List the passages to review, then export with the ticked ones redacted."""
        author = self._author()
        if not author:
            self.ui.stateLabel.setText(self.tr("Name the author first (x:@handle or author:ID)."))
            return
        token, ex = self.shell.token, self.desk.author_export
        QueryOp(self.shell, lambda: ex.review(token, author)).success(
            lambda flagged: self._show_review(author, flagged)
        ).run()

    def _show_review(self, author: str, flagged: list[FlaggedPassage]) -> None:
        d = ReviewDialog(author, flagged, self)
        d.submitted.connect(lambda specs: self._export(d, author, specs))
        self._open(d, "reviewDialog")

    def choose_folder(self) -> str:
        """Ask where to write the files (tests replace this)."""
        return QFileDialog.getExistingDirectory(
            self, self.tr("Write the export to"), str(save_folder())
        )

    def _export(self, dialog: ReviewDialog, author: str, specs: list[str]) -> None:
        folder = self.choose_folder()
        if not folder:
            return
        token, ex = self.shell.token, self.desk.author_export
        v = self.current
        request = v.id if v is not None and v.closed_at is None else None
        redactions = [parse_redaction(s) for s in specs]

        def written(export: AuthorExport) -> None:
            out = Path(folder)
            stem = f"subject-access-author-{export.author_id}"
            (out / f"{stem}.json").write_text(export.json_text(), encoding="utf-8")
            write_pdf(
                out / f"{stem}.pdf", export.title, export.html, export.data["protective_marking"]
            )
            self.ui.stateLabel.setText(
                self.tr("Wrote the export (JSON and PDF) to {folder}.").format(folder=folder)
            )
            self.exported.emit(folder)

        op = ChangeOp(
            self.shell,
            lambda: ex.export(token, author, redactions, reviewed=True, request_id=request),
            key="subject access",
        )
        op.in_dialog(dialog).done(self.tr("Wrote the subject access export.")).success(
            written
        ).run()

    def erase(self) -> None:
        """Erase the author, with the reason (kept in the audit)."""
        author = self._author()
        if not author:
            self.ui.stateLabel.setText(self.tr("Name the author first (x:@handle or author:ID)."))
            return
        d = TextEntryDialog(
            self.tr("Erase {author}").format(author=author),
            self.tr(
                "Everything Desk holds about {author} will be removed and cannot be brought "
                "back. Say why (kept in the audit: do not name the person)."
            ).format(author=author),
            self.tr("Erase"),
            self,
        )
        token, er = self.shell.token, self.desk.erasure
        v = self.current
        request = v.id if v is not None else None
        d.submitted.connect(
            lambda reason: (
                ChangeOp(self.shell, lambda: er.erase(token, author, reason, request), many=True)
                .in_dialog(d)
                .done(
                    lambda r: self.tr(
                        "Erased author {id}: {n} item(s) removed; {m} mention(s) of them in "
                        "other records replaced with [erased person]."
                    ).format(id=r.author_id, n=r.items, m=r.mentions)
                )
                .success(lambda _r: self.reload())
                .run()
            )
        )
        self._open(d, "eraseDialog")


class SubjectAccessMenu(QObject):
    """Adds Subject access requests… to the Supervisor menu."""

    def __init__(self, shell: Shell, ui: Ui_MainWindow) -> None:
        super().__init__(shell)
        self.shell = shell
        self.window: SubjectAccessWindow | None = None
        self.action = QAction(self.tr("Subject &access requests…"), shell.window)
        self.action.setObjectName("actionSubjectAccess")
        self.action.setStatusTip(
            self.tr("The register of subject access requests, exports and erasure")
        )
        ui.menuSupervisor.addAction(self.action)
        self.action.triggered.connect(self.open)
        shell.guard(self.action, Action.MANAGE_SUBJECT_ACCESS)

    def open(self) -> SubjectAccessWindow:
        """Open (or bring forward) the register and read it."""
        if self.window is None:
            self.window = SubjectAccessWindow(self.shell)
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        self.window.reload()
        return self.window
