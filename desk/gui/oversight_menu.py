"""Supervisor menu → Dashboard… and Quality review…: the two oversight windows' actions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from desk.core.roles import Action, may
from desk.gui.dashboard_window import DashboardWindow
from desk.gui.quality_window import QualityWindow


class OversightMenu(QObject):
    """Adds Dashboard… and Quality review… to the main window's Supervisor menu."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.dashboard: DashboardWindow | None = None
        self.quality: QualityWindow | None = None
        self.dashboard_action = QAction(self.tr("&Dashboard…"), window)
        self.dashboard_action.setObjectName("actionDashboard")
        self.dashboard_action.setStatusTip(
            self.tr("The desk at a glance: arrivals, response times, targets, escalations")
        )
        self.quality_action = QAction(self.tr("&Quality review…"), window)
        self.quality_action.setObjectName("actionQualityReview")
        self.quality_action.setStatusTip(
            self.tr("Sample closed cases per operator and review them against the checklist")
        )
        menu = window.ui.menuSupervisor
        menu.addSeparator()
        menu.addAction(self.dashboard_action)
        menu.addAction(self.quality_action)
        self.dashboard_action.triggered.connect(self.open_dashboard)
        self.quality_action.triggered.connect(self.open_quality)
        needs = {
            self.dashboard_action: Action.VIEW_DASHBOARD,
            self.quality_action: Action.REVIEW_QUALITY,
        }
        # the main window re-applies these after an unlock, from the one permission table
        window._needs.update(needs)
        for action, needed in needs.items():
            action.setEnabled(may(window.actor.role, needed))

    def _token(self) -> str:
        return str(self.window.token)

    def open_dashboard(self) -> DashboardWindow:
        """Open (or bring forward) the dashboard and fetch its figures."""
        if self.dashboard is None:
            self.dashboard = DashboardWindow(
                self.window.desk, self._token, self.window.worker, self.window.calls, self.window
            )
        self.dashboard.show()
        self.dashboard.raise_()
        self.dashboard.activateWindow()
        self.dashboard.refresh()
        return self.dashboard

    def open_quality(self) -> QualityWindow:
        """Open (or bring forward) the quality review window."""
        if self.quality is None:
            self.quality = QualityWindow(
                self.window.desk, self._token, self.window.worker, self.window.calls, self.window
            )
        self.quality.show()
        self.quality.raise_()
        self.quality.activateWindow()
        self.quality.reload()
        return self.quality
