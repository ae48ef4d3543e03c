"""The case pane: what arrived, why it is risky, who is on it, THRIVE, actions, timeline.

The item text is :class:`~desk.gui.item_text.ItemText`, the THRIVE form
:class:`~desk.gui.thrive_form.ThriveForm`; the action buttons wrap onto more rows when the
pane is narrow (:class:`~desk.gui.action_buttons.FlowLayout`), in the order a desk uses them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import QPoint, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QMenu,
    QWidget,
)

from desk.core.disguised_text import neutralise
from desk.core.thrive import Grade
from desk.gui.action_buttons import ActionButton, FlowLayout
from desk.gui.disguised_note import disguised_label, show_disguised
from desk.gui.formatting import ago_text, clock_time, local_time
from desk.gui.forms.ui_case_pane import Ui_CasePane
from desk.gui.item_text import (  # re-exported: tests and redaction use them from here
    HIGHLIGHT_PROPERTY,
    ItemRange,
    ItemSelection,
    ItemText,
    document_offsets,
    merged_spans,
)
from desk.gui.keys import KeyGuard
from desk.gui.labels import kind_label, platform_label, priority_label, risk_label, status_label
from desk.gui.lookalike_note import lookalike_label, show_lookalike
from desk.gui.messages import set_message
from desk.gui.queue_cells import first_line
from desk.gui.thrive_form import ThriveForm
from desk.services.case_views import AppealNote, CaseDetail, HoldNote, ItemView, QueueRow

__all__ = [
    "HIGHLIGHT_PROPERTY",
    "ActionButton",
    "CasePane",
    "ItemRange",
    "ItemSelection",
    "document_offsets",
    "merged_spans",
]

THREAD_SHOWN = 2
TEXT_MIN_HEIGHT = 64
TEXT_MAX_HEIGHT = 260
TIMELINE_MIN_HEIGHT = 40
TIMELINE_MAX_HEIGHT = 240


def day_text(moment: datetime) -> str:
    """Return the local day of ``moment``, e.g. '14 Dec 2026'."""
    return moment.astimezone().strftime("%d %b %Y")


class CasePane(QWidget):
    """Shows one case; the window's controller fills it and reacts to its buttons."""

    escape_pressed = Signal()  # Esc in the pane: back to the queue
    thrive_edited = Signal()
    link_activated = Signal(str)  # a web address in the item text was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_CasePane()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.case_id: int | None = None
        self.detail: CaseDetail | None = None
        self.buttons: list[ActionButton] = []
        self.sections: list[QGroupBox] = []
        self.thrive = ThriveForm(self.ui, self)
        self.thrive.edited.connect(self.thrive_edited.emit)
        self.risk_seen = self.thrive.risk_seen
        self.text = ItemText(self.ui.itemTextView)
        self.text.link_activated.connect(self.link_activated.emit)
        self._actions_flow = FlowLayout(self.ui.actionsGroup)
        self.records_label, self.records_actions = self._records_widgets()
        self.lookalike_label = lookalike_label(
            self.ui.caseContents, self.ui.caseLayout, self.ui.caseMetaLabel
        )
        self.disguised_label = disguised_label(  # issue 17: text that hides or reorders itself
            self.ui.caseContents, self.ui.caseLayout, self.lookalike_label
        )
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

    @property
    def item_ranges(self) -> list[ItemRange]:
        """Where each item's text sits in the item text's document."""
        return self.text.item_ranges

    def set_grades(self, grades: tuple[Grade, ...]) -> None:
        """Offer this force's THRIVE grades (the catalogue is a desk setting)."""
        self.thrive.set_grades(grades)

    def thrive_edits(self) -> dict[str, QLineEdit]:
        """Return the six THRIVE fields by factor."""
        return self.thrive.edits()

    def thrive_values(self) -> dict[str, str]:
        """Return what is typed in the THRIVE fields, with the grade code."""
        return self.thrive.values()

    def assessment_saved(self, case_id: int | None = None) -> None:
        """Forget the THRIVE draft of ``case_id`` (default: the case shown): it is saved now."""
        case_id = self.case_id if case_id is None else case_id
        if case_id is not None:
            self.thrive.saved(case_id)

    def unsaved_thrive(self) -> str:
        """Say which cases have THRIVE text typed and not saved ('' when none)."""
        return self.thrive.unsaved()

    def has_draft(self, case_id: int) -> bool:
        """Tell whether unsaved THRIVE text is kept for ``case_id``."""
        return self.thrive.has_draft(case_id)

    def highlighted(self) -> list[tuple[int, int]]:
        """Return the document ranges shown as matched words (start, end), merged, in order."""
        return self.text.highlighted()

    def item_selection(self) -> ItemSelection | str:
        """Return the selection as characters of one item's stored text, or why it is not."""
        return self.text.selection(loaded=self.detail is not None)

    def _guard_children(self) -> None:
        self.guard.watch(self.findChildren(QWidget))

    def _records_widgets(self) -> tuple[QLabel, QWidget]:
        """The legal hold / public appeal line under the owner, and its buttons by the author."""
        layout = self.ui.caseLayout
        label = QLabel(self.ui.caseContents)
        label.setObjectName("recordsLabel")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(self.tr("Legal holds and public appeals"))
        label.hide()
        layout.insertWidget(layout.indexOf(self.ui.presenceLabel) + 1, label)
        row = QWidget(self.ui.caseContents)
        row.setObjectName("recordsActions")
        self._records_flow = FlowLayout(row)
        self._records_flow.setContentsMargins(0, 0, 0, 0)
        row.hide()
        layout.insertWidget(layout.indexOf(self.ui.authorLabel) + 1, row)
        return label, row

    # building -----------------------------------------------------------------------------

    def add_actions(self, actions: Iterable[QAction], columns: int = 3) -> None:
        """Add a button for each action under Actions (in rows that wrap to the width).

        ``columns`` is kept for callers: the buttons wrap where the pane's width ends.
        """
        for action in actions:
            button = ActionButton(action, self.ui.actionsGroup)
            button.setObjectName(f"{action.objectName()}Button")
            self._actions_flow.addWidget(button)
            self.buttons.append(button)
        self._guard_children()

    def add_section(
        self, name: str, title: str, actions: Iterable[QAction], columns: int = 4
    ) -> QGroupBox:
        """Add a titled box of action buttons after the last section (Escalate, Reply...).

        The buttons wrap onto more rows where the pane's width ends (``columns`` is unused).
        """
        box = QGroupBox(title, self.ui.caseContents)
        box.setObjectName(f"{name}Group")
        flow = FlowLayout(box)
        for action in actions:
            button = ActionButton(action, box)
            button.setObjectName(f"{action.objectName()}Button")
            flow.addWidget(button)
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

    def add_records_actions(self, actions: Iterable[QAction]) -> None:
        """Put buttons for the records actions (hold the author, public appeal) by the author."""
        for action in actions:
            button = ActionButton(action, self.records_actions)
            button.setObjectName(f"{action.objectName()}Button")
            self._records_flow.addWidget(button)
            self.buttons.append(button)
        self.records_actions.show()
        self._guard_children()

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

    # showing ------------------------------------------------------------------------------

    def show_empty(self, text: str = "") -> None:
        """Show no case, with ``text`` (or the default hint)."""
        self.thrive.keep_draft()
        self.case_id = None
        self.detail = None
        if text:
            self.ui.emptyLabel.setText(text)
        self.ui.paneStack.setCurrentWidget(self.ui.emptyPage)

    def show_row(self, row: QueueRow, now: datetime, me: str) -> None:
        """Show what the queue row says at once, while the full case is fetched."""
        if row.case_id != self.case_id:
            self.thrive.keep_draft()
            self.detail = None
            self.case_id = row.case_id
            self.text.item_ranges = []
            self.ui.itemTextView.setPlainText(neutralise(row.summary))
            show_disguised(self.disguised_label, None)
            for label in (self.ui.matchedLabel, self.ui.threadLabel, self.ui.authorLabel):
                label.setText(self.tr("Loading…"))
            self.ui.timelineList.clear()
            self.records_label.hide()
            self.thrive.fill(None, row)
            self.ui.caseScroll.verticalScrollBar().setValue(0)  # a new case shows from the top
        self._header(row, now, me, ())
        self.ui.paneStack.setCurrentWidget(self.ui.casePage)

    def show_detail(self, detail: CaseDetail, now: datetime, me: str) -> None:
        """Show the case in full."""
        row = detail.row
        same = row.case_id == self.case_id and self.detail is not None
        if row.case_id != self.case_id:
            self.thrive.keep_draft()
        self.case_id = row.case_id
        self.detail = detail
        self._header(row, now, me, detail.viewers)
        self.text.show(detail.items)
        show_disguised(self.disguised_label, detail.items)
        self._matched(detail.items)
        self._thread(detail)
        self._author(detail)
        self._records(detail, now)
        if not (same and self.thrive.dirty):
            self.thrive.fill(detail, row)
        else:
            self.thrive.show_status(detail, row)
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
        parts.append(f"{platform_label(row.platform)} {neutralise(row.author)}")
        parts.append(ago_text(now - row.opened_at))
        self.ui.caseHeaderLabel.setText(" · ".join(parts))
        show_lookalike(self.lookalike_label, row)
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

    def _fit_text(self, size: QSizeF) -> None:
        """Make the text box as tall as its text (within limits), so the pane reads top down."""
        view = self.ui.itemTextView
        wanted = int(size.height()) + 2 * view.frameWidth() + 4
        view.setFixedHeight(min(max(wanted, TEXT_MIN_HEIGHT), TEXT_MAX_HEIGHT))

    def _matched(self, items: Iterable[ItemView]) -> None:
        lines = []
        for item in items:
            for match in item.matches:
                words = ", ".join(f"“{neutralise(w)}”" for w in match.matched)
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
        count = sum(1 for other in detail.thread if not other.own)
        if count == 0:
            others = self.tr("no other items yet")
        elif count == 1:
            others = self.tr("1 other item")
        else:
            others = self.tr("{n} other items").format(n=count)
        lines = [f"{about} · {others}"]
        for other in detail.thread[-THREAD_SHOWN:]:
            text = neutralise(first_line(other.text)) or self.tr("(media only)")
            if len(text) > 56:
                text = text[:55] + "…"
            who = neutralise(other.author_handle)
            if other.own:  # the force's own post: context, never an item of the public's
                who = self.tr("Our post, {handle}").format(handle=who)
            lines.append(f"   {clock_time(other.received_at)}  {who}: {text}")
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

    def _records(self, detail: CaseDetail, now: datetime) -> None:
        """Say calmly but visibly that the case or its author is held, or is an appeal."""
        lines = [self._hold_line(h) for h in detail.holds]
        lines += [self._appeal_line(a, now) for a in detail.appeals]
        set_message(self.records_label, "\n".join(lines), "info")

    def _hold_line(self, hold: HoldNote) -> str:
        text = (
            self.tr("Legal hold on this author: {reason} — placed by {who} on {day}")
            if hold.on_author
            else self.tr("Legal hold: {reason} — placed by {who} on {day}")
        )
        return text.format(reason=hold.reason, who=hold.placed_by, day=day_text(hold.placed_at))

    def _appeal_line(self, appeal: AppealNote, now: datetime) -> str:
        if appeal.done_at is not None:
            text = self.tr("Public appeal ended {day}: {how} by {who} on {done}").format(
                day=day_text(appeal.ends_at),
                how=appeal.done_how,
                who=appeal.done_by,
                done=day_text(appeal.done_at),
            )
        elif appeal.ends_at <= now:
            text = self.tr(
                "Public appeal ended {day}: remove or archive it on the platform, then record "
                "it (Supervisor → Retention review…)"
            ).format(day=day_text(appeal.ends_at))
        else:
            text = self.tr("Public appeal until {day}").format(day=day_text(appeal.ends_at))
        return f"{text} · {appeal.note}" if appeal.note else text

    def _timeline(self, detail: CaseDetail) -> None:
        timeline = self.ui.timelineList
        timeline.clear()
        for entry in detail.timeline:
            item = QListWidgetItem(f"{clock_time(entry.at)}  {entry.actor} · {entry.text}")
            item.setToolTip(local_time(entry.at, with_seconds=True))
            timeline.addItem(item)
        self._fit_timeline()

    def _fit_timeline(self) -> None:
        """Make the timeline as tall as its entries (within limits), the newest at the bottom.

        A list taller than its entries, or scrolled by whole entries, once showed only the
        newest entry above blank space.
        """
        timeline = self.ui.timelineList
        timeline.doItemsLayout()
        count = timeline.count()
        wanted = TIMELINE_MIN_HEIGHT
        if count:
            first = timeline.visualItemRect(timeline.item(0))
            last = timeline.visualItemRect(timeline.item(count - 1))
            wanted = last.bottom() - first.top() + 1 + 2 * timeline.frameWidth() + 2
        timeline.setFixedHeight(min(max(wanted, TIMELINE_MIN_HEIGHT), TIMELINE_MAX_HEIGHT))
        timeline.scrollToBottom()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A new width wraps the timeline's entries anew: fit it again once laid out."""
        super().resizeEvent(event)
        if self.ui.timelineList.count():
            QTimer.singleShot(0, self, self._fit_timeline)

    def focus_thrive(self) -> None:
        """Put the cursor in the first THRIVE field (T)."""
        self.ui.caseScroll.ensureWidgetVisible(self.ui.thriveGroup)
        self.ui.threatEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ui.threatEdit.selectAll()

    def _next_field(self, _widget: QWidget) -> None:
        self.focusNextChild()

    # selecting item text -----------------------------------------------------------------

    def plain_text(self) -> str:
        """Return the item text as shown (for tests and screen readers)."""
        return self.ui.itemTextView.document().toPlainText()

    def timeline_texts(self) -> list[str]:
        """Return the timeline's lines, oldest first."""
        timeline = self.ui.timelineList
        return [timeline.item(i).text() for i in range(timeline.count())]
