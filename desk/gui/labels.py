"""Words for the domain's codes, as people read them (platforms, statuses, risks, outcomes)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desk.core.cases import OUTCOME_LABELS, CaseStatus, Outcome
from desk.core.items import ItemKind, Platform
from desk.core.risk import RiskCategory
from desk.core.thrive import DEFAULT_GRADES, FACTOR_LABELS

_CONTEXT = "Labels"

PLATFORMS: dict[str, Any] = {  # Any: QT_TRANSLATE_NOOP is typed as object
    Platform.FACEBOOK: QT_TRANSLATE_NOOP("Labels", "Facebook"),
    Platform.INSTAGRAM: QT_TRANSLATE_NOOP("Labels", "Instagram"),
    Platform.X: QT_TRANSLATE_NOOP("Labels", "X"),
    Platform.TIKTOK: QT_TRANSLATE_NOOP("Labels", "TikTok"),
    Platform.YOUTUBE: QT_TRANSLATE_NOOP("Labels", "YouTube"),
    Platform.NEXTDOOR: QT_TRANSLATE_NOOP("Labels", "Nextdoor"),
    Platform.LINKEDIN: QT_TRANSLATE_NOOP("Labels", "LinkedIn"),
    Platform.MASTODON: QT_TRANSLATE_NOOP("Labels", "Mastodon"),
    Platform.BLUESKY: QT_TRANSLATE_NOOP("Labels", "Bluesky"),
    Platform.WHATSAPP: QT_TRANSLATE_NOOP("Labels", "WhatsApp"),
    Platform.OTHER: QT_TRANSLATE_NOOP("Labels", "Other"),
}

STATUSES: dict[str, Any] = {
    CaseStatus.NEW: QT_TRANSLATE_NOOP("Labels", "New"),
    CaseStatus.TRIAGE: QT_TRANSLATE_NOOP("Labels", "In triage"),
    CaseStatus.ACTIONED: QT_TRANSLATE_NOOP("Labels", "Actioned"),
    CaseStatus.ESCALATED: QT_TRANSLATE_NOOP("Labels", "Escalated"),
    CaseStatus.CLOSED: QT_TRANSLATE_NOOP("Labels", "Closed"),
}

RISKS: dict[str, Any] = {
    RiskCategory.THREAT_TO_LIFE: QT_TRANSLATE_NOOP("Labels", "threat to life"),
    RiskCategory.SELF_HARM: QT_TRANSLATE_NOOP("Labels", "self-harm"),
    RiskCategory.CRIME_IN_PROGRESS: QT_TRANSLATE_NOOP("Labels", "crime in progress"),
    RiskCategory.DOMESTIC_ABUSE: QT_TRANSLATE_NOOP("Labels", "domestic abuse"),
    RiskCategory.CHILD_SAFEGUARDING: QT_TRANSLATE_NOOP("Labels", "child safeguarding"),
    RiskCategory.HATE: QT_TRANSLATE_NOOP("Labels", "hate"),
    RiskCategory.OFFICER_ABUSE: QT_TRANSLATE_NOOP("Labels", "abuse of officers"),
    RiskCategory.CONDUCT_COMPLAINT: QT_TRANSLATE_NOOP("Labels", "conduct complaint"),
    RiskCategory.PERSONAL_DATA: QT_TRANSLATE_NOOP("Labels", "personal data"),
    RiskCategory.MISINFORMATION: QT_TRANSLATE_NOOP("Labels", "misinformation"),
}

KINDS: dict[str, Any] = {
    ItemKind.COMMENT: QT_TRANSLATE_NOOP("Labels", "Comment"),
    ItemKind.REPLY: QT_TRANSLATE_NOOP("Labels", "Reply"),
    ItemKind.MENTION: QT_TRANSLATE_NOOP("Labels", "Mention"),
    ItemKind.DIRECT_MESSAGE: QT_TRANSLATE_NOOP("Labels", "Direct message"),
    ItemKind.REVIEW: QT_TRANSLATE_NOOP("Labels", "Review"),
}

FORMATS: dict[str, Any] = {
    "jsonl": QT_TRANSLATE_NOOP("Labels", "Desk JSON Lines"),
    "csv": QT_TRANSLATE_NOOP("Labels", "CSV (with a column mapping)"),
    "activitystreams": QT_TRANSLATE_NOOP("Labels", "ActivityStreams 2.0 (fediverse)"),
    "mastodon": QT_TRANSLATE_NOOP("Labels", "Mastodon API: statuses, notifications, threads"),
    "x_v2": QT_TRANSLATE_NOOP("Labels", "X API v2 response"),
    "facebook_graph": QT_TRANSLATE_NOOP("Labels", "Facebook Graph API comments"),
    "bluesky": QT_TRANSLATE_NOOP("Labels", "Bluesky: notifications, post threads"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def _word(table: dict[str, Any], code: str) -> str:
    return _tr(str(table[code])) if code in table else code


def platform_label(code: str) -> str:
    """Return a platform's name, e.g. 'Facebook'."""
    return _word(PLATFORMS, code)


