"""Help: the keyboard cheat sheet (F1), the last notices again (Ctrl+Shift+M), About."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

import desk as desk_package
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.messages import show_message
from desk.gui.notice_bar import NoticeBar
from desk.gui.shell import Shell
from desk.gui.shortcuts_dialog import ShortcutsDialog


class HelpMenu(QObject):
    """The Help menu's windows."""

    def __init__(self, shell: Shell, ui: Ui_MainWindow, notice_bar: NoticeBar) -> None:
        super().__init__(shell)
        self.shell = shell
        self.ui = ui
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self.notices_action = QAction(self.tr("Read the last notices"), shell)
        self.notices_action.setObjectName("actionNotices")
        self.notices_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.notices_action.triggered.connect(notice_bar.show_history)
        ui.menuHelp.insertAction(ui.actionAbout, self.notices_action)
        ui.actionShortcuts.triggered.connect(self.show_shortcuts)
        ui.actionAbout.triggered.connect(self.show_about)

    def show_shortcuts(self) -> ShortcutsDialog:
        """F1: the cheat sheet, built from the menus' actions."""
        extra = [
            (self.tr("Search now and go to the queue (in the search box)"), self.tr("Enter")),
            (self.tr("Back to the queue from a field in the case pane"), self.tr("Esc")),
            (self.tr("Top or bottom of the queue"), self.tr("Ctrl+Home, Ctrl+End")),
            (self.tr("A page of the queue up or down"), self.tr("Page Up, Page Down")),
            (
                self.tr("Between the filters, the queue and the case pane"),
                self.tr("Tab, Shift+Tab"),
            ),
            (self.tr("Save from a note, close or reply dialog"), self.tr("Ctrl+Enter")),
            (self.tr("Open a menu"), self.tr("Alt + the menu's underlined letter")),
        ]
        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.close()
            self.shortcuts_dialog.deleteLater()
        dialog = ShortcutsDialog(self.ui.menubar, extra, self.shell.window)
        dialog.setObjectName("shortcutsDialog")
        self.shortcuts_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def show_about(self) -> None:
        """Say which Desk this is."""
        show_message(
            self.shell.window,
            self.tr("About Desk"),
            self.tr(
                "Desk {version}\nThe console for the force's 24/7 social media digital desk.\n"
                "Profile: {profile}"
            ).format(version=desk_package.__version__, profile=self.shell.desk.profile.name),
            QMessageBox.Icon.Information,
        )
