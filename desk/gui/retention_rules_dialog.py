"""Admin → Retention periods…: each record class's period and end action, set by the force.

One row per record class: what it covers, its period (a number of days, months or years), what
happens at its end (delete, or anonymise where the class allows it), the default and where the
default comes from. Save sends only the rows changed, as one audited change of the
``retention_rules`` setting (``SettingsService.set_retention_rules``); a value the service
refuses is named with its class inside the dialog, its row is selected, and nothing changes.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QWidget,
)

from desk.core.retention import (
    DEFAULT_RULES,
    DELETE_ONLY,
    MAX_DAYS,
    MIN_DAYS,
    NOT_RUN,
    EndAction,
    RecordClass,
    Rule,
)
from desk.core.roles import Action
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.forms.ui_retention_rules_dialog import Ui_RetentionRulesDialog
from desk.gui.messages import set_message
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.screen_fit import fit_to_screen
from desk.gui.shell import Shell

CLASS, MEANING, PERIOD, END, DEFAULT, SOURCE = range(6)
DAY, MONTH, YEAR = 1, 30, 365  # as the setting counts them (docs/retention.md)
UNITS = (DAY, MONTH, YEAR)
Changes = dict[RecordClass, tuple[int, EndAction]]


def split_days(days: int) -> tuple[int, int]:
    """Write ``days`` as (count, unit in days): whole years, else days (as the setting does)."""
    return (days // YEAR, YEAR) if days % YEAR == 0 else (days, DAY)


class PeriodEditor(QWidget):
    """A number and its unit (days, months, years)."""

    changed = Signal()

    def __init__(self, record_class: RecordClass, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"period_{record_class.value}")
        self.count = QSpinBox(self)
        self.count.setObjectName("countSpin")
        self.count.setAccessibleName(self.tr("Period of {name}").format(name=record_class.value))
        self.unit = QComboBox(self)
        self.unit.setObjectName("unitCombo")
        self.unit.setAccessibleName(self.tr("Unit of {name}").format(name=record_class.value))
        for text, unit in ((self.tr("days"), DAY), (self.tr("months"), MONTH),
                           (self.tr("years"), YEAR)):  # fmt: skip
            self.unit.addItem(text, unit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)
        layout.addWidget(self.count)
        layout.addWidget(self.unit)
        self.unit.currentIndexChanged.connect(self._unit_changed)
        self.count.valueChanged.connect(self.changed)
        self._unit_changed()

    @property
    def days(self) -> int:
        """The period in days."""
        return int(self.count.value()) * int(self.unit.currentData())

    def set_days(self, days: int) -> None:
        """Show ``days`` in the largest whole unit."""
        count, unit = split_days(days)
        self.unit.setCurrentIndex(UNITS.index(unit))
        self.count.setValue(count)

    def _unit_changed(self) -> None:
        # the number stays as typed ("6", then "months"); the range follows the unit
        self.count.setRange(1, MAX_DAYS // int(self.unit.currentData()))
        self.changed.emit()


class RetentionRulesDialog(QDialog):
    """The record classes with their periods and end actions, saved together."""

    submitted = Signal(object)  # Changes: the classes changed, with (days, end action)

    def __init__(self, rules: dict[RecordClass, Rule], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_RetentionRulesDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.saved: dict[RecordClass, Rule] = dict(rules)
        self.periods: dict[RecordClass, PeriodEditor] = {}
        self.ends: dict[RecordClass, QComboBox] = {}
        box = self.ui.buttonBox
        self.save_button = box.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("&Save periods"))
        self.save_button.setDefault(True)
        self.defaults_button: QPushButton = box.button(
            QDialogButtonBox.StandardButton.RestoreDefaults
        )
        self.defaults_button.setText(self.tr("&Defaults"))
        self.defaults_button.setToolTip(
            self.tr("Put every class back to Desk's default (saved only when you press Save)")
        )
        self.save_button.clicked.connect(self._save)
        self.defaults_button.clicked.connect(self.restore_defaults)
        box.button(QDialogButtonBox.StandardButton.Close).clicked.connect(self.reject)
        set_message(self.ui.messageLabel, "")
        self._build_table()
        self.fill(rules)
        fit_to_screen(self, 1180, 620)

    # the table -----------------------------------------------------------------------------

    def _build_table(self) -> None:
        table = self.ui.rulesTable
        headers = (
            self.tr("Class"),
            self.tr("What it covers"),
            self.tr("Period"),
            self.tr("At the end"),
            self.tr("Default"),
            self.tr("Source of the default"),
        )
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(list(headers))
        table.setRowCount(len(RecordClass))
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        for column in (CLASS, PERIOD, END, DEFAULT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MEANING, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SOURCE, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        meanings, sources = self._meanings(), self._sources()
        for row, record_class in enumerate(RecordClass):
            name = QTableWidgetItem(record_class.value)
            name.setData(Qt.ItemDataRole.UserRole, record_class.value)
            table.setItem(row, CLASS, name)
            table.setItem(row, MEANING, QTableWidgetItem(meanings[record_class]))
            table.setItem(
                row, DEFAULT, QTableWidgetItem(self._rule_text(DEFAULT_RULES[record_class]))
            )
            table.setItem(row, SOURCE, QTableWidgetItem(sources[record_class]))
            period = PeriodEditor(record_class, table)
            period.changed.connect(self._edited)
            table.setCellWidget(row, PERIOD, period)
            self.periods[record_class] = period
            end = self._end_combo(record_class)
            table.setCellWidget(row, END, end)
            self.ends[record_class] = end
        # rows tall enough for their editors (the wrapped texts may ask for more)
        editors = (self.periods[RecordClass.UNACTIONED], self.ends[RecordClass.UNACTIONED])
        table.verticalHeader().setMinimumSectionSize(
            max(e.sizeHint().height() for e in editors) + 6
        )
        table.currentCellChanged.connect(lambda row, *_: self._show_detail(row))

    def _end_combo(self, record_class: RecordClass) -> QComboBox:
        combo = QComboBox(self.ui.rulesTable)
        combo.setObjectName(f"end_{record_class.value}")
        combo.setAccessibleName(self.tr("End action of {name}").format(name=record_class.value))
        if record_class in NOT_RUN:
            combo.addItem(self.tr("Listed only"), EndAction.DELETE)
            combo.setToolTip(
                self.tr(
                    "Entries past the period are listed for a decision, never deleted: "
                    "removing them would break the audit chain."
                )
            )
        elif record_class in DELETE_ONLY:
            combo.addItem(self.tr("Delete only"), EndAction.DELETE)
            combo.setToolTip(
                self.tr("{name} can only be deleted: nothing would be left to count.").format(
                    name=record_class.value
                )
            )
        else:
            combo.addItem(self.tr("Delete"), EndAction.DELETE)
            combo.addItem(self.tr("Anonymise"), EndAction.ANONYMISE)
            combo.setToolTip(
                self.tr("Anonymise: the author and every text removed, the counts kept")
            )
        combo.setEnabled(combo.count() > 1)
        combo.currentIndexChanged.connect(self._edited)
        return combo

    def _meanings(self) -> dict[RecordClass, str]:
        return {
            RecordClass.UNACTIONED: self.tr(
                "Closed cases nobody acted on: no reply, moderation or escalation"
            ),
            RecordClass.ACTIONED: self.tr("Closed cases that were worked, never escalated"),
            RecordClass.ESCALATED: self.tr("Closed cases escalated at least once"),
            RecordClass.MODERATION: self.tr("Moderation records: hide, delete, block, report"),
            RecordClass.REPLIES: self.tr("The force's replies (pending ones are never touched)"),
            RecordClass.HANDOVERS: self.tr("Signed handover reports and their shift's notes"),
            RecordClass.SIGNINS: self.tr("Sign-in sessions, from when they ended"),
            RecordClass.AUDIT: self.tr("The chained audit log"),
            RecordClass.BACKUPS: self.tr("Copies in the profile's backups folder"),
        }

    def _sources(self) -> dict[RecordClass, str]:
        npcc = self.tr("NPCC retention schedule: public correspondence")
        security = self.tr("The force's information security policy (access logs)")
        return {
            RecordClass.UNACTIONED: self.tr("ICO: storage limitation (UK GDPR Art. 5(1)(e))"),
            RecordClass.ACTIONED: npcc,
            RecordClass.ESCALATED: self.tr("MoPI: review at 6 years"),
            RecordClass.MODERATION: self.tr("NPCC schedule; counts against an author 90 days"),
            RecordClass.REPLIES: npcc,
            RecordClass.HANDOVERS: npcc,
            RecordClass.SIGNINS: security,
            RecordClass.AUDIT: security,
            RecordClass.BACKUPS: self.tr("Desk's own copies before upgrades"),
        }

    def _rule_text(self, rule: Rule) -> str:
        count, unit = split_days(rule.days)
        one, many = {
            DAY: (self.tr("1 day"), self.tr("{n} days")),
            MONTH: (self.tr("1 month"), self.tr("{n} months")),
            YEAR: (self.tr("1 year"), self.tr("{n} years")),
        }[unit]
        period = one if count == 1 else many.format(n=count)
        if rule.record_class in NOT_RUN:
            return self.tr("{period}, listed only").format(period=period)
        end = self.tr("delete") if rule.action is EndAction.DELETE else self.tr("anonymise")
        return self.tr("{period}, {end}").format(period=period, end=end)

    def _show_detail(self, row: int) -> None:
        if not 0 <= row < len(RecordClass):
            return
        record_class = list(RecordClass)[row]
        least = Rule(record_class, MIN_DAYS.get(record_class, 1), EndAction.DELETE)
        self.ui.detailLabel.setText(
            self.tr(
                "{name}: {meaning}. Default {default} ({source}); kept at least {least}."
            ).format(
                name=record_class.value,
                meaning=self._meanings()[record_class],
                default=self._rule_text(DEFAULT_RULES[record_class]),
                source=self._sources()[record_class],
                least=self._rule_text(least).partition(",")[0],
            )
        )

    # values --------------------------------------------------------------------------------

    def fill(self, rules: dict[RecordClass, Rule]) -> None:
        """Show ``rules`` as the values saved now (nothing left to save)."""
        self.saved = dict(rules)
        self._show(rules)

    def _show(self, rules: dict[RecordClass, Rule]) -> None:
        for record_class, rule in rules.items():
            self.periods[record_class].set_days(rule.days)
            end = self.ends[record_class]
            index = end.findData(rule.action)
            end.setCurrentIndex(max(0, index))
        self._edited()

    def restore_defaults(self) -> None:
        """Put every class back to its default (saved only by Save)."""
        self._show(DEFAULT_RULES)
        set_message(
            self.ui.messageLabel,
            self.tr("The defaults are shown: press Save periods to keep them.")
            if self.changes()
            else "",
            "info",
        )

    def shown(self) -> Changes:
        """Every class's period in days and end action, as the dialog shows them now."""
        return {
            c: (self.periods[c].days, EndAction(self.ends[c].currentData())) for c in RecordClass
        }

    def changes(self) -> Changes:
        """The classes whose shown period or end action differs from the saved one."""
        return {
            c: (days, end)
            for c, (days, end) in self.shown().items()
            if (days, end) != (self.saved[c].days, self.saved[c].action)
        }

    def _edited(self) -> None:
        changed = self.changes()
        self.save_button.setEnabled(bool(changed))
        table = self.ui.rulesTable
        for row, record_class in enumerate(RecordClass):
            item = table.item(row, CLASS)
            if item is not None:
                font = item.font()
                font.setBold(record_class in changed)  # the rows Save would change
                item.setFont(font)

    def _save(self) -> None:
        changed = self.changes()
        if changed:
            self.submitted.emit(changed)

    # answered by the operation -------------------------------------------------------------

    def refuse(self, message: str) -> None:
        """Show why the values were refused and select the class it names; keep the values."""
        set_message(self.ui.messageLabel, message)
        named = [
            (found.start(), row)
            for row, c in enumerate(RecordClass)
            if (found := re.search(rf"\b{re.escape(c.value)}\b", message))
        ]
        if named:
            self.ui.rulesTable.selectRow(min(named)[1])

    def set_busy(self, busy: bool) -> None:
        """Hold Save while the change is recorded."""
        self.save_button.setEnabled(not busy and bool(self.changes()))
        self.defaults_button.setEnabled(not busy)

    def finish(self) -> None:
        """The periods were saved: say so, and stay open."""
        set_message(self.ui.messageLabel, self.tr("Saved."), "info")


