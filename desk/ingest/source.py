"""What a format reader is given: the file and the importer's answers so far.

The bottom of ``desk.ingest`` with :mod:`desk.ingest.errors`, :mod:`desk.ingest.paths`,
:mod:`desk.ingest.validation`, :mod:`desk.ingest.json_document` and
:mod:`desk.ingest.csv_mapping`: every format reader depends on these, never on another reader
(an import-linter contract in pyproject.toml says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from desk.core.items import PassedOver, PassReason, Platform
from desk.ingest.csv_mapping import CsvMapping
from desk.ingest.json_document import JsonDocument

__all__ = ["Source"]


@dataclass
class Source:
    """One file being read.

    ``account`` is the official account the importer said the file belongs to (``--account``):
    records that do not name theirs take it; ``platform`` overrides a format's default
    platform (ActivityStreams); ``document`` holds the JSON document (parsed, with its text)
    when format detection already read it whole; readers call :meth:`pass_over` for records
    they pass over on purpose (a like, a follow notification, a repost), which ``passed``
    sums by reason.
    """

    path: Path
    account: str | None = None
    platform: Platform | None = None
    csv_mapping: CsvMapping | None = None
    document: JsonDocument | None = None
    passed: PassedOver = field(default_factory=PassedOver)

    def pass_over(self, where: str, reason: PassReason) -> None:
        """Count the record at ``where`` (its JSON path or line) as passed over for ``reason``."""
        self.passed.add(where, reason)

    @property
    def skipped(self) -> int:
        """Records passed over so far, whatever the reason."""
        return self.passed.total

    @skipped.setter
    def skipped(self, value: int) -> None:
        # the old way (``source.skipped += 1``), for readers not yet saying where and why
        for _ in range(value - self.passed.total):
            self.passed.add("a record", PassReason.NOT_AN_ITEM)
