"""Supervisor menu → Dashboard…, Quality review…, Continuity pack… and Outage log….

The menu is the oversight menu: supervisors and administrators see it as "Supervisor"; an
information manager, whose items in it are the records ones (audit log, retention review,
subject access, access review, dashboard), sees it as "Records".
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu

from desk.core.roles import Action, Role
from desk.gui.continuity_window import ContinuityWindow
from desk.gui.dashboard_window import DashboardWindow
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.outage_dialog import OutageDialog
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
        self.continuity: ContinuityWindow | None = None
        self.outages: OutageDialog | None = None
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
        self._add_continuity(shell, menu)
        self.dashboard_action.triggered.connect(self.open_dashboard)
        self.quality_action.triggered.connect(self.open_quality)
        shell.guard(self.dashboard_action, Action.VIEW_DASHBOARD)
        shell.guard(self.quality_action, Action.REVIEW_QUALITY)

    def _add_continuity(self, shell: Shell, menu: QMenu) -> None:
        """Continuity pack… (anyone: the open cases only for those allowed) and Outage log…."""
        self.continuity_action = QAction(self.tr("&Continuity pack…"), shell.window)
        self.continuity_action.setObjectName("actionContinuityPack")
        self.continuity_action.setStatusTip(
            self.tr("For working on paper: accounts, holding statements, contacts, open cases")
        )
        self.outage_action = QAction(self.tr("&Outage log…"), shell.window)
        self.outage_action.setObjectName("actionOutageLog")
        self.outage_action.setStatusTip(
            self.tr("Record when a platform or Desk itself is down, and what the desk did")
        )
        menu.addSeparator()
        menu.addAction(self.continuity_action)
        menu.addAction(self.outage_action)
        self.continuity_action.triggered.connect(self.open_continuity)
        self.outage_action.triggered.connect(self.open_outages)
        shell.guard(self.continuity_action, Action.VIEW_QUEUE)
        shell.guard(self.outage_action, Action.RECORD_OUTAGES)

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

    def open_continuity(self) -> ContinuityWindow:
        """Open (or bring forward) the continuity pack and compile it afresh."""
        if self.continuity is None:
            self.continuity = ContinuityWindow(self.shell)
        _bring_forward(self.continuity)
        self.continuity.refresh()
        return self.continuity

    def open_outages(self) -> OutageDialog:
        """Open (or bring forward) the outage log."""
        if self.outages is None:
            self.outages = OutageDialog(self.shell)
        _bring_forward(self.outages)
        self.outages.reload()
        return self.outages

    def open_quality(self) -> QualityWindow:
        """Open (or bring forward) the quality review window."""
        if self.quality is None:
            self.quality = QualityWindow(self.shell)
        _bring_forward(self.quality)
        self.quality.reload()
        return self.quality
