"""How results look: tables, JSON, times, and authenticator enrolments."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

import segno

from desk.core.disguised_text import find as find_disguises
from desk.services.views import Enrolment

# C0/C1 control characters and bidirectional overrides: shown escaped, so that text typed by
# someone (a display name, an audit detail) cannot rewrite the terminal or reorder a line.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def clean(value: object) -> str:
    """Return ``value`` as text safe to show on a terminal.

    Control characters, bidi controls and the invisible characters that hide or split a word
    (a zero-width space inside "kill", tag characters; desk.core.disguised_text) are written as
    escapes, so what a terminal shows is what was stored. Joiners in emoji and in scripts that
    need them stay.
    """
    text = str(value)
    hidden = {d.index for d in find_disguises(text)}
    if hidden:
        text = "".join(_escaped(ch) if i in hidden else ch for i, ch in enumerate(text))
    return _UNSAFE.sub(lambda m: _escaped(m.group()), text)


def when(moment: datetime | None) -> str:
    """Return a time for people: ``YYYY-MM-DD HH:MM:SS`` in UTC, or ``never``."""
    if moment is None:
        return "never"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def when_utc(moment: datetime | None) -> str:
    """Return a time for a sentence: ``YYYY-MM-DD HH:MM:SS UTC``, or ``never``."""
    return "never" if moment is None else when(moment) + " UTC"


def iso(moment: datetime | None) -> str | None:
    """Return a time for scripts: ISO 8601 in UTC with a ``Z``, or None."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def stored_time(text: str) -> str:
    """Return an audit entry's stored ISO time in the people's form (as is if unreadable)."""
    try:
        return when(datetime.fromisoformat(text))
    except ValueError:
        return clean(text)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Return rows as aligned, left-justified columns under upper-case headers."""
    cells = [[h.upper() for h in headers]] + [[clean(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(line.rstrip() for line in lines)


def write_json(out: TextIO, data: Any) -> None:
    """Write ``data`` as indented JSON (ASCII only, so nothing in it can reach a terminal raw)."""
    out.write(json.dumps(data, indent=2, ensure_ascii=True) + "\n")


def write_enrolment(out: TextIO, enrolment: Enrolment) -> None:
    """Write what a person needs to add Desk to their authenticator app."""
    out.write(
        f"Authenticator enrolment for {enrolment.username}:\n"
        f"  URI:  {enrolment.uri}\n"
        f"  Seed: {enrolment.seed}\n"
    )
    qr = io.StringIO()
    segno.make_qr(enrolment.uri).terminal(out=qr, compact=True)
    try:
        out.write(qr.getvalue())
    except UnicodeEncodeError:
        out.write("  (This output cannot show the QR code: type the seed instead.)\n")
    out.write(
        f"Add this to {enrolment.username}'s authenticator app now: scan the QR code, or "
        "enter the seed by hand (time-based, 6 digits, every 30 seconds). "
        "Keep it private: anyone with the seed can make the codes.\n"
    )
