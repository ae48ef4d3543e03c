"""The moderation dialog: choose the guideline broken, say what the public is told, record.

Like the case dialogs, it says ``submitted`` and stays open: the caller records the action,
then ``finish()`` closes it, or ``refuse(message)`` shows the service's answer inside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desk.core.moderation import ModerationKind, needs_explanation
from desk.gui.messages import set_message
from desk.services.guidelines import GuidelineView


def _tr(text: str) -> str:
    return QCoreApplication.translate("ModerationDialog", text)


def kind_title(kind: ModerationKind) -> str:
    """The dialog's title for ``kind`` ("Hide a comment")."""
    return {
        ModerationKind.HIDE: _tr("Hide a comment"),
        ModerationKind.UNHIDE: _tr("Unhide a comment"),
        ModerationKind.DELETE: _tr("Delete a comment"),
        ModerationKind.BLOCK: _tr("Block the author"),
        ModerationKind.RESTRICT: _tr("Restrict the author"),
        ModerationKind.REPORT: _tr("Report to the platform"),
    }[kind]


def kind_verb(kind: ModerationKind) -> str:
    """The record button's words for ``kind`` ("Hide and record")."""
    return {
        ModerationKind.HIDE: _tr("Hide and record"),
        ModerationKind.UNHIDE: _tr("Unhide and record"),
        ModerationKind.DELETE: _tr("Delete and record"),
        ModerationKind.BLOCK: _tr("Block and record"),
        ModerationKind.RESTRICT: _tr("Restrict and record"),
        ModerationKind.REPORT: _tr("Report and record"),
    }[kind]


def prefilled(guideline: GuidelineView, welsh: bool) -> str:
    """The explanation offered for a guideline: its public text, in English or Welsh."""
    if welsh and guideline.public_text_cy:
        return _tr("Mae hyn yn torri ein canllaw cymunedol {code}. {text}").format(
            code=guideline.code, text=guideline.public_text_cy
        )
    return _tr("This breaks our community guideline {code} ({title}). {text}").format(
        code=guideline.code, title=guideline.title, text=guideline.public_text
    )


