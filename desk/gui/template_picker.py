"""The template picker (Shift+T): search, language, a preview filled from the case, use it.

The list holds the approved templates only (what the services offer the person). Choosing
one fills it from the case off the GUI thread; the preview shows the wording with the case's
values, and a "Missing:" line names any variable that is unknown or has no value, in which
case the use buttons are disabled with the reason. [Copy and record] and [Open on platform]
say ``submitted``; the reply actions record the reply, then copy it or open the item's link,
and call ``finish()``, or ``refuse(message)`` to show the services' answer here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desk.core.templates import TemplateKind
from desk.gui.messages import set_message
from desk.gui.workers import Worker
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


class TemplatePicker(QDialog):
    """Reply with a template: pick, preview in English or Welsh, then copy or open."""

    submitted = Signal(object)  # a PickedReply

    def __init__(
        self,
        case_label: str,
        templates: Sequence[TemplateView],
        guidelines: Sequence[GuidelineView],
        render: Callable[[str, str, str | None], RenderedTemplate],
        worker: Worker,
        language: str = "en",
        preselect: str | None = None,
        has_link: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("templatePicker")
        self.setWindowTitle(self.tr("Reply with a template — {case}").format(case=case_label))
        self.resize(760, 560)
        self._templates = {t.key: t for t in templates}
        self._render = render
        self._worker = worker
        self._seq = 0
        self.rendered: RenderedTemplate | None = None

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("templateSearchEdit")
        self.search_edit.setPlaceholderText(self.tr("Search templates…"))
        self.search_edit.setClearButtonEnabled(True)
        top.addWidget(self.search_edit, 1)
        top.addWidget(QLabel(self.tr("Language"), self))
        self.english_radio = QRadioButton(self.tr("&English"), self)
        self.english_radio.setObjectName("englishRadio")
        self.welsh_radio = QRadioButton(self.tr("&Cymraeg"), self)
        self.welsh_radio.setObjectName("welshRadio")
        self._languages = QButtonGroup(self)
        self._languages.addButton(self.english_radio)
        self._languages.addButton(self.welsh_radio)
        (self.welsh_radio if language == "cy" else self.english_radio).setChecked(True)
        top.addWidget(self.english_radio)
        top.addWidget(self.welsh_radio)
        layout.addLayout(top)

        self.template_list = QListWidget(self)
        self.template_list.setObjectName("templateList")
        for view in templates:
            rule = self.tr("   rule {code}").format(code=view.guideline) if view.guideline else ""
            entry = QListWidgetItem(
                self.tr("{title}   v{version} {status}{rule}").format(
                    title=view.title, version=view.version, status=view.status.value, rule=rule
                )
            )
            entry.setData(KEY_ROLE, view.key)
            entry.setToolTip(view.key)
            self.template_list.addItem(entry)
        layout.addWidget(self.template_list, 2)

        grid = QGridLayout()
        self.rule_label = QLabel(self.tr("&Rule broken"), self)
        self.rule_combo = QComboBox(self)
        self.rule_combo.setObjectName("ruleCombo")
        self.rule_combo.addItem(self.tr("Choose the community guideline…"), None)
        for g in guidelines:
            self.rule_combo.addItem(f"{g.code} · {g.title}", g.code)
        self.rule_label.setBuddy(self.rule_combo)
        grid.addWidget(self.rule_label, 0, 0)
        grid.addWidget(self.rule_combo, 0, 1)
        layout.addLayout(grid)

        self.template_label = QLabel(self)
        self.template_label.setObjectName("templateTextLabel")
        self.template_label.setWordWrap(True)
        self.template_label.setTextFormat(Qt.TextFormat.PlainText)
        self.template_label.setProperty("kind", "hint")
        layout.addWidget(self.template_label)
        self.preview_edit = QPlainTextEdit(self)
        self.preview_edit.setObjectName("previewEdit")
        self.preview_edit.setReadOnly(True)
        self.preview_edit.setAccessibleName(self.tr("The reply, filled from the case"))
        layout.addWidget(self.preview_edit, 2)

        self.missing_label = QLabel(self)
        self.missing_label.setObjectName("missingLabel")
        self.missing_label.setWordWrap(True)
        self.missing_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("pickerMessageLabel")
        self.message_label.setWordWrap(True)
        set_message(self.message_label, "")
        layout.addWidget(self.message_label)

        bottom = QHBoxLayout()
        bottom.addWidget(self.missing_label, 1)
        self.copy_button = QPushButton(self.tr("Copy and record"), self)
        self.copy_button.setObjectName("copyRecordButton")
        self.copy_button.setDefault(True)
        self.open_button = QPushButton(self.tr("Open on platform"), self)
        self.open_button.setObjectName("openPlatformButton")
        self.open_button.setAutoDefault(False)
        self._has_link = has_link
        close = QPushButton(self.tr("Cancel"), self)
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        bottom.addWidget(self.copy_button)
        bottom.addWidget(self.open_button)
        bottom.addWidget(close)
        layout.addLayout(bottom)

        self.search_edit.textChanged.connect(self._filter)
        self.template_list.currentItemChanged.connect(lambda *_: self._refresh())
        self._languages.buttonToggled.connect(lambda *_: self._refresh())
        self.rule_combo.currentIndexChanged.connect(lambda *_: self._refresh())
        self.copy_button.clicked.connect(lambda: self._submit(open_link=False))
        self.open_button.clicked.connect(lambda: self._submit(open_link=True))
        self.search_edit.returnPressed.connect(self.template_list.setFocus)

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

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        first_shown = None
        for row in range(self.template_list.count()):
            entry = self.template_list.item(row)
            view = self._templates[str(entry.data(KEY_ROLE))]
            haystack = f"{view.title} {view.key} {view.kind.value} {view.text_en} {view.text_cy}"
            hidden = not all(w in haystack.lower() for w in words)
            entry.setHidden(hidden)
            if not hidden and first_shown is None:
                first_shown = row
        current = self.template_list.currentItem()
        if (current is None or current.isHidden()) and first_shown is not None:
            self.template_list.setCurrentRow(first_shown)

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
        self._worker.run(
            lambda: render(key, language, rule),
            lambda done: self._rendered(seq, done),
            lambda exc: self._failed(seq, exc),
            context=self,
        )

    def _rendered(self, seq: int, done: RenderedTemplate) -> None:
        if seq != self._seq:
            return
        self.rendered = done
        self.preview_edit.setPlainText(done.rendering.text)
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

    def _failed(self, seq: int, error: Exception) -> None:
        if seq != self._seq:
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
