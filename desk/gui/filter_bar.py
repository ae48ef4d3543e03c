"""The filters above the queue, all combinable; Esc (the window's shortcut) clears them.

Search (applied as you type, after a short pause), status, owner, priority, risk category,
platform, official account and kind of item.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QWidget

from desk.core.areas import Scope
from desk.core.cases import OPEN_STATUSES, CaseStatus
from desk.core.items import ItemKind, Platform
from desk.core.queue_filter import OwnerFilter, QueueFilter
from desk.core.risk import RiskCategory
from desk.gui.forms.ui_queue_filter_bar import Ui_QueueFilterBar
from desk.gui.keys import KeyGuard
from desk.gui.labels import kind_label, platform_label, risk_label, status_label
from desk.services.official_accounts import OfficialAccountView

SEARCH_DELAY_MS = 200
OPEN = frozenset(s.value for s in OPEN_STATUSES)
ANY: frozenset[Any] = frozenset()


def default_filter() -> QueueFilter:
    """The view a shift starts with: every open case, anyone's."""
    return QueueFilter(statuses=OPEN)


class QueueFilterBar(QWidget):
    """Builds a :class:`QueueFilter` from the widgets; says when it changed."""

    filter_changed = Signal(object)  # QueueFilter
    finished = Signal()  # Enter (or Down) in the search box: back to the queue

    def __init__(self, parent: QWidget | None = None, search_delay_ms: int = SEARCH_DELAY_MS):
        super().__init__(parent)
        self.ui = Ui_QueueFilterBar()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self._fill()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(search_delay_ms)
        self._debounce.timeout.connect(self._emit)
        self.ui.searchEdit.textEdited.connect(self._typed)
        self.ui.searchEdit.textChanged.connect(self._typed_or_cleared)
        for combo in self.combos():
            combo.activated.connect(self._emit)
        self.guard = KeyGuard(self, on_enter=lambda _w: self._search_now())
        self.guard.watch([self.ui.searchEdit, *self.combos(), self.ui.clearButton])
        self._scope = Scope()
        self._last = self.queue_filter()

    # building the choices -----------------------------------------------------------------

    def combos(self) -> list[QComboBox]:
        """Return the filter combo boxes, in tab order."""
        ui = self.ui
        return [
            ui.statusCombo,
            ui.ownerCombo,
            ui.priorityCombo,
            ui.riskCombo,
            ui.platformCombo,
            ui.accountCombo,
            ui.kindCombo,
        ]

    def _fill(self) -> None:
        ui = self.ui
        ui.statusCombo.addItem(self.tr("Open cases"), OPEN)
        for status in CaseStatus:
            ui.statusCombo.addItem(status_label(status), frozenset({status.value}))
        ui.statusCombo.addItem(self.tr("Any status"), ANY)

        ui.ownerCombo.addItem(self.tr("Anyone's"), OwnerFilter.ANYONE)
        ui.ownerCombo.addItem(self.tr("Mine"), OwnerFilter.ME)
        ui.ownerCombo.addItem(self.tr("Unassigned"), OwnerFilter.UNASSIGNED)

        ui.priorityCombo.addItem(self.tr("Any priority"), ANY)
        for priority in (1, 2, 3, 4):
            ui.priorityCombo.addItem(self.tr("P{n} only").format(n=priority), frozenset({priority}))

        ui.riskCombo.addItem(self.tr("Any risk or none"), ANY)
        every = frozenset(c.value for c in RiskCategory)
        ui.riskCombo.addItem(self.tr("Any risk matched"), every)
        for category in RiskCategory:
            ui.riskCombo.addItem(risk_label(category).capitalize(), frozenset({category.value}))

        ui.platformCombo.addItem(self.tr("Any platform"), ANY)
        for platform in Platform:
            ui.platformCombo.addItem(platform_label(platform), frozenset({platform.value}))

        ui.accountCombo.addItem(self.tr("Any account"), ANY)

        ui.kindCombo.addItem(self.tr("Any kind"), ANY)
        for kind in ItemKind:
            ui.kindCombo.addItem(kind_label(kind), frozenset({kind.value}))

    def set_scope(self, scope: Scope) -> None:
        """Show that the queue holds only the cases of these areas' accounts (a scoped person).

        The services filter the queue to the person's areas whatever is chosen here; the bar
        says so, and offers only those accounts, so the view cannot look wider than it is.
        """
        self._scope = scope
        combo = self.ui.accountCombo
        if scope.whole_force:
            combo.setItemText(0, self.tr("Any account"))
            combo.setToolTip("")
            return
        combo.setItemText(0, self.tr("My areas' accounts"))
        combo.setToolTip(
            self.tr("You work {areas}: the queue shows only the cases of their accounts.").format(
                areas=scope.label()
            )
        )

    def set_accounts(self, accounts: Iterable[OfficialAccountView]) -> None:
        """List the official accounts (keeping the one chosen, if it is still there).

        A person scoped to areas is offered only their areas' accounts.
        """
        combo = self.ui.accountCombo
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("Any account"), ANY)
        self.set_scope(self._scope)
        for account in (a for a in accounts if self._scope.covers(a.area)):
            combo.addItem(
                self.tr("{handle} ({platform})").format(
                    handle=account.handle, platform=platform_label(account.platform)
                ),
                frozenset({account.id}),
            )
        # findData cannot compare Python sets: look for the chosen account by hand
        found = next((i for i in range(combo.count()) if combo.itemData(i) == chosen), 0)
        combo.setCurrentIndex(found)
        combo.blockSignals(False)

    # the filter ---------------------------------------------------------------------------

    def queue_filter(self) -> QueueFilter:
        """Return the filter the widgets describe now."""
        ui = self.ui
        return QueueFilter(
            statuses=ui.statusCombo.currentData(),
            priorities=ui.priorityCombo.currentData(),
            categories=ui.riskCombo.currentData(),
            platforms=ui.platformCombo.currentData(),
            account_ids=ui.accountCombo.currentData(),
            kinds=ui.kindCombo.currentData(),
            owner=OwnerFilter(ui.ownerCombo.currentData()),  # Qt hands back a plain str
            search=ui.searchEdit.text().strip(),
        )

    def active_filters(self) -> int:
        """Return how many filters differ from the default view."""
        now, default = self.queue_filter(), default_filter()
        return sum(
            getattr(now, name) != getattr(default, name)
            for name in (
                "statuses",
                "priorities",
                "categories",
                "platforms",
                "account_ids",
                "kinds",
                "owner",
                "search",
            )
        )

    def choose(self, combo: QComboBox, text: str) -> None:
        """Choose the item called ``text`` in ``combo``, as a person would (for scripts)."""
        found = combo.findText(text)
        if found < 0:
            raise ValueError(f"{combo.objectName()} has no item {text!r}")
        combo.setCurrentIndex(found)
        combo.activated.emit(found)

    def clear(self) -> None:
        """Go back to the default view (every open case, anyone's, no search)."""
        self._debounce.stop()
        for combo in self.combos():
            combo.setCurrentIndex(0)
        self.ui.searchEdit.blockSignals(True)
        self.ui.searchEdit.clear()
        self.ui.searchEdit.blockSignals(False)
        self._emit()

    def focus_search(self) -> None:
        """Put the cursor in the search box with its text selected."""
        self.ui.searchEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ui.searchEdit.selectAll()

    # reacting -----------------------------------------------------------------------------

    def _typed(self, _text: str) -> None:
        self._debounce.start()

    def _typed_or_cleared(self, text: str) -> None:
        if not text:  # the clear button: no need to wait
            self._debounce.stop()
            self._emit()

    def _search_now(self) -> None:
        self._debounce.stop()
        self._emit()
        self.finished.emit()

    def _emit(self, *_args: object) -> None:
        flt = self.queue_filter()
        if flt != self._last:
            self._last = flt
            self.filter_changed.emit(flt)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Down in the search box goes to the queue (the line edit does not use it)."""
        if event.key() == Qt.Key.Key_Down and self.ui.searchEdit.hasFocus():
            self._search_now()
            return
        super().keyPressEvent(event)
