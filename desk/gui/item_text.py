"""The case's item text in the pane: matched words highlighted, and a selection mapped back.

Matched words are highlighted with a background, bold and underline (never colour alone). The
pane shows headings, links and media lines around each item's text, and Qt lays the text out
its own way (a CR LF pair is one block break, an emoji two positions): :class:`ItemText`
remembers where each item's characters went, so that a selection made for redaction is mapped
back to the item's stored text exactly, or refused. Characters that disguise text (a right-to-left
override, a zero-width space: :mod:`desk.core.disguised_text`) are drawn as tokens (``⟦RLO⟧``),
so they can neither reorder nor hide anything; a token selects as the one character it stands for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QTextBrowser

from desk.core.disguised_text import Disguise, marker, neutralise
from desk.core.disguised_text import find as find_disguises
from desk.core.links import is_web_link
from desk.gui.disguised_note import disguise_tip
from desk.gui.formatting import local_time
from desk.gui.labels import kind_label, platform_label, risk_label
from desk.services.case_views import ItemView

HIGHLIGHT_PROPERTY = QTextFormat.Property.UserProperty + 1  # True on highlighted characters
HIGHLIGHT_BACKGROUND = "#ffd54a"
HIGHLIGHT_TEXT = "#1a1a1a"
MARKER_COLOUR = "#8a1c7c"  # a disguising character's token (⟦RLO⟧): a colour no other text uses


@dataclass(frozen=True)
class ItemRange:
    """Where one item's text sits in the pane's document.

    ``offsets[d]`` is the index into the item's stored ``text`` of document position
    ``start + d`` (None inside a character the document holds as two UTF-16 units). The
    document is not the text: Qt keeps a CR LF pair as one block break, and an emoji as two
    positions. An item without text (media only) has no offsets: nothing in it can be chosen.
    """

    item_id: int
    start: int
    end: int
    text: str = ""
    offsets: tuple[int | None, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class ItemSelection:
    """A selection inside one item's stored text: ``text[start:end]`` of item ``item_id``."""

    item_id: int
    start: int
    end: int
    item_text: str

    @property
    def text(self) -> str:
        """The selected characters of the item's text."""
        return self.item_text[self.start : self.end]


_BREAKS = str.maketrans("", "", "\r\n\u2029\ufdd0\ufdd1")


def document_offsets(piece: str, at: int) -> list[int | None]:
    """Return the item-text index after each document position one ``insertText(piece)`` makes.

    ``at`` is the piece's index in the item's text. Qt turns CR LF into one block break and
    keeps every other character as one position per UTF-16 unit.
    """
    after: list[int | None] = []
    i = 0
    while i < len(piece):
        if piece[i] == "\r" and piece[i + 1 : i + 2] == "\n":
            i += 2
        elif ord(piece[i]) > 0xFFFF:
            after.append(None)  # between the two halves of a surrogate pair
            i += 1
        else:
            i += 1
        after.append(at + i)
    return after


def merged_spans(item: ItemView) -> list[tuple[int, int, str]]:
    """Return the item's matched spans in order, overlaps merged, each with what matched it."""
    spans = sorted(
        (a, b, f"{risk_label(m.category)} · rule {m.rule_id}")
        for m in item.matches
        for a, b in m.spans
        if 0 <= a < b <= len(item.text)
    )
    merged: list[tuple[int, int, str]] = []
    for a, b, why in spans:
        if merged and a <= merged[-1][1]:
            start, end, before = merged[-1]
            reasons = before if why in before else f"{before}; {why}"
            merged[-1] = (start, max(end, b), reasons)
        else:
            merged.append((a, b, why))
    return merged


