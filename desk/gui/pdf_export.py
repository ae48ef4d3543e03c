"""Write a document as a PDF with Qt's own PDF writer (no browser, no network).

Where the file goes is asked with :func:`choose_save_path`: the save dialog opens in the
person's documents folder, then in the folder they last saved to.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from desk.render import pdf

_last_folder: list[Path] = []  # the folder saved to last, for this run of Desk


def _tr(text: str) -> str:
    return QCoreApplication.translate("PdfExport", text)


def text_as_html(title: str, text: str) -> str:
    """Return plain text as simple HTML: the title as a heading, the text as it is laid out."""
    return (
        f"<h2>{html.escape(title)}</h2>"
        f"<pre style='font-family: monospace; white-space: pre-wrap'>{html.escape(text)}</pre>"
    )


def write_pdf(path: str | Path, title: str, html_or_text: str, marking: str = "") -> Path:
    """Write ``html_or_text`` (HTML if it starts with '<', else plain text) as an A4 PDF.

    Returns the path written; the one PDF writer is :func:`desk.render.pdf.write_pdf`.
    ``marking`` (the protective marking) is printed at the head and foot of every page.
    """
    body = (
        html_or_text if html_or_text.lstrip().startswith("<") else text_as_html(title, html_or_text)
    )
    return pdf.write_pdf(path, title, body, marking)


def save_folder() -> Path:
    """Where a save dialog opens: the folder saved to last, else the person's documents."""
    if _last_folder and _last_folder[-1].is_dir():
        return _last_folder[-1]
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def remember_folder(path: str | Path) -> None:
    """Remember the folder of a file just saved: the next save dialog opens there."""
    _last_folder[:] = [Path(path).parent]


def choose_save_path(
    parent: QWidget, title: str, name: str, kinds: str = "", suffix: str = ".pdf"
) -> str | None:
    """Ask where to save ``name`` (documents folder, or the last one used); None if cancelled."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, title, str(save_folder() / name), kinds or _tr("PDF (*.pdf)")
    )
    if not path:
        return None
    if suffix and not path.lower().endswith(suffix):
        path += suffix
    remember_folder(path)
    return path
