"""Desk's own import format: JSON Lines, one item per line (see docs/import-format.md).

The record model is :class:`desk.ingest.records.DeskItemRecord`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import ValidationError

from desk.core.items import IncomingItem
from desk.ingest.errors import ImportRefused
from desk.ingest.records import ROOT_FIELDS, SCHEMA_ID, CsvItemRecord, DeskItemRecord
from desk.ingest.source import Source
from desk.ingest.validation import refusal

# the record model is re-exported for callers that found it here
__all__ = ["SCHEMA_ID", "CsvItemRecord", "DeskItemRecord", "read"]

_BOM = b"\xef\xbb\xbf"
_INNER_LINE = re.compile(r" at line 1 column (\d+)")


def read(source: Source) -> Iterator[tuple[IncomingItem, int | str]]:
    """Yield each item of a Desk JSON Lines file with its line number, refusing a bad line."""
    validate = DeskItemRecord.__pydantic_validator__.validate_json
    account = source.account
    with source.path.open("rb") as fh:
        for line, raw in enumerate(fh, start=1):
            if line == 1 and raw.startswith(_BOM):
                raw = raw[len(_BOM) :]
            stripped = raw.strip()
            if not stripped:
                continue
            if stripped in (b"{", b"["):
                raise ImportRefused(
                    source.path,
                    f"holds only {stripped.decode()!r}: this looks like one JSON document spread "
                    "over many lines, not JSON Lines (one record per line); check the format",
                    line=line,
                )
            try:
                record = validate(raw)
            except ValidationError as exc:
                refused = refusal(source.path, exc, line=line, root_fields=ROOT_FIELDS)
                problem = _INNER_LINE.sub(r" at column \1", refused.problem)
                if "EOF while parsing" in problem:
                    problem += "; the line seems to be cut short"
                raise ImportRefused(
                    source.path,
                    problem,
                    line=line,
                    json_path=refused.json_path,
                    field=refused.field,
                ) from None
            yield record.to_item(account, raw, f"line {line}"), line
