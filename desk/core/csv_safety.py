"""CSV that a spreadsheet shows rather than runs: the one CSV writer every Desk export uses."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import TextIO

# what a spreadsheet takes as the start of a formula (or, for tab and carriage return, of a
# cell that may be re-read as one); OWASP's list for CSV injection
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Return ``value`` as cell text that no spreadsheet runs as a formula (a ' put before)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(
    out: TextIO,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    marking: str,
) -> int:
    """Write a marked CSV: the marking, the header, the rows, the marking again; return rows.

    The protective marking is the first and the last row, where a person opening the file in
    a spreadsheet sees it. Every cell goes through :func:`safe_cell`.
    """
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(marking)])
    writer.writerow([safe_cell(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
        count += 1
    writer.writerow([safe_cell(marking)])
    return count
