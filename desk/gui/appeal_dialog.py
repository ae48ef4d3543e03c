"""Case → Mark as public appeal…: which item (or the whole case), the end date, a note or link.

The dialog says ``submitted`` with what was chosen and stays open: the controller calls the
service, then ``finish()`` closes it or ``refuse(message)`` shows the answer inside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from desk.gui.forms.ui_appeal_dialog import Ui_AppealDialog
from desk.gui.messages import set_message

DEFAULT_DAYS = 14  # a fortnight: the usual life of an appeal post
DAY_ENDS = time(23, 59)


def end_of_day(day: date) -> datetime:
    """Return the last minute of ``day`` on this computer's clock, in UTC."""
    return datetime.combine(day, DAY_ENDS).astimezone().astimezone(UTC)


class AppealDialog(QDialog):
    """Asks which part of the case is the appeal, when it ends, and a note or link."""

    submitted = Signal(object, object, str)  # ends_at (UTC), item_id or None, note

    def __init__(
        self,
        case_id: int,
        items: Iterable[tuple[str, int]],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_AppealDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setWindowTitle(self.tr("Public appeal: case #{id}").format(id=case_id))
        self.ui.promptLabel.setText(
            self.tr(
                "Mark case #{id} as a public appeal (a post asking the public for help). "
                "Choose when it ends: then it must be removed or archived on the platform."
            ).format(id=case_id)
        )
        self.ui.whatCombo.addItem(self.tr("The whole case"), None)
        for label, item_id in items:
            self.ui.whatCombo.addItem(label, item_id)
        first = QDate(today.year, today.month, today.day)
        self.ui.endsEdit.setMinimumDate(first)
        self.ui.endsEdit.setDate(first.addDays(DEFAULT_DAYS))
        self.ok_button = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Mark as appeal"))
        self.ok_button.setDefault(True)
        self.ui.buttonBox.accepted.connect(self._submit)
        self.ui.buttonBox.rejected.connect(self.reject)
        set_message(self.ui.messageLabel, "")
        self.ui.endsEdit.setFocus()

    @property
    def ends_on(self) -> date:
        """The day chosen for the appeal's end."""
        chosen = self.ui.endsEdit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def _submit(self) -> None:
        item_id = self.ui.whatCombo.currentData()
        self.submitted.emit(end_of_day(self.ends_on), item_id, self.ui.noteEdit.text())

    def refuse(self, message: str) -> None:
        """Show why the service refused; keep what was chosen."""
        set_message(self.ui.messageLabel, message)

    def finish(self) -> None:
        """Close after the service accepted."""
        self.accept()

    def set_busy(self, busy: bool) -> None:
        """Grey the button out while the appeal is saved."""
        self.ok_button.setEnabled(not busy)
