"""Areas in the window: People → Areas… scopes a person; their queue then shows their areas."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desk.core.escalation import TargetKind
from desk.core.items import Platform
from desk.gui.areas_dialog import AreasDialog
from desk.gui.escalation_dialog import EscalationDialog
from desk.gui.workers import Worker
from desk.services.official_accounts import RegisterDetails
from tests.conftest import Staffed
from tests.gui.conftest import settle, type_into
from tests.gui.queue_fixtures import MakeWindow, wait_ready
from tests.services.helpers import item


def _estate(staffed: Staffed) -> None:
    """A North and an East account, one case on each."""
    d, admin = staffed.desk, staffed.admin_token
    for handle, area in (("@NorthPolice", "North"), ("@EastPolice", "East")):
        d.official_accounts.add(admin, Platform.X, handle, details=RegisterDetails(area=area))
    d.importer.store(
        admin,
        [
            item("1", "Noise on the high street", author="u1", account="@NorthPolice"),
            item("2", "Bins not collected", author="u2", account="@EastPolice", thread=None),
        ],
        "test",
    )


def test_an_administrator_sets_a_persons_areas_in_the_people_window(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, worker: Worker
) -> None:
    _estate(staffed)
    window, _token = make_window(staffed.admin)
    window.people.action_people.trigger()
    dialog = window.people.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.review.model.rowCount() > 0, timeout=10_000)
    assert not dialog.areas_button.isEnabled()  # nobody selected yet
    assert dialog.review.select("jsmith")
    assert dialog.areas_button.isEnabled()
    qtbot.mouseClick(dialog.areas_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), AreasDialog))
    step = QApplication.activeModalWidget()
    assert isinstance(step, AreasDialog)
    # the areas the official accounts name, none ticked: jsmith works for the whole force
    assert [step.area_list.item(i).text() for i in range(step.area_list.count())] == [
        "East",
        "North",
    ]
    assert step.ticked() == []
    assert "whole force" in step.scope_label.text()

    type_into(qtbot, step.other_edit, "force-wide")  # not an area: said at once, no Save
    assert "is not an area" in step.message_label.text()
    assert not step.ok_button.isEnabled()
    step.other_edit.clear()
    step.tick("North")
    assert step.scope_label.text() == "Works: North."
    qtbot.mouseClick(step.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.people.step is None, timeout=10_000)
    settle(qtbot, window)
    assert "jsmith works North." in window.notice_text
    assert staffed.desk.areas.areas_of(staffed.admin_token, "jsmith").areas == ("North",)


def test_a_scoped_operators_queue_shows_only_their_areas_and_the_filter_says_so(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    _estate(staffed)
    staffed.desk.areas.set_areas(staffed.admin_token, "jsmith", "North")
    window, _token = make_window(staffed.operator)
    wait_ready(qtbot, window)
    settle(qtbot, window)
    model = window.queue.model
    assert model.rowCount() == 1
    first = model.row_at(0)
    assert first is not None and first.summary == "Noise on the high street"
    combo = window.queue.filter_bar.ui.accountCombo
    qtbot.waitUntil(lambda: combo.count() == 2, timeout=10_000)
    assert combo.itemText(0) == "My areas' accounts"
    assert "@NorthPolice" in combo.itemText(1)
    assert "You work North" in combo.toolTip()


def test_the_neighbourhood_form_offers_the_cases_area_team_first(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    _estate(staffed)
    window, _token = make_window(staffed.operator)
    wait_ready(qtbot, window)
    first = window.queue.model.row_at(0)
    assert first is not None and first.summary == "Noise on the high street"  # North's case
    window.escalations.escalate(TargetKind.NEIGHBOURHOOD)
    qtbot.waitUntil(lambda: isinstance(window.escalations.dialog, EscalationDialog))
    dialog = window.escalations.dialog
    assert isinstance(dialog, EscalationDialog)
    assert dialog.target is not None and dialog.target.area == "North"
    assert dialog.target_combo.currentText().startswith("North")
    dialog.reject()
