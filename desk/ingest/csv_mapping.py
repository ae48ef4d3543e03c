"""How to read one tool's CSV export: a saved column mapping (see docs/import-format.md).

A :class:`CsvMapping` says which column holds each of Desk's fields (the names of
docs/import-format.md), fixed values for fields the export lacks, how times are written, and
how the tool spells platforms and kinds. Mappings are small JSON files (:meth:`CsvMapping.load`,
:meth:`CsvMapping.save`); the default fits a typical export with the headers ``Platform,
Account, Type, Message ID, Author ID, Author Handle, Author Name, Message, Link, Media, Thread ID,
Posted At, Received At``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from desk.core.errors import InvalidInput
from desk.core.items import ItemKind, Platform
from desk.ingest.validation import describe

__all__ = [
    "DEFAULT_COLUMNS",
    "KIND_ALIASES",
    "PLATFORM_ALIASES",
    "REQUIRED",
    "CsvMapping",
    "DeskField",
    "cell_key",
]

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


def cell_key(text: str) -> str:
    """A cell or header as compared: spaces collapsed, case folded."""
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
        key = cell_key(value)
        own = {cell_key(k): v for k, v in self.platform_values.items()}
        return own.get(key) or PLATFORM_ALIASES.get(key)

    def kind_of(self, value: str) -> ItemKind | None:
        """The kind a cell names, by this mapping's values or the usual spellings."""
        key = cell_key(value)
        own = {cell_key(k): v for k, v in self.kind_values.items()}
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
