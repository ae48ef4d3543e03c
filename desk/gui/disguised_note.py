"""Saying in words where a case's text disguises itself (issue 17): pane, queue and tips.

The characters are found by :mod:`desk.core.disguised_text` and drawn as tokens (``⟦RLO⟧``) by
:mod:`desk.gui.item_text`; this module names them: a line under the case's header ("Disguised
text: item 1 has a right-to-left override ⟦RLO⟧ at character 8 …; on the platform it reads …"),
the queue's flag and each token's tooltip.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desk.core.disguised_text import (
    Disguise,
    Kind,
    as_displayed,
    find,
    hidden_ascii,
    marker,
    neutralise,
)
from desk.gui.messages import set_message

_CONTEXT = "DisguisedText"
DISGUISED_MARK = "⟦!⟧"  # the queue row's flag: the text holds characters that disguise it
DISGUISED_COLOURS = ("#f3d9ef", "#5c0f52")

NAMES: dict[str, Any] = {  # Any: QT_TRANSLATE_NOOP is typed as object
    "LRE": QT_TRANSLATE_NOOP("DisguisedText", "left-to-right embedding"),
    "RLE": QT_TRANSLATE_NOOP("DisguisedText", "right-to-left embedding"),
    "PDF": QT_TRANSLATE_NOOP("DisguisedText", "end of embedding or override"),
    "LRO": QT_TRANSLATE_NOOP("DisguisedText", "left-to-right override"),
    "RLO": QT_TRANSLATE_NOOP("DisguisedText", "right-to-left override"),
    "LRI": QT_TRANSLATE_NOOP("DisguisedText", "left-to-right isolate"),
    "RLI": QT_TRANSLATE_NOOP("DisguisedText", "right-to-left isolate"),
    "FSI": QT_TRANSLATE_NOOP("DisguisedText", "first strong isolate"),
    "PDI": QT_TRANSLATE_NOOP("DisguisedText", "end of isolate"),
    "LRM": QT_TRANSLATE_NOOP("DisguisedText", "left-to-right mark"),
    "RLM": QT_TRANSLATE_NOOP("DisguisedText", "right-to-left mark"),
    "ALM": QT_TRANSLATE_NOOP("DisguisedText", "Arabic letter mark"),
    "ZWSP": QT_TRANSLATE_NOOP("DisguisedText", "zero-width space"),
    "WJ": QT_TRANSLATE_NOOP("DisguisedText", "word joiner"),
    "BOM": QT_TRANSLATE_NOOP("DisguisedText", "zero-width no-break space"),
    "MVS": QT_TRANSLATE_NOOP("DisguisedText", "Mongolian vowel separator"),
    "SHY": QT_TRANSLATE_NOOP("DisguisedText", "soft hyphen"),
    "FA": QT_TRANSLATE_NOOP("DisguisedText", "invisible function sign"),
    "IT": QT_TRANSLATE_NOOP("DisguisedText", "invisible times sign"),
    "IS": QT_TRANSLATE_NOOP("DisguisedText", "invisible separator"),
    "IP": QT_TRANSLATE_NOOP("DisguisedText", "invisible plus sign"),
    "ZWNJ": QT_TRANSLATE_NOOP("DisguisedText", "zero-width non-joiner"),
    "ZWJ": QT_TRANSLATE_NOOP("DisguisedText", "zero-width joiner"),
    "TAG": QT_TRANSLATE_NOOP("DisguisedText", "invisible tag character"),
}
EFFECTS: dict[Kind, Any] = {
    Kind.BIDI: QT_TRANSLATE_NOOP(
        "DisguisedText", "invisible on the platform; it changes the order text is drawn in"
    ),
    Kind.INVISIBLE: QT_TRANSLATE_NOOP(
        "DisguisedText", "invisible on the platform; it can split a word so filters miss it"
    ),
    Kind.TAG: QT_TRANSLATE_NOOP(
        "DisguisedText", "invisible on the platform; it carries a hidden letter"
    ),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def code_name(code: str) -> str:
    """Return a disguising character's name in words ('right-to-left override')."""
    return _tr(NAMES[code]) if code in NAMES else code


def disguise_tip(found: Disguise) -> str:
    """Say what one token stands for (its tooltip in the item text)."""
    return _tr("{token} is a {name} ({codepoint}), stored as received: {effect}.").format(
        token=marker(found.code),
        name=code_name(found.code),
        codepoint=found.codepoint,
        effect=_tr(EFFECTS[found.kind]),
    )


def _positions(found: Sequence[Disguise]) -> str:
    numbers = [str(d.index + 1) for d in found]
    if len(numbers) > 6:
        numbers = [*numbers[:6], "…"]
    if len(found) == 1:
        return _tr("at character {n}").format(n=numbers[0])
    return _tr("at characters {list}").format(list=", ".join(numbers))


def describe_text(text: str) -> list[str]:
    """Say which disguising characters ``text`` holds and where ([] when none)."""
    found = find(text)
    if not found:
        return []
    by_code: dict[str, list[Disguise]] = {}
    for d in found:
        by_code.setdefault(d.code, []).append(d)
    parts = [
        _tr("{name} {token} {where}").format(
            name=code_name(code), token=marker(code), where=_positions(ds)
        )
        for code, ds in by_code.items()
    ]
    lines = ["; ".join(parts)]
    drawn = as_displayed(text)
    if drawn is not None:
        lines.append(_tr("On the platform it reads: “{text}”").format(text=neutralise(drawn)))
    hidden = hidden_ascii(text)
    if hidden:
        lines.append(_tr("Hidden tag characters spell: “{text}”").format(text=hidden))
    return lines


def disguised_text(items: Iterable[Any]) -> str:
    """Say where the items' text or authors' names disguise themselves, or '' when nowhere."""
    lines: list[str] = []
    for number, item in enumerate(items, start=1):
        for what, text in (
            (_tr("item {n}").format(n=number), item.text or ""),
            (_tr("author's name in item {n}").format(n=number), item.author_name or ""),
            (_tr("author's handle in item {n}").format(n=number), item.author_handle or ""),
        ):
            said = describe_text(text)
            if said:
                lines.append(f"• {what}: " + "\n   ".join(said))
    if not lines:
        return ""
    head = _tr(
        "{mark} Disguised text: characters that draw nothing or reorder text. Desk shows each "
        "as a token such as ⟦RLO⟧; the text is stored exactly as received."
    ).format(mark=DISGUISED_MARK)
    return "\n".join([head, *lines])


def disguised_label(parent: QWidget, layout: QVBoxLayout, after: QWidget) -> QLabel:
    """Add the (hidden) disguised-text line to ``layout`` right after ``after``."""
    label = QLabel(parent)
    label.setObjectName("disguisedLabel")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(_tr("Disguised text"))
    label.hide()
    layout.insertWidget(layout.indexOf(after) + 1, label)
    return label


def show_disguised(label: QLabel, items: Iterable[Any] | None) -> None:
    """Show where the case's text disguises itself, or hide the line."""
    set_message(label, disguised_text(items) if items is not None else "", "error")
