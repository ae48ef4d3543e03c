"""The security review checklist of one official account: each item answered, findings, actions.

The questions come from the domain (``ReviewCheck.label()``, the guidance's security section);
each is answered Pass, Fail or Not applicable with the arrow keys inside its row. A failed item
needs an action (the service says so, and the dialog keeps what was typed). Earlier reviews
are listed under the form.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desk.core.account_register import CheckResult, ReviewCheck
from desk.gui.account_dialogs import AskingDialog, date_edit, py_date, wrapped
from desk.gui.labels import platform_label
from desk.gui.screen_fit import fit_to_screen
from desk.services.account_reviews import ReviewView
from desk.services.official_accounts import RegisterEntry

_CONTEXT = "ReviewDialog"
ANSWERS = (
    (CheckResult.PASS, "Pass"),
    (CheckResult.FAIL, "Fail"),
    (CheckResult.NOT_APPLICABLE, "N/A"),
)  # translated when shown


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def day_text(day: date) -> str:
    """A day as people read it: ``24 Feb 2027``."""
    return f"{day.day} {day:%b %Y}"


def history_line(review: ReviewView) -> str:
    """One earlier review: when, who, what failed."""
    failed = ", ".join(c.label() for c in review.failed)
    line = _tr("{day} by {who}: {result}").format(
        day=day_text(review.reviewed_on),
        who=review.reviewer,
        result=_tr("failed {items}").format(items=failed) if failed else _tr("all passed"),
    )
    if review.findings:
        line += " · " + _tr("Findings: {text}").format(text=review.findings)
    if review.actions:
        line += " · " + _tr("Actions: {text}").format(text=review.actions)
    return line


class ReviewDialog(AskingDialog):
    """Answer the checklist for ``entry`` and record the review."""

    submitted = Signal(
        object, str, str, object
    )  # a dict of results, findings, actions, reviewed on

    def __init__(
        self,
        entry: RegisterEntry,
        checklist: tuple[ReviewCheck, ...],
        history: list[ReviewView],
        today: date,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setWindowTitle(
            self.tr("Security review of {handle} on {platform}").format(
                handle=entry.handle, platform=platform_label(entry.platform.value)
            )
        )
        last = (
            self.tr("Last reviewed {day}.").format(day=day_text(entry.last_review_on))
            if entry.last_review_on
            else self.tr("Never reviewed on Desk.")
        )
        due = self.tr("Due {day}{late}.").format(
            day=day_text(entry.review_due_on),
            late=self.tr(" — OVERDUE") if entry.review_overdue else "",
        )
        intro = wrapped(
            f"{last} {due} "
            + self.tr(
                "Check each item on the platform itself, then answer it. A failed item needs "
                "the action that will put it right."
            ),
            self,
            "reviewIntroLabel",
        )
        box = QGroupBox(self.tr("Checklist"), self)
        grid = QGridLayout(box)
        grid.setColumnStretch(0, 1)
        self.groups: dict[ReviewCheck, QButtonGroup] = {}
        self.radios: dict[ReviewCheck, dict[CheckResult, QRadioButton]] = {}
        for number, check in enumerate(checklist):
            question = wrapped(check.label(), box, f"reviewQuestion_{check.value}")
            question.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            grid.addWidget(question, number, 0)
            group = QButtonGroup(self)
            group.setExclusive(True)
            self.radios[check] = {}
            for column, (result, text) in enumerate(ANSWERS, start=1):
                radio = QRadioButton(_tr(text), box)
                radio.setObjectName(f"review_{check.value}_{result.value}")
                radio.setAccessibleName(f"{check.label()}: {_tr(text)}")
                group.addButton(radio)
                grid.addWidget(radio, number, column)
                self.radios[check][result] = radio
                radio.toggled.connect(self._changed)
            question.setBuddy(self.radios[check][CheckResult.PASS])
            self.groups[check] = group
        self.findings_edit = QPlainTextEdit(self)
        self.findings_edit.setObjectName("reviewFindingsEdit")
        self.findings_edit.setTabChangesFocus(True)
        self.findings_edit.setPlaceholderText(self.tr("What the review found"))
        self.findings_edit.setFixedHeight(56)
        self.actions_edit = QPlainTextEdit(self)
        self.actions_edit.setObjectName("reviewActionsEdit")
        self.actions_edit.setTabChangesFocus(True)
        self.actions_edit.setPlaceholderText(
            self.tr("What will be done, by whom (needed if any failed)")
        )
        self.actions_edit.setFixedHeight(56)
        self.day_edit = date_edit(self, today, today)
        self.day_edit.setObjectName("reviewDayEdit")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("&Findings:"), self.findings_edit)
        form.addRow(self.tr("A&ctions:"), self.actions_edit)
        form.addRow(self.tr("Reviewed &on:"), self.day_edit)
        self.history_list = QListWidget(self)
        self.history_list.setObjectName("reviewHistoryList")
        self.history_list.setWordWrap(True)
        for review in history:
            self.history_list.addItem(history_line(review))
        if not history:
            self.history_list.addItem(self.tr("No earlier reviews."))
        self.history_list.setMaximumHeight(90)
        self.progress_label = wrapped("", self, "reviewProgressLabel")
        inner = QWidget(self)
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 0, 0)
        inner_layout.addWidget(intro)
        inner_layout.addWidget(box)
        inner_layout.addLayout(form)
        inner_layout.addWidget(QLabel(self.tr("Earlier reviews:"), inner))
        inner_layout.addWidget(self.history_list)
        scroll = QScrollArea(self)
        scroll.setObjectName("reviewScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        buttons = self._buttons(self.tr("&Record review"))
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.message_label)
        layout.addWidget(buttons)
        self._changed()
        fit_to_screen(self, 760, 720)

    def answer(self, check: ReviewCheck, result: CheckResult) -> None:
        """Tick ``result`` for ``check`` (as a click would)."""
        self.radios[check][result].setChecked(True)

    def results(self) -> dict[ReviewCheck, CheckResult]:
        """The items answered so far."""
        out = {}
        for check, radios in self.radios.items():
            for result, radio in radios.items():
                if radio.isChecked():
                    out[check] = result
        return out

    def _changed(self, _on: bool = True) -> None:
        answered = self.results()
        left = len(self.radios) - len(answered)
        failed = sum(1 for r in answered.values() if r is CheckResult.FAIL)
        text = (
            self.tr("{n} items still to answer.").format(n=left)
            if left
            else self.tr("Every item answered.")
        )
        if failed:
            text += " " + self.tr("{n} failed: say the actions.").format(n=failed)
        self.progress_label.setText(text)

    def _submit(self) -> None:
        answered = self.results()
        missing = [c.label() for c in self.radios if c not in answered]
        if missing:
            self.refuse(
                self.tr("Answer every item first: {items}.").format(items="; ".join(missing))
            )
            return
        self.submitted.emit(
            answered,
            self.findings_edit.toPlainText(),
            self.actions_edit.toPlainText(),
            py_date(self.day_edit),
        )
