"""The case pane: what arrived, why it is risky, who is on it, THRIVE, actions, timeline.

Matched words are highlighted with a background, bold and underline (never colour alone);
the actions come in the order a desk uses them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QPoint, QSizeF, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QWidget,
)

from desk.core.thrive import DEFAULT_GRADES, Grade
from desk.gui.formatting import ago_text, clock_time, local_time, span_text
from desk.gui.forms.ui_case_pane import Ui_CasePane
from desk.gui.keys import KeyGuard, action_name, shortcut_text
from desk.gui.labels import (
    grade_label,
    kind_label,
    platform_label,
    priority_label,
    risk_label,
    status_label,
)
from desk.gui.messages import set_message
from desk.gui.queue_model import first_line
from desk.gui.risk_seen_picker import NONE_SEEN, RiskSeenPicker
from desk.services.case_views import CaseDetail, ItemView, QueueRow

HIGHLIGHT_PROPERTY = QTextFormat.Property.UserProperty + 1  # True on highlighted characters
HIGHLIGHT_BACKGROUND = "#ffd54a"
HIGHLIGHT_TEXT = "#1a1a1a"
THREAD_SHOWN = 2
TEXT_MIN_HEIGHT = 64
TEXT_MAX_HEIGHT = 260


@dataclass(frozen=True)
class ItemRange:
    """Where one item's text sits in the pane's document.

    ``offsets[d]`` is the index into the item's stored ``text`` of document position
    ``start + d`` (None inside a character the document holds as two UTF-16 units). The
    document is not the text: Qt keeps a CR LF pair as one block break, and an emoji as two
    positions. An item without text (media only) has no offsets: nothing in it can be chosen.
    """

    item_id: int
    start: int
    end: int
    text: str = ""
    offsets: tuple[int | None, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class ItemSelection:
    """A selection inside one item's stored text: ``text[start:end]`` of item ``item_id``."""

    item_id: int
    start: int
    end: int
    item_text: str

    @property
    def text(self) -> str:
        """The selected characters of the item's text."""
        return self.item_text[self.start : self.end]


_BREAKS = str.maketrans("", "", "\r\n\u2029\ufdd0\ufdd1")


def document_offsets(piece: str, at: int) -> list[int | None]:
    """Return the item-text index after each document position one ``insertText(piece)`` makes.

    ``at`` is the piece's index in the item's text. Qt turns CR LF into one block break and
    keeps every other character as one position per UTF-16 unit.
    """
    after: list[int | None] = []
    i = 0
    while i < len(piece):
        if piece[i] == "\r" and piece[i + 1 : i + 2] == "\n":
            i += 2
        elif ord(piece[i]) > 0xFFFF:
            after.append(None)  # between the two halves of a surrogate pair
            i += 1
        else:
            i += 1
        after.append(at + i)
    return after


def merged_spans(item: ItemView) -> list[tuple[int, int, str]]:
    """Return the item's matched spans in order, overlaps merged, each with what matched it."""
    spans = sorted(
        (a, b, f"{risk_label(m.category)} · rule {m.rule_id}")
        for m in item.matches
        for a, b in m.spans
        if 0 <= a < b <= len(item.text)
    )
    merged: list[tuple[int, int, str]] = []
    for a, b, why in spans:
        if merged and a <= merged[-1][1]:
            start, end, before = merged[-1]
            reasons = before if why in before else f"{before}; {why}"
            merged[-1] = (start, max(end, b), reasons)
        else:
            merged.append((a, b, why))
    return merged


