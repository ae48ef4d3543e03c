"""CSV exports from social media management tools, read through a saved column mapping.

A :class:`CsvMapping` says which column holds each of Desk's fields (the names of
docs/import-format.md), fixed values for fields the export lacks, how times are written, and
how the tool spells platforms and kinds. Each row is then validated with the same record model
as Desk's JSON Lines format. Mappings are small JSON files (:meth:`CsvMapping.load`,
:meth:`CsvMapping.save`); the default fits a typical export with the headers ``Platform,
Account, Type, Message ID, Author ID, Author Handle, Author Name, Message, Link, Media, Thread ID,
Posted At, Received At``.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from desk.core.errors import InvalidInput
from desk.core.items import IncomingItem, ItemKind, Platform
from desk.ingest.errors import ImportRefused
from desk.ingest.jsonl_format import ROOT_FIELDS, CsvItemRecord
from desk.ingest.source import Source
from desk.ingest.validation import describe, refusal

__all__ = ["DEFAULT_COLUMNS", "CsvMapping", "DeskField", "read"]

DeskField = Literal[
    "platform",
    "account",
    "kind",
    "id",
    "author_id",
    "author_handle",
    "author_name",
    "text",
    "posted_at",
    "received_at",
    "link",
    "media",
    "thread_id",
    "thread_title",
]
REQUIRED: tuple[DeskField, ...] = (
    "platform",
    "kind",
    "id",
    "author_id",
    "author_handle",
    "text",
    "posted_at",
)

DEFAULT_COLUMNS: dict[DeskField, str] = {
    "platform": "Platform",
    "account": "Account",
    "kind": "Type",
    "id": "Message ID",
    "author_id": "Author ID",
    "author_handle": "Author Handle",
    "author_name": "Author Name",
    "text": "Message",
    "link": "Link",
    "media": "Media",
    "thread_id": "Thread ID",
    "posted_at": "Posted At",
    "received_at": "Received At",
}

PLATFORM_ALIASES: dict[str, Platform] = {
    **{p.value: p for p in Platform},
    "twitter": Platform.X,
    "x (twitter)": Platform.X,
    "twitter/x": Platform.X,
    "x/twitter": Platform.X,
    "fb": Platform.FACEBOOK,
    "facebook page": Platform.FACEBOOK,
    "ig": Platform.INSTAGRAM,
    "tik tok": Platform.TIKTOK,
    "yt": Platform.YOUTUBE,
    "bsky": Platform.BLUESKY,
    "linked in": Platform.LINKEDIN,
}
KIND_ALIASES: dict[str, ItemKind] = {
    **{k.value: k for k in ItemKind},
    "post comment": ItemKind.COMMENT,
    "ad comment": ItemKind.COMMENT,
    "comment reply": ItemKind.REPLY,
    "tweet": ItemKind.MENTION,
    "tag": ItemKind.MENTION,
    "direct message": ItemKind.DIRECT_MESSAGE,
    "dm": ItemKind.DIRECT_MESSAGE,
    "private message": ItemKind.DIRECT_MESSAGE,
    "pm": ItemKind.DIRECT_MESSAGE,
    "message": ItemKind.DIRECT_MESSAGE,
    "inbox": ItemKind.DIRECT_MESSAGE,
    "recommendation": ItemKind.REVIEW,
    "rating": ItemKind.REVIEW,
}
_MEDIA_SPLIT = re.compile(r"[\s|]+")


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class CsvMapping(BaseModel):
    """How to read one tool's CSV export."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="Typical social media management export", min_length=1)
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    encoding: str = "utf-8-sig"
    columns: dict[DeskField, str] = Field(default_factory=lambda: dict(DEFAULT_COLUMNS))
    defaults: dict[DeskField, str] = Field(default_factory=dict)
    time_format: str | None = Field(
        default=None,
        description="strptime format of the time columns; None for ISO 8601",
    )
    timezone: str | None = Field(
        default=None,
        description="IANA zone (such as Europe/London) for times written without an offset",
    )
    media_separator: str | None = Field(
        default=None, description="Between media addresses in one cell; None: spaces or '|'"
    )
    platform_values: dict[str, Platform] = Field(default_factory=dict)
    kind_values: dict[str, ItemKind] = Field(default_factory=dict)

    @field_validator("columns")
    @classmethod
    def _columns_named(cls, columns: dict[DeskField, str]) -> dict[DeskField, str]:
        for field, column in columns.items():
            if not column.strip():
                raise ValueError(f"the column for {field!r} is empty")
        return columns

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, zone: str | None) -> str | None:
        if zone is not None:
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {zone!r}") from None
        return zone

    @model_validator(mode="after")
    def _complete(self) -> CsvMapping:
        for field in REQUIRED:
            if field not in self.columns and field not in self.defaults:
                raise ValueError(f"no column and no default for the required field {field!r}")
        if "platform" in self.defaults and self.platform_of(self.defaults["platform"]) is None:
            raise ValueError(f"unknown platform {self.defaults['platform']!r} in defaults")
        if "kind" in self.defaults and self.kind_of(self.defaults["kind"]) is None:
            raise ValueError(f"unknown kind {self.defaults['kind']!r} in defaults")
        return self

    def platform_of(self, value: str) -> Platform | None:
        """The platform a cell names, by this mapping's values or the usual spellings."""
        key = _key(value)
        own = {_key(k): v for k, v in self.platform_values.items()}
        return own.get(key) or PLATFORM_ALIASES.get(key)

    def kind_of(self, value: str) -> ItemKind | None:
        """The kind a cell names, by this mapping's values or the usual spellings."""
        key = _key(value)
        own = {_key(k): v for k, v in self.kind_values.items()}
        return own.get(key) or KIND_ALIASES.get(key)

    @classmethod
    def load(cls, path: Path) -> CsvMapping:
        """Read a mapping file.

        Raises:
            InvalidInput: the file cannot be read, is not JSON, or is not a valid mapping (the
                message names the file and the setting).
        """
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"CSV mapping {path}: cannot be read ({exc.strerror})") from exc
        try:
            return cls.model_validate_json(raw)
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            where = ".".join(str(step) for step in error["loc"])
            raise InvalidInput(
                f"CSV mapping {path}: {where + ': ' if where else ''}{describe(error)}"
            ) from None

    def save(self, path: Path) -> None:
        """Write this mapping as readable JSON."""
        path.write_text(
            json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )


