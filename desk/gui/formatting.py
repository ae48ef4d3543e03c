"""How times and codes are written for people (local time; codes in two groups of three)."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("Formatting", text)


def local_time(moment: datetime, with_seconds: bool = False) -> str:
    """Return ``moment`` in the computer's time zone, e.g. '26 Nov 2026 09:00'."""
    shown = moment.astimezone()
    return shown.strftime("%d %b %Y %H:%M:%S" if with_seconds else "%d %b %Y %H:%M")


def clock_time(moment: datetime) -> str:
    """Return the local hours and minutes, e.g. '09:05'."""
    return moment.astimezone().strftime("%H:%M")


def audit_time(text: str) -> str:
    """Turn an audit entry's UTC timestamp ('…Z') into local time with seconds."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return local_time(moment, with_seconds=True)


def spaced_code(code: str) -> str:
    """Return a six-digit code as '123 456', the way authenticator apps show it."""
    return f"{code[:3]} {code[3:]}" if len(code) == 6 else code


def grouped(text: str, size: int = 4) -> str:
    """Return ``text`` in space-separated groups of ``size`` (a seed is easier to type so)."""
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def age_text(delta: timedelta) -> str:
    """Return a short age for a queue cell: '0m', '3m', '2h 5m', '2h', '1d 4h'."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h" if hours else f"{days}d"


def ago_text(delta: timedelta) -> str:
    """Return how long ago in words: 'just now', '3 min ago', '2 h 5 min ago', '3 days ago'."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 1:
        return _tr("just now")
    if minutes < 60:
        return _tr("{n} min ago").format(n=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        if minutes:
            return _tr("{h} h {m} min ago").format(h=hours, m=minutes)
        return _tr("{h} h ago").format(h=hours)
    days = hours // 24
    return _tr("1 day ago") if days == 1 else _tr("{n} days ago").format(n=days)


def span_text(delta: timedelta) -> str:
    """Return a duration in words for tooltips: '15 min', '1 h', '4 h 30 min', '2 days'."""
    minutes = max(0, round(delta.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48 or minutes:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{hours // 24} days" if hours % 24 == 0 else f"{hours} h"
