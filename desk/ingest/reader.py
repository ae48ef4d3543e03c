"""The entry points: read a whole import file, check it then stream it, or stream it checking."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

from desk.core.items import IncomingItem, PassedOver, Platform
from desk.ingest import (
    activitystreams,
    bluesky,
    csv_format,
    facebook_graph,
    jsonl_format,
    mastodon,
    x_v2,
)
from desk.ingest.csv_mapping import CsvMapping
from desk.ingest.detect import FORMATS, detect
from desk.ingest.errors import AccountNeeded, FormatNotRecognised, ImportCancelled, ImportRefused
from desk.ingest.source import Source

__all__ = [
    "PROGRESS_EVERY",
    "CheckedFile",
    "ImportBatch",
    "StreamedFile",
    "check_items",
    "read_items",
    "stream_items",
]

PROGRESS_EVERY = 1000
"""``progress`` is called, and ``cancelled`` asked, after every this many records."""

Reader = Callable[[Source], Iterator[tuple[IncomingItem, int | str]]]

_READERS: dict[str, Reader] = {
    "jsonl": jsonl_format.read,
    "csv": csv_format.read,
    "activitystreams": activitystreams.read,
    "mastodon": mastodon.read,
    "x_v2": x_v2.read,
    "facebook_graph": facebook_graph.read,
    "bluesky": bluesky.read,
}
_ID_FIELD = {"activitystreams": "object.id", "bluesky": "uri"}
# formats whose records may say nothing of the account they came to: the importer is asked
# (AccountNeeded). The others say whom a post is addressed to or which conversation it is in,
# and the import places it by that, or passes it over (desk.core.conversations).
ASKS_FOR_ACCOUNT = frozenset({"jsonl", "csv", "facebook_graph"})
assert set(_READERS) == set(FORMATS)


@dataclass(frozen=True)
class ImportBatch:
    """Every item of one file, all validated: store them in one transaction.

    ``passed`` sums the records passed over on purpose (a Like, a follow notification, a
    repost) by reason, never bad ones: a bad record refuses the whole file.
    """

    format: str
    items: list[IncomingItem]
    path: Path
    passed: PassedOver = field(default_factory=PassedOver)

    @property
    def skipped(self) -> int:
        """Records passed over on purpose."""
        return self.passed.total


def _has_content(path: Path) -> bool:
    """Whether the file holds anything but white space (and a byte-order mark)."""
    with path.open("rb") as fh:
        while chunk := fh.read(64 * 1024):
            if chunk.removeprefix(b"\xef\xbb\xbf").strip():
                return True
    return False


def _where(where: int | str) -> str:
    return f"line {where}" if isinstance(where, int) else where


def _placed(item: IncomingItem, where: int | str) -> IncomingItem:
    """The item with its place in the file, for readers that do not set it themselves."""
    return item if item.where is not None else replace(item, where=_where(where))


def _open(
    path: Path,
    fmt: str | None,
    account: str | None,
    csv_mapping: CsvMapping | None,
    platform: Platform | None,
) -> tuple[str, Source]:
    """Check that ``path`` can be read and tell its format: the start of every reading."""
    path = Path(path)
    if not path.is_file():
        problem = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise ImportRefused(path, problem)
    try:
        if not _has_content(path):
            raise ImportRefused(path, "the file is empty")
    except OSError as exc:
        raise ImportRefused(path, f"cannot be read ({exc.strerror})") from None
    document = None
    if fmt is None:
        fmt, document = detect(path)
    elif fmt not in _READERS:
        raise FormatNotRecognised(path, f"unknown format {fmt!r}; Desk reads: {', '.join(FORMATS)}")
    source = Source(
        path=path, account=account, platform=platform, csv_mapping=csv_mapping, document=document
    )
    return fmt, source


def _fresh(source: Source) -> Source:
    return Source(
        path=source.path,
        account=source.account,
        platform=source.platform,
        csv_mapping=source.csv_mapping,
        document=source.document,
    )


def _key(item: IncomingItem) -> tuple[str, str | None, str]:
    return (item.platform.value, item.account, item.platform_id)


def _identity(item: IncomingItem) -> int:
    """An 8-byte hash of what makes an item unique in a file (equal for a repeat)."""
    return hash(_key(item))


def _records(
    fmt: str,
    source: Source,
    progress: Callable[[int], None] | None,
    cancelled: Callable[[], bool] | None,
    tally: list[int],
) -> Iterator[IncomingItem]:
    """Read and validate every record, yielding the good items; refuse the file on a problem.

    ``tally[0]`` counts the records read so far. An item that is there twice refuses the file,
    naming both places. To keep memory flat on files of millions of items, only an 8-byte hash
    of each item's identity is held; when two hashes are equal, the file is read again to name
    the first real repeat (and hashes that merely collide are let be). Once an item does not
    say which official account it came to (and none was given), no more items are yielded:
    the rest is read and checked only, to count them for :class:`AccountNeeded`.
    """
    path = source.path
    hashes = array("q")
    count = 0
    missing = 0
    first_missing: int | str | None = None
    try:
        asks = fmt in ASKS_FOR_ACCOUNT
        for item, where in _READERS[fmt](source):
            if asks and item.account is None and not item.addressed:
                missing += 1
                if first_missing is None:
                    first_missing = where
            hashes.append(_identity(item))
            count += 1
            tally[0] = count
            if not missing or source.account is not None:
                yield _placed(item, where)
            if count % PROGRESS_EVERY == 0:
                if progress is not None:
                    progress(count)
                if cancelled is not None and cancelled():
                    raise ImportCancelled(path, count)
    except ImportCancelled:
        raise
    except ImportRefused as exc:
        # a repeat earlier in the file is the first problem: name that one
        raise _first_repeat(fmt, source, hashes) or exc from None
    except OSError as exc:
        refused = ImportRefused(path, f"cannot be read ({exc.strerror})")
        raise _first_repeat(fmt, source, hashes) or refused from None
    repeat = _first_repeat(fmt, source, hashes)
    if repeat is not None:
        raise repeat
    if progress is not None and count % PROGRESS_EVERY:
        progress(count)
    if cancelled is not None and cancelled():
        raise ImportCancelled(path, count)
    if missing and source.account is None:
        assert first_missing is not None
        raise AccountNeeded(path, missing, _where(first_missing))


def _scan(
    fmt: str,
    source: Source,
    progress: Callable[[int], None] | None,
    cancelled: Callable[[], bool] | None,
    keep: list[IncomingItem] | None,
) -> int:
    """Read and validate every record; keep the items in ``keep`` if given; return the count."""
    tally = [0]
    for item in _records(fmt, source, progress, cancelled, tally):
        if keep is not None:
            keep.append(item)
    return tally[0]


def _first_repeat(fmt: str, source: Source, hashes: array[int]) -> ImportRefused | None:
    """Return the refusal for the first item that repeats an earlier one, or None."""
    ordered = sorted(hashes)
    suspects = {a for a, b in pairwise(ordered) if a == b}
    del ordered
    if not suspects:
        return None
    seen: dict[tuple[str, str | None, str], int | str] = {}
    id_field = _ID_FIELD.get(fmt, "id")
    for count, (item, where) in enumerate(_READERS[fmt](_fresh(source))):
        if count >= len(hashes):
            break
        if _identity(item) not in suspects:
            continue
        key = _key(item)
        known = len(seen)
        earlier = seen.setdefault(key, where)
        if len(seen) == known:
            return _duplicate(source.path, item, where, earlier, id_field)
    return None


def read_items(
    path: Path,
    fmt: str | None = None,
    account: str | None = None,
    csv_mapping: CsvMapping | None = None,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    platform: Platform | None = None,
) -> ImportBatch:
    """Read and validate every record of ``path``; return them all or refuse the file.

    This holds every item in memory; for files of hundreds of thousands of items,
    :func:`check_items` then :meth:`CheckedFile.items` read the file twice instead, holding
    one item at a time.

    Args:
        path: the file.
        fmt: one of ``jsonl``, ``csv``, ``activitystreams``, ``mastodon``, ``x_v2``,
            ``facebook_graph``, ``bluesky``; None to tell from the file (see
            :mod:`desk.ingest.detect`).
        account: the official account for records that do not name theirs.
        csv_mapping: how to read a CSV file (default: :class:`CsvMapping`'s defaults).
        progress: called with the number of records read so far, every
            :data:`PROGRESS_EVERY` records and once at the end.
        cancelled: asked as often; when it returns True the import stops.
        platform: the platform for formats that cannot tell (ActivityStreams: Mastodon unless
            given).

    Raises:
        ImportRefused: the file is empty, unreadable or not of the format, or a record is bad
            (the message names the file, the line or JSON path, and the field), or an item is
            there twice. Nothing is returned.
        FormatNotRecognised: ``fmt`` is None and the format cannot be told, or ``fmt`` is not
            a known format.
        AccountNeeded: records do not say which official account they came to and ``account``
            is None: ask, then call again with ``account=``.
        ImportCancelled: ``cancelled()`` returned True.
    """
    account = (account.strip() or None) if account is not None else None
    fmt, source = _open(path, fmt, account, csv_mapping, platform)
    items: list[IncomingItem] = []
    _scan(fmt, source, progress, cancelled, items)
    return ImportBatch(format=fmt, items=items, path=source.path, passed=source.passed)


@dataclass(frozen=True)
class CheckedFile:
    """A file whose every record was read and found good, ready to be read again and stored.

    :meth:`items` reads it a second time and yields one item at a time, so that a file of
    millions of items is stored without ever being held in memory. If the file changed in
    between so that a record is now bad, the second reading raises :class:`ImportRefused`
    (stored inside a transaction, nothing of it is kept).
    """

    format: str
    path: Path
    count: int
    passed: PassedOver
    _source: Source

    @property
    def skipped(self) -> int:
        """Records passed over on purpose."""
        return self.passed.total

    def items(self) -> Iterator[IncomingItem]:
        """Yield the file's items in order, reading it again."""
        count = 0
        try:
            for item, where in _READERS[self.format](_fresh(self._source)):
                count += 1
                yield _placed(item, where)
        except OSError as exc:
            raise ImportRefused(self.path, f"cannot be read ({exc.strerror})") from None
        if count != self.count:
            raise ImportRefused(
                self.path,
                f"changed while it was imported ({self.count} items when checked, {count} "
                "now); nothing was imported: import it again",
            )


def check_items(
    path: Path,
    fmt: str | None = None,
    account: str | None = None,
    csv_mapping: CsvMapping | None = None,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    platform: Platform | None = None,
) -> CheckedFile:
    """Read and validate every record of ``path`` without keeping them; refuse a bad file.

    The same checks, arguments and errors as :func:`read_items`, in flat memory; then
    ``ImportService.import_file(token, checked)`` reads the file again to store it.
    """
    account = (account.strip() or None) if account is not None else None
    fmt, source = _open(path, fmt, account, csv_mapping, platform)
    count = _scan(fmt, source, progress, cancelled, None)
    return CheckedFile(fmt, source.path, count, source.passed, source)


class StreamedFile:
    """A file opened for storing in one reading: its items are validated as they are yielded.

    :meth:`items` reads the file once, checking every record exactly as :func:`check_items`
    does, and raises the same errors at the same records; stored inside a transaction, a
    refused file (a bad record, a repeated item, items without an account) leaves nothing.
    A repeat or a missing account is only known at the end, so the refusal comes after the
    last record: the import's transaction then rolls back. ``count`` and ``skipped`` are
    final once :meth:`items` is exhausted.
    """

    def __init__(self, fmt: str, source: Source) -> None:
        self.format = fmt
        self.path = source.path
        self._source = source
        self._tally = [0]

    @property
    def count(self) -> int:
        """Items read so far (all of them once :meth:`items` is exhausted)."""
        return self._tally[0]

    @property
    def skipped(self) -> int:
        """Records passed over on purpose so far (likes, follows, reposts)."""
        return self._source.skipped

    @property
    def passed(self) -> PassedOver:
        """The records passed over on purpose so far, by reason."""
        return self._source.passed

    def estimated_count(self) -> int | None:
        """Guess the records to come, for a progress bar: None if the format cannot tell.

        The lines of a JSON Lines file, or those after a CSV file's header (a quoted field
        may span lines, and blank lines count: a guess, never a check).
        """
        if self.format not in ("jsonl", "csv"):
            return None
        lines, last = 0, b""
        with self.path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk
        if last and not last.endswith(b"\n"):
            lines += 1
        return max(lines - (1 if self.format == "csv" else 0), 0)

    def items(
        self,
        progress: Callable[[int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Iterator[IncomingItem]:
        """Yield the file's items in order, validating each; refuse the file on a problem."""
        self._source = _fresh(self._source)
        self._tally = [0]
        return _records(self.format, self._source, progress, cancelled, self._tally)


def stream_items(
    path: Path,
    fmt: str | None = None,
    account: str | None = None,
    csv_mapping: CsvMapping | None = None,
    *,
    platform: Platform | None = None,
) -> StreamedFile:
    """Open ``path`` to be validated and stored in one reading (the quickest way to import).

    The same arguments and errors as :func:`check_items`: the file's existence, content and
    format are checked now; every record as :meth:`StreamedFile.items` yields it. Use
    :func:`check_items` instead when a refusal should come before anything else is done (the
    command line checks a file before asking for a one-time code).
    """
    account = (account.strip() or None) if account is not None else None
    fmt, source = _open(path, fmt, account, csv_mapping, platform)
    return StreamedFile(fmt, source)


def _duplicate(
    path: Path, item: IncomingItem, where: int | str, earlier: int | str, id_field: str
) -> ImportRefused:
    problem = (
        f"item {item.platform_id!r} is already at {_where(earlier)} (same platform "
        f"{item.platform.value!r} and account {item.account!r}): an item may appear once"
    )
    if isinstance(where, int):
        return ImportRefused(path, problem, line=where, json_path=f"$.{id_field}", field=id_field)
    if where.startswith("row "):
        return ImportRefused(path, problem, row=int(where[4:]), field=id_field)
    return ImportRefused(path, problem, json_path=f"{where}.{id_field}", field=id_field)
