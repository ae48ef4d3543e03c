"""CSV exports from social media management tools, read through a saved column mapping.

The mapping is a :class:`desk.ingest.csv_mapping.CsvMapping`; each row is validated with the
same record model as Desk's JSON Lines format (:class:`desk.ingest.records.CsvItemRecord`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from desk.core.items import IncomingItem, ItemKind, Platform
from desk.ingest.csv_mapping import (
    DEFAULT_COLUMNS,
    KIND_ALIASES,
    PLATFORM_ALIASES,
    CsvMapping,
    DeskField,
    cell_key,
)
from desk.ingest.errors import ImportRefused
from desk.ingest.records import ROOT_FIELDS, CsvItemRecord
from desk.ingest.source import Source
from desk.ingest.validation import refusal

# the mapping is re-exported for callers that found it here
__all__ = ["DEFAULT_COLUMNS", "CsvMapping", "DeskField", "read"]

_MEDIA_SPLIT = re.compile(r"[\s|]+")


def read(source: Source) -> Iterator[tuple[IncomingItem, int | str]]:
    """Yield each row's item with its place (``row 7``: the header is row 1); refuse a bad row.

    A row is numbered as a spreadsheet numbers it; a problem that is not a row's (the file
    is not text, a quote is never closed) names the line of the file instead.
    """
    mapping = source.csv_mapping or CsvMapping()
    path = source.path
    context: dict[str, Any] = {
        "time_format": mapping.time_format,
        "timezone": ZoneInfo(mapping.timezone) if mapping.timezone else None,
    }
    platforms = {**PLATFORM_ALIASES, **{cell_key(k): v for k, v in mapping.platform_values.items()}}
    kinds = {**KIND_ALIASES, **{cell_key(k): v for k, v in mapping.kind_values.items()}}
    data_defaults: dict[str, Any] = {str(k): v for k, v in mapping.defaults.items()}
    if "platform" in data_defaults:
        data_defaults["platform"] = platforms[cell_key(data_defaults["platform"])]
    if "kind" in data_defaults:
        data_defaults["kind"] = kinds[cell_key(data_defaults["kind"])]
    line = 0
    # the lines the reader took for the row just read: the row's bytes as received (evidence)
    taken: list[str] = []
    encoding = _row_encoding(mapping.encoding)
    try:
        with path.open(encoding=mapping.encoding, newline="") as fh:
            rows = csv.reader(_recording(fh, taken), delimiter=mapping.delimiter, strict=True)
            header = next(rows, None)
            if header is None or not any(cell.strip() for cell in header):
                raise ImportRefused(path, "the file is empty: there is no header row", row=1)
            positions = _positions(path, mapping, header)
            columns: dict[str, str] = {field: mapping.columns[field] for field, _ in positions}
            line = rows.line_num
            taken.clear()
            number = 1  # the header's row
            for row in rows:
                number += 1
                line = rows.line_num
                original = "".join(taken).encode(encoding)
                taken.clear()
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise ImportRefused(
                        path,
                        f"has {len(row)} values but the header has {len(header)} columns "
                        f"(a missing quote, or an extra {mapping.delimiter!r}?)",
                        row=number,
                    )
                data = _record(mapping, data_defaults, platforms, kinds, positions, row)
                try:
                    record = CsvItemRecord.model_validate(data, context=context)
                except ValidationError as exc:
                    raise refusal(
                        path, exc, row=number, root_fields=ROOT_FIELDS, columns=columns
                    ) from None
                where = f"row {number}"
                yield record.to_item(source.account, original, where), where
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            path,
            f"is not {mapping.encoding} text ({exc.reason}); save the export as UTF-8",
            line=line + 1,
        ) from None
    except csv.Error as exc:
        raise ImportRefused(path, f"is not readable CSV ({exc})", line=line + 1) from None


def _recording(lines: Iterator[str], taken: list[str]) -> Iterator[str]:
    """Pass lines on to the CSV reader, noting each one it takes."""
    for text in lines:
        taken.append(text)
        yield text


def _row_encoding(encoding: str) -> str:
    """The codec that turns a row's text back into its bytes (a file's BOM is not a row's)."""
    name = encoding.lower().replace("_", "-")
    return {"utf-8-sig": "utf-8", "utf8-sig": "utf-8"}.get(name, encoding)


def _positions(path: Path, mapping: CsvMapping, header: list[str]) -> list[tuple[DeskField, int]]:
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        index.setdefault(cell_key(name), i)
    positions: list[tuple[DeskField, int]] = []
    for field, column in mapping.columns.items():
        position = index.get(cell_key(column))
        if position is None:
            shown = ", ".join(repr(h) for h in header)
            raise ImportRefused(
                path,
                f"the mapping {mapping.name!r} takes {field!r} from column {column!r}, but the "
                f"header has no such column (it has {shown})",
                row=1,
                column=column,
                field=field,
            )
        positions.append((field, position))
    return positions


def _record(
    mapping: CsvMapping,
    defaults: dict[str, Any],
    platforms: dict[str, Platform],
    kinds: dict[str, ItemKind],
    positions: list[tuple[DeskField, int]],
    row: list[str],
) -> dict[str, Any]:
    data = dict(defaults)
    for field, i in positions:
        cell = row[i]
        if field == "text":
            data["text"] = cell
            continue
        value = cell.strip()
        if not value:
            continue
        if field == "media":
            parts = (
                value.split(mapping.media_separator)
                if mapping.media_separator
                else (_MEDIA_SPLIT.split(value))
            )
            data["media"] = [p.strip() for p in parts if p.strip()]
        elif field == "platform":
            data["platform"] = platforms.get(cell_key(value), value)
        elif field == "kind":
            data["kind"] = kinds.get(cell_key(value), value)
        else:
            data[field] = value
    return data
