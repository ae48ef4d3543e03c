"""Write HTML to an A4 PDF with Qt's own PDF writer: no browser and no window needed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from desk.core.errors import InvalidInput

MARGIN_MM = 15
RESOLUTION = 300
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


def html_document(title: str, html: str) -> QTextDocument:
    """Return a text document holding ``html`` with ``title`` as its title."""
    ensure_gui_application()
    doc = QTextDocument()
    doc.setHtml(html)
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    return doc


def write_pdf(path: Path | str, title: str, html: str) -> Path:
    """Write ``html`` as an A4 PDF with margins and page numbers; return the file's path."""
    target = Path(path)
    if not target.parent.is_dir():
        raise InvalidInput(f"Cannot write {target}: the folder {target.parent} does not exist.")
    doc = html_document(title, html)
    writer = QPdfWriter(str(target))
    writer.setTitle(title)
    writer.setCreator("Desk")
    writer.setResolution(RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter
    )
    # no page size set on the document: Qt paginates a copy to the page and numbers the pages
    doc.setPageSize(QSizeF())
    doc.print_(writer)
    del writer  # the file is finished when the writer goes
    if not target.is_file() or target.stat().st_size == 0:
        raise InvalidInput(f"Desk could not write the PDF {target}.")
    return target
