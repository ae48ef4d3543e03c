"""What each queue cell says and how it looks: texts, tooltips, fonts and colours per column.

Colours help; the words (P1, ▲, △, "8 min over") say the same thing without them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QFont

from desk.core.disguised_text import find as find_disguises
from desk.core.disguised_text import neutralise
from desk.core.targets import counts_against_target
from desk.gui.disguised_note import DISGUISED_COLOURS, DISGUISED_MARK, describe_text
from desk.gui.formatting import age_text, clock_time, span_text
from desk.gui.labels import platform_label, priority_label, risk_words, status_label
from desk.gui.plain_text import plain_tip
from desk.services.case_views import QueueRow

_CONTEXT = "QueueModel"

(
    COL_PRIORITY,
    COL_AGE,
    COL_TARGET,
    COL_ACCOUNT,
    COL_AUTHOR,
    COL_TEXT,
    COL_RISK,
    COL_STATUS,
    COL_OWNER,
) = range(9)
HEADERS: tuple[Any, ...] = (  # Any: QT_TRANSLATE_NOOP is typed as object
    QT_TRANSLATE_NOOP("QueueModel", "P"),
    QT_TRANSLATE_NOOP("QueueModel", "Age"),
    QT_TRANSLATE_NOOP("QueueModel", "Target"),
    QT_TRANSLATE_NOOP("QueueModel", "Account"),
    QT_TRANSLATE_NOOP("QueueModel", "Author"),
    QT_TRANSLATE_NOOP("QueueModel", "Text"),
    QT_TRANSLATE_NOOP("QueueModel", "Risk"),
    QT_TRANSLATE_NOOP("QueueModel", "Status"),
    QT_TRANSLATE_NOOP("QueueModel", "Owner"),
)
HEADER_TIPS: tuple[Any, ...] = (
    QT_TRANSLATE_NOOP("QueueModel", "Priority (P1 most urgent)"),
    QT_TRANSLATE_NOOP("QueueModel", "Time since the case arrived"),
    QT_TRANSLATE_NOOP("QueueModel", "Time left to the response target, or how far past it"),
    QT_TRANSLATE_NOOP("QueueModel", "The official account it arrived on, and the platform"),
    QT_TRANSLATE_NOOP("QueueModel", "Who wrote it (≈: looks like an official account)"),
    QT_TRANSLATE_NOOP("QueueModel", "The first line of the case's text"),
    QT_TRANSLATE_NOOP("QueueModel", "What the risk rules matched"),
    QT_TRANSLATE_NOOP("QueueModel", "Status (⚑: an escalation's acknowledgement is overdue)"),
    QT_TRANSLATE_NOOP("QueueModel", "Who owns the case, and who else is viewing it"),
)
SOON_SHARE = 0.2
SOON_AT_LEAST = timedelta(minutes=5)
SOON_MARK = "△"
OVERDUE_MARK = "⚑"  # an escalation past its deadline without acknowledgement
WELSH_MARK = "CY"
LOOKALIKE_MARK = "≈"  # the author looks like an official account (issue 14)
LOOKALIKE_COLOURS = ("#fde7c7", "#6a3300")
NOT_ASSESSED_COLOURS = ("#fff8e1", "#6d4c00")  # no rule matched and nobody has assessed it
PRIORITY_COLOURS: dict[int, tuple[str, str]] = {  # background, text
    1: ("#b3261e", "#ffffff"),
    2: ("#f6c58f", "#4a2600"),
    3: ("#d4e3f7", "#0b3d7a"),
    4: ("#e6e8eb", "#30343a"),
}
PAST_COLOURS = ("#f9d6d2", "#7a0000")
SOON_COLOURS = ("#ffe8a3", "#4d3800")


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


class TargetState(Enum):
    """Where a case stands against its response target."""

    MET = "met"  # actioned, escalated or closed: no longer counting
    OK = "ok"
    SOON = "soon"  # within 20% of the target (or 5 minutes) of missing it
    PAST = "past"


def target_state(row: QueueRow, now: datetime) -> TargetState:
    """Tell whether ``row`` is on time, about to miss its target, or past it."""
    if not counts_against_target(row.status):
        return TargetState.MET
    remaining = row.due_at - now
    if remaining < timedelta(0):
        return TargetState.PAST
    margin = max((row.due_at - row.opened_at) * SOON_SHARE, SOON_AT_LEAST)
    return TargetState.SOON if remaining <= margin else TargetState.OK


def first_line(text: str) -> str:
    """Return the first non-empty line of ``text``."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def short_span(delta: timedelta) -> str:
    """Return a duration short enough for a cell: '12 min', '3 h', '2 d'."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return _tr("{n} min").format(n=minutes)
    if minutes < 48 * 60:
        return _tr("{n} h").format(n=minutes // 60)
    return _tr("{n} d").format(n=minutes // (24 * 60))


def target_text(row: QueueRow, now: datetime) -> str:
    """Return the Target cell: '12 min left', '△ 4 min left' (about to miss), '8 min over'."""
    state = target_state(row, now)
    if state is TargetState.MET:
        return _tr("met")
    if state is TargetState.PAST:
        return _tr("{span} over").format(span=short_span(now - row.due_at))
    left = _tr("{span} left").format(span=short_span(row.due_at - now))
    return f"{SOON_MARK} {left}" if state is TargetState.SOON else left


def target_samples() -> list[str]:
    """Return the widest texts the Target cell shows (to size its column)."""
    hour = timedelta(minutes=59)
    left = _tr("{span} left").format(span=short_span(hour))
    return [_tr("{span} over").format(span=short_span(hour)), f"{SOON_MARK} {left}"]


def lookalike_text(row: QueueRow) -> str:
    """Say what an author looks like ('Looks like @X: why'), or '' when not flagged."""
    found = row.impersonates
    if not found:
        return ""
    what = found.removeprefix("resembles ")
    return _tr("Looks like {what}").format(what=what)


def disguised(row: QueueRow) -> bool:
    """Whether any of the case's items, or the row's author, disguises itself."""
    return bool(row.disguised or find_disguises(row.summary) or find_disguises(row.author))


def disguise_words(row: QueueRow) -> str:
    """Say which disguising characters the row's summary or author holds, and where."""
    said = describe_text(row.summary) + describe_text(row.author)
    if row.disguised and not said:
        said = [_tr("A later item of this case holds text that hides or reorders itself: open it.")]
    return "; ".join(said)


