"""Write HTML to an A4 PDF with Qt's own PDF writer: no browser and no window needed.

Desk paginates the document itself (rather than leaving it to ``QTextDocument.print_``) so that
a heading is never left alone at the foot of a page, and it numbers the pages. Characters the
font cannot draw (emoji, on most desks) are spelled out by name instead of printing as boxes.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QTextBlock,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

from desk.core.errors import InvalidInput
from desk.core.glyphs import spell_missing

MARGIN_MM = 15
RESOLUTION = 300
MAX_MOVES = 60  # headings moved to the next page, at most (then the rest stay as laid out)
_HEADING = re.compile(r"<(h[1-6])(?=[\s>])", re.IGNORECASE)
_APP: list[QCoreApplication] = []  # the application made here, kept alive for the process


def ensure_gui_application() -> None:
    """Make a Qt application when none exists (off-screen when there is no display)."""
    existing = QCoreApplication.instance()
    if existing is not None:
        if not isinstance(existing, QGuiApplication):
            raise RuntimeError("PDF rendering needs a QGuiApplication, not a QCoreApplication")
        return
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if headless and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # a QApplication (not just a QGuiApplication), so that windows made later in the same
    # process (the app, or tests running desk-admin in-process) still work
    _APP.append(QApplication(["desk-render"]))


def font_shows(font: QFont) -> Callable[[str], bool]:
    """Return a check telling whether ``font`` itself draws a character (no fallback font)."""
    ensure_gui_application()
    metrics = QFontMetrics(font)
    return lambda ch: metrics.inFontUcs4(ord(ch))


def html_document(title: str, html: str, device: QPaintDevice | None = None) -> QTextDocument:
    """Return a text document holding ``html`` (characters its font lacks spelled out)."""
    ensure_gui_application()
    doc = QTextDocument()
    if device is not None:
        doc.documentLayout().setPaintDevice(device)  # measure at the device's resolution
    doc.setHtml(spell_missing(html, font_shows(doc.defaultFont())))
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    return doc


def _is_heading(block: QTextBlock) -> bool:
    return block.isValid() and block.blockFormat().headingLevel() > 0


def _kept_with(block: QTextBlock) -> QTextBlock:
    """The last block a heading must share its page with: its summary and first line."""
    follow = block.next()
    after = follow.next()
    if follow.isValid() and after.isValid() and not _is_heading(after):
        return after
    return follow


def _break_before(html: str, index: int) -> str:
    """Start the ``index``-th heading of ``html`` (counting from 0) on a new page."""
    seen = -1

    def mark(found: re.Match[str]) -> str:
        nonlocal seen
        seen += 1
        if seen != index:
            return found.group(0)
        return f"<{found.group(1)} style='page-break-before: always'"

    return _HEADING.sub(mark, html)


def _stranded(doc: QTextDocument) -> int:
    """The first heading (counting from 0) that ends a page, or -1 when none does."""
    for index, (first, last) in enumerate(heading_pages(doc)):
        if first != last:
            return index
    return -1


def heading_pages(doc: QTextDocument) -> list[tuple[int, int]]:
    """For each heading, the page it starts on and the page its summary and first line end on."""
    height = doc.pageSize().height()
    layout = doc.documentLayout()
    found = []
    block = doc.begin()
    while block.isValid():
        last = _kept_with(block)
        if _is_heading(block) and last.isValid():
            top = layout.blockBoundingRect(block).top()
            bottom = layout.blockBoundingRect(last).bottom()
            found.append((int(top // height), int((bottom - 1) // height)))
        block = block.next()
    return found


def _writer(target: Path, title: str) -> QPdfWriter:
    writer = QPdfWriter(str(target))
    writer.setTitle(title)
    writer.setCreator("Desk")
    writer.setResolution(RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter
    )
    return writer


def paged_document(
    title: str, html: str, device: QPaintDevice, header: bool = False
) -> tuple[QTextDocument, float]:
    """Lay ``html`` out in pages of ``device`` (a footer, and a header if asked, kept free).

    Returns the document and the footer's height. A heading that would be left at a page's
    foot starts the next page instead; the document is laid out afresh after each such move
    (Qt's relayout after an edit is partial, and would misplace what follows).
    """
    for _attempt in range(MAX_MOVES + 1):
        doc = html_document(title, html, device)
        footer = QFontMetricsF(doc.defaultFont(), device).height() * 2
        free = footer * 2 if header else footer
        doc.setPageSize(QRectF(0, 0, device.width(), device.height() - free).size())
        stranded = _stranded(doc)
        if stranded < 0:
            break
        html = _break_before(html, stranded)
    return doc, footer


def write_pdf(path: Path | str, title: str, html: str, marking: str = "") -> Path:
    """Write ``html`` as an A4 PDF with margins and page numbers; return the file's path.

    ``marking``: a protective marking (OFFICIAL-SENSITIVE...) printed at the head and foot of
    every page.
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise InvalidInput(f"Cannot write {target}: the folder {target.parent} does not exist.")
    ensure_gui_application()
    writer = _writer(target, title)
    doc, footer = paged_document(title, html, writer, header=bool(marking))
    band = footer if marking else 0.0
    page = doc.pageSize()
    pages = doc.pageCount()
    painter = QPainter(writer)
    try:
        painter.setFont(doc.defaultFont())
        for number in range(pages):
            if number:
                writer.newPage()
            if marking:
                centre = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
                painter.drawText(QRectF(0, 0, page.width(), band), centre, marking)
                bottom = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
                painter.drawText(
                    QRectF(0, band + page.height(), page.width(), footer), bottom, marking
                )
            painter.save()
            painter.translate(0, band - number * page.height())
            top = number * page.height()
            doc.drawContents(painter, QRectF(0, top, page.width(), page.height()))
            painter.restore()
            painter.drawText(
                QRectF(0, band + page.height(), page.width(), footer),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                f"{number + 1} / {pages}",
            )
    finally:
        painter.end()
    del writer  # the file is finished when the writer goes
    if not target.is_file() or target.stat().st_size == 0:
        raise InvalidInput(f"Desk could not write the PDF {target}.")
    return target
