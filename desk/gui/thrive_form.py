"""The case pane's THRIVE form: six factors, the risk seen, the grade, and drafts kept per case.

Text typed and not saved is kept when the operator moves to another case and back, and is
named at sign-out (:meth:`ThriveForm.unsaved`). Whether a case needs THRIVE is the domain's
rule (``needs_thrive`` on the case's row); the form only says so.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLineEdit

from desk.core.thrive import DEFAULT_GRADES, Grade
from desk.gui.formatting import clock_time, span_text
from desk.gui.labels import grade_label
from desk.gui.messages import set_message
from desk.gui.risk_seen_picker import NONE_SEEN, RiskSeenPicker
from desk.services.case_views import CaseDetail, QueueRow


class ThriveForm(QObject):
    """Fills, reads and keeps drafts of the THRIVE fields of a case pane's form (``ui``)."""

    edited = Signal()

    def __init__(self, ui: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.case_id: int | None = None  # the case the fields are about
        self.drafts: dict[int, dict[str, str]] = {}
        self.dirty = False
        self._grade_labels: dict[str, str] = {}
        self.set_grades(DEFAULT_GRADES)
        for edit in self.edits().values():
            edit.textEdited.connect(self._edited)
        ui.gradeCombo.activated.connect(self._edited)
        self.risk_seen = RiskSeenPicker(ui.riskSeenButton)
        self.risk_seen.edited.connect(self._edited)

    def set_grades(self, grades: tuple[Grade, ...]) -> None:
        """Offer this force's THRIVE grades (the catalogue is a desk setting)."""
        self._grade_labels = {
            g.code: grade_label(g.code) if g in DEFAULT_GRADES else g.label for g in grades
        }
        combo = self.ui.gradeCombo
        combo.clear()
        combo.addItem(self.tr("Choose a grade…"), "")
        for grade in grades:
            combo.addItem(
                self.tr("{label} ({target})").format(
                    label=self._grade_labels[grade.code], target=span_text(grade.target)
                ),
                grade.code,
            )

    def edits(self) -> dict[str, QLineEdit]:
        """Return the six THRIVE fields by factor."""
        ui = self.ui
        return {
            "threat": ui.threatEdit,
            "harm": ui.harmEdit,
            "risk": ui.riskEdit,
            "investigation": ui.investigationEdit,
            "vulnerability": ui.vulnerabilityEdit,
            "engagement": ui.engagementEdit,
        }

    def fill(self, detail: CaseDetail | None, row: QueueRow) -> None:
        """Show the case's draft, else its latest assessment, else empty fields."""
        self.case_id = row.case_id
        values: dict[str, str] = {}
        draft = self.drafts.get(row.case_id)
        if draft is not None:
            values = draft
        elif detail is not None and detail.assessments:
            latest = detail.assessments[-1]
            values = {**latest.factors, "grade": latest.grade, "risk_seen": latest.risk_seen}
        for factor, edit in self.edits().items():
            edit.setText(values.get(factor, ""))
            edit.setCursorPosition(0)  # show the beginning of a long answer
        found = self.ui.gradeCombo.findData(values.get("grade", ""))
        self.ui.gradeCombo.setCurrentIndex(max(found, 0))
        seen = values.get("risk_seen")
        if seen is None or (not seen and draft is None):  # not said yet: start from the rules
            seen = ",".join(row.risk)
        self.risk_seen.set_seen(c for c in seen.split(",") if c and c != NONE_SEEN)
        self.dirty = draft is not None
        if detail is None:
            set_message(self.ui.thriveStatusLabel, self.tr("Loading…"), "info")
        else:
            self.show_status(detail, row)

    def show_status(self, detail: CaseDetail, row: QueueRow) -> None:
        """Say whether the case needs THRIVE, or who assessed it last."""
        latest = detail.assessments[-1] if detail.assessments else None
        if row.needs_assessment and latest is not None:
            text = self.tr(
                "RE-ASSESSMENT NEEDED: a new item arrived after version {v} ({who}, {when})."
            ).format(v=latest.version, who=latest.actor, when=clock_time(latest.at))
            kind = "error"
        elif row.needs_thrive:
            text = self.tr(
                "NEEDED: this case matched a risk rule, so it cannot be closed without THRIVE."
            )
            kind = "error"
        elif latest is not None:
            text = self.tr("Assessed: version {v} by {who} at {when} · grade {grade}").format(
                v=latest.version,
                who=latest.actor,
                when=clock_time(latest.at),
                grade=self._grade_labels.get(latest.grade, grade_label(latest.grade)),
            )
            kind = "info"
        else:
            text = self.tr(
                "Not yet assessed: no rule matched, which does not mean no risk. Your THRIVE "
                "assessment is recorded and helps the rules learn what they missed."
            )
            kind = "info"
        if self.dirty:
            text += " " + self.tr("(unsaved changes below)")
        set_message(self.ui.thriveStatusLabel, text, kind)

    def values(self) -> dict[str, str]:
        """Return what is typed in the THRIVE fields, with the grade code."""
        values = {factor: edit.text() for factor, edit in self.edits().items()}
        values["grade"] = str(self.ui.gradeCombo.currentData() or "")
        values["risk_seen"] = self.risk_seen.value()
        return values

    def saved(self, case_id: int) -> None:
        """Forget the draft of ``case_id``: it is saved now."""
        self.drafts.pop(case_id, None)
        if case_id == self.case_id:
            self.dirty = False

    def unsaved(self) -> str:
        """Say which cases have THRIVE text typed and not saved ('' when none)."""
        cases = set(self.drafts)
        if self.dirty and self.case_id is not None:
            cases.add(self.case_id)
        if not cases:
            return ""
        listed = ", ".join(f"#{c}" for c in sorted(cases))
        return self.tr("THRIVE assessment not saved on case {cases}.").format(cases=listed)

    def has_draft(self, case_id: int) -> bool:
        """Tell whether unsaved THRIVE text is kept for ``case_id``."""
        return case_id in self.drafts or (case_id == self.case_id and self.dirty)

    def keep_draft(self) -> None:
        """Keep what was typed for the case shown (another case is about to be shown)."""
        if self.dirty and self.case_id is not None:
            self.drafts[self.case_id] = self.values()
        self.dirty = False

    def _edited(self, *_args: object) -> None:
        self.dirty = True
        self.edited.emit()