def status_label(code: str) -> str:
    """Return a case status in words, e.g. 'In triage'."""
    return _word(STATUSES, code)


def risk_label(code: str) -> str:
    """Return a risk category in words, e.g. 'self-harm'."""
    return _word(RISKS, code)


def kind_label(code: str) -> str:
    """Return an item kind in words, e.g. 'Direct message'."""
    return _word(KINDS, code)


def format_label(code: str) -> str:
    """Return an import format's name, e.g. 'X API v2 response'."""
    return _word(FORMATS, code)


def outcome_label(outcome: Outcome) -> str:
    """Return a close outcome in words, e.g. 'Referred to 999'."""
    return _tr(OUTCOME_LABELS[outcome])


def grade_label(code: str) -> str:
    """Return a THRIVE grade in words, e.g. 'Resolution without deployment'."""
    for grade in DEFAULT_GRADES:
        if grade.code == code:
            return _tr(grade.label)
    return code


def factor_label(factor: str) -> str:
    """Return a THRIVE factor in words, e.g. 'Vulnerability'."""
    return _tr(FACTOR_LABELS.get(factor, factor))


def priority_label(priority: int) -> str:
    """Return a priority as people write it: 'P1'."""
    return f"P{priority}"


def risk_words(categories: tuple[str, ...] | list[str]) -> str:
    """Return risk categories as a list of words: 'self-harm, threat to life'."""
    return ", ".join(risk_label(c) for c in categories)


_PLATFORM_WORDS = frozenset(
    word.casefold()
    for word in ("page", "account", "official", *(str(p) for p in PLATFORMS.values()))
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_BREAKS = re.compile(r"[\s_.\-–]+")


def _account_text(handle: str) -> str:
    """An account's handle or name without '@', a server's domain or a note naming the platform."""
    text = handle.strip()
    if text.startswith("@"):
        text = _CAMEL.sub(" ", text[1:].split("@", 1)[0])
        text = re.sub(r"\.(bsky\.social|social|com|org|uk)$", "", text)
    note = re.search(r"\(([^)]*)\)\s*$", text)
    if note and all(w.casefold() in _PLATFORM_WORDS for w in note.group(1).split()):
        text = text[: note.start()]  # "(Facebook page)": the row says the platform already
    return " ".join(w for w in _BREAKS.split(text) if w)


def short_account_names(handles: Iterable[str]) -> dict[str, str]:
    """Return a short name for each official account: what tells it apart from the others.

    The word most accounts start with (the force's name) is left out, and so are '@', a
    server's domain and a note that only names the platform: "@ExampleshireCops_North" is
    "Cops North" beside "@ExampleshirePolice" ("Police"). The full handle goes in the tooltip.
    """
    texts = {handle: _account_text(handle) for handle in handles}
    firsts = Counter(t.split(" ", 1)[0].casefold() for t in texts.values() if t)
    force = ""
    if len(texts) > 1 and firsts:
        word, seen = firsts.most_common(1)[0]
        force = word if seen * 2 > len(texts) else ""
    names = {}
    for handle, text in texts.items():
        rest = text[len(force) :].strip() if force and text.casefold().startswith(force) else ""
        names[handle] = rest or text or handle
    return names