def read(source: Source) -> Iterator[tuple[IncomingItem, int | str]]:
    """Yield each row's item with the line the row starts on, refusing a bad row."""
    mapping = source.csv_mapping or CsvMapping()
    path = source.path
    context: dict[str, Any] = {
        "time_format": mapping.time_format,
        "timezone": ZoneInfo(mapping.timezone) if mapping.timezone else None,
    }
    platforms = {**PLATFORM_ALIASES, **{_key(k): v for k, v in mapping.platform_values.items()}}
    kinds = {**KIND_ALIASES, **{_key(k): v for k, v in mapping.kind_values.items()}}
    data_defaults: dict[str, Any] = {str(k): v for k, v in mapping.defaults.items()}
    if "platform" in data_defaults:
        data_defaults["platform"] = platforms[_key(data_defaults["platform"])]
    if "kind" in data_defaults:
        data_defaults["kind"] = kinds[_key(data_defaults["kind"])]
    line = 0
    # the lines the reader took for the row just read: the row's bytes as received (evidence)
    taken: list[str] = []
    encoding = _row_encoding(mapping.encoding)
    try:
        with path.open(encoding=mapping.encoding, newline="") as fh:
            rows = csv.reader(_recording(fh, taken), delimiter=mapping.delimiter, strict=True)
            header = next(rows, None)
            if header is None or not any(cell.strip() for cell in header):
                raise ImportRefused(path, "the file is empty: there is no header row", line=1)
            positions = _positions(path, mapping, header)
            columns: dict[str, str] = {field: mapping.columns[field] for field, _ in positions}
            line = rows.line_num
            taken.clear()
            for row in rows:
                start, line = line + 1, rows.line_num
                original = "".join(taken).encode(encoding)
                taken.clear()
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise ImportRefused(
                        path,
                        f"has {len(row)} values but the header has {len(header)} columns "
                        f"(a missing quote, or an extra {mapping.delimiter!r}?)",
                        line=start,
                    )
                data = _record(mapping, data_defaults, platforms, kinds, positions, row)
                try:
                    record = CsvItemRecord.model_validate(data, context=context)
                except ValidationError as exc:
                    raise refusal(
                        path, exc, line=start, root_fields=ROOT_FIELDS, columns=columns
                    ) from None
                yield record.to_item(source.account, original), start
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
        index.setdefault(_key(name), i)
    positions: list[tuple[DeskField, int]] = []
    for field, column in mapping.columns.items():
        position = index.get(_key(column))
        if position is None:
            shown = ", ".join(repr(h) for h in header)
            raise ImportRefused(
                path,
                f"the mapping {mapping.name!r} takes {field!r} from column {column!r}, but the "
                f"header has no such column (it has {shown})",
                line=1,
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
            data["platform"] = platforms.get(_key(value), value)
        elif field == "kind":
            data["kind"] = kinds.get(_key(value), value)
        else:
            data[field] = value
    return data
