"""The template picker (Shift+T): search, language, a preview filled from the case, use it.

The list holds the approved templates only (what the services offer the person), those that
suit the case's risk and platform first (``desk.core.template_ranking``); a search puts the
templates with its words in their title first. Down and Up in the search field move through
the list; Ctrl+Enter copies and records. Under the preview, the reply's length against the
platform's limit ("212 / 280"). Choosing
one fills it from the case off the GUI thread; the preview shows the wording with the case's
values, and a "Missing:" line names any variable that is unknown or has no value, in which
case the use buttons are disabled with the reason. [Copy and record] and [Open on platform]
say ``submitted``; the reply actions record the reply, then copy it or open the item's link,
and call ``finish()``, or ``refuse(message)`` to show the services' answer here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QListWidgetItem,
    QWidget,
)
from shiboken6 import isValid

from desk.core.template_ranking import rank, reply_limit
from desk.core.templates import TemplateKind
from desk.gui.forms.ui_template_picker import Ui_TemplatePicker
from desk.gui.labels import platform_label
from desk.gui.messages import set_message
from desk.gui.operations import QueryOp
from desk.gui.shell import Shell
from desk.gui.theme import repolish
from desk.services.templates import GuidelineView, RenderedTemplate, TemplateView

KEY_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class PickedReply:
    """What the person chose to send."""

    key: str
    version: int
    language: str
    text: str
    private: bool
    open_link: bool


@dataclass(frozen=True)
class CaseContext:
    """What the picker knows of the case, to suggest templates and count against a limit."""

    risk: tuple[str, ...] = ()
    platform: str = ""
    item_kind: str | None = None


MOVE_KEYS = (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp)


class TemplatePicker(QDialog):
    """Reply with a template: pick, preview in English or Welsh, then copy or open."""

    submitted = Signal(object)  # a PickedReply

    def __init__(
        self,
        case_label: str,
        templates: Sequence[TemplateView],
        guidelines: Sequence[GuidelineView],
        render: Callable[[str, str, str | None], RenderedTemplate],
        shell: Shell,
        language: str = "en",
        preselect: str | None = None,
        has_link: bool = True,
        parent: QWidget | None = None,
        case: CaseContext | None = None,
    ) -> None:
        super().__init__(parent)
        self.case = case or CaseContext()
        self._order = list(templates)
        self._templates = {t.key: t for t in templates}
        self._render = render
        self._shell = shell
        self._seq = 0
        self.rendered: RenderedTemplate | None = None

        self.ui = ui = Ui_TemplatePicker()
        ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setObjectName("templatePicker")
        self.setWindowTitle(self.tr("Reply with a template — {case}").format(case=case_label))
        self.search_edit = ui.templateSearchEdit
        self.english_radio = ui.englishRadio
        self.welsh_radio = ui.welshRadio
        self._languages = QButtonGroup(self)
        self._languages.addButton(self.english_radio)
        self._languages.addButton(self.welsh_radio)
        (self.welsh_radio if language == "cy" else self.english_radio).setChecked(True)

        self.template_list = ui.templateList
        self._fill("")

        self.rule_label = ui.ruleLabel
        self.rule_combo = ui.ruleCombo
        self.rule_combo.addItem(self.tr("Choose the community guideline…"), None)
        for g in guidelines:
            self.rule_combo.addItem(f"{g.code} · {g.title}", g.code)

        self.template_label = ui.templateTextLabel
        self.preview_edit = ui.previewEdit
        self.count_label = ui.characterCountLabel
        self.missing_label = ui.missingLabel
        self.message_label = ui.pickerMessageLabel
        set_message(self.message_label, "")
        self.copy_button = ui.copyRecordButton
        self.open_button = ui.openPlatformButton
        self._has_link = has_link
        ui.cancelButton.clicked.connect(self.reject)

        self.search_edit.textChanged.connect(self._filter)
        self.template_list.currentItemChanged.connect(lambda *_: self._refresh())
        self._languages.buttonToggled.connect(lambda *_: self._refresh())
        self.rule_combo.currentIndexChanged.connect(lambda *_: self._refresh())
        self.copy_button.clicked.connect(lambda: self._submit(open_link=False))
        self.open_button.clicked.connect(lambda: self._submit(open_link=True))
        self.search_edit.returnPressed.connect(self.template_list.setFocus)
        self.search_edit.installEventFilter(self)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(
                lambda: self._submit(open_link=False)
            )

        self._set_usable(False, self.tr("Choose a template."))
        if preselect is not None and not self.select(preselect):
            set_message(
                self.message_label,
                self.tr("The template {key} is not approved for use: choose another.").format(
                    key=preselect
                ),
            )
        if self.template_list.currentRow() < 0 and self.template_list.count():
            self.template_list.setCurrentRow(0)
        self.search_edit.setFocus()

    # state -------------------------------------------------------------------------------

    @property
    def language(self) -> str:
        """The language chosen: 'cy' or 'en'."""
        return "cy" if self.welsh_radio.isChecked() else "en"

    @property
    def key(self) -> str | None:
        """The template chosen (None when none is)."""
        entry = self.template_list.currentItem()
        return str(entry.data(KEY_ROLE)) if entry is not None else None

    def select(self, key: str) -> bool:
        """Choose the template ``key``; False if it is not in the list."""
        for row in range(self.template_list.count()):
            if self.template_list.item(row).data(KEY_ROLE) == key:
                self.template_list.setCurrentRow(row)
                return True
        return False

    def set_language(self, language: str) -> None:
        """Choose English ('en') or Welsh ('cy')."""
        (self.welsh_radio if language == "cy" else self.english_radio).setChecked(True)

    def choose_rule(self, code: str) -> None:
        """Choose the guideline ``code`` for a template that names {rule}."""
        found = self.rule_combo.findData(code)
        if found < 0:
            raise ValueError(f"no guideline {code!r}")
        self.rule_combo.setCurrentIndex(found)

    def _fill(self, text: str) -> None:
        """List the templates matching ``text``, the best for the case first."""
        c = self.case
        ranked = rank(self._order, c.risk, c.platform, text, c.item_kind, self.language)
        self.template_list.blockSignals(True)
        self.template_list.clear()
        for view in ranked:
            rule = self.tr("   rule {code}").format(code=view.guideline) if view.guideline else ""
            entry = QListWidgetItem(
                self.tr("{title}   v{version} {status}{rule}").format(
                    title=view.title, version=view.version, status=view.status.value, rule=rule
                )
            )
            entry.setData(KEY_ROLE, view.key)
            entry.setToolTip(view.key)
            self.template_list.addItem(entry)
        self.template_list.blockSignals(False)

    def _filter(self, text: str) -> None:
        self._fill(text)
        # the best match is chosen, so that Enter or Ctrl+Enter uses what is on top
        if self.template_list.count():
            self.template_list.setCurrentRow(0)
        else:
            self._refresh()

    @property
    def keys(self) -> list[str]:
        """The templates listed, in order."""
        lst = self.template_list
        return [str(lst.item(row).data(KEY_ROLE)) for row in range(lst.count())]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down, Up, Page Down and Page Up in the search field move through the list."""
        if (
            watched is self.search_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in MOVE_KEYS
            and self.template_list.count()
        ):
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5}.get(
                Qt.Key(event.key()), -5
            )
            row = self.template_list.currentRow()
            last = self.template_list.count() - 1
            self.template_list.setCurrentRow(max(0, min(last, (row if row >= 0 else -1) + step)))
            return True
        return super().eventFilter(watched, event)

    def _set_usable(self, usable: bool, reason: str = "") -> None:
        self.copy_button.setEnabled(usable)
        self.open_button.setEnabled(usable and self._has_link)
        tip = "" if usable else reason
        self.copy_button.setToolTip(tip)
        self.open_button.setToolTip(
            tip if not usable else ("" if self._has_link else self.tr("The item has no link."))
        )

    def _refresh(self) -> None:
        key = self.key
        self.rendered = None
        set_message(self.message_label, "")
        if key is None:
            self.template_label.setText("")
            self.preview_edit.setPlainText("")
            self.missing_label.setText("")
            self._count("")
            self._set_usable(False, self.tr("Choose a template."))
            return
        view = self._templates[key]
        needs_rule = "rule" in view.variables and not view.guideline
        self.rule_label.setVisible(needs_rule)
        self.rule_combo.setVisible(needs_rule)
        rule = self.rule_combo.currentData() if needs_rule else None
        self.template_label.setText(view.text(self.language))
        self.missing_label.setText(self.tr("Filling from the case…"))
        self._set_usable(False, self.tr("Filling from the case…"))
        self._seq += 1
        seq, language, render = self._seq, self.language, self._render
        QueryOp(self._shell, lambda: render(key, language, rule)).success(
            lambda done: self._rendered(seq, done)
        ).failure(lambda exc: self._failed(seq, exc)).run()

    def _current(self, seq: int) -> bool:
        """Tell whether an answer for render ``seq`` is still wanted (the picker is open)."""
        return seq == self._seq and isValid(self) and isValid(self.preview_edit)

    def _rendered(self, seq: int, done: RenderedTemplate) -> None:
        if not self._current(seq):
            return
        self.rendered = done
        self.preview_edit.setPlainText(done.rendering.text)
        self._count(done.rendering.text)
        if done.usable:
            self.missing_label.setText(self.tr("Missing: none"))
            self._set_usable(True)
            return
        problem = done.problem
        if done.rendering.missing == ("rule",) and self.rule_combo.isVisible():
            problem = self.tr("choose the community guideline broken ({rule})").format(
                rule="{rule}"
            )
        text = self.tr("Missing: {problem}. This template cannot be used here.").format(
            problem=problem
        )
        self.missing_label.setText(text)
        self._set_usable(False, text)

    def _count(self, text: str) -> None:
        """Show the reply's length against the platform's limit, a warning when over it."""
        label = self.count_label
        limit = reply_limit(self.case.platform) if self.case.platform else None
        over = limit is not None and len(text) > limit
        if not text:
            shown = ""
        elif limit is None:
            shown = self.tr("{n} characters").format(n=len(text))
        elif over:
            shown = self.tr("{n} / {limit}: {extra} too many for {platform}").format(
                n=len(text),
                limit=limit,
                extra=len(text) - limit,
                platform=platform_label(self.case.platform),
            )
        else:
            shown = self.tr("{n} / {limit}").format(n=len(text), limit=limit)
        label.setText(shown)
        label.setToolTip(
            self.tr("{platform} allows {limit} characters in a reply.").format(
                platform=platform_label(self.case.platform), limit=limit
            )
            if limit is not None
            else ""
        )
        label.setProperty("kind", "error" if over else "")
        repolish(label)

    def _failed(self, seq: int, error: Exception) -> None:
        if not self._current(seq):
            return
        message = getattr(error, "message", None) or self.tr("Desk could not fill the template.")
        self.missing_label.setText("")
        set_message(self.message_label, message)
        self._set_usable(False, message)

    def _submit(self, open_link: bool) -> None:
        done = self.rendered
        if done is None or not done.usable:
            return
        view = done.template
        self.submitted.emit(
            PickedReply(
                key=view.key,
                version=view.version,
                language=done.language,
                text=done.rendering.text,
                private=view.kind is TemplateKind.PRIVATE_REPLY,
                open_link=open_link,
            )
        )

    def refuse(self, message: str) -> None:
        """Show why the services refused; nothing was recorded."""
        set_message(self.message_label, message)

    def finish(self) -> None:
        """Close once the reply is recorded."""
        self.accept()
