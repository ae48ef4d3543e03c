"""The PDF writer: headings kept with what follows, pages numbered, emoji spelled out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QSizeF
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from desk.core.handover import HandoverNoteEntry, HandoverReport, render_html
from desk.render import pdf

START = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
SECTIONS = "<h1>Title</h1>" + "".join(
    f"<h2>Section {n}</h2><p>summary {n}</p><ul><li>first line</li><li>second line</li></ul>"
    for n in range(60)
)


def _report(note: str) -> HandoverReport:
    end = START + timedelta(hours=8)
    return HandoverReport(
        START, end, end, "Digital desk", [], 0, [], 0, [], [], {}, [], [], {}, [],
        [HandoverNoteEntry(START, "jsmith", note)],
    )  # fmt: skip


def _pdf_text(path: Path) -> str:
    doc = QPdfDocument(None)
    doc.load(str(path))
    # the extracted text breaks lines inside words: join it up again
    text = "".join(doc.getAllText(n).text() for n in range(doc.pageCount()))
    doc.close()
    return text.replace("\r\n", "").replace("\n", "")


def test_a_heading_is_never_left_alone_at_the_foot_of_a_page(qtbot: QtBot, tmp_path: Path) -> None:
    writer = pdf._writer(tmp_path / "probe.pdf", "probe")
    plain = pdf.html_document("probe", SECTIONS, writer)
    plain.setPageSize(QSizeF(writer.width(), writer.height() - 100))
    # laid out as it comes, some heading ends a page with its section on the next
    assert any(first != last for first, last in pdf.heading_pages(plain))
    kept, _footer = pdf.paged_document("probe", SECTIONS, writer)
    pages = pdf.heading_pages(kept)
    assert len(pages) == 61 and all(first == last for first, last in pages)
    del writer


def test_the_pdf_numbers_its_pages(qtbot: QtBot, tmp_path: Path) -> None:
    out = pdf.write_pdf(tmp_path / "long.pdf", "Long", SECTIONS)
    doc = QPdfDocument(None)
    doc.load(str(out))
    pages = doc.pageCount()
    assert pages > 2
    assert doc.getAllText(pages - 1).text().rstrip().endswith(f"{pages} / {pages}")
    doc.close()


def test_a_handover_with_an_emoji_renders_without_the_replacement_box(
    qtbot: QtBot, tmp_path: Path
) -> None:
    report = _report("Bridge closed 🚧 again 👍🏽 — watch the thread")
    out = pdf.write_pdf(tmp_path / "handover.pdf", "Handover", render_html(report))
    text = _pdf_text(out)
    assert "Bridge closed [construction sign] again [thumbs up sign]" in text
    assert "🚧" not in text and "\ufffd" not in text
    # what the document draws is all in its font: no box anywhere
    doc = pdf.html_document("Handover", render_html(report))
    shows = pdf.font_shows(doc.defaultFont())
    assert all(shows(ch) for ch in doc.toPlainText() if not ch.isspace())
