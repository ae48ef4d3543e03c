"""Showing what others wrote (item text, authors' names and handles) as plain text, always.

Qt reads a label's or a tooltip's text as HTML when it merely looks like HTML
(``Qt.mightBeRichText``): an imported ``<img src=...>`` or ``<span style=...>`` would be drawn,
not shown. Labels that carry such text are set to plain text; a tooltip (which has no format
of its own) is escaped when Qt would take it for HTML, and left as it is otherwise. Characters
that disguise text are shown as tokens in tooltips (issue 17).
"""

from __future__ import annotations

import html

from PySide6.QtGui import Qt  # QtGui adds mightBeRichText to the Qt namespace
from PySide6.QtWidgets import QLabel

from desk.core.disguised_text import neutralise


def plain_tip(text: str | None) -> str | None:
    """Return ``text`` so that a tooltip shows its characters, never as HTML.

    Text Qt would not read as HTML is returned as it is; other text is escaped and kept
    line by line (``Qt.convertFromPlainText`` would fold runs of spaces). Either way a
    character that disguises text (a right-to-left override, a zero-width space) is shown as
    its token (``⟦RLO⟧``: :func:`~desk.core.disguised_text.neutralise`), never obeyed.
    """
    if not text:
        return text
    text = neutralise(text)
    if not Qt.mightBeRichText(text):
        return text
    lines = html.escape(text, quote=False).splitlines()
    return "<p style='white-space:pre-wrap'>" + "<br>".join(lines) + "</p>"


def plain_labels(*labels: QLabel) -> None:
    """Make ``labels`` show their text as plain text (what was typed, never HTML)."""
    for label in labels:
        label.setTextFormat(Qt.TextFormat.PlainText)
