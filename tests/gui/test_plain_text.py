"""Issue 15 item 2: what others wrote is shown as the characters they typed, never as HTML.

The attack: an imported item whose text, author name and handle hold markup. Qt reads a
tooltip's or an auto-format label's text as HTML when it merely looks like HTML
(``Qt::mightBeRichText``): ``<img src=x>`` drew a picture, ``<span style=...>`` a giant line.
Each check below asks what the widget would show, as Qt decides it, and expects the characters.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from desk.core.errors import SignInFailed
from desk.core.escalation import TargetKind, Urgency
from desk.core.items import Author, IncomingItem, ItemKind, Platform
from desk.core.roles import Role
from desk.gui.audit_viewer import AuditModel
from desk.gui.main_window import MainWindow
from desk.gui.plain_text import plain_tip
from desk.gui.queue_model import COL_AUTHOR, COL_TEXT, HEADERS
from desk.gui.signin_activity import SigninActivityDialog, SigninActivityModel
from desk.gui.suspects_window import SuspectsWindow
from desk.services.views import AuditView
from tests.conftest import START, USER_PASSWORD, Person, Staffed
from tests.gui.conftest import settle
from tests.gui.queue_fixtures import MakeWindow, add_accounts, wait_ready

IMG = "<img src=x>"
BOLD = "<b>bold</b>"
BIG = '<span style="font-size:80px">big</span>'
ENTITY = "&lt;"
MARKUP = [IMG, BOLD, BIG, ENTITY]
TEXT = f"{BIG} {IMG} help {ENTITY} {BOLD}\nsecond line {IMG}"
NAME = f"{IMG} {BOLD}"
HANDLE = f"@{BOLD}"


def shows(text: str, rich: bool) -> str:
    """What Qt draws for ``text``: parsed as HTML when ``rich``, else the characters."""
    document = QTextDocument()
    if rich:
        document.setHtml(text)
    else:
        document.setPlainText(text)
    return document.toPlainText()


def tooltip_shows(tip: str) -> str:
    """What a tooltip shows: Qt's tooltip takes the text as HTML when it might be HTML."""
    return shows(tip, QtGuiNamespace.mightBeRichText(tip))


def label_shows(label: QLabel) -> str:
    """What a label shows, as its text format decides."""
    text_format = label.textFormat()
    rich = text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and QtGuiNamespace.mightBeRichText(label.text())
    )
    return shows(label.text(), rich)


def assert_shown(shown: str, expected: str, where: str) -> None:
    """Every piece of markup in ``expected`` is shown as its characters."""
    for piece in MARKUP:
        if piece in expected:
            assert piece in shown, f"{where} does not show {piece!r}: {shown!r}"