class ModerationDialog(QDialog):
    """Records one moderation action on a case, naming the guideline broken."""

    submitted = Signal(str, str)  # guideline code, explanation

    def __init__(
        self,
        kind: ModerationKind,
        case_text: str,
        guidelines: Sequence[GuidelineView],
        connector: str | None,
        has_link: bool,
        welsh: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.guidelines = list(guidelines)
        self._offered = ""  # the explanation last filled in (replaced until edited)
        self.setWindowTitle(kind_title(kind))
        self.resize(640, 600)
        layout = QVBoxLayout(self)

        self.case_label = QLabel(case_text, self)
        self.case_label.setObjectName("caseLabel")
        self.case_label.setWordWrap(True)
        self.case_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.case_label)

        rule_label = QLabel(_tr("&Guideline broken"), self)
        layout.addWidget(rule_label)
        self.guideline_list = QListWidget(self)
        self.guideline_list.setObjectName("guidelineList")
        self.guideline_list.setAccessibleName(_tr("Guideline broken"))
        for g in self.guidelines:
            entry = QListWidgetItem(f"{g.code} · {g.title}")
            entry.setData(Qt.ItemDataRole.UserRole, g.code)
            entry.setToolTip(g.public_text)
            self.guideline_list.addItem(entry)
        self.guideline_list.setMinimumHeight(150)
        rule_label.setBuddy(self.guideline_list)
        layout.addWidget(self.guideline_list)

        self.rule_text = QLabel(self)
        self.rule_text.setObjectName("ruleTextLabel")
        self.rule_text.setWordWrap(True)
        self.rule_text.setTextFormat(Qt.TextFormat.PlainText)
        self.rule_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.rule_text)

        languages = QHBoxLayout()
        wording = QLabel(_tr("Explanation given to the public, in:"), self)
        languages.addWidget(wording)
        self.english = QRadioButton(_tr("&English"), self)
        self.welsh = QRadioButton(_tr("&Cymraeg"), self)
        self._language = QButtonGroup(self)
        for button in (self.english, self.welsh):
            self._language.addButton(button)
            languages.addWidget(button)
        languages.addStretch(1)
        layout.addLayout(languages)
        (self.welsh if welsh else self.english).setChecked(True)

        self.explanation_edit = QPlainTextEdit(self)
        self.explanation_edit.setObjectName("explanationEdit")
        self.explanation_edit.setAccessibleName(_tr("Explanation given to the public"))
        self.explanation_edit.setTabChangesFocus(True)
        if not needs_explanation(kind):
            self.explanation_edit.setPlaceholderText(_tr("Optional for this action."))
        layout.addWidget(self.explanation_edit, 1)

        self.plan_label = QLabel(self)
        self.plan_label.setObjectName("planLabel")
        self.plan_label.setWordWrap(True)
        if connector is not None:
            plan = _tr(
                "Desk applies this on the platform through the {name} connector, and records it."
            ).format(name=connector)
        elif has_link:
            plan = _tr(
                "You will finish this on the platform: the link opens and the explanation is "
                "copied, ready to paste."
            )
        else:
            plan = _tr(
                "You will finish this on the platform: the explanation is copied (this item has "
                "no link: find it on the platform)."
            )
        self.plan_label.setText(_tr("What happens: ") + plan)
        layout.addWidget(self.plan_label)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        layout.addWidget(self.message_label)
        set_message(self.message_label, "")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(kind_verb(kind))
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self._submit)

        self.guideline_list.currentRowChanged.connect(self._chosen)
        self._language.buttonToggled.connect(lambda *_: self._chosen())
        self.explanation_edit.textChanged.connect(self._check)
        if self.guidelines:
            self.guideline_list.setCurrentRow(0)
        else:
            set_message(
                self.message_label,
                _tr("There are no active community guidelines: an administrator adds them."),
            )
        self._check()
        self.guideline_list.setFocus()

    # state -------------------------------------------------------------------------------

    @property
    def code(self) -> str | None:
        """The chosen guideline's code."""
        entry = self.guideline_list.currentItem()
        return None if entry is None else str(entry.data(Qt.ItemDataRole.UserRole))

    @property
    def explanation(self) -> str:
        """The explanation as typed."""
        return self.explanation_edit.toPlainText()

    def _guideline(self) -> GuidelineView | None:
        code = self.code
        return next((g for g in self.guidelines if g.code == code), None)

    def _chosen(self, *_args: object) -> None:
        g = self._guideline()
        if g is None:
            return
        welsh = self.welsh.isChecked()
        text = g.public_text_cy if welsh and g.public_text_cy else g.public_text
        self.rule_text.setText(f"{g.code} · {g.title}\n{text}")
        if self.kind is ModerationKind.UNHIDE:
            return  # an unhide tells the public nothing by default
        if self.explanation.strip() in ("", self._offered.strip()):
            self._offered = prefilled(g, welsh)
            self.explanation_edit.setPlainText(self._offered)
        self._check()

    def _check(self) -> None:
        ok = self.code is not None and (
            bool(self.explanation.strip()) or not needs_explanation(self.kind)
        )
        self.ok_button.setEnabled(ok)

    def choose(self, code: str) -> None:
        """Choose the guideline ``code`` (for scripts and tests)."""
        for row in range(self.guideline_list.count()):
            if self.guideline_list.item(row).data(Qt.ItemDataRole.UserRole) == code:
                self.guideline_list.setCurrentRow(row)
                return
        raise ValueError(f"no guideline {code!r} offered")

    def _submit(self) -> None:
        if self.ok_button.isEnabled() and self.code is not None:
            self.submitted.emit(self.code, self.explanation)

    def refuse(self, message: str) -> None:
        """Show why the service refused; keep what was typed."""
        set_message(self.message_label, message)

    def finish(self) -> None:
        """Close after the action was recorded."""
        self.accept()
