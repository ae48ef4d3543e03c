"""Supervisor menu → Dashboard… and Quality review…: the two oversight windows' actions.

The menu is the oversight menu: supervisors and administrators see it as "Supervisor"; an
information manager, whose items in it are the records ones (audit log, retention review,
subject access, access review, dashboard), sees it as "Records".
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from desk.core.roles import Action, Role
from desk.gui.dashboard_window import DashboardWindow
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.quality_window import QualityWindow
from desk.gui.shell import Shell


def _bring_forward(window: QDialog) -> None:
    window.show()
    window.raise_()
    window.activateWindow()


class OversightMenu(QObject):
    """Adds Dashboard… and Quality review… to the main window's Supervisor menu."""

    def __init__(self, shell: Shell, ui: Ui_MainWindow) -> None:
        super().__init__(shell)
        self.shell = shell
        self.dashboard: DashboardWindow | None = None
        self.quality: QualityWindow | None = None
        self.dashboard_action = QAction(self.tr("&Dashboard…"), shell.window)
        self.dashboard_action.setObjectName("actionDashboard")
        self.dashboard_action.setStatusTip(
            self.tr("The desk at a glance: arrivals, response times, targets, escalations")
        )
        self.quality_action = QAction(self.tr("&Quality review…"), shell.window)
        self.quality_action.setObjectName("actionQualityReview")
        self.quality_action.setStatusTip(
            self.tr("Sample closed cases per operator and review them against the checklist")
        )
        menu = self.menu = ui.menuSupervisor
        self.name_menu()
        shell.permissions_changed.connect(self.name_menu)
        menu.addSeparator()
        menu.addAction(self.dashboard_action)
        menu.addAction(self.quality_action)
        self.dashboard_action.triggered.connect(self.open_dashboard)
        self.quality_action.triggered.connect(self.open_quality)
        shell.guard(self.dashboard_action, Action.VIEW_DASHBOARD)
        shell.guard(self.quality_action, Action.REVIEW_QUALITY)

    def name_menu(self) -> None:
        """Title the menu for the role signed in ("Records" for an information manager)."""
        if self.shell.actor.role is Role.INFORMATION_MANAGER:
            self.menu.setTitle(self.tr("&Records"))
        else:
            self.menu.setTitle(self.tr("&Supervisor"))

    def open_dashboard(self) -> DashboardWindow:
        """Open (or bring forward) the dashboard and fetch its figures."""
        if self.dashboard is None:
            self.dashboard = DashboardWindow(self.shell)
        _bring_forward(self.dashboard)
        self.dashboard.refresh()
        return self.dashboard

    def open_quality(self) -> QualityWindow:
        """Open (or bring forward) the quality review window."""
        if self.quality is None:
            self.quality = QualityWindow(self.shell)
        _bring_forward(self.quality)
        self.quality.reload()
        return self.quality
