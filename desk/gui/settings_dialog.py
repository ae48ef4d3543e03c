"""Admin → Settings…: the desk-wide settings, each changed with a reason to trust it (audited).

Administrators see every setting with its meaning and value, change one at a time, and are
told at once when a value is refused (the same checks as ``desk-admin settings set``). While
the force's name is not set, administrators get a lasting notice: replies that sign with
``{force}`` cannot be sent until it is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidgetItem, QWidget

from desk.core.roles import Action
from desk.gui.backup_actions import BackupActions
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.forms.ui_settings_dialog import Ui_SettingsDialog
from desk.gui.messages import set_message
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.shell import Shell
from desk.services.settings import FORCE_NAME_UNSET, SETTINGS

KEY, VALUE = 0, 1


def setting_text(value: Any) -> str:
    """A setting's value as it is typed (lists joined, on/off for yes/no)."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


class SettingsDialog(QDialog):
    """The settings as a list; the selected one is edited below it."""

    submitted = Signal(str, str)  # key, the value as typed

    def __init__(self, values: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_SettingsDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        table = self.ui.settingsTable
        table.setColumnCount(2)
        table.setHorizontalHeaderLabels([self.tr("Setting"), self.tr("Value")])
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().hide()
        self.ui.messageLabel.hide()
        self._shown_key = ""
        self.ui.saveButton.setDefault(True)
        self.ui.saveButton.clicked.connect(self._save)
        self.ui.valueEdit.returnPressed.connect(self._save)
        self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Close).clicked.connect(self.reject)
        table.currentCellChanged.connect(lambda row, *_: self._show(row))
        self.fill(values)

    def fill(self, values: dict[str, Any]) -> None:
        """List the settings with their values now (keeping the one selected)."""
        table = self.ui.settingsTable
        keep = max(0, table.currentRow())
        table.setRowCount(len(values))
        for row, (key, value) in enumerate(values.items()):
            name = QTableWidgetItem(key)
            name.setToolTip(SETTINGS[key].description)
            table.setItem(row, KEY, name)
            text = setting_text(value)
            shown = QTableWidgetItem(text or self.tr("(not set)"))
            shown.setData(Qt.ItemDataRole.UserRole, text)
            table.setItem(row, VALUE, shown)
        table.resizeColumnToContents(KEY)
        table.setCurrentCell(min(keep, len(values) - 1), VALUE)
        self._show(table.currentRow())

    def choose(self, key: str) -> None:
        """Select the setting named ``key`` and put the cursor in its value."""
        table = self.ui.settingsTable
        for row in range(table.rowCount()):
            item = table.item(row, KEY)
            if item is not None and item.text() == key:
                table.setCurrentCell(row, VALUE)
                self.ui.valueEdit.setFocus()
                self.ui.valueEdit.selectAll()
                return

    @property
    def key(self) -> str:
        """The setting selected."""
        item = self.ui.settingsTable.item(self.ui.settingsTable.currentRow(), KEY)
        return item.text() if item is not None else ""

    def _show(self, row: int) -> None:
        table = self.ui.settingsTable
        name, value = table.item(row, KEY), table.item(row, VALUE)
        if row < 0 or name is None or value is None:
            return
        key = name.text()
        self.ui.descriptionLabel.setText(f"{key}: {SETTINGS[key].description}")
        self.ui.valueEdit.setText(str(value.data(Qt.ItemDataRole.UserRole)))
        if key != self._shown_key:  # another setting: the last one's message is not about it
            set_message(self.ui.messageLabel, "")
        self._shown_key = key

    def _save(self) -> None:
        if self.key:
            self.submitted.emit(self.key, self.ui.valueEdit.text())

    def refuse(self, message: str) -> None:
        """Show why the value was refused; what was typed stays."""
        set_message(self.ui.messageLabel, message)

    def set_busy(self, busy: bool) -> None:
        """Hold Save while the change is recorded."""
        self.ui.saveButton.setEnabled(not busy)

    def finish(self) -> None:
        """The change was saved: say so, and stay open for the next one."""
        set_message(self.ui.messageLabel, self.tr("Saved."), "info")


class SettingsMenu(QObject):
    """Admin → Settings… for administrators; a lasting notice while the force has no name."""

    def __init__(self, shell: Shell, ui: Ui_MainWindow) -> None:
        super().__init__(shell)
        self.shell = shell
        self.dialog: SettingsDialog | None = None
        self.action = QAction(self.tr("&Settings…"), shell)
        self.action.setObjectName("actionSettings")
        ui.menuAdmin.addAction(self.action)
        shell.guard(self.action, Action.CHANGE_SETTINGS)
        self.action.triggered.connect(self.open_settings)
        # File → Back up now… and the scheduled backups (backup_schedule is one of the settings)
        self.backups = BackupActions(shell, ui)
        if shell.can(Action.CHANGE_SETTINGS):
            desk = shell.desk
            QueryOp(shell, lambda: desk.settings.get("force_name")).success(
                self._force_name_read
            ).quiet().run()

    def _force_name_read(self, name: str) -> None:
        if not name:
            self.shell.notify(
                self.tr("{unset} (Admin → Settings…, force_name)").format(unset=FORCE_NAME_UNSET),
                to_do=True,
            )

    def open_settings(self, key: str = "") -> None:
        """Open the settings (at ``key`` if given)."""
        desk = self.shell.desk
        QueryOp(self.shell, desk.settings.all).success(lambda values: self._open(values, key)).run()

    def _open(self, values: dict[str, Any], key: str) -> None:
        if self.dialog is None:
            dialog = SettingsDialog(values, self.shell.window)
            dialog.submitted.connect(lambda k, text: self._change(dialog, k, text))
            dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
            self.dialog = dialog
            self.shell.open_dialog(dialog, "settingsDialog")
        else:
            self.dialog.fill(values)
        if key:
            self.dialog.choose(key)

    def _change(self, dialog: SettingsDialog, key: str, text: str) -> None:
        desk, token = self.shell.desk, self.shell.token

        def saved(_value: object) -> None:
            QueryOp(self.shell, desk.settings.all).success(dialog.fill).quiet().run()
            self.shell.status_changed.emit()

        ChangeOp(self.shell, lambda: desk.settings.set(token, key, text), key="settings").in_dialog(
            dialog
        ).done(self.tr("Setting {key} changed.").format(key=key)).success(saved).run()
