"""Desk's record model: one item of the JSON Lines format, or one CSV row read through a mapping.

The single definition of Desk's own format: the JSON Lines reader and the CSV reader validate
with it, and ``resources/schemas/desk-item.schema.json`` is generated from it
(``python -m desk.ingest.schema --write``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictStr, model_validator
from pydantic_core import PydanticCustomError

from desk.core.items import Author, IncomingItem, ItemKind, Platform
from desk.ingest.validation import CsvTime, Id, JsonUtcTime, nfc

__all__ = ["ROOT_FIELDS", "SCHEMA_ID", "CsvItemRecord", "DeskItemRecord"]

SCHEMA_ID = "https://desk.example/schemas/desk-item.schema.json"

Link = Annotated[str, Field(max_length=2048, pattern=r"^https?://\S+$")]
# Text is normalised to NFC in to_item, not by a validator per field: one import may hold
# millions of records, and each validator is a call from pydantic's core into Python.
Name = Annotated[StrictStr, Field(max_length=512)]
Text = Annotated[StrictStr, Field(max_length=100_000)]
MediaRef = Annotated[str, Field(min_length=1, max_length=2048)]


class DeskItemRecord(BaseModel):
    """One item in Desk's JSON Lines import format."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="Desk item",
        json_schema_extra={
            "description": (
                "One line of a Desk JSON Lines import file: an item that arrived on one of the "
                "force's official accounts. Unknown fields are refused. Text is stored in "
                "Unicode NFC. Times must carry a timezone (Z or an offset) and are stored in UTC."
            )
        },
    )

    platform: Platform = Field(description="The platform the item came from.")
    account: Name | None = Field(
        default=None,
        description=(
            "The official account it arrived on, as the desk names it (for example "
            "'@ExampleshirePolice'). Leave out or null when the file does not say; the person "
            "importing is then asked, or gives --account."
        ),
        min_length=1,
    )
    kind: ItemKind = Field(description="How it reached the account.")
    id: Id = Field(
        description=(
            "The platform's identifier for the item, as text (never a number). Unique per "
            "platform and account within a file."
        )
    )
    author_id: Id = Field(description="The platform's identifier for the author, as text.")
    author_handle: Name = Field(
        min_length=1, description="The author's handle, such as '@jo_bloggs' (or their name)."
    )
    author_name: Name = Field(default="", description="The author's display name.")
    text: Text = Field(
        description="What the item says, as plain text. May be empty only when media is given."
    )
    posted_at: JsonUtcTime = Field(
        description="When the author posted it: ISO 8601 with Z or an offset."
    )
    received_at: JsonUtcTime | None = Field(
        default=None,
        description="When the desk's tool collected it: ISO 8601 with Z or an offset.",
    )
    link: Link | None = Field(default=None, description="Address of the item on the platform.")
    media: list[MediaRef] = Field(
        default_factory=list,
        max_length=50,
        description="Addresses (or file names) of attached pictures and videos.",
    )
    thread_id: Id | None = Field(
        default=None,
        description=(
            "Identifier of the conversation it belongs to: usually the force's own post it "
            "replies to."
        ),
    )
    thread_title: Name | None = Field(
        default=None, description="A short title for that conversation (the force's post)."
    )

    @model_validator(mode="after")
    def _text_or_media(self) -> DeskItemRecord:
        if not self.text.strip() and not self.media:
            raise PydanticCustomError(
                "text_empty", "is empty, and the item has no media: there is nothing to read"
            )
        return self

    def to_item(
        self,
        default_account: str | None = None,
        original: bytes | None = None,
        where: str | None = None,
    ) -> IncomingItem:
        """Return the entity this record describes (with ``default_account`` if it has none).

        ``original``: the record's bytes exactly as read (kept as evidence); ``where``: the
        record's place in its file ("line 3", "row 7").
        """
        return IncomingItem(
            platform=self.platform,
            account=nfc(self.account) if self.account else default_account,
            kind=self.kind,
            platform_id=self.id,
            author=Author(self.author_id, nfc(self.author_handle), nfc(self.author_name)),
            text=nfc(self.text),
            posted_at=self.posted_at,
            received_at=self.received_at,
            link=self.link,
            media=tuple(self.media),
            thread_id=self.thread_id,
            thread_title=nfc(self.thread_title) if self.thread_title else self.thread_title,
            original=original,
            where=where,
        )


class CsvItemRecord(DeskItemRecord):
    """The same record read from a CSV row: times may follow the mapping's format and zone."""

    posted_at: CsvTime
    received_at: CsvTime | None = None


ROOT_FIELDS = {"text_empty": "text"}