@pytest.fixture
def window(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> MainWindow:
    """The operator's window on a case whose text, author name and handle hold markup."""
    staffed.clock.advance(minutes=10)
    add_accounts(staffed)
    at = START + timedelta(minutes=1)
    items = [
        IncomingItem(
            platform=Platform.X,
            account="@ExampleshirePolice",
            kind=ItemKind.REPLY,
            platform_id=pid,
            author=Author("u-markup", HANDLE, NAME),
            text=text,
            posted_at=at + timedelta(seconds=n),
            received_at=at + timedelta(seconds=n),
            link=f"https://x.example/{pid}",
            thread_id="post-1",
            thread_title=f"Road {IMG} closures",
        )
        for n, (pid, text) in enumerate([("m1", TEXT), ("m2", f"{BOLD} again")])
    ]
    staffed.desk.importer.store(staffed.admin_token, items, "markup")
    made, _token = make_window(staffed.operator)
    made.resize(1366, 768)
    wait_ready(qtbot, made)
    return made


def test_queue_tooltips_show_item_text_and_authors_as_typed(window: MainWindow) -> None:
    model = window.queue.model
    assert model.rowCount() >= 1
    for row in range(model.rowCount()):
        for column in range(len(HEADERS)):
            index = model.index(row, column)
            tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            shown = model.data(index, Qt.ItemDataRole.DisplayRole)
            if tip:
                # the tooltip says at least what the cell says, markup and all
                assert_shown(tooltip_shows(tip), str(shown), f"column {column} tooltip")
    text_tip = model.data(model.index(0, COL_TEXT), Qt.ItemDataRole.ToolTipRole)
    assert_shown(tooltip_shows(text_tip), TEXT, "the Text column's tooltip")
    author_tip = model.data(model.index(0, COL_AUTHOR), Qt.ItemDataRole.ToolTipRole)
    assert BOLD in tooltip_shows(author_tip)


def test_the_case_pane_shows_item_text_and_authors_as_typed(window: MainWindow) -> None:
    pane = window.ui.casePane
    assert_shown(pane.plain_text(), TEXT, "the item text")
    assert NAME in pane.plain_text() and HANDLE in pane.plain_text()
    labels = [label for label in window.findChildren(QLabel) if label.text()]
    carrying = [label for label in labels if any(p in label.text() for p in MARKUP)]
    assert {"caseHeaderLabel", "threadLabel"} <= {label.objectName() for label in carrying}
    for label in carrying:
        assert_shown(label_shows(label), label.text(), f"label {label.objectName()}")


def test_notices_and_messages_quoting_an_author_show_the_characters(
    qtbot: QtBot, window: MainWindow
) -> None:
    shell = window.shell
    shell.notify(f"{HANDLE} wrote: {TEXT}", to_do=True)
    bar = window.findChild(QLabel, "noticeLabel")
    assert bar is not None
    assert_shown(label_shows(bar), TEXT, "the notice")
    assert_shown(tooltip_shows(bar.toolTip()), TEXT, "the notice's tooltip")
    box = shell.tell("Not done", f"{NAME} {TEXT}")
    assert isinstance(box, QMessageBox)
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.close()
    settle(qtbot, window)


@pytest.mark.parametrize("text", [*MARKUP, TEXT, "plain words", "x\n<b>y</b>", ""])
def test_a_tooltip_shows_exactly_the_characters(text: str) -> None:
    tip = plain_tip(text)
    assert tip is not None
    assert tooltip_shows(tip) == shows(text, rich=False)
    if not QtGuiNamespace.mightBeRichText(text):
        assert tip == text  # ordinary text is left as it is


def test_a_name_typed_at_sign_in_never_reaches_sign_in_activity_as_markup(
    qtbot: QtBot, staffed: Staffed
) -> None:
    with pytest.raises(SignInFailed):  # anyone at the sign-in window can type this
        staffed.desk.signin.sign_in(NAME, "wrong guess 12345", "123456")
    dialog = SigninActivityDialog()
    qtbot.addWidget(dialog)
    dialog.set_entries(staffed.desk.audit.signin_activity(staffed.admin_token))
    rows = dialog.visible_rows()
    assert "(not a valid username)" in {r.account for r in rows}
    assert not any("img" in f"{r.account} {r.detail}" for r in rows)


@pytest.mark.parametrize("model_class", [AuditModel, SigninActivityModel])
def test_audit_and_sign_in_tooltips_show_handles_as_typed(model_class: type) -> None:
    entry = AuditView(
        7,
        "2026-11-26T09:00:05.000000Z",
        "jsmith",
        "signin.failure",
        f"account:{NAME}",
        json.dumps({"reason": "password", "handle": HANDLE, "text": TEXT}),
    )
    model = model_class()
    model.set_entries([entry])
    tips = [
        model.data(model.index(0, column), Qt.ItemDataRole.ToolTipRole)
        for column in range(model.columnCount())
    ]
    carrying = [tip for tip in tips if tip and "img" in tip]
    assert carrying
    for tip in carrying:
        assert IMG in tooltip_shows(tip)


def sweep(root: QWidget) -> int:
    """Check every label and table tooltip under ``root`` that carries markup; count them."""
    checked = 0
    for label in root.findChildren(QLabel):
        if any(p in label.text() for p in MARKUP):
            assert_shown(label_shows(label), label.text(), f"label {label.objectName()}")
            checked += 1
    for table in root.findChildren(QTableWidget):
        for row in range(table.rowCount()):
            for column in range(table.columnCount()):
                cell = table.item(row, column)
                if cell is not None and cell.toolTip() and "img" in cell.toolTip():
                    assert_shown(tooltip_shows(cell.toolTip()), cell.text(), "a cell's tooltip")
                    checked += 1
    return checked


def test_the_fake_accounts_window_shows_a_handle_and_note_as_typed(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    made = staffed.desk.accounts.add_user(
        staffed.admin_token, "sue", "Sue Super", Role.SUPERVISOR, USER_PASSWORD
    )
    staffed.desk.impersonation.add_suspect(
        staffed.sign_in(staffed.operator), Platform.X, f"{IMG}{HANDLE}", note=TEXT
    )
    window, _token = make_window(Person("sue", USER_PASSWORD, made.seed, Role.SUPERVISOR))
    window.suspects.action.trigger()
    settle(qtbot, window)
    suspects = window.shell.dialog
    assert isinstance(suspects, SuspectsWindow)
    suspects.table.selectRow(0)
    qtbot.wait(20)
    assert IMG in label_shows(suspects.details_label)
    assert sweep(suspects) >= 2


def test_an_escalation_quoting_the_item_shows_it_as_typed(
    qtbot: QtBot, window: MainWindow, staffed: Staffed
) -> None:
    case_id = window.queue.case_id
    assert case_id is not None
    token = staffed.sign_in(staffed.operator)
    staffed.desk.cases.claim(token, case_id)
    staffed.desk.escalations.escalate(token, case_id, TargetKind.INTELLIGENCE, Urgency.TODAY, TEXT)
    window.shell.case_changed.emit(case_id)
    escalations = window.escalations.panel.list
    qtbot.waitUntil(lambda: escalations.count() == 1, timeout=10_000)
    tip = escalations.item(0).toolTip()
    assert "img" in tip
    assert_shown(tooltip_shows(tip), TEXT, "the escalation's tooltip")
