"""Import files of items: Desk's JSON Lines, CSV exports, ActivityStreams, Mastodon, X, Facebook.

``read_items(path)`` reads and validates a whole file and returns an :class:`ImportBatch`, or
refuses the file whole (:class:`ImportRefused`, naming the file, the line or JSON path, and the
field). For large files, ``check_items(path)`` does the same checks holding nothing and returns a
:class:`CheckedFile`, whose ``items()`` reads the file again, one item at a time, for
``ImportService.import_file``; ``stream_items(path).items()`` reads it once, validating each
record as it is stored, and refuses it (the store then keeps nothing) on the same problems. See
docs/import-format.md.
"""

from desk.ingest.csv_format import CsvMapping
from desk.ingest.detect import FORMATS, detect_format
from desk.ingest.errors import AccountNeeded, FormatNotRecognised, ImportCancelled, ImportRefused
from desk.ingest.reader import (
    PROGRESS_EVERY,
    CheckedFile,
    ImportBatch,
    StreamedFile,
    check_items,
    read_items,
    stream_items,
)

__all__ = [
    "FORMATS",
    "PROGRESS_EVERY",
    "AccountNeeded",
    "CheckedFile",
    "CsvMapping",
    "FormatNotRecognised",
    "ImportBatch",
    "ImportCancelled",
    "ImportRefused",
    "StreamedFile",
    "check_items",
    "detect_format",
    "read_items",
    "stream_items",
]