class RetentionRulesMenu(QObject):
    """Admin → Retention periods… (administrators)."""

    def __init__(self, shell: Shell, ui: Ui_MainWindow) -> None:
        super().__init__(shell)
        self.shell = shell
        self.dialog: RetentionRulesDialog | None = None
        self.action = QAction(self.tr("Re&tention periods…"), shell.window)
        self.action.setObjectName("actionRetentionRules")
        self.action.setStatusTip(
            self.tr("How long each class of record is kept, and what happens at the end")
        )
        ui.menuAdmin.addAction(self.action)
        shell.guard(self.action, Action.CHANGE_SETTINGS)
        self.action.triggered.connect(self.open_rules)
        shell.watch_unsaved(self._unsaved)

    def open_rules(self) -> None:
        """Read the rules in force, then show them."""
        desk = self.shell.desk
        QueryOp(self.shell, desk.retention.rules).success(self._open).run()

    def _open(self, rules: dict[RecordClass, Rule]) -> None:
        if self.dialog is not None:
            self.dialog.fill(rules)
            return
        dialog = RetentionRulesDialog(rules, self.shell.window)
        dialog.submitted.connect(lambda changes: self._save(dialog, changes))
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        self.shell.open_dialog(dialog, "retentionRulesDialog")

    def _save(self, dialog: RetentionRulesDialog, changes: Changes) -> None:
        desk, token = self.shell.desk, self.shell.token
        names = ", ".join(c.value for c in changes)
        ChangeOp(
            self.shell, lambda: desk.settings.set_retention_rules(token, changes), key="settings"
        ).in_dialog(dialog).done(
            self.tr("Retention periods saved ({names}).").format(names=names)
        ).success(dialog.fill).run()

    def _unsaved(self) -> str:
        dialog = self.dialog
        if dialog is not None and dialog.changes():
            return self.tr("Retention periods changed and not saved")
        return ""
