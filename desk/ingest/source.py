"""What a format reader is given: the file and the importer's answers so far."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desk.core.items import Platform

if TYPE_CHECKING:
    from desk.ingest.csv_format import CsvMapping
    from desk.ingest.json_document import JsonDocument

__all__ = ["Source"]


@dataclass
class Source:
    """One file being read.

    ``account`` fills in records that do not name their official account; ``platform``
    overrides a format's default platform (ActivityStreams); ``document`` holds the JSON
    document (parsed, with its text) when format detection already read it whole; readers
    add to ``skipped`` for records they pass over on purpose (a Like, a follow notification,
    a retweet).
    """

    path: Path
    account: str | None = None
    platform: Platform | None = None
    csv_mapping: CsvMapping | None = None
    document: JsonDocument | None = None
    skipped: int = 0
