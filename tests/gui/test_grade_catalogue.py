"""The THRIVE grade list in the case pane is the force's own catalogue."""

from __future__ import annotations

from desk.core.thrive import parse_grades
from desk.gui.case_pane import CasePane


def test_case_pane_offers_the_configured_grades(qtbot) -> None:
    pane = CasePane()
    qtbot.addWidget(pane)
    pane.set_grades(parse_grades("Emergency=10m; Routine=2d"))
    combo = pane.ui.gradeCombo
    shown = [combo.itemText(i) for i in range(combo.count())]
    assert shown[0].startswith("Choose a grade")
    assert [combo.itemData(i) for i in range(1, combo.count())] == ["emergency", "routine"]
    assert shown[1].startswith("Emergency") and shown[2].startswith("Routine")