def status_text(status: str, flagged: bool) -> str:
    """Return the Status cell: the status, the overdue-escalation flag first when flagged."""
    return f"{OVERDUE_MARK} {status_label(status)}" if flagged else status_label(status)


class QueueCells:
    """Says what one row shows in each column, for the person signed in (``me``)."""

    def __init__(self, me: str) -> None:
        self.me = me
        self.account_names: Mapping[str, str] = {}  # handle → short name
        self.bold = QFont()
        self.bold.setBold(True)

    def account_text(self, row: QueueRow) -> str:
        """Return the Account cell: the account's short name, then its platform."""
        name = self.account_names.get(row.account) or row.account
        return f"{name} · {platform_label(row.platform)}"

    def owner_text(self, row: QueueRow, viewers: list[str]) -> str:
        """Return the Owner cell: the owner (or 'you') and who else is viewing."""
        owner = row.owner or ""
        if row.owner and row.owner == self.me:
            owner = _tr("{name} (you)").format(name=row.owner)
        if viewers:
            seeing = _tr("{names} viewing").format(names=", ".join(viewers))
            return f"{owner} · {seeing}" if owner else seeing
        return owner

    def age(self, row: QueueRow, now: datetime) -> str:
        """Return the Age cell: how long ago the case arrived (the Target cell says the rest)."""
        return age_text(now - row.opened_at)

    def text(
        self, row: QueueRow, column: int, now: datetime, viewers: list[str], flagged: bool
    ) -> str:
        """Return a cell's text."""
        if column == COL_PRIORITY:
            return priority_label(row.priority)
        if column == COL_AGE:
            return self.age(row, now)
        if column == COL_TARGET:
            return target_text(row, now)
        if column == COL_ACCOUNT:
            return self.account_text(row)
        if column == COL_AUTHOR:
            author = neutralise(row.author)
            return f"{LOOKALIKE_MARK} {author}" if row.impersonates else author
        if column == COL_TEXT:
            text = neutralise(first_line(row.summary)) or _tr("(no text: media only)")
            if disguised(row):
                text = f"{DISGUISED_MARK} {text}"
            if row.item_count > 1:
                text = _tr("[{n} items] {text}").format(n=row.item_count, text=text)
            return f"{WELSH_MARK} · {text}" if row.language == "cy" else text
        if column == COL_RISK:
            if row.risk:
                return risk_words(row.risk)
            # no rule matched: that is not "no risk" until a person has looked
            return _tr("not yet assessed") if row.grade is None else _tr("assessed: no rule")
        if column == COL_STATUS:
            return status_text(row.status, flagged)
        if column == COL_OWNER:
            return self.owner_text(row, viewers)
        return ""

    def tooltip(
        self, row: QueueRow, column: int, now: datetime, viewers: list[str], flagged: bool
    ) -> str | None:
        """Return a cell's tooltip (the whole text where the cell may cut it), never as HTML.

        Item text and authors' names come from outside: ``<img src=...>`` shows as typed.
        """
        return plain_tip(self._tooltip(row, column, now, viewers, flagged))

    def _tooltip(
        self, row: QueueRow, column: int, now: datetime, viewers: list[str], flagged: bool
    ) -> str | None:
        if column == COL_TEXT:
            parts = []
            if row.language == "cy":
                parts.append(_tr("Cymraeg (Welsh)"))
            if row.item_count > 1:
                parts.append(_tr("{n} items in this case").format(n=row.item_count))
            if disguised(row):
                parts.append(_tr("Disguised text: {what}").format(what=disguise_words(row)))
            parts.append(neutralise(row.summary))
            return "\n".join(parts)
        if column in (COL_AGE, COL_TARGET):
            return self.target_tooltip(row, now)
        if column == COL_PRIORITY:
            return _tr("Priority {p} · case #{id}").format(
                p=priority_label(row.priority), id=row.case_id
            )
        if column == COL_ACCOUNT:
            return _tr("{account} on {platform}").format(
                account=row.account, platform=platform_label(row.platform)
            )
        if column == COL_AUTHOR and row.impersonates:
            return _tr("{author} · {lookalike} (maybe a fake account)").format(
                author=neutralise(row.author), lookalike=lookalike_text(row)
            )
        if column == COL_STATUS and flagged:
            return _tr(
                "{status}: an escalation on this case is past its deadline and not acknowledged."
            ).format(status=status_label(row.status))
        if column in (COL_AUTHOR, COL_RISK, COL_OWNER, COL_STATUS):
            return self.text(row, column, now, viewers, flagged) or None
        return None

    def target_tooltip(self, row: QueueRow, now: datetime) -> str:
        """Say when the case arrived, its target, and how it stands against it."""
        arrived = _tr("Arrived {time}").format(time=clock_time(row.opened_at))
        target = span_text(row.due_at - row.opened_at)
        state = target_state(row, now)
        if state is TargetState.MET:
            return _tr("{arrived} · target {target} · met").format(arrived=arrived, target=target)
        if state is TargetState.PAST:
            return _tr("{arrived} · PAST TARGET ({target}) by {late}").format(
                arrived=arrived, target=target, late=span_text(now - row.due_at)
            )
        left = span_text(row.due_at - now)
        if state is TargetState.SOON:
            return _tr("{arrived} · target {target} · ABOUT TO MISS: {left} left").format(
                arrived=arrived, target=target, left=left
            )
        return _tr("{arrived} · target {target} · {left} left").format(
            arrived=arrived, target=target, left=left
        )

    def accessible(
        self, row: QueueRow, column: int, now: datetime, viewers: list[str], flagged: bool
    ) -> str:
        """Return what a screen reader says for a cell (the marks in words)."""
        if column == COL_TARGET:
            state = target_state(row, now)
            text = self.text(row, column, now, viewers, flagged).lstrip(SOON_MARK).strip()
            if state is TargetState.PAST:
                return _tr("{text}, past target").format(text=text)
            if state is TargetState.SOON:
                return _tr("{text}, about to miss target").format(text=text)
            return text
        if column == COL_AUTHOR and row.impersonates:
            return _tr("{author}, {lookalike}").format(
                author=neutralise(row.author), lookalike=lookalike_text(row)
            )
        if column == COL_TEXT and disguised(row):
            text = self.text(row, column, now, viewers, flagged).removeprefix(DISGUISED_MARK)
            return _tr("disguised text: {what}. {text}").format(
                what=disguise_words(row), text=text.strip()
            )
        if column == COL_STATUS and flagged:
            return _tr("{status}, escalation acknowledgement overdue").format(
                status=status_label(row.status)
            )
        return self.text(row, column, now, viewers, flagged)

    def font(self, row: QueueRow, column: int, now: datetime, flagged: bool) -> QFont | None:
        """Return a cell's font (bold for the priority, a flag, a missed target)."""
        if column == COL_PRIORITY:
            return self.bold
        if column == COL_STATUS and flagged:
            return self.bold
        if column == COL_AUTHOR and row.impersonates:
            return self.bold
        if column == COL_TEXT and disguised(row):
            return self.bold
        if column == COL_TARGET and target_state(row, now) is TargetState.PAST:
            return self.bold
        return None

    def colours(self, row: QueueRow, column: int, now: datetime) -> tuple[str, str] | None:
        """Return a cell's (background, text) colours, or None for the table's own."""
        if column == COL_PRIORITY:
            return PRIORITY_COLOURS.get(row.priority)
        if column == COL_TARGET:
            state = target_state(row, now)
            if state is TargetState.PAST:
                return PAST_COLOURS
            if state is TargetState.SOON:
                return SOON_COLOURS
        if column == COL_RISK and not row.risk and row.grade is None:
            return NOT_ASSESSED_COLOURS
        if column == COL_AUTHOR and row.impersonates:
            return LOOKALIKE_COLOURS
        if column == COL_TEXT and disguised(row):
            return DISGUISED_COLOURS
        return None
