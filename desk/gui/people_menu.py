"""Admin → People… and Supervisor → Access review…: the actions and their service calls.

Every call runs off the GUI thread as an operation; a step dialog stays open, greyed, until
the service answers, and shows a refusal inside itself so nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from desk.core.roles import Action, Role, may, role_name
from desk.gui.access_review import AccessReviewDialog
from desk.gui.areas_dialog import AreasDialog
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.people_dialog import PeopleDialog
from desk.gui.people_steps import (
    AddPersonDialog,
    ChangeRoleDialog,
    DisableDialog,
    EnableDialog,
    EnrolmentDialog,
)
from desk.gui.shell import Shell
from desk.services.areas import PersonAreas
from desk.services.people import AccessReviewRow, LeaverResult
from desk.services.views import Enrolment


def _bring_forward(dialog: QDialog) -> None:
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()


class PeopleMenu(QObject):
    """Admin → People… (administrators) and Supervisor → Access review…, and their calls."""

    changed = Signal()  # the People list was read again (after a change, or on Refresh)

    def __init__(self, shell: Shell, ui: Ui_MainWindow) -> None:
        super().__init__(shell)
        self.shell = shell
        self.desk = shell.desk
        self.dialog: PeopleDialog | None = None
        self.review_dialog: AccessReviewDialog | None = None
        self.action_people = QAction(self.tr("&People…"), shell.window)
        self.action_people.setObjectName("actionPeople")
        self.action_people.setStatusTip(
            self.tr("Add people, change roles, disable leavers and re-enable them.")
        )
        self.action_review = QAction(self.tr("Access &review…"), shell.window)
        self.action_review.setObjectName("actionAccessReview")
        self.action_review.setStatusTip(
            self.tr("Every account, its role, last sign-in and who approved it.")
        )
        ui.menuAdmin.removeAction(ui.actionAdminPending)
        ui.actionAdminPending.setVisible(False)
        ui.menuAdmin.addAction(self.action_people)
        # one place only: administrators see the same review inside People…
        ui.menuSupervisor.addAction(self.action_review)
        self.action_people.triggered.connect(self.open_people)
        self.action_review.triggered.connect(self.open_review)
        shell.guard(self.action_people, Action.MANAGE_USERS)  # a greyed item says why
        shell.guard(self.action_review, Action.VIEW_ACCESS_REVIEW)

    @property
    def step(self) -> Any:
        """The step dialog open now (Add, Change role, Disable, Enable, the enrolment), if any."""
        return self.shell.dialog

    # the dialogs ---------------------------------------------------------------------------

    def open_people(self) -> PeopleDialog:
        """Show the People dialog (administrators)."""
        if self.dialog is None:
            dialog = PeopleDialog(self.shell.window)
            dialog.add_requested.connect(self.add_person)
            dialog.role_requested.connect(self.change_role)
            dialog.areas_requested.connect(self.set_areas)
            dialog.disable_requested.connect(self.disable)
            dialog.enable_requested.connect(self.enable)
            dialog.review.refresh_requested.connect(self.refresh)
            dialog.review.exported.connect(
                lambda path: self.shell.notify(
                    self.tr("Access review exported to {path}.").format(path=path)
                )
            )
            self.dialog = dialog
        self.refresh()
        _bring_forward(self.dialog)
        return self.dialog

    def open_review(self) -> AccessReviewDialog:
        """Show the access review on its own (supervisors; administrators too)."""
        if self.review_dialog is None:
            self.review_dialog = AccessReviewDialog(self.shell.window)
            self.review_dialog.view.refresh_requested.connect(self._refresh_review)
        self._refresh_review()
        _bring_forward(self.review_dialog)
        return self.review_dialog

    def _read(self) -> QueryOp[list[AccessReviewRow]]:
        desk, token = self.desk, self.shell.token
        return QueryOp(self.shell, lambda: desk.people.access_review(token))

    def _refresh_review(self) -> None:
        dialog = self.review_dialog
        if dialog is not None:
            self._read().success(dialog.view.set_rows).run()
            self._read_marking().success(dialog.view.set_marking).run()

    def _read_marking(self) -> QueryOp[str]:
        desk = self.desk
        return QueryOp(self.shell, lambda: str(desk.settings.get("protective_marking"))).quiet()

    def refresh(self) -> None:
        """Fetch the accounts again for the People dialog."""
        dialog = self.dialog
        if dialog is None:
            return

        def shown(rows: list[AccessReviewRow]) -> None:
            dialog.set_rows(rows)
            self.changed.emit()

        self._read().success(shown).run()
        self._read_marking().success(dialog.review.set_marking).run()

    def _parent(self) -> QDialog | Any:
        return self.dialog or self.shell.window

    def _show_enrolment(self, enrolment: Enrolment) -> EnrolmentDialog:
        shown = EnrolmentDialog(enrolment, self._parent())
        self.shell.open_dialog(shown, "enrolmentDialog")
        return shown

    def _changed(self, _result: object = None) -> None:
        self.refresh()

    # the changes ---------------------------------------------------------------------------

    def add_person(self) -> AddPersonDialog:
        """Add… : a new person with a role; then their enrolment, shown once."""
        step = AddPersonDialog(self._parent())
        desk = self.desk

        def submitted(username: str, name: str, role: Role, password: str) -> None:
            def added(enrolment: Enrolment) -> None:
                self.refresh()
                self._show_enrolment(enrolment)

            ChangeOp(
                self.shell,
                lambda: desk.accounts.add_user(self.shell.token, username, name, role, password),
            ).done(lambda e: self.tr("Added {username}.").format(username=e.username)).in_dialog(
                step
            ).success(added).run()

        step.submitted.connect(submitted)
        self.shell.open_dialog(step, "addPersonDialog")
        return step

    def change_role(self, person: AccessReviewRow) -> ChangeRoleDialog:
        """Change role… for the selected person."""
        step = ChangeRoleDialog(person, self._parent())
        desk = self.desk

        def submitted(role: Role, approver: str) -> None:
            ChangeOp(
                self.shell,
                lambda: desk.people.change_role(
                    self.shell.token, person.username, role, approver or None
                ),
            ).done(
                self.tr("{username} is now {role}.").format(
                    username=person.username, role=role_name(role)
                )
            ).in_dialog(step).success(self._changed).run()

        step.submitted.connect(submitted)
        self.shell.open_dialog(step, "changeRoleDialog")
        return step

    def set_areas(self, person: AccessReviewRow) -> None:
        """Areas… for the selected person: read their areas, then open the dialog."""
        desk, token = self.desk, self.shell.token

        def read() -> tuple[PersonAreas, tuple[str, ...]]:
            return desk.areas.areas_of(token, person.username), desk.areas.known(token)

        QueryOp(self.shell, read, key=f"areas {person.username}").success(
            lambda found: self._open_areas(*found)
        ).run()

    def _open_areas(self, person: PersonAreas, known: tuple[str, ...]) -> None:
        step = AreasDialog(person, known, self._parent())
        desk = self.desk

        def said(view: PersonAreas) -> str:
            if not view.areas:
                return self.tr("{username} works for the whole force.").format(
                    username=view.username
                )
            return self.tr("{username} works {areas}.").format(
                username=view.username, areas=", ".join(view.areas)
            )

        def submitted(areas: list[str]) -> None:
            token = self.shell.token
            ChangeOp(
                self.shell,
                lambda: (
                    desk.areas.set_areas(token, person.username, areas)
                    if areas
                    else desk.areas.clear_areas(token, person.username)
                ),
            ).done(said).in_dialog(step).success(self._changed).run()

        step.submitted.connect(submitted)
        self.shell.open_dialog(step, "areasDialog")

    def takers(self, person: AccessReviewRow) -> list[AccessReviewRow]:
        """Return who can take over ``person``'s cases: active people who work cases."""
        rows = self.dialog.review.model.rows if self.dialog is not None else []
        return [
            r
            for r in rows
            if r.active and r.username != person.username and may(r.role, Action.WORK_CASES)
        ]

    def disable(self, person: AccessReviewRow) -> DisableDialog:
        """Disable… the selected person, releasing or reassigning their cases."""
        step = DisableDialog(person, self.takers(person), self._parent())
        desk = self.desk

        def disabled(result: LeaverResult) -> str:
            moved = len(result.released) + len(result.reassigned)
            if result.reassigned_to:
                return self.tr("Disabled {username}; {n} open case(s) reassigned to {to}.").format(
                    username=result.username, n=moved, to=result.reassigned_to
                )
            return self.tr("Disabled {username}; {n} open case(s) released to the queue.").format(
                username=result.username, n=moved
            )

        def submitted(cases: str, to: str | None, investigated: bool) -> None:
            # the leaver's open cases move: every view of the queue reloads
            ChangeOp(
                self.shell,
                lambda: desk.people.disable(
                    self.shell.token,
                    person.username,
                    cases=cases,
                    to=to,
                    under_investigation=investigated,
                ),
                many=True,
            ).done(disabled).in_dialog(step).success(self._changed).run()

        step.submitted.connect(submitted)
        self.shell.open_dialog(step, "disableDialog")
        return step

    def enable(self, person: AccessReviewRow) -> EnableDialog:
        """Enable… the selected person with a new password; show the fresh enrolment once."""
        step = EnableDialog(person, self._parent())
        desk = self.desk

        def submitted(password: str) -> None:
            def enabled(enrolment: Enrolment) -> None:
                self.refresh()
                self._show_enrolment(enrolment)

            ChangeOp(
                self.shell,
                lambda: desk.people.enable(self.shell.token, person.username, password),
            ).done(lambda e: self.tr("Enabled {username}.").format(username=e.username)).in_dialog(
                step
            ).success(enabled).run()

        step.submitted.connect(submitted)
        self.shell.open_dialog(step, "enableDialog")
        return step
