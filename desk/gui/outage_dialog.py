"""Supervisor → Outage log…: record a platform (or Desk) outage, end one, see the log.

Every control is reachable from the keyboard (Tab order follows the layout, Alt+letter on the
labels and buttons). The rules (times, overlap, who may change what) are the service's: a
refusal is shown inside the dialog and keeps what was typed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk.core.errors import DeskError
from desk.core.outages import DESK, MAX_PAPER_CASES, Outage, outage_line, outage_platforms
from desk.gui.labels import platform_label
from desk.gui.messages import set_message
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.screen_fit import fit_to_screen
from desk.gui.shell import Shell

LOG_DAYS = 30  # the log shows outages overlapping the last 30 days


def _aware(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


def _qt(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))


class OutageDialog(QDialog):
    """The outage log, a form to record one, and End for the ongoing one selected."""

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent or shell.window)
        self.setObjectName("outageDialog")
        self.setWindowTitle(self.tr("Outage log"))
        self.shell = shell
        self.outages: list[Outage] = []

        self.log_list = QListWidget(self)
        self.log_list.setObjectName("outageList")
        self.log_list.setWordWrap(True)
        # long lines wrap inside the list rather than scroll sideways
        self.log_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.log_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.log_list.setAccessibleName(self.tr("Outages, ongoing first"))
        log_label = QLabel(
            self.tr("Outages in the last {n} days, ongoing &first:").format(n=LOG_DAYS), self
        )
        log_label.setBuddy(self.log_list)
        self.end_button = QPushButton(self.tr("&End selected outage"), self)
        self.end_button.setObjectName("endButton")

        form_box = QGroupBox(self.tr("Record an outage"), self)
        self.platform_box = QComboBox(form_box)
        self.platform_box.setObjectName("platformBox")
        for code in outage_platforms():
            text = self.tr("Desk itself") if code == DESK else platform_label(code)
            self.platform_box.addItem(text, code)
        self.platform_box.setCurrentIndex(1)
        self.ongoing_box = QCheckBox(self.tr("Still &ongoing (end it later)"), form_box)
        self.ongoing_box.setObjectName("ongoingBox")
        self.ongoing_box.setChecked(True)
        now = _qt(shell.now())
        self.from_edit = QDateTimeEdit(now, form_box)
        self.from_edit.setObjectName("fromEdit")
        self.from_edit.setCalendarPopup(True)
        self.from_edit.setDisplayFormat("ddd dd MMM yyyy HH:mm")
        self.to_edit = QDateTimeEdit(now, form_box)
        self.to_edit.setObjectName("toEdit")
        self.to_edit.setCalendarPopup(True)
        self.to_edit.setDisplayFormat("ddd dd MMM yyyy HH:mm")
        self.did_edit = QPlainTextEdit(form_box)
        self.did_edit.setObjectName("didEdit")
        self.did_edit.setTabChangesFocus(True)
        self.did_edit.setPlaceholderText(
            self.tr("What the desk did (for Desk itself: what was done on paper)")
        )
        self.did_edit.setMaximumHeight(90)
        self.paper_spin = QSpinBox(form_box)
        self.paper_spin.setObjectName("paperSpin")
        self.paper_spin.setRange(0, MAX_PAPER_CASES)
        self.record_button = QPushButton(self.tr("&Record"), form_box)
        self.record_button.setObjectName("recordButton")
        self.record_button.setDefault(True)
        form = QFormLayout(form_box)
        form.addRow(self.tr("&Platform:"), self.platform_box)
        form.addRow("", self.ongoing_box)
        form.addRow(self.tr("F&rom:"), self.from_edit)
        form.addRow(self.tr("&To:"), self.to_edit)
        form.addRow(self.tr("&What the desk did:"), self.did_edit)
        form.addRow(self.tr("Cases handled on p&aper:"), self.paper_spin)
        form.addRow("", self.record_button)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.setVisible(False)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.end_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(log_label)
        layout.addWidget(self.log_list, 1)
        layout.addLayout(bottom)
        layout.addWidget(form_box)
        layout.addWidget(self.message_label)

        self.platform_box.currentIndexChanged.connect(self._update_form)
        self.ongoing_box.toggled.connect(self._update_form)
        self.log_list.currentRowChanged.connect(self._update_form)
        self.record_button.clicked.connect(self.record)
        self.end_button.clicked.connect(self.end_selected)
        self.close_button.clicked.connect(self.close)
        self._update_form()
        fit_to_screen(self, 760, 640)

    # the form ----------------------------------------------------------------------------

    def _update_form(self) -> None:
        ongoing = self.ongoing_box.isChecked()
        self.to_edit.setEnabled(not ongoing)
        is_desk = self.platform_box.currentData() == DESK
        self.paper_spin.setEnabled(is_desk)
        selected = self.selected()
        self.end_button.setEnabled(selected is not None and selected.ongoing)

    def selected(self) -> Outage | None:
        """The outage selected in the log, or None."""
        row = self.log_list.currentRow()
        return self.outages[row] if 0 <= row < len(self.outages) else None

    # the log -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Fetch the log afresh, and put the form's times back to now."""
        now = _qt(self.shell.now())
        self.from_edit.setDateTime(now)
        self.to_edit.setDateTime(now)
        token = self.shell.token
        since = self.shell.now() - timedelta(days=LOG_DAYS)
        QueryOp(
            self.shell, lambda: self.shell.desk.outages.list(token, since, None), key="outages"
        ).success(self._fill).run()

    def _fill(self, outages: list[Outage]) -> None:
        self.outages = list(outages)
        now = self.shell.now()
        self.log_list.clear()
        for outage in self.outages:
            entry = QListWidgetItem(f"#{outage.id} {outage_line(outage, now)}")
            entry.setToolTip(entry.text())  # the whole line, should the list cut it short
            if outage.ongoing:
                font = entry.font()
                font.setBold(True)
                entry.setFont(font)
            self.log_list.addItem(entry)
        if not self.outages:
            self.log_list.addItem(
                self.tr("No outage recorded in the last {n} days.").format(n=LOG_DAYS)
            )
            self.log_list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        self._update_form()

    # changes -----------------------------------------------------------------------------

    def _refused(self, exc: DeskError) -> None:
        set_message(self.message_label, exc.message)

    def _changed(self, _outage: Outage) -> None:
        set_message(self.message_label, "")
        self.did_edit.clear()
        self.paper_spin.setValue(0)
        self.reload()

    def record(self) -> None:
        """Start an ongoing outage, or record one that is over (after the fact)."""
        token = self.shell.token
        desk = self.shell.desk
        platform = str(self.platform_box.currentData())
        start = _aware(self.from_edit.dateTime())
        did = self.did_edit.toPlainText()
        if self.ongoing_box.isChecked():
            begin = None if start >= self.shell.now() - timedelta(minutes=1) else start
            op = ChangeOp(self.shell, lambda: desk.outages.start(token, platform, begin, did))
            op.done(self.tr("Outage recorded as ongoing: end it when the platform is back."))
        else:
            end = _aware(self.to_edit.dateTime())
            paper = self.paper_spin.value() if platform == DESK else None
            op = ChangeOp(
                self.shell,
                lambda: desk.outages.record(token, platform, start, end, did, paper),
            )
            op.done(self.tr("Outage recorded after the fact."))
        op.success(self._changed).failure(self._refused).run()

    def end_selected(self) -> None:
        """End the selected ongoing outage now, with what the desk did (if typed)."""
        outage = self.selected()
        if outage is None or not outage.ongoing:
            set_message(self.message_label, self.tr("Select an ongoing outage to end."))
            return
        token = self.shell.token
        desk = self.shell.desk
        did = self.did_edit.toPlainText().strip() or None
        paper = self.paper_spin.value() if outage.platform == DESK else None
        ChangeOp(self.shell, lambda: desk.outages.end(token, outage.id, None, did, paper)).done(
            self.tr("Outage ended.")
        ).success(self._changed).failure(self._refused).run()
