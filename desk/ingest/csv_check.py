"""A CSV export from a tool Desk has no mapping for: its columns, a preview, and a mapping checked.

The Import dialog shows a file's header and first rows (:func:`preview`), the person maps the
columns to Desk's fields, and :func:`check` reads *every* row through that mapping exactly as
the CSV reader (:mod:`desk.ingest.csv_format`) will, storing nothing, and lists the problems with
their row and column (not only the first: a wrong time format fails every row, and saying so
once with a count is more use than one row at a time).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from desk.ingest.csv_format import _positions, _record
from desk.ingest.csv_mapping import (
    DEFAULT_COLUMNS,
    KIND_ALIASES,
    PLATFORM_ALIASES,
    CsvMapping,
    DeskField,
    cell_key,
)
from desk.ingest.errors import ImportCancelled, ImportRefused
from desk.ingest.records import ROOT_FIELDS, CsvItemRecord
from desk.ingest.validation import refusal

__all__ = ["CsvPreview", "MappingCheck", "MappingProblem", "check", "guess_columns", "preview"]

PREVIEW_ROWS = 5
LISTED_PROBLEMS = 50
"""At most this many problems are listed one by one; the rest are counted."""
DELIMITERS = ",;\t|"


@dataclass(frozen=True)
class CsvPreview:
    """A CSV file's header and first rows, and the delimiter they were read with."""

    path: Path
    delimiter: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class MappingProblem:
    """One problem a mapping meets in a file: where (row as a spreadsheet numbers it) and what."""

    row: int | None
    column: str | None
    field: str | None
    problem: str

    @property
    def place(self) -> str:
        """Where: "row 7, column 'Date'" (or as much of it as is known)."""
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        elif self.field is not None:
            where.append(f"field {self.field!r}")
        return ", ".join(where)


@dataclass(frozen=True)
class MappingCheck:
    """What reading every row of a file through a mapping found."""

    rows: int
    problems: tuple[MappingProblem, ...]
    more: int = 0

    @property
    def ok(self) -> bool:
        """Whether every row reads cleanly through the mapping."""
        return not self.problems


def _sniff(sample: str) -> str:
    """Guess the delimiter from the first lines (comma when nothing else is likely)."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def preview(
    path: Path, delimiter: str | None = None, encoding: str = "utf-8-sig", rows: int = PREVIEW_ROWS
) -> CsvPreview:
    """Read a CSV file's header and first ``rows`` rows (the delimiter guessed when not given).

    Raises:
        ImportRefused: the file cannot be read, is not text in ``encoding``, is not CSV, or
            has no header.
    """
    try:
        with path.open(encoding=encoding, newline="") as fh:
            sample = fh.read(64 * 1024)
            fh.seek(0)
            used = delimiter or _sniff(sample)
            reader = csv.reader(fh, delimiter=used, strict=True)
            header = next(reader, None)
            if header is None or not any(cell.strip() for cell in header):
                raise ImportRefused(path, "the file is empty: there is no header row", row=1)
            first: list[tuple[str, ...]] = []
            for row in reader:
                if len(first) >= rows:
                    break
                if any(cell.strip() for cell in row):
                    first.append(tuple(row))
    except OSError as exc:
        raise ImportRefused(path, f"cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            path, f"is not {encoding} text ({exc.reason}); save the export as UTF-8"
        ) from None
    except csv.Error as exc:
        raise ImportRefused(path, f"is not readable CSV ({exc})") from None
    return CsvPreview(path, used, tuple(header), tuple(first))


def guess_columns(header: tuple[str, ...]) -> dict[DeskField, str]:
    """Map the columns whose header is the default's name for a field (case and spaces aside)."""
    by_key = {cell_key(h): h for h in header}
    guessed: dict[DeskField, str] = {}
    for field, name in DEFAULT_COLUMNS.items():
        found = by_key.get(cell_key(name)) or by_key.get(cell_key(field.replace("_", " ")))
        found = found or by_key.get(cell_key(field))
        if found is not None:
            guessed[field] = found
    return guessed


def check(
    path: Path,
    mapping: CsvMapping,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> MappingCheck:
    """Read every row of ``path`` through ``mapping`` as an import would; store nothing.

    Raises:
        ImportRefused: the file itself cannot be read (not text, not CSV, no header).
        ImportCancelled: ``cancelled()`` returned True.
    """
    context: dict[str, Any] = {
        "time_format": mapping.time_format,
        "timezone": ZoneInfo(mapping.timezone) if mapping.timezone else None,
    }
    platforms = {**PLATFORM_ALIASES, **{cell_key(k): v for k, v in mapping.platform_values.items()}}
    kinds = {**KIND_ALIASES, **{cell_key(k): v for k, v in mapping.kind_values.items()}}
    defaults: dict[str, Any] = {str(k): v for k, v in mapping.defaults.items()}
    if "platform" in defaults:
        defaults["platform"] = platforms[cell_key(defaults["platform"])]
    if "kind" in defaults:
        defaults["kind"] = kinds[cell_key(defaults["kind"])]
    problems: list[MappingProblem] = []
    more = 0
    number = 1
    count = 0

    def note(problem: MappingProblem) -> None:
        nonlocal more
        if len(problems) < LISTED_PROBLEMS:
            problems.append(problem)
        else:
            more += 1

    try:
        with path.open(encoding=mapping.encoding, newline="") as fh:
            rows = csv.reader(fh, delimiter=mapping.delimiter, strict=True)
            header = next(rows, None)
            if header is None or not any(cell.strip() for cell in header):
                raise ImportRefused(path, "the file is empty: there is no header row", row=1)
            try:
                positions = _positions(path, mapping, header)
            except ImportRefused as exc:
                note(MappingProblem(1, exc.column, exc.field, exc.problem))
                return MappingCheck(0, tuple(problems))
            columns: dict[str, str] = {f: mapping.columns[f] for f, _ in positions}
            for row in rows:
                number += 1
                if cancelled is not None and cancelled():
                    raise ImportCancelled(path, count)
                if not any(cell.strip() for cell in row):
                    continue
                count += 1
                if progress is not None and count % 500 == 0:
                    progress(count)
                if len(row) != len(header):
                    note(
                        MappingProblem(
                            number,
                            None,
                            None,
                            f"has {len(row)} values but the header has {len(header)} columns "
                            f"(a missing quote, or an extra {mapping.delimiter!r}?)",
                        )
                    )
                    continue
                data = _record(mapping, defaults, platforms, kinds, positions, row)
                try:
                    CsvItemRecord.model_validate(data, context=context)
                except ValidationError as exc:
                    refused = refusal(
                        path, exc, row=number, root_fields=ROOT_FIELDS, columns=columns
                    )
                    note(MappingProblem(number, refused.column, refused.field, refused.problem))
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            path, f"is not {mapping.encoding} text ({exc.reason}); save the export as UTF-8"
        ) from None
    except csv.Error as exc:
        raise ImportRefused(path, f"is not readable CSV ({exc})", row=number + 1) from None
    if progress is not None:
        progress(count)
    return MappingCheck(count, tuple(problems), more)
