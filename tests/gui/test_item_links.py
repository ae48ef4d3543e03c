"""Issue 15 item 1: links and media references from imported items are never followed.

The attack: an imported item whose link or media reference is ``file:///etc/passwd``,
``../../x``, ``smb://host/share`` or ``javascript:alert(1)``. Before the fix the case pane made
each a clickable link: ``file:`` and relative paths loaded a local file into the item view,
``smb:`` and ``javascript:`` went to the desktop's handler. Now only web addresses are links,
a click opens them through the desktop (observed here with a real URL handler registered with
``QDesktopServices``), and everything else is shown as text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser
from pytestqt.qtbot import QtBot

from desk.core.items import Platform
from desk.gui.main_window import MainWindow
from desk.services.importing import ImportSource
from tests.conftest import START, Staffed
from tests.gui.queue_fixtures import MakeWindow, wait_ready

OFFICIAL = "@ExampleshirePolice@police.example"
BAD = ["file:///etc/passwd", "../../x", "smb://host/share", "javascript:alert(1)"]
GOOD = "HTTPS://ok.example/x"  # the scheme's case does not matter
SCHEMES = ["file", "smb", "javascript", "https", "http", "data", "ftp", "mailto"]
TEXT = "The lights on Fore St are out again"


class Opened(QObject):
    """A desktop URL handler: records every address the desktop was asked to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def opened(self, url: QUrl) -> None:
        """Called by QDesktopServices.openUrl for the schemes it was registered for."""
        self.urls.append(url.toString())


@pytest.fixture
def opened() -> Iterator[Opened]:
    """Every address handed to the desktop while the test runs (none goes to a real one)."""
    handler = Opened()
    for scheme in SCHEMES:
        QDesktopServices.setUrlHandler(scheme, handler, "opened")  # type: ignore[arg-type]
    yield handler
    for scheme in SCHEMES:
        QDesktopServices.unsetUrlHandler(scheme)


def import_status(staffed: Staffed, tmp_path: Path, link: str, media: list[str]) -> None:
    """Import one Mastodon status with this link and these media, as a file from outside."""
    staffed.desk.official_accounts.add(staffed.admin_token, Platform.MASTODON, OFFICIAL, "Police")
    status = {
        "id": "113512345678900001",
        "created_at": (START).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "visibility": "public",
        "uri": link,
        "url": link,
        "content": f"<p>{TEXT}</p>",
        "account": {"id": "42", "username": "ellie", "acct": "ellie", "display_name": "Ellie"},
        "media_attachments": [
            {"id": str(n), "type": "image", "url": url} for n, url in enumerate(media)
        ],
        "mentions": [{"id": "1", "username": "ExampleshirePolice", "acct": OFFICIAL[1:]}],
    }
    path = tmp_path / "statuses.json"
    path.write_text(json.dumps([status]), encoding="utf-8")
    staffed.clock.advance(minutes=5)
    staffed.desk.importer.import_file(staffed.admin_token, ImportSource(path, account=OFFICIAL))


def anchors(document: QTextDocument) -> list[str]:
    """Every link in the document (the href of each anchor fragment)."""
    found = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isAnchor() and fmt.anchorHref():
                found.append(fmt.anchorHref())
            it += 1
        block = block.next()
    return found


def click_text(qtbot: QtBot, view: QTextBrowser, text: str) -> None:
    """Click in the middle of ``text`` where the view shows it, as a person would."""
    now = view.document().toPlainText()
    assert text in now, f"the pane no longer shows the case: it loaded {view.source()}"
    at = now.index(text) + len(text) // 2
    cursor = QTextCursor(view.document())
    cursor.setPosition(at)
    view.ensureCursorVisible()
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    rect = view.cursorRect(cursor)
    point = QPoint(rect.center().x(), rect.center().y())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.wait(20)


def open_case(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> MainWindow:
    """The operator's window with the imported case shown in full."""
    window, _token = make_window(staffed.operator)
    window.resize(1366, 768)
    wait_ready(qtbot, window)
    qtbot.waitUntil(lambda: window.ui.casePane.detail is not None, timeout=10_000)
    return window


@pytest.mark.parametrize("bad_link", BAD, ids=["file", "relative", "smb", "javascript"])
def test_only_web_addresses_from_an_item_become_links(
    qtbot: QtBot,
    make_window: MakeWindow,
    staffed: Staffed,
    tmp_path: Path,
    opened: Opened,
    bad_link: str,
) -> None:
    import_status(staffed, tmp_path, bad_link, [*BAD, GOOD])
    window = open_case(qtbot, make_window, staffed)
    view = window.ui.casePane.ui.itemTextView
    shown = view.document().toPlainText()
    # the attack: click each reference where the pane shows it, and the item's link
    click_text(qtbot, view, bad_link if f"link: {bad_link}" in shown else "open on Mastodon")
    for bad in reversed(BAD):  # file: last: it would replace the case with the file
        click_text(qtbot, view, bad)
        view.anchorClicked.emit(QUrl(bad))  # even a forged activation is checked again
    qtbot.wait(50)
    assert opened.urls == []  # the desktop was never asked to open any of them
    assert view.source().isEmpty()  # and the view never loaded anything itself
    assert "root:" not in view.document().toPlainText()
    assert view.document().toPlainText() == shown

    # every reference is kept and shown, as text, and only the web address is a link
    for bad in BAD:
        assert f"media: {bad}" in shown
    assert f"link: {bad_link}" in shown
    assert TEXT in shown
    assert anchors(view.document()) == [GOOD]


def test_a_web_address_opens_outside_desk_and_the_pane_stays(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, tmp_path: Path, opened: Opened
) -> None:
    import_status(staffed, tmp_path, "https://mastodon.example/@ellie/1", ["../../x", GOOD])
    window = open_case(qtbot, make_window, staffed)
    view = window.ui.casePane.ui.itemTextView
    shown = view.document().toPlainText()
    assert anchors(view.document()) == ["https://mastodon.example/@ellie/1", GOOD]

    click_text(qtbot, view, GOOD)
    qtbot.waitUntil(lambda: opened.urls == ["https://ok.example/x"])
    click_text(qtbot, view, "open on Mastodon")
    qtbot.waitUntil(lambda: len(opened.urls) == 2)
    assert opened.urls[1] == "https://mastodon.example/@ellie/1"
    assert view.source().isEmpty()
    assert view.document().toPlainText() == shown  # the pane still shows the case
