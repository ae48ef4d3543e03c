"""How times and codes are written for people (local time; codes in two groups of three)."""

from __future__ import annotations

from datetime import datetime


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
