"""The status bar's notice, its Done button, and the dialog that shows the last notices."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desk.gui.formatting import clock_time
from desk.gui.notices import Notices
from desk.gui.plain_text import plain_tip
from desk.gui.theme import repolish


class NoticeBar(QWidget):
    """What the desk just said, cut at the window's edge; Done for a notice that waits."""

    def __init__(self, notices: Notices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notices = notices
        self.label = QLabel(self)
        self.label.setObjectName("noticeLabel")
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # notices quote handles and text
        # a long notice never widens the window: it is cut here, whole in the tooltip and
        # in the notices dialog
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setMinimumWidth(280)  # room to read the start of any notice
        self.label.setProperty("elides", True)  # on purpose: the whole text is one key away
        self._full = ""
        self.done_button = QPushButton(self.tr("Done"), self)
        self.done_button.setObjectName("noticeDoneButton")
        self.done_button.setToolTip(self.tr("I have done what this notice asks"))
        self.done_button.setAccessibleName(self.tr("Dismiss the notice"))
        self.done_button.clicked.connect(notices.dismiss)
        self.history_button = QPushButton(self.tr("Notices…"), self)
        self.history_button.setObjectName("noticesButton")
        self.history_button.setToolTip(self.tr("Read the last notices again (Ctrl+Shift+M)"))
        self.history_button.clicked.connect(self.show_history)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.done_button)
        layout.addWidget(self.history_button)
        self.dialog: NoticesDialog | None = None
        notices.changed.connect(self.refresh)
        self.refresh()

    @property
    def text(self) -> str:
        """The notice showing now, whole ('' when none)."""
        current = self.notices.current
        return current.text if current is not None else ""

    @property
    def shown_text(self) -> str:
        """The notice as the status bar shows it (with "(and N more to do)"), whole."""
        return self._full

    def refresh(self) -> None:
        """Show the current notice; Done shows only for a notice that waits to be done."""
        current = self.notices.current
        text = current.text if current is not None else ""
        waiting = len(self.notices.waiting)
        if current is not None and current.to_do and waiting > 1:
            text = self.tr("{text} (and {n} more to do)").format(text=text, n=waiting - 1)
        self._full = text
        self._elide()
        self.label.setToolTip(plain_tip(text) or "")
        self.label.setProperty("kind", "warning" if current and current.warning else "")
        repolish(self.label)
        self.done_button.setVisible(bool(current and current.to_do))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Cut the notice to the new width, with an ellipsis."""
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.label.fontMetrics()
        width = max(0, self.label.width() - 4)
        self.label.setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, width))

    def show_history(self) -> NoticesDialog:
        """Open (or bring back) the dialog listing the last notices, newest first."""
        if self.dialog is None:
            self.dialog = NoticesDialog(self.notices, self.window())
        self.dialog.fill()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog


class NoticesDialog(QDialog):
    """The last notices the desk said, newest first, each with its time; to-dos marked."""

    def __init__(self, notices: Notices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticesDialog")
        self.setWindowTitle(self.tr("Notices"))
        self.notices = notices
        self.list = QListWidget(self)
        self.list.setObjectName("noticesList")
        self.list.setAccessibleName(self.tr("The last notices, newest first"))
        self.list.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(560, 360)
        notices.changed.connect(self.fill)

    def fill(self) -> None:
        """List the notices again (new ones arrive while the dialog is open)."""
        self.list.clear()
        waiting = set(map(id, self.notices.waiting))
        for notice in self.notices.history:
            mark = self.tr(" (to do)") if id(notice) in waiting else ""
            item = QListWidgetItem(f"{clock_time(notice.at)}{mark}  {notice.text}")
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    @property
    def lines(self) -> list[str]:
        """The listed notices' texts, as shown."""
        return [self.list.item(i).text() for i in range(self.list.count())]
