"""Where a record or value is in its file, written one way, and refusals that name it.

JSON documents: a JSON path from the document's root, ``$.data[3].from.id`` or
``$[5].account.acct``. JSON Lines: the line, then the JSON path inside that line's record,
``line 3: $.author_handle``. CSV: the row as a spreadsheet numbers it (the header is row 1)
and the column as the header names it, ``row 7, column 'Posted At'``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desk.ingest.errors import ImportRefused

__all__ = ["child", "csv_place", "json_path", "line_path", "refuse"]


def json_path(prefix: str, loc: Sequence[int | str]) -> str:
    """Render a location below ``prefix`` as a JSON path: ``json_path("$", ["data", 3])``."""
    parts = [prefix]
    for step in loc:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif step.isidentifier():
            parts.append(f".{step}")
        else:
            parts.append(f"[{step!r}]")
    return "".join(parts)


def child(where: str, *steps: int | str) -> str:
    """The path of a value inside the one at ``where``: ``child("$[5]", "account", "acct")``."""
    return json_path(where, steps)


def line_path(line: int, where: str = "$") -> str:
    """A place in a JSON Lines file: ``line 3: $.author_handle`` (or ``line 3``)."""
    return f"line {line}" if where == "$" else f"line {line}: {where}"


def csv_place(row: int, column: str | None = None) -> str:
    """A place in a CSV file: ``row 7, column 'Posted At'`` (the header is row 1)."""
    return f"row {row}" if column is None else f"row {row}, column {column!r}"


def refuse(
    path: Path, where: str, problem: str, *, field: str | None = None, expected: str = ""
) -> ImportRefused:
    """A refusal of ``path`` naming the JSON path ``where``, what is wrong and what was expected.

    ``field`` names the field in the file's own terms (default: the last step of ``where``);
    ``expected``, when given, is added as "expected ...".
    """
    if field is None:
        last = where.rsplit(".", 1)[-1] if "." in where else None
        field = last.split("[", 1)[0] if last else None
    text = f"{problem}; expected {expected}" if expected else problem
    return ImportRefused(path, text, json_path=where, field=field)
