"""Write a document as a PDF with Qt's own PDF writer (no browser, no network)."""

from __future__ import annotations

import html
from pathlib import Path

from desk.render import pdf


def text_as_html(title: str, text: str) -> str:
    """Return plain text as simple HTML: the title as a heading, the text as it is laid out."""
    return (
        f"<h2>{html.escape(title)}</h2>"
        f"<pre style='font-family: monospace; white-space: pre-wrap'>{html.escape(text)}</pre>"
    )


def write_pdf(path: str | Path, title: str, html_or_text: str) -> Path:
    """Write ``html_or_text`` (HTML if it starts with '<', else plain text) as an A4 PDF.

    Returns the path written; the one PDF writer is :func:`desk.render.pdf.write_pdf`.
    """
    body = (
        html_or_text if html_or_text.lstrip().startswith("<") else text_as_html(title, html_or_text)
    )
    return pdf.write_pdf(path, title, body)
