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
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from desk.core.items import ItemKind
from desk.core.moderation import ModerationKind, needs_explanation
from desk.gui.forms.ui_moderation_dialog import Ui_ModerationDialog
from desk.gui.messages import set_message
from desk.gui.plain_text import plain_tip
from desk.services.guidelines import GuidelineView


def _tr(text: str) -> str:
    return QCoreApplication.translate("ModerationDialog", text)


def item_word(kind: ItemKind | str) -> str:
    """The item's kind in words ("comment", "direct message")."""
    try:
        known = ItemKind(kind)
    except ValueError:
        return _tr("item")
    return {
        ItemKind.COMMENT: _tr("comment"),
        ItemKind.REPLY: _tr("reply"),
        ItemKind.MENTION: _tr("mention"),
        ItemKind.DIRECT_MESSAGE: _tr("direct message"),
        ItemKind.REVIEW: _tr("review"),
    }[known]


def kind_title(kind: ModerationKind, item: ItemKind | str = ItemKind.COMMENT) -> str:
    """The dialog's title for ``kind`` on an item of kind ``item`` ("Hide a reply")."""
    noun = item_word(item)
    return {
        ModerationKind.HIDE: _tr("Hide a {item}"),
        ModerationKind.UNHIDE: _tr("Unhide a {item}"),
        ModerationKind.DELETE: _tr("Delete a {item}"),
        ModerationKind.BLOCK: _tr("Block the author of a {item}"),
        ModerationKind.RESTRICT: _tr("Restrict the author of a {item}"),
        ModerationKind.REPORT: _tr("Report a {item} to the platform"),
    }[kind].format(item=noun)


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
        item_kind: ItemKind | str = ItemKind.COMMENT,
        default_guideline: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_ModerationDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.kind = kind
        self.item_kind = item_kind
        self.guidelines = list(guidelines)
        self._offered = ""  # the explanation last filled in (replaced until edited)
        self.setWindowTitle(kind_title(kind, item_kind))

        self.case_label = self.ui.caseLabel
        self.case_label.setText(case_text)
        self.guideline_list = self.ui.guidelineList
        for g in self.guidelines:
            entry = QListWidgetItem(f"{g.code} · {g.title}")
            entry.setData(Qt.ItemDataRole.UserRole, g.code)
            entry.setToolTip(plain_tip(g.public_text) or "")
            self.guideline_list.addItem(entry)
        self.rule_text = self.ui.ruleTextLabel

        self.english = self.ui.englishRadio
        self.welsh = self.ui.welshRadio
        self._language = QButtonGroup(self)
        for button in (self.english, self.welsh):
            self._language.addButton(button)
        (self.welsh if welsh else self.english).setChecked(True)

        self.explanation_edit = self.ui.explanationEdit
        if not needs_explanation(kind):
            self.explanation_edit.setPlaceholderText(_tr("Optional for this action."))

        self.plan_label = self.ui.planLabel
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

        self.message_label = self.ui.messageLabel
        set_message(self.message_label, "")

        self.buttons = self.ui.buttonBox
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(kind_verb(kind))
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self._submit)

        self.guideline_list.currentRowChanged.connect(self._chosen)
        self._language.buttonToggled.connect(lambda *_: self._chosen())
        self.explanation_edit.textChanged.connect(self._check)
        codes = [g.code for g in self.guidelines]
        if default_guideline in codes:  # suggested by the case's matched risk
            self.guideline_list.setCurrentRow(codes.index(default_guideline))
        elif self.guidelines:
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