class ItemText(QObject):
    """Writes a case's items into the pane's text view and maps selections back.

    Only web addresses (:func:`~desk.core.links.is_web_link`) become links, and the view
    never follows one itself: a click is checked again and handed on as ``link_activated``
    (the window opens it in the browser). Other addresses are shown as text.
    """

    link_activated = Signal(str)  # a web address from an item was clicked: open it outside

    def __init__(self, view: QTextBrowser) -> None:
        super().__init__(view)
        self.view = view
        self.item_ranges: list[ItemRange] = []
        view.setOpenLinks(False)  # never load a link into the view (file:, relative paths)
        view.setOpenExternalLinks(False)  # nor hand one to the desktop unchecked
        view.anchorClicked.connect(self._anchor_clicked)

    def _anchor_clicked(self, url: QUrl) -> None:
        address = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        web = not url.isRelative() and url.scheme().lower() in ("https", "http")
        if web and is_web_link(address):  # checked again: the document is not the only way in
            self.link_activated.emit(address)

    def show(self, items: Iterable[ItemView]) -> None:
        """Write the items, matched words highlighted, and remember where each one's text is."""
        view = self.view
        document = view.document()
        document.clear()
        cursor = QTextCursor(document)
        plain = QTextCharFormat()
        plain.setForeground(QBrush(QColor(HIGHLIGHT_TEXT)))
        heading = QTextCharFormat()
        heading.setForeground(QBrush(QColor("#4a4f55")))
        heading.setFontPointSize(9.5)
        link = QTextCharFormat(heading)
        link.setAnchor(True)
        link.setForeground(QBrush(QColor("#1a5fb4")))
        link.setFontUnderline(True)
        self.item_ranges = []
        for number, item in enumerate(items):
            if number:
                cursor.insertBlock()
                cursor.insertBlock()
            author = neutralise(item.author_handle)
            if item.author_name and item.author_name != item.author_handle:
                author = f"{neutralise(item.author_name)} ({author})"
            line = " · ".join(
                [
                    local_time(item.received_at),
                    kind_label(item.kind),
                    author,
                    *([self.tr("CY Cymraeg")] if item.language == "cy" else []),
                    *([self.tr("REDACTED")] if item.redacted else []),
                ]
            )
            cursor.insertText(line, heading)
            if item.link and is_web_link(item.link):
                cursor.insertText(" · ", heading)
                link.setAnchorHref(item.link)
                cursor.insertText(
                    self.tr("open on {platform}").format(platform=platform_label(item.platform)),
                    link,
                )
            elif item.link:  # not a web address: shown, never made a link
                cursor.insertText(" · ", heading)
                cursor.insertText(self.tr("link: {link}").format(link=item.link), heading)
            cursor.insertBlock()
            start = cursor.position()
            offsets = self._item_text(cursor, item, plain)
            end = cursor.position()
            for medium in item.media:
                cursor.insertBlock()
                if is_web_link(medium):
                    link.setAnchorHref(medium)
                    cursor.insertText(self.tr("media: {link}").format(link=medium), link)
                else:  # a file name, a path or another scheme: kept as text, never a link
                    cursor.insertText(self.tr("media: {link}").format(link=medium), heading)
            self.item_ranges.append(ItemRange(item.id, start, end, item.text, offsets))
        view.moveCursor(QTextCursor.MoveOperation.Start)

    def _item_text(
        self, cursor: QTextCursor, item: ItemView, plain: QTextCharFormat
    ) -> tuple[int | None, ...]:
        """Insert an item's text, matched words highlighted; return its document offsets."""
        if not item.text:
            cursor.insertText(self.tr("(no text: media only)"), plain)
            return ()
        start = cursor.position()
        text = item.text
        offsets: list[int | None] = [0]
        pieces: list[tuple[int, int, QTextCharFormat]] = []
        at = 0
        for a, b, why in merged_spans(item):
            if a > at:
                pieces.append((at, a, plain))
            pieces.append((a, b, self._highlight(why)))
            at = b
        pieces.append((at, len(text), plain))
        hidden = {d.index: d for d in find_disguises(text)}
        for a, b, char_format in pieces:
            at = a
            for i in sorted(k for k in hidden if a <= k < b):
                if at < i:
                    cursor.insertText(text[at:i], char_format)
                    offsets += document_offsets(text[at:i], at)
                token = marker(hidden[i].code)  # shown, never obeyed: it cannot reorder or hide
                cursor.insertText(token, self._token_format(char_format, hidden[i]))
                offsets += [None] * (len(token) - 1) + [i + 1]
                at = i + 1
            if at < b:
                cursor.insertText(text[at:b], char_format)
                offsets += document_offsets(text[at:b], at)
        if cursor.position() - start != len(offsets) - 1:  # Qt changed something unforeseen
            return ()  # then nothing in this item can be chosen for redaction
        return tuple(offsets)

    def _token_format(self, around: QTextCharFormat, found: Disguise) -> QTextCharFormat:
        """The look of a disguising character's token: the text's format, in a warning colour."""
        token = QTextCharFormat(around)
        token.setForeground(QBrush(QColor(MARKER_COLOUR)))
        token.setFontWeight(QFont.Weight.Bold)
        token.setToolTip(disguise_tip(found))
        return token

    @staticmethod
    def _highlight(why: str) -> QTextCharFormat:
        # background AND bold AND underline: never colour alone
        marked = QTextCharFormat()
        marked.setBackground(QBrush(QColor(HIGHLIGHT_BACKGROUND)))
        marked.setForeground(QBrush(QColor(HIGHLIGHT_TEXT)))
        marked.setFontWeight(QFont.Weight.Bold)
        marked.setFontUnderline(True)
        marked.setToolTip(why)
        marked.setProperty(HIGHLIGHT_PROPERTY, True)
        return marked

    def highlighted(self) -> list[tuple[int, int]]:
        """Return the document ranges shown as matched words (start, end), merged, in order."""
        ranges: list[tuple[int, int]] = []
        block = self.view.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.charFormat().boolProperty(HIGHLIGHT_PROPERTY):
                    start, end = fragment.position(), fragment.position() + fragment.length()
                    if ranges and ranges[-1][1] == start:
                        ranges[-1] = (ranges[-1][0], end)
                    else:
                        ranges.append((start, end))
                it += 1
            block = block.next()
        return ranges

    def selection(self, loaded: bool) -> ItemSelection | str:
        """Return the selection as characters of one item's stored text, or why it is not.

        The pane shows headings, links and media lines around each item's text, and the text
        itself is laid out by Qt; the selection is mapped back to the item's own characters.
        """
        cursor = self.view.textCursor()
        if not cursor.hasSelection():
            return self.tr("Select the personal data in the item text first.")
        if not loaded or not self.item_ranges:
            return self.tr("The case is still loading. Try again in a moment.")
        a, b = cursor.selectionStart(), cursor.selectionEnd()
        touched = [r for r in self.item_ranges if a < r.end and b > r.start]
        if len(touched) > 1:
            return self.tr(
                "The selection runs over more than one item. Select the personal data within "
                "one item's text."
            )
        outside = self.tr(
            "Select the personal data within an item's text, not its heading, link or media lines."
        )
        if not touched:
            return outside
        shown = touched[0]
        if a < shown.start or b > shown.end or not shown.offsets:
            return outside
        start, end = shown.offsets[a - shown.start], shown.offsets[b - shown.start]
        if start is None or end is None or not start < end:
            return outside
        picked = ItemSelection(shown.item_id, start, end, shown.text)
        shown_text = neutralise(shown.text, start, end)  # tokens as drawn, not the stored controls
        if cursor.selectedText().translate(_BREAKS) != shown_text.translate(_BREAKS):
            return outside  # the document is not what this pane drew: never guess
        if not picked.text.strip():
            return self.tr("The selection is only spaces. Select the personal data itself.")
        return picked
