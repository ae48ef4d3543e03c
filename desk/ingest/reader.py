"""The entry points: read a whole import file into a batch, or check it then stream it."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from desk.core.items import IncomingItem, Platform
from desk.ingest import activitystreams, csv_format, facebook_graph, jsonl_format, mastodon, x_v2
from desk.ingest.csv_format import CsvMapping
from desk.ingest.detect import FORMATS, detect
from desk.ingest.errors import AccountNeeded, FormatNotRecognised, ImportCancelled, ImportRefused
from desk.ingest.source import Source

__all__ = ["PROGRESS_EVERY", "CheckedFile", "ImportBatch", "check_items", "read_items"]

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
}
_ID_FIELD = {"activitystreams": "object.id"}
assert set(_READERS) == set(FORMATS)


@dataclass(frozen=True)
class ImportBatch:
    """Every item of one file, all validated: store them in one transaction.

    ``skipped`` counts records passed over on purpose (a Like, a follow notification, a
    repost), never bad ones: a bad record refuses the whole file.
    """

    format: str
    items: list[IncomingItem]
    path: Path
    skipped: int = 0


def _has_content(path: Path) -> bool:
    """Whether the file holds anything but white space (and a byte-order mark)."""
    with path.open("rb") as fh:
        while chunk := fh.read(64 * 1024):
            if chunk.removeprefix(b"\xef\xbb\xbf").strip():
                return True
    return False


def _where(where: int | str) -> str:
    return f"line {where}" if isinstance(where, int) else where


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


def _scan(
    fmt: str,
    source: Source,
    progress: Callable[[int], None] | None,
    cancelled: Callable[[], bool] | None,
    keep: list[IncomingItem] | None,
) -> int:
    """Read and validate every record; keep the items in ``keep`` if given; return the count.

    An item that is there twice refuses the file, naming both places. To keep memory flat on
    files of millions of items, only an 8-byte hash of each item's identity is held; when two
    hashes are equal, the file is read again to name the first real repeat (and hashes that
    merely collide are let be).
    """
    path = source.path
    hashes = array("q")
    count = 0
    missing = 0
    first_missing: int | str | None = None
    try:
        for item, where in _READERS[fmt](source):
            if item.account is None:
                missing += 1
                if first_missing is None:
                    first_missing = where
            hashes.append(_identity(item))
            count += 1
            if keep is not None:
                keep.append(item)
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
    return count


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
            ``facebook_graph``; None to tell from the file (see :mod:`desk.ingest.detect`).
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
    return ImportBatch(format=fmt, items=items, path=source.path, skipped=source.skipped)


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
    skipped: int
    _source: Source

    def items(self) -> Iterator[IncomingItem]:
        """Yield the file's items in order, reading it again."""
        count = 0
        try:
            for item, _where in _READERS[self.format](_fresh(self._source)):
                count += 1
                yield item
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
    ``ImportService.store(token, checked.items(), ...)`` reads the file again to store it.
    """
    account = (account.strip() or None) if account is not None else None
    fmt, source = _open(path, fmt, account, csv_mapping, platform)
    count = _scan(fmt, source, progress, cancelled, None)
    return CheckedFile(fmt, source.path, count, source.skipped, source)


def _duplicate(
    path: Path, item: IncomingItem, where: int | str, earlier: int | str, id_field: str
) -> ImportRefused:
    problem = (
        f"item {item.platform_id!r} is already at {_where(earlier)} (same platform "
        f"{item.platform.value!r} and account {item.account!r}): an item may appear once"
    )
    if isinstance(where, int):
        return ImportRefused(path, problem, line=where, field=id_field)
    return ImportRefused(path, problem, json_path=f"{where}.{id_field}", field=id_field)