class ActionButton(QPushButton):
    """A button that mirrors an action: its words, its keys, whether it is enabled."""

    def __init__(self, action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action = action
        self.setAutoDefault(False)
        self.clicked.connect(action.trigger)
        action.changed.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        keys = shortcut_text(self.action)
        name = self.action.iconText() or action_name(self.action)  # the short form
        self.setText(f"{name} ({keys})" if keys else name)
        self.setEnabled(self.action.isEnabled())
        self.setToolTip(self.action.toolTip())
        self.setVisible(self.action.isVisible())


class CasePane(QWidget):
    """Shows one case; the window's controller fills it and reacts to its buttons."""

    escape_pressed = Signal()  # Esc in the pane: back to the queue
    thrive_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_CasePane()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.case_id: int | None = None
        self.detail: CaseDetail | None = None
        self.item_ranges: list[ItemRange] = []
        self.buttons: list[ActionButton] = []
        self.sections: list[QGroupBox] = []
        self._drafts: dict[int, dict[str, str]] = {}
        self._dirty = False
        self._grade_labels: dict[str, str] = {}
        self.set_grades(DEFAULT_GRADES)
        for edit in self.thrive_edits().values():
            edit.textEdited.connect(self._edited)
        self.ui.gradeCombo.activated.connect(self._edited)
        self.risk_seen = RiskSeenPicker(self.ui.riskSeenButton)
        self.risk_seen.edited.connect(self._edited)
        self.ui.caseHeaderLabel.setTextFormat(Qt.TextFormat.PlainText)
        for label in (
            self.ui.caseMetaLabel,
            self.ui.presenceLabel,
            self.ui.matchedLabel,
            self.ui.threadLabel,
            self.ui.authorLabel,
        ):
            label.setTextFormat(Qt.TextFormat.PlainText)
        view = self.ui.itemTextView
        # selectable with the keyboard too (a caret to move with Shift+arrows), for redaction
        view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._text_menu)
        self.text_actions: list[QAction] = []
        self.text_menu: QMenu | None = None  # the item text's right-click menu, when open
        layout = view.document().documentLayout()
        layout.documentSizeChanged.connect(self._fit_text)
        self.guard = KeyGuard(self, on_escape=self.escape_pressed.emit, on_enter=self._next_field)
        self._guard_children()
        self.show_empty()

    def set_grades(self, grades: tuple[Grade, ...]) -> None:
        """Offer this force's THRIVE grades (the catalogue is a desk setting)."""
        self._grade_labels = {
            g.code: grade_label(g.code) if g in DEFAULT_GRADES else g.label for g in grades
        }
        self.ui.gradeCombo.clear()
        self.ui.gradeCombo.addItem(self.tr("Choose a grade…"), "")
        for grade in grades:
            self.ui.gradeCombo.addItem(
                self.tr("{label} ({target})").format(
                    label=self._grade_labels[grade.code], target=span_text(grade.target)
                ),
                grade.code,
            )

    def _guard_children(self) -> None:
        self.guard.watch(self.findChildren(QWidget))

    # building -----------------------------------------------------------------------------

    def add_actions(self, actions: Iterable[QAction], columns: int = 3) -> None:
        """Add a button for each action under Actions, ``columns`` to a row."""
        grid = self.ui.actionsGrid
        for number, action in enumerate(actions):
            button = ActionButton(action, self.ui.actionsGroup)
            button.setObjectName(f"{action.objectName()}Button")
            grid.addWidget(button, number // columns, number % columns)
            self.buttons.append(button)
        self._guard_children()

    def add_section(
        self, name: str, title: str, actions: Iterable[QAction], columns: int = 4
    ) -> QGroupBox:
        """Add a titled row of action buttons after the last section (Escalate, Reply...)."""
        box = QGroupBox(title, self.ui.caseContents)
        box.setObjectName(f"{name}Group")
        grid = QGridLayout(box)
        for number, action in enumerate(actions):
            button = ActionButton(action, box)
            button.setObjectName(f"{action.objectName()}Button")
            grid.addWidget(button, number // columns, number % columns)
            self.buttons.append(button)
        layout = self.ui.caseLayout
        after = self.sections[-1] if self.sections else self.ui.actionsGroup
        layout.insertWidget(layout.indexOf(after) + 1, box)
        self.sections.append(box)
        self._guard_children()
        return box

    def add_thrive_action(self, action: QAction) -> ActionButton:
        """Put the Save assessment button beside the grade."""
        button = ActionButton(action, self.ui.thriveGroup)
        button.setObjectName("saveAssessmentButton")
        self.ui.thriveButtonLayout.addWidget(button)
        self.buttons.append(button)
        self._guard_children()
        return button

    def add_text_action(self, action: QAction) -> ActionButton:
        """Offer ``action`` for the item text: a button under it, and on its right-click menu."""
        self.text_actions.append(action)
        view = self.ui.itemTextView
        button = ActionButton(action, self.ui.caseContents)
        button.setObjectName(f"{action.objectName()}Button")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(button)
        layout = self.ui.caseLayout
        layout.insertLayout(layout.indexOf(view) + 1, row)
        QWidget.setTabOrder(view, button)
        self.buttons.append(button)
        self._guard_children()
        return button

    def _text_menu(self, point: QPoint) -> None:
        view = self.ui.itemTextView
        menu = view.createStandardContextMenu(point)
        if self.text_actions:
            menu.addSeparator()
            menu.addActions(self.text_actions)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        menu.popup(view.viewport().mapToGlobal(point))
        self.text_menu = menu  # for tests

    def thrive_edits(self) -> dict[str, QLineEdit]:
        """Return the six THRIVE fields by factor."""
        ui = self.ui
        return {
            "threat": ui.threatEdit,
            "harm": ui.harmEdit,
            "risk": ui.riskEdit,
            "investigation": ui.investigationEdit,
            "vulnerability": ui.vulnerabilityEdit,
            "engagement": ui.engagementEdit,
        }

    # showing ------------------------------------------------------------------------------

    def show_empty(self, text: str = "") -> None:
        """Show no case, with ``text`` (or the default hint)."""
        self._keep_draft()
        self.case_id = None
        self.detail = None
        if text:
            self.ui.emptyLabel.setText(text)
        self.ui.paneStack.setCurrentWidget(self.ui.emptyPage)

    def show_row(self, row: QueueRow, now: datetime, me: str) -> None:
        """Show what the queue row says at once, while the full case is fetched."""
        if row.case_id != self.case_id:
            self._keep_draft()
            self.detail = None
            self.case_id = row.case_id
            self.item_ranges = []
            self.ui.itemTextView.setPlainText(row.summary)
            for label in (self.ui.matchedLabel, self.ui.threadLabel, self.ui.authorLabel):
                label.setText(self.tr("Loading…"))
            self.ui.timelineList.clear()
            self._fill_thrive(None, row)
        self._header(row, now, me, ())
        self.ui.paneStack.setCurrentWidget(self.ui.casePage)

    def show_detail(self, detail: CaseDetail, now: datetime, me: str) -> None:
        """Show the case in full."""
        row = detail.row
        same = row.case_id == self.case_id and self.detail is not None
        if row.case_id != self.case_id:
            self._keep_draft()
        self.case_id = row.case_id
        self.detail = detail
        self._header(row, now, me, detail.viewers)
        self._items(detail.items)
        self._matched(detail.items)
        self._thread(detail)
        self._author(detail)
        if not (same and self._dirty):
            self._fill_thrive(detail, row)
        else:
            self._thrive_status(detail, row)
        self._timeline(detail)
        self.ui.paneStack.setCurrentWidget(self.ui.casePage)

    def set_viewers(self, viewers: Iterable[str], me: str, now: datetime) -> None:
        """Update who else is looking at this case."""
        if self.detail is not None:
            self._header(self.detail.row, now, me, tuple(viewers))

    def _header(self, row: QueueRow, now: datetime, me: str, viewers: Iterable[str]) -> None:
        parts = [priority_label(row.priority)]
        if row.risk:
            parts.append(" + ".join(risk_label(c).upper() for c in row.risk))
        parts.append(f"{platform_label(row.platform)} {row.author}")
        parts.append(ago_text(now - row.opened_at))
        self.ui.caseHeaderLabel.setText(" · ".join(parts))
        meta = [
            self.tr("Case #{id}").format(id=row.case_id),
            status_label(row.status),
            self.tr("{kind} on {account}").format(kind=kind_label(row.kind), account=row.account),
        ]
        if row.item_count > 1:
            meta.append(self.tr("{n} items").format(n=row.item_count))
        if row.language == "cy":
            meta.append(self.tr("CY Cymraeg (Welsh)"))
        self.ui.caseMetaLabel.setText(" · ".join(meta))
        if row.owner is None:
            owner = self.tr("Owner: nobody yet (Enter claims it)")
        elif row.owner == me:
            owner = self.tr("Owner: you ({name})").format(name=row.owner)
        else:
            owner = self.tr("Owner: {name}").format(name=row.owner)
        others = [v for v in viewers if v != me]
        if others:
            owner += " · " + self.tr("{names} viewing now").format(names=", ".join(others))
        self.ui.presenceLabel.setText(owner)

    def _items(self, items: Iterable[ItemView]) -> None:
        view = self.ui.itemTextView
        document = view.document()
        document.clear()
        cursor = QTextCursor(document)
        plain = QTextCharFormat()
        plain.setForeground(QBrush(QColor(HIGHLIGHT_TEXT)))
        heading = QTextCharFormat()
        heading.setForeground(QBrush(QColor("#4a4f55")))
        heading.setFontPointSize(9.5)
        link = QTextCharFormat(heading)
        link.setAnchor(True)
        link.setForeground(QBrush(QColor("#1a5fb4")))
        link.setFontUnderline(True)
        self.item_ranges = []
        for number, item in enumerate(items):
            if number:
                cursor.insertBlock()
                cursor.insertBlock()
            author = item.author_handle
            if item.author_name and item.author_name != item.author_handle:
                author = f"{item.author_name} ({item.author_handle})"
            line = " · ".join(
                [
                    local_time(item.received_at),
                    kind_label(item.kind),
                    author,
                    *([self.tr("CY Cymraeg")] if item.language == "cy" else []),
                    *([self.tr("REDACTED")] if item.redacted else []),
                ]
            )
            cursor.insertText(line, heading)
            if item.link:
                cursor.insertText(" · ", heading)
                link.setAnchorHref(item.link)
                cursor.insertText(
                    self.tr("open on {platform}").format(platform=platform_label(item.platform)),
                    link,
                )
            cursor.insertBlock()
            start = cursor.position()
            offsets = self._item_text(cursor, item, plain)
            end = cursor.position()
            for medium in item.media:
                cursor.insertBlock()
                link.setAnchorHref(medium)
                cursor.insertText(self.tr("media: {link}").format(link=medium), link)
            self.item_ranges.append(ItemRange(item.id, start, end, item.text, offsets))
        view.moveCursor(QTextCursor.MoveOperation.Start)

    def _item_text(
        self, cursor: QTextCursor, item: ItemView, plain: QTextCharFormat
    ) -> tuple[int | None, ...]:
        """Insert an item's text, matched words highlighted; return its document offsets."""
        if not item.text:
            cursor.insertText(self.tr("(no text: media only)"), plain)
            return ()
        start = cursor.position()
        text = item.text
        offsets: list[int | None] = [0]
        pieces: list[tuple[int, int, QTextCharFormat]] = []
        at = 0
        for a, b, why in merged_spans(item):
            if a > at:
                pieces.append((at, a, plain))
            pieces.append((a, b, self._highlight(why)))
            at = b
        pieces.append((at, len(text), plain))
        for a, b, char_format in pieces:
            if a < b:
                cursor.insertText(text[a:b], char_format)
                offsets += document_offsets(text[a:b], a)
        if cursor.position() - start != len(offsets) - 1:  # Qt changed something unforeseen
            return ()  # then nothing in this item can be chosen for redaction
        return tuple(offsets)

    def _fit_text(self, size: QSizeF) -> None:
        """Make the text box as tall as its text (within limits), so the pane reads top down."""
        view = self.ui.itemTextView
        wanted = int(size.height()) + 2 * view.frameWidth() + 4
        view.setFixedHeight(min(max(wanted, TEXT_MIN_HEIGHT), TEXT_MAX_HEIGHT))

    @staticmethod
    def _highlight(why: str) -> QTextCharFormat:
        # background AND bold AND underline: never colour alone
        marked = QTextCharFormat()
        marked.setBackground(QBrush(QColor(HIGHLIGHT_BACKGROUND)))
        marked.setForeground(QBrush(QColor(HIGHLIGHT_TEXT)))
        marked.setFontWeight(QFont.Weight.Bold)
        marked.setFontUnderline(True)
        marked.setToolTip(why)
        marked.setProperty(HIGHLIGHT_PROPERTY, True)
        return marked

    def highlighted(self) -> list[tuple[int, int]]:
        """Return the document ranges shown as matched words (start, end), merged, in order."""
        ranges: list[tuple[int, int]] = []
        block = self.ui.itemTextView.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.charFormat().boolProperty(HIGHLIGHT_PROPERTY):
                    start, end = fragment.position(), fragment.position() + fragment.length()
                    if ranges and ranges[-1][1] == start:
                        ranges[-1] = (ranges[-1][0], end)
                    else:
                        ranges.append((start, end))
                it += 1
            block = block.next()
        return ranges

    def _matched(self, items: Iterable[ItemView]) -> None:
        lines = []
        for item in items:
            for match in item.matches:
                words = ", ".join(f"“{w}”" for w in match.matched)
                lines.append(
                    self.tr("• {category}: {words}  (rule {rule}, {severity})").format(
                        category=risk_label(match.category),
                        words=words,
                        rule=match.rule_id,
                        severity=match.severity,
                    )
                )
        if lines:
            self.ui.matchedLabel.setText(self.tr("Matched") + "\n" + "\n".join(lines))
        else:
            self.ui.matchedLabel.setText(
                self.tr(
                    "Not yet assessed: no risk rule matched, and the rules miss some risk. "
                    "Read it yourself; record THRIVE if you see any."
                )
            )

    def _thread(self, detail: CaseDetail) -> None:
        titled = next((i for i in detail.items if i.thread_title), None)
        if titled is None and not detail.thread:
            self.ui.threadLabel.setText(self.tr("Thread: none (not a reply to one of our posts)"))
            return
        about = (
            self.tr("Thread: on “{title}”").format(title=titled.thread_title)
            if titled is not None and titled.thread_title
            else self.tr("Thread:")
        )
        count = len(detail.thread)
        if count == 0:
            others = self.tr("no other items yet")
        elif count == 1:
            others = self.tr("1 other item")
        else:
            others = self.tr("{n} other items").format(n=count)
        lines = [f"{about} · {others}"]
        for other in detail.thread[-THREAD_SHOWN:]:
            text = first_line(other.text) or self.tr("(media only)")
            if len(text) > 56:
                text = text[:55] + "…"
            lines.append(f"   {clock_time(other.received_at)}  {other.author_handle}: {text}")
        self.ui.threadLabel.setText("\n".join(lines))

    def _author(self, detail: CaseDetail) -> None:
        earlier = max(0, detail.author_items - len(detail.items))
        cases = len(detail.author_cases)
        text = self.tr("Author on this desk: {items} earlier items, {cases} other cases").format(
            items=earlier, cases=f"{cases}+" if cases >= 20 else cases
        )
        if detail.author_cases:
            shown = ", ".join(f"#{c}" for c in detail.author_cases[:6])
            more = "…" if len(detail.author_cases) > 6 else ""
            text += f" ({shown}{more})"
        self.ui.authorLabel.setText(text)

    def _timeline(self, detail: CaseDetail) -> None:
        timeline = self.ui.timelineList
        timeline.clear()
        for entry in detail.timeline:
            item = QListWidgetItem(f"{clock_time(entry.at)}  {entry.actor} · {entry.text}")
            item.setToolTip(local_time(entry.at, with_seconds=True))
            timeline.addItem(item)
        timeline.scrollToBottom()

    # THRIVE -------------------------------------------------------------------------------

    def _fill_thrive(self, detail: CaseDetail | None, row: QueueRow) -> None:
        values: dict[str, str] = {}
        draft = self._drafts.get(row.case_id)
        if draft is not None:
            values = draft
        elif detail is not None and detail.assessments:
            latest = detail.assessments[-1]
            values = {**latest.factors, "grade": latest.grade, "risk_seen": latest.risk_seen}
        for factor, edit in self.thrive_edits().items():
            edit.setText(values.get(factor, ""))
            edit.setCursorPosition(0)  # show the beginning of a long answer
        found = self.ui.gradeCombo.findData(values.get("grade", ""))
        self.ui.gradeCombo.setCurrentIndex(max(found, 0))
        seen = values.get("risk_seen")
        if seen is None or (not seen and draft is None):  # not said yet: start from the rules
            seen = ",".join(row.risk)
        self.risk_seen.set_seen(c for c in seen.split(",") if c and c != NONE_SEEN)
        self._dirty = draft is not None
        if detail is None:
            set_message(self.ui.thriveStatusLabel, self.tr("Loading…"), "info")
        else:
            self._thrive_status(detail, row)

    def _thrive_status(self, detail: CaseDetail, row: QueueRow) -> None:
        latest = detail.assessments[-1] if detail.assessments else None
        if row.needs_assessment and latest is not None:
            text = self.tr(
                "RE-ASSESSMENT NEEDED: a new item arrived after version {v} ({who}, {when})."
            ).format(v=latest.version, who=latest.actor, when=clock_time(latest.at))
            kind = "error"
        elif row.risk and row.grade is None:
            text = self.tr(
                "NEEDED: this case matched a risk rule, so it cannot be closed without THRIVE."
            )
            kind = "error"
        elif latest is not None:
            text = self.tr("Assessed: version {v} by {who} at {when} · grade {grade}").format(
                v=latest.version,
                who=latest.actor,
                when=clock_time(latest.at),
                grade=self._grade_labels.get(latest.grade, grade_label(latest.grade)),
            )
            kind = "info"
        else:
            text = self.tr(
                "Not yet assessed: no rule matched, which does not mean no risk. Your THRIVE "
                "assessment is recorded and helps the rules learn what they missed."
            )
            kind = "info"
        if self._dirty:
            text += " " + self.tr("(unsaved changes below)")
        set_message(self.ui.thriveStatusLabel, text, kind)

    def thrive_values(self) -> dict[str, str]:
        """Return what is typed in the THRIVE fields, with the grade code."""
        values = {factor: edit.text() for factor, edit in self.thrive_edits().items()}
        values["grade"] = str(self.ui.gradeCombo.currentData() or "")
        values["risk_seen"] = self.risk_seen.value()
        return values

    def assessment_saved(self) -> None:
        """Forget the draft of the case shown (it is saved now)."""
        if self.case_id is not None:
            self._drafts.pop(self.case_id, None)
        self._dirty = False

    def has_draft(self, case_id: int) -> bool:
        """Tell whether unsaved THRIVE text is kept for ``case_id``."""
        return case_id in self._drafts or (case_id == self.case_id and self._dirty)

    def focus_thrive(self) -> None:
        """Put the cursor in the first THRIVE field (T)."""
        self.ui.caseScroll.ensureWidgetVisible(self.ui.thriveGroup)
        self.ui.threatEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ui.threatEdit.selectAll()

    def _edited(self, *_args: object) -> None:
        self._dirty = True
        self.thrive_edited.emit()

    def _keep_draft(self) -> None:
        if self._dirty and self.case_id is not None:
            self._drafts[self.case_id] = self.thrive_values()
        self._dirty = False

    def _next_field(self, _widget: QWidget) -> None:
        self.focusNextChild()

    # selecting item text -----------------------------------------------------------------

    def item_selection(self) -> ItemSelection | str:
        """Return the selection as characters of one item's stored text, or why it is not.

        The pane shows headings, links and media lines around each item's text, and the text
        itself is laid out by Qt; the selection is mapped back to the item's own characters.
        """
        cursor = self.ui.itemTextView.textCursor()
        if not cursor.hasSelection():
            return self.tr("Select the personal data in the item text first.")
        if self.detail is None or not self.item_ranges:
            return self.tr("The case is still loading. Try again in a moment.")
        a, b = cursor.selectionStart(), cursor.selectionEnd()
        touched = [r for r in self.item_ranges if a < r.end and b > r.start]
        if len(touched) > 1:
            return self.tr(
                "The selection runs over more than one item. Select the personal data within "
                "one item's text."
            )
        outside = self.tr(
            "Select the personal data within an item's text, not its heading, link or media lines."
        )
        if not touched:
            return outside
        shown = touched[0]
        if a < shown.start or b > shown.end or not shown.offsets:
            return outside
        start, end = shown.offsets[a - shown.start], shown.offsets[b - shown.start]
        if start is None or end is None or not start < end:
            return outside
        picked = ItemSelection(shown.item_id, start, end, shown.text)
        if cursor.selectedText().translate(_BREAKS) != picked.text.translate(_BREAKS):
            return outside  # the document is not what this pane drew: never guess
        if not picked.text.strip():
            return self.tr("The selection is only spaces. Select the personal data itself.")
        return picked

    def plain_text(self) -> str:
        """Return the item text as shown (for tests and screen readers)."""
        return self.ui.itemTextView.document().toPlainText()

    def timeline_texts(self) -> list[str]:
        """Return the timeline's lines, oldest first."""
        timeline = self.ui.timelineList
        return [timeline.item(i).text() for i in range(timeline.count())]
