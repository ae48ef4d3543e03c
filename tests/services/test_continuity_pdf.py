"""The continuity pack on paper: the PDF's pages, read back as text (#16).

The window and printing show the document's own marking as its first and last line; the PDF
writer marks the head and foot of every page instead, so page 1 says the marking once at its
head. The public list's Link column appears only when some account has its address recorded.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from desk.core.items import Platform
from desk.core.roles import Role
from desk.render.pdf import write_pdf
from desk.services.official_accounts import RegisterDetails
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services.helpers import item

MARKING = "OFFICIAL-SENSITIVE"


def _pages(path: Path) -> list[list[str]]:
    doc = QPdfDocument(None)
    doc.load(str(path))
    pages = [doc.getAllText(n).text() for n in range(doc.pageCount())]
    doc.close()
    return [[line.strip() for line in text.splitlines() if line.strip()] for text in pages]


def _supervisor(staffed: Staffed) -> str:
    enrol = staffed.desk.accounts.add_user(
        staffed.admin_token, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD
    )
    return staffed.sign_in(Person("sgreen", USER_PASSWORD, enrol.seed, Role.SUPERVISOR))


def _worked(staffed: Staffed) -> str:
    d, token = staffed.desk, staffed.admin_token
    d.settings.set(token, "force_name", "Exampleshire Police")
    d.official_accounts.add(token, Platform.X, "@ExampleshirePolice")
    d.importer.store(token, [item("x1", "lost dog near the park", author="a1")], "test")
    return _supervisor(staffed)


def test_each_page_of_the_pack_pdf_is_marked_once_at_its_head_and_foot(
    staffed: Staffed, qtbot: QtBot, tmp_path: Path
) -> None:
    doc = staffed.desk.continuity.pack(_worked(staffed))
    assert doc.html.count(MARKING) == 2  # the window and printing: its first and last line
    out = write_pdf(tmp_path / "pack.pdf", doc.title, doc.pdf_html, doc.marking)
    pages = _pages(out)
    assert len(pages) > 1
    for lines in pages:
        # the writer draws the head and the foot before the text
        assert lines[:2] == [MARKING, MARKING], lines[:3]
        assert sum(line.count(MARKING) for line in lines) == 2, lines  # and nowhere else
    assert next(line for line in pages[0] if line != MARKING).startswith("Continuity pack")


def test_each_page_of_the_open_cases_pdf_is_marked_once_at_its_head_and_foot(
    staffed: Staffed, qtbot: QtBot, tmp_path: Path
) -> None:
    export = staffed.desk.continuity.open_cases(_worked(staffed), "pdf")
    out = write_pdf(tmp_path / "open.pdf", export.title, export.text, export.marking)
    (page,) = _pages(out)
    assert page[:2] == [MARKING, MARKING]
    assert sum(line.count(MARKING) for line in page) == 2
    assert next(line for line in page if line != MARKING).startswith("Open cases")


def test_the_public_list_shows_links_only_when_some_are_recorded(staffed: Staffed) -> None:
    d, token = staffed.desk, staffed.admin_token
    d.official_accounts.add(token, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    without = d.continuity.pack(token).html
    section = without[without.index("Official accounts (the public list)") :]
    assert "<th>Area</th>" in section and "Force-wide" in section
    assert "<th>Link</th>" not in section  # no column left empty on every row
    d.official_accounts.add(
        token,
        Platform.FACEBOOK,
        "Exampleshire Police North",
        details=RegisterDetails(link="https://www.facebook.com/ExampleshireNorth", area="North"),
    )
    withlinks = d.continuity.pack(token).html
    section = withlinks[withlinks.index("Official accounts (the public list)") :]
    assert "<th>Link</th>" in section
    assert "https://www.facebook.com/ExampleshireNorth" in section
    assert "<td>North</td>" in section
