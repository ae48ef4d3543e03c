"""Supervisor → Quality review…: draw a month's sample, review each case, results per operator."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHeaderView,
    QTableWidgetItem,
    QWidget,
)

from desk.core.cases import Outcome
from desk.core.disguised_text import neutralise
from desk.core.errors import DeskError
from desk.core.quality import CHECKS, month_of
from desk.gui.forms.ui_quality_window import Ui_QualityWindow
from desk.gui.labels import outcome_label, platform_label, risk_words
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.screen_fit import fit_to_screen
from desk.gui.shell import Shell
from desk.gui.table_rows import fill_rows
from desk.services.case_views import CaseDetail
from desk.services.quality import OperatorResult, SampledCase

_CONTEXT = "QualityReview"
CHECK_LABELS = {
    "thrive_complete": "THRIVE complete",
    "grade_justified": "Grade justified",
    "right_template": "Right template",
    "target_met": "Target met",
}
UNSET = "unset"
ANSWERS: tuple[tuple[str, Any], ...] = (
    ("Choose…", UNSET),
    ("Yes", True),
    ("No", False),
    ("N/A", None),
)
SAMPLE_HEADERS = ("Operator", "Case", "Priority", "Closed", "Outcome", "Reviewed")
RESULT_HEADERS = ("Operator", "Sampled", "Reviewed", *CHECK_LABELS.values())


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def _local(moment: datetime | None) -> str:
    return "—" if moment is None else moment.astimezone().strftime("%d %b %H:%M")


def _outcome(code: str | None) -> str:
    if not code:
        return "—"
    try:
        return outcome_label(Outcome(code))
    except ValueError:
        return code


def answer_text(value: bool | None, reviewed: bool) -> str:
    """Say a checklist answer in words."""
    if not reviewed:
        return "—"
    return {True: _tr("Yes"), False: _tr("No"), None: _tr("N/A")}[value]


def recent_months(now: datetime, count: int = 12) -> list[str]:
    """This month and the ones before it, newest first ('YYYY-MM')."""
    year, month = now.year, now.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out


def case_html(detail: CaseDetail) -> str:
    """The sampled case, read-only: what arrived, its assessment and its timeline."""
    row = detail.row
    esc = html.escape
    parts = [
        f"<h3>#{row.case_id} · P{row.priority} · {esc(platform_label(row.platform))} · "
        f"{esc(row.author)}</h3>",
        f"<p>{esc(_tr('Risk'))}: {esc(risk_words(list(row.risk)) or _tr('none'))} · "
        f"{esc(_tr('Grade'))}: {esc(row.grade or '—')} · {esc(_tr('Status'))}: "
        f"{esc(row.status)}</p>",
    ]
    for it in detail.items:
        parts.append(
            f"<p><b>{esc(_local(it.received_at))}</b> {esc(neutralise(it.author_handle))}: "
            f"{esc(neutralise(it.text))}</p>"  # disguising characters as tokens (issue 17)
        )
    if detail.assessments:
        latest = detail.assessments[-1]
        factors = "".join(
            f"<li>{esc(name)}: {esc(text or '—')}</li>" for name, text in latest.factors.items()
        )
        parts.append(
            f"<p><b>THRIVE v{latest.version}</b> ({esc(latest.actor)}, "
            f"{esc(_local(latest.at))}) · {esc(latest.grade)}</p><ul>{factors}</ul>"
        )
    else:
        parts.append(f"<p><b>{esc(_tr('No THRIVE assessment recorded.'))}</b></p>")
    lines = "".join(
        f"<li>{esc(_local(t.at))} {esc(t.actor)}: {esc(t.text or t.kind)}</li>"
        for t in detail.timeline
    )
    parts.append(f"<p><b>{esc(_tr('Timeline'))}</b></p><ul>{lines}</ul>")
    return "".join(parts)


def _index_of(box: QComboBox, value: Any) -> int:
    for i in range(box.count()):
        data = box.itemData(i)
        if data == value and type(data) is type(value):
            return i
    return 0


def share_text(passed: int, applicable: int) -> str:
    """'3/4 (75%)', or '—' when the item applied to none."""
    if not applicable:
        return "—"
    return f"{passed}/{applicable} ({100 * passed / applicable:.0f}%)"


class QualityWindow(QDialog):
    """Draw the month's sample, open each case read-only, record the checklist, see results."""

    loaded = Signal()  # the samples and results were read and shown
    reviewed = Signal(int)  # a review was saved (its id)

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent or shell.window)
        self.shell = shell
        self.desk = shell.desk
        self.samples: list[SampledCase] = []
        self.results: list[OperatorResult] = []
        self.current: SampledCase | None = None

        self.ui = Ui_QualityWindow()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setObjectName("qualityWindow")
        ui = self.ui
        self.month_box = ui.monthBox
        self.month_box.addItems(recent_months(shell.now()))
        self.draw_button = ui.drawButton
        self.state_label = ui.qualityState

        self.sample_table = ui.sampleTable
        self.sample_table.setColumnCount(len(SAMPLE_HEADERS))
        self.sample_table.setHorizontalHeaderLabels([_tr(h) for h in SAMPLE_HEADERS])
        sample_header = self.sample_table.horizontalHeader()
        sample_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        sample_header.setStretchLastSection(True)

        self.case_view = ui.sampledCase
        self.answer_boxes: dict[str, QComboBox] = {}
        for check in CHECKS:
            box = getattr(ui, f"check_{check.value}")
            for text, value in ANSWERS:
                box.addItem(_tr(text), value)
            self.answer_boxes[check.value] = box
        self.comment = ui.reviewComment
        self.save_button = ui.saveReviewButton
        ui.splitter.setSizes([680, 520])

        self.results_table = ui.resultsTable
        self.results_table.setColumnCount(len(RESULT_HEADERS))
        self.results_table.setHorizontalHeaderLabels([_tr(h) for h in RESULT_HEADERS])
        header = self.results_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        fit_to_screen(self, 1200, 760)
        self._set_form_enabled(False)

        self.month_box.currentTextChanged.connect(lambda _text: self.reload())
        self.draw_button.clicked.connect(self.draw_sample)
        self.sample_table.itemSelectionChanged.connect(self._selected)
        self.save_button.clicked.connect(self.save_review)

    # helpers ------------------------------------------------------------------------------

    @property
    def month(self) -> str:
        """The chosen month ('YYYY-MM')."""
        return self.month_box.currentText().strip() or month_of(self.shell.now())

    def _token(self) -> str:
        return self.shell.token

    def _run(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Read off the GUI thread; a refusal is said here and routed as usual."""

        def refused(exc: DeskError) -> None:
            self.state_label.setText(self.tr("Not updated: {why}").format(why=exc.message))
            self.shell.handle(exc)

        QueryOp(self.shell, fn).success(done).failure(refused).run()

    def _set_form_enabled(self, enabled: bool) -> None:
        for box in self.answer_boxes.values():
            box.setEnabled(enabled)
        self.comment.setEnabled(enabled)
        self.save_button.setEnabled(enabled)

    # reading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the month's sample and results on the worker."""
        token, desk, month = self._token(), self.desk, self.month
        self.state_label.setText(self.tr("Reading…"))

        def fetch() -> tuple[list[SampledCase], list[OperatorResult], int]:
            return (
                desk.quality.samples(token, month),
                desk.quality.results(token, month),
                desk.quality.samples_per_month(),
            )

        self._run(fetch, self._loaded)

    def _loaded(self, answer: tuple[list[SampledCase], list[OperatorResult], int]) -> None:
        samples, results, per_month = answer
        keep = self.current.id if self.current else None
        self.samples, self.results = samples, results
        self._fill_samples(keep)
        self._fill_results()
        reviewed = sum(1 for s in samples if s.reviewed)
        self.state_label.setText(
            self.tr("{month}: {n} sampled ({per} per operator), {done} reviewed").format(
                month=self.month, n=len(samples), per=per_month, done=reviewed
            )
        )
        self.loaded.emit()

    def _fill_samples(self, keep: int | None) -> None:
        table = self.sample_table
        table.blockSignals(True)
        table.setRowCount(len(self.samples))
        select_row = -1
        for r, s in enumerate(self.samples):
            cells = (
                s.operator_name,
                f"#{s.case_id}",
                f"P{s.priority}",
                _local(s.closed_at),
                _outcome(s.outcome),
                _tr("Yes") if s.reviewed else _tr("Not yet"),
            )
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, s.id)
                if s.reviewed:
                    cell.setToolTip(
                        _tr("Reviewed by {who}, {when}").format(
                            who=s.reviewer, when=_local(s.reviewed_at)
                        )
                    )
                table.setItem(r, c, cell)
            if s.id == keep:
                select_row = r
        table.blockSignals(False)
        if select_row >= 0:
            table.selectRow(select_row)

    def _fill_results(self) -> None:
        fill_rows(
            self.results_table,
            [
                [f"{res.operator_name} ({res.operator})", str(res.sampled), str(res.reviewed)]
                + [
                    share_text(res.checks[c.value].passed, res.checks[c.value].applicable)
                    for c in CHECKS
                ]
                for res in self.results
            ],
        )

    def _selected(self) -> None:
        rows = self.sample_table.selectionModel().selectedRows()
        if not rows:
            self.current = None
            self._set_form_enabled(False)
            return
        cell = self.sample_table.item(rows[0].row(), 0)
        if cell is not None:
            self.open_sample(int(cell.data(Qt.ItemDataRole.UserRole)))

    def open_sample(self, review_id: int) -> None:
        """Show a sampled case read-only and put its review (if any) in the form."""
        sample = next((s for s in self.samples if s.id == review_id), None)
        if sample is None:
            return
        self.current = sample
        for check, box in self.answer_boxes.items():
            # a new review starts unanswered: every item is a choice, never a default "yes"
            value = sample.answers.get(check) if sample.reviewed else UNSET
            box.setCurrentIndex(_index_of(box, value))
        self.comment.setPlainText(sample.comment)
        self._set_form_enabled(True)
        token, desk, case_id = self._token(), self.desk, sample.case_id
        self.case_view.setHtml(self.tr("Reading case #{id}…").format(id=case_id))

        def shown(detail: CaseDetail) -> None:
            if self.current is not None and self.current.case_id == detail.row.case_id:
                self.case_view.setHtml(case_html(detail))

        self._run(lambda: desk.queue.detail(token, case_id), shown)

    # changing -----------------------------------------------------------------------------

    def draw_sample(self) -> None:
        """Draw the month's sample (only what is missing per operator)."""
        token, desk, month = self._token(), self.desk, self.month
        self.draw_button.setEnabled(False)

        def drawn(new: list[SampledCase]) -> str:
            return self.tr("Drew {n} case(s) for {month}.").format(n=len(new), month=month)

        def after(new: list[SampledCase]) -> None:
            self.draw_button.setEnabled(True)
            self.state_label.setText(drawn(new))
            self.reload()

        def refused(exc: DeskError) -> None:
            self.draw_button.setEnabled(True)
            self.state_label.setText(exc.message)
            self.shell.handle(exc)

        ChangeOp(self.shell, lambda: desk.quality.sample(token, month)).done(drawn).success(
            after
        ).failure(refused).run()

    def answers(self) -> dict[str, Any]:
        """The checklist as filled in."""
        return {check: box.currentData() for check, box in self.answer_boxes.items()}

    def save_review(self) -> None:
        """Record the checklist for the open sampled case."""
        current = self.current
        if current is None:
            return
        a = self.answers()
        missing = [CHECK_LABELS[c] for c, v in a.items() if v == UNSET]
        if missing:
            self.state_label.setText(
                self.tr("Answer every item first: {items}.").format(
                    items=", ".join(_tr(m) for m in missing)
                )
            )
            return
        desk, token, comment = self.desk, self._token(), self.comment.toPlainText()
        text = self.tr("Review of case #{id} saved.").format(id=current.case_id)

        def saved(_result: object) -> None:
            self.state_label.setText(text)
            self.reviewed.emit(current.id)
            self.reload()

        ChangeOp(
            self.shell,
            lambda: desk.quality.review(
                token,
                current.id,
                a["thrive_complete"],
                a["grade_justified"],
                a["right_template"],
                a["target_met"],
                comment,
            ),
        ).done(text).success(saved).failure(lambda exc: self.state_label.setText(exc.message)).run()
