"""Import files of items: Desk's JSON Lines, CSV exports, ActivityStreams, Mastodon, X, Facebook.

``read_items(path)`` reads and validates a whole file and returns an :class:`ImportBatch`, or
refuses the file whole (:class:`ImportRefused`, naming the file, the line or JSON path, and the
field). See docs/import-format.md.
"""

from desk.ingest.csv_format import CsvMapping
from desk.ingest.detect import FORMATS, detect_format
from desk.ingest.errors import AccountNeeded, FormatNotRecognised, ImportCancelled, ImportRefused
from desk.ingest.reader import PROGRESS_EVERY, ImportBatch, read_items

__all__ = [
    "FORMATS",
    "PROGRESS_EVERY",
    "AccountNeeded",
    "CsvMapping",
    "FormatNotRecognised",
    "ImportBatch",
    "ImportCancelled",
    "ImportRefused",
    "detect_format",
    "read_items",
]
