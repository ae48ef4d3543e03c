"""Issue 17: text that disguises itself is stored as received, shown neutralised, and flagged.

A right-to-left override makes the platform draw "\u202eflesym llik" as "kill myself"; a zero-width
space splits "k\u200bill" so a filter misses it. Desk keeps the characters (evidence), shows each
as a token (⟦RLO⟧, ⟦ZWSP⟧) in the queue and the case pane, flags the case and says where.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desk.gui.case_pane import ItemSelection
from desk.gui.disguised_note import DISGUISED_COLOURS, DISGUISED_MARK
from desk.gui.main_window import MainWindow
from desk.gui.plain_text import plain_tip
from desk.gui.queue_model import COL_AUTHOR, COL_RISK, COL_TEXT
from tests.conftest import Staffed
from tests.gui.queue_fixtures import MakeWindow, add_accounts, wait_ready
from tests.gui.test_queue_window import wait_case
from tests.services.helpers import item

HIDDEN = "Please help, I want to k\u200bill myself tonight"
REVERSED = "Open the report I sent: invoice\u202efdp.exe"
CONTROLS = ("\u200b", "\u202e")


def open_window(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, *texts: str) -> MainWindow:
    staffed.clock.advance(minutes=10)
    add_accounts(staffed)
    staffed.desk.importer.store(
        staffed.admin_token,
        [
            item(f"d{n}", text, author="u9", handle="@hider", minutes=1 + n)
            for n, text in enumerate(texts)
        ],
        "test",
    )
    window, _token = make_window(staffed.operator)
    window.resize(1366, 768)
    wait_ready(qtbot, window)
    wait_case(qtbot, window, lambda d: len(d.items) == len(texts))
    return window


def label(window: MainWindow) -> QLabel:
    found = window.findChild(QLabel, "disguisedLabel")
    assert found is not None
    return found


def test_queue_row_shows_tokens_and_the_flag(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window = open_window(qtbot, make_window, staffed, HIDDEN)
    model = window.queue.model
    index = model.index(0, COL_TEXT)
    shown = model.data(index, Qt.ItemDataRole.DisplayRole)
    assert shown.startswith(DISGUISED_MARK)
    assert "k⟦ZWSP⟧ill" in shown and not any(c in shown for c in CONTROLS)
    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "zero-width space ⟦ZWSP⟧ at character 25" in tip
    assert model.data(index, Qt.ItemDataRole.BackgroundRole).color().name() == DISGUISED_COLOURS[0]
    spoken = model.data(index, Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.startswith("disguised text")
    # the risk rules read what people see: "k\u200bill myself" is self-harm all the same
    assert "self" in model.data(model.index(0, COL_RISK), Qt.ItemDataRole.DisplayRole).lower()
    assert DISGUISED_MARK not in model.data(model.index(0, COL_AUTHOR), Qt.ItemDataRole.DisplayRole)


def test_the_queue_flags_a_case_whose_later_item_disguises_itself(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    # the row shows the first item's words; the reversed file name is in the second
    window = open_window(qtbot, make_window, staffed, "Street light out on Elm Row", REVERSED)
    model = window.queue.model
    index = model.index(0, COL_TEXT)
    shown = model.data(index, Qt.ItemDataRole.DisplayRole)
    assert "Street light out" in shown and DISGUISED_MARK in shown
    assert "later item" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert model.data(index, Qt.ItemDataRole.BackgroundRole).color().name() == DISGUISED_COLOURS[0]


def test_case_pane_shows_tokens_says_where_and_keeps_the_stored_text(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window = open_window(qtbot, make_window, staffed, HIDDEN, REVERSED)
    pane = window.ui.casePane
    shown = pane.plain_text()
    assert "k⟦ZWSP⟧ill" in shown and "invoice⟦RLO⟧fdp.exe" in shown
    assert not any(c in shown for c in CONTROLS)
    note = label(window)
    assert note.isVisible()
    words = note.text()
    assert "Disguised text" in words
    assert "item 1: zero-width space ⟦ZWSP⟧ at character 25" in words
    assert "item 2: right-to-left override ⟦RLO⟧ at character 32" in words
    assert "On the platform it reads: “Open the report I sent: invoiceexe.pdf”" in words
    assert window.queue.case_id is not None
    stored = window.desk.queue.detail(window.token, window.queue.case_id).items
    assert [i.text for i in stored] == [HIDDEN, REVERSED]  # evidence: kept as received


def test_a_selection_over_a_token_is_the_stored_character(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window = open_window(qtbot, make_window, staffed, HIDDEN)
    view = window.ui.casePane.ui.itemTextView
    cursor = view.document().find("k⟦ZWSP⟧ill")
    assert not cursor.isNull()
    view.setTextCursor(cursor)
    picked = window.ui.casePane.item_selection()
    assert isinstance(picked, ItemSelection) and picked.text == "k\u200bill"
    # half a token is not a character: refused, never guessed
    cursor.setPosition(cursor.selectionStart())
    cursor.setPosition(cursor.selectionStart() + 3, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert isinstance(window.ui.casePane.item_selection(), str)


def test_plain_case_has_no_flag(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> None:
    window = open_window(qtbot, make_window, staffed, "The road by the school is flooded")
    assert not label(window).isVisible()
    shown = window.queue.model.data(window.queue.model.index(0, COL_TEXT))
    assert not shown.startswith(DISGUISED_MARK)


def test_tooltips_show_tokens_never_the_controls() -> None:
    assert plain_tip("@evil\u202egnp.exe") == "@evil⟦RLO⟧gnp.exe"
    assert plain_tip("<b>k\u200bill</b>") is not None and "k⟦ZWSP⟧ill" in str(
        plain_tip("<b>k\u200bill</b>")
    )
    assert plain_tip("plain") == "plain"
