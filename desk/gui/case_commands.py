"""The Case menu's commands: claim, release, note, THRIVE, close, re-open, assign, group, redact.

Each asks what it needs in a dialog opened through the shell, then runs the service call as a
:class:`~desk.gui.operations.ChangeOp`: the dialog shows a refusal inside itself, and every
view showing the case refreshes itself after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from desk.core.cases import Outcome
from desk.core.errors import Conflict, DeskError, UnacknowledgedEscalations
from desk.gui.case_dialogs import ChoiceDialog, CloseDialog, RedactDialog, TextEntryDialog
from desk.gui.case_pane import ItemSelection
from desk.gui.labels import outcome_label, platform_label
from desk.gui.messages import set_message
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.queue_cells import first_line
from desk.gui.shell import Shell
from desk.services.case_views import QueueRow

CLOSE_ANYWAY = QMessageBox.StandardButton.Yes


class CaseCommands(QObject):
    """Does what the Case menu asks on the selected case; the answers go through the shell."""

    def __init__(self, shell: Shell, pane: Any) -> None:
        super().__init__(shell)
        self.shell = shell
        self.desk = shell.desk
        self.pane = pane
        self.question: QMessageBox | None = None  # "close anyway?" while it is asked
        self.note_dialog: TextEntryDialog | None = None
        shell.watch_unsaved(self.unsaved_note)

    def _token(self) -> str:
        return self.shell.token

    def _version(self, case_id: int) -> int | None:
        """The version of ``case_id`` the person is looking at (None before its detail came).

        A change passes it as ``expected_version``: if another workstation changed the case
        meanwhile, the service refuses with who and when, and the pane shows the case afresh.
        """
        detail = getattr(self.pane, "detail", None)
        if detail is None or detail.row.case_id != case_id:
            return None
        return detail.version  # type: ignore[no-any-return]

    def _change(
        self,
        dialog: Any,
        case_id: int,
        call: Callable[[str], object],
        done: str,
        many: bool = False,
    ) -> None:
        """Run ``call(token)`` for ``dialog``: it closes when done or shows the refusal."""
        token = self._token()
        ChangeOp(self.shell, lambda: call(token), case_id, many=many).done(done).in_dialog(
            dialog
        ).run()

    def unsaved_note(self) -> str:
        """Say what an open note dialog would lose ('' when nothing is typed in one)."""
        dialog = self.note_dialog
        if dialog is None or not dialog.text.strip():
            return ""
        return self.tr("The note you are writing ({title}) is not saved.").format(
            title=dialog.windowTitle()
        )

    # claiming -----------------------------------------------------------------------------

    def claim(self) -> None:
        """Enter: take the selected case."""
        row = self.shell.require_case()
        if row is not None:
            token, case_id = self._token(), row.case_id
            seen = self._version(case_id)
            ChangeOp(
                self.shell,
                lambda: self.desk.cases.claim(token, case_id, expected_version=seen),
                case_id,
            ).done(self.tr("You claimed case #{id}.").format(id=case_id)).run()

    def release(self) -> None:
        """R: give the case back to the queue."""
        row = self.shell.require_case()
        if row is not None:
            token, case_id = self._token(), row.case_id
            seen = self._version(case_id)
            ChangeOp(
                self.shell,
                lambda: self.desk.cases.release(token, case_id, expected_version=seen),
                case_id,
            ).done(self.tr("Case #{id} released to the queue.").format(id=case_id)).run()

    # writing on the case ------------------------------------------------------------------

    def _with_text(
        self,
        name: str,
        title: str,
        prompt: str,
        button: str,
        call: Callable[[str, int, str], object],
        done: str,
    ) -> TextEntryDialog | None:
        """Ask for a text about the selected case, then ``call(token, case_id, text)``.

        ``title`` and ``done`` may name the case as ``{id}``.
        """
        row = self.shell.require_case()
        if row is None:
            return None
        case_id = row.case_id
        dialog = TextEntryDialog(title.format(id=case_id), prompt, button, self.shell.window)
        dialog.submitted.connect(
            lambda text: self._change(
                dialog, case_id, lambda token: call(token, case_id, text), done.format(id=case_id)
            )
        )
        self.shell.open_dialog(dialog, name)
        return dialog

    def add_note(self) -> None:
        """N: a note on the case's timeline."""
        dialog = self._with_text(
            "noteDialog",
            self.tr("Note on case #{id}"),
            self.tr("The note goes on the case's timeline and the audit record."),
            self.tr("Add note"),
            self.desk.cases.add_note,
            self.tr("Note added to case #{id}."),
        )
        if dialog is not None:
            self.note_dialog = dialog
            dialog.finished.connect(lambda _result: self._note_closed(dialog))

    def _note_closed(self, dialog: TextEntryDialog) -> None:
        if self.note_dialog is dialog:
            self.note_dialog = None

    def reopen(self) -> None:
        """O: re-open a closed case (it becomes yours)."""
        row = self.shell.selected_case()
        seen = self._version(row.case_id) if row is not None else None
        self._with_text(
            "reopenDialog",
            self.tr("Re-open case #{id}"),
            self.tr("Why is the case re-opened? The reason goes on the timeline; you own it then."),
            self.tr("Re-open"),
            lambda token, case_id, reason: self.desk.cases.reopen(
                token, case_id, reason, expected_version=seen
            ),
            self.tr("Case #{id} re-opened."),
        )

    def save_assessment(self) -> None:
        """Ctrl+S: save the THRIVE fields as a new version of the case's assessment."""
        row = self.shell.require_case()
        if row is None:
            return
        token, case_id, values = self._token(), row.case_id, self.pane.thrive_values()
        seen = self._version(case_id)
        label = self.pane.ui.thriveStatusLabel

        def refused(exc: DeskError) -> None:
            if case_id == self.pane.case_id:
                set_message(label, exc.message)  # beside the fields, which keep their text
            self.shell.notify(exc.message)

        ChangeOp(
            self.shell,
            lambda: self.desk.cases.assess(token, case_id, values, expected_version=seen),
            case_id,
        ).done(
            lambda version: self.tr("THRIVE version {v} saved on case #{id}.").format(
                v=version, id=case_id
            )
        ).success(lambda _version: self.pane.assessment_saved(case_id)).failure(refused).run()

    # closing ------------------------------------------------------------------------------

    def close_case(self) -> None:
        """X: close with an outcome (a risky case needs THRIVE first)."""
        row = self.shell.require_case()
        if row is None:
            return
        case_id = row.case_id
        if row.needs_thrive:
            message = self.tr(
                "Case #{id} matched a risk rule: record a THRIVE assessment before closing "
                "it. The THRIVE fields are ready for you (T)."
            ).format(id=case_id)
            self.shell.tell(self.tr("THRIVE first"), message)
            self.pane.focus_thrive()
            return
        seen = self._version(case_id)
        dialog = CloseDialog(
            self.tr("Close case #{id}").format(id=case_id),
            self.tr(
                "{summary}\nChoose what was done. The outcome and note go on the timeline."
            ).format(summary=f"#{case_id} · {row.author}: {first_line(row.summary)[:120]}"),
            self.tr("Close case"),
            parent=self.shell.window,
        )
        dialog.submitted.connect(
            lambda outcome, note: self._close(
                dialog,
                case_id,
                lambda token, despite: self.desk.cases.close(
                    token,
                    case_id,
                    outcome,
                    note,
                    despite_unacknowledged=despite,
                    expected_version=seen,
                ),
                self.tr("Case #{id} closed: {outcome}.").format(
                    id=case_id, outcome=outcome_label(outcome)
                ),
            )
        )
        self.shell.open_dialog(dialog, "closeDialog")

    def _close(
        self,
        dialog: CloseDialog,
        case_id: int,
        close: Callable[[str, bool], object],
        done: str,
        despite: bool = False,
        many: bool = False,
    ) -> None:
        """Close (one case or a group); on waiting escalations, ask before closing anyway."""
        token = self._token()

        def refused(exc: DeskError) -> None:
            if isinstance(exc, UnacknowledgedEscalations) and not despite:
                self._ask_close_anyway(
                    dialog, exc, lambda: self._close(dialog, case_id, close, done, True, many)
                )
            else:
                dialog.refuse(exc.message)
                self.shell.notify(exc.message)

        ChangeOp(self.shell, lambda: close(token, despite), case_id, many=many).done(
            done
        ).in_dialog(dialog).failure(refused).run()

    def _ask_close_anyway(
        self, dialog: CloseDialog, exc: UnacknowledgedEscalations, anyway: Callable[[], None]
    ) -> None:
        """Escalations still await acknowledgement: close only if the operator says so."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Escalations not acknowledged"),
            exc.message,
            QMessageBox.StandardButton.Cancel,
            dialog,
        )
        box.setObjectName("closeAnywayQuestion")
        go = box.addButton(self.tr("Close anyway"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter does not close it
        self.question = box

        def answered() -> None:
            self.question = None
            if box.clickedButton() is go:
                anyway()
            else:
                dialog.refuse(exc.message)

        box.finished.connect(lambda _result: answered())
        box.open()

    def close_with(self, outcome: Outcome, note: str = "") -> None:
        """Choose ``outcome`` in the open close dialog and submit it (for scripts)."""
        dialog = self.shell.dialog
        if isinstance(dialog, CloseDialog):
            dialog.choose(outcome)
            dialog.ui.noteEdit.setPlainText(note)
            dialog.ok_button.click()

    # supervisors and groups ---------------------------------------------------------------

    def assign(self) -> None:
        """A: give the case to someone (supervisors)."""
        row = self.shell.require_case()
        if row is not None:
            token = self._token()
            QueryOp(self.shell, lambda: self.desk.cases.assignable(token)).success(
                lambda people: self._assign_to(row, people)
            ).run()

    def _assign_to(self, row: QueueRow, people: list[tuple[str, str, tuple[str, ...]]]) -> None:
        case_id = row.case_id
        seen = self._version(case_id)
        choices = []
        for username, name, languages in people:
            text = f"{username} — {name}"
            if "cy" in languages:
                text += self.tr(" · Cymraeg")
            choices.append((text, username))
        prompt = self.tr("Give case #{id} to:").format(id=case_id)
        if row.language == "cy":
            prompt += " " + self.tr("(the case is in Welsh: Welsh speakers are marked)")
        dialog = ChoiceDialog(
            self.tr("Assign case #{id}").format(id=case_id),
            prompt,
            choices,
            self.tr("Assign"),
            self.shell.window,
        )
        dialog.submitted.connect(
            lambda username: self._change(
                dialog,
                case_id,
                lambda token: self.desk.cases.reassign(
                    token, case_id, str(username), expected_version=seen
                ),
                self.tr("Case #{id} assigned to {name}.").format(id=case_id, name=username),
            )
        )
        self.shell.open_dialog(dialog, "assignDialog")

    def group_similar(self) -> None:
        """G: find open cases like this one and close them together with one outcome."""
        row = self.shell.require_case()
        if row is None:
            return
        case_id, token, desk = row.case_id, self._token(), self.desk

        def read() -> tuple[list[int], dict[int, Any]]:
            ids = list(desk.surges.similar(token, case_id))
            if case_id not in ids:
                ids.insert(0, case_id)
            return ids, (desk.queue.items_for(token, ids) if len(ids) > 1 else {})

        QueryOp(self.shell, read).success(lambda found: self._group(row, *found)).run()

    def _group(self, row: QueueRow, ids: list[int], items: dict[int, Any]) -> None:
        case_id = row.case_id
        if len(ids) < 2:
            message = self.tr(
                "No other open case is like case #{id} (same thread, or near-identical text)."
            ).format(id=case_id)
            self.shell.tell(self.tr("Group similar"), message)
            return
        lines = []
        for other in ids:
            first = items.get(other, ())
            text = first_line(first[0].text) if first else ""
            who = first[0].author_handle if first else ""
            lines.append(f"#{other} · {who}: {text[:90]}")
        dialog = CloseDialog(
            self.tr("Close {n} similar cases together").format(n=len(ids)),
            self.tr(
                "{n} open cases on {platform} share a thread or say nearly the same as case "
                "#{id}. Close them together with one outcome: each gets its own timeline line "
                "and audit entry. Unclaimed ones become yours."
            ).format(n=len(ids), platform=platform_label(row.platform), id=case_id),
            self.tr("Close {n} cases").format(n=len(ids)),
            cases=lines,
            parent=self.shell.window,
        )
        dialog.submitted.connect(
            lambda outcome, note: self._close(
                dialog,
                case_id,
                lambda token, despite: self.desk.surges.close_group(
                    token, ids, outcome, note, despite_unacknowledged=despite
                ),
                self.tr("{n} cases closed together: {outcome}.").format(
                    n=len(ids), outcome=outcome_label(outcome)
                ),
                many=True,
            )
        )
        self.shell.open_dialog(dialog, "groupDialog")

    # redaction ----------------------------------------------------------------------------

    def redact(self) -> None:
        """Ctrl+Shift+R: replace the personal data selected in the item text, saying why."""
        row = self.shell.require_case()
        if row is None:
            return
        case_id = row.case_id
        seen = self._version(case_id)
        picked = self.pane.item_selection()
        if isinstance(picked, str):
            self.shell.tell(self.tr("Redact selection"), picked)
            return
        count = len(picked.text)
        chars = (
            self.tr("1 character")
            if count == 1
            else self.tr("{n} characters").format(n=f"{count:,}")
        )
        ids = [r.item_id for r in self.pane.item_ranges]
        where = (
            self.tr("item {k} of {n}").format(k=ids.index(picked.item_id) + 1, n=len(ids))
            if len(ids) > 1 and picked.item_id in ids
            else self.tr("the item")
        )
        dialog = RedactDialog(
            self.tr("Redact from case #{id}").format(id=case_id),
            self.tr(
                "{chars} of {where} in case #{id} will be replaced by “[redacted]” in the "
                "stored text, everywhere Desk shows or searches it."
            ).format(chars=chars, where=where, id=case_id),
            picked.text,
            self.shell.window,
        )
        dialog.submitted.connect(
            lambda reason: self._change(
                dialog,
                case_id,
                lambda token: self._redact(token, case_id, picked, reason, seen),
                self.tr("Redacted {chars} in case #{id}.").format(chars=chars, id=case_id),
            )
        )
        self.shell.open_dialog(dialog, "redactDialog")

    def _redact(
        self, token: str, case_id: int, picked: ItemSelection, reason: str, seen: int | None
    ) -> None:
        """Redact, unless the item changed since it was selected (the offsets would be wrong)."""
        detail = self.desk.queue.detail(token, case_id)
        now = next((i for i in detail.items if i.id == picked.item_id), None)
        if now is None or now.text != picked.item_text:
            raise Conflict(
                self.tr(
                    "The item's text changed after you selected it (someone may have redacted "
                    "it). Cancel, then select the text again."
                )
            )
        self.desk.cases.redact(
            token, picked.item_id, picked.start, picked.end, reason, expected_version=seen
        )
