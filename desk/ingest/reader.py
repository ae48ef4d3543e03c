"""The one entry point: read a whole import file into a batch, or refuse it whole."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from desk.core.items import IncomingItem, Platform
from desk.ingest import activitystreams, csv_format, facebook_graph, jsonl_format, mastodon, x_v2
from desk.ingest.csv_format import CsvMapping
from desk.ingest.detect import FORMATS, detect
from desk.ingest.errors import AccountNeeded, FormatNotRecognised, ImportCancelled, ImportRefused
from desk.ingest.source import Source

__all__ = ["PROGRESS_EVERY", "ImportBatch", "read_items"]

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
    path = Path(path)
    account = (account.strip() or None) if account is not None else None
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
    items: list[IncomingItem] = []
    seen: dict[tuple[str, str | None, str], int | str] = {}
    missing = 0
    first_missing: int | str | None = None
    id_field = _ID_FIELD.get(fmt, "id")
    intern = sys.intern
    try:
        for item, where in _READERS[fmt](source):
            item_account = item.account
            if item_account is None:
                missing += 1
                if first_missing is None:
                    first_missing = where
            key = (item.platform.value, item_account and intern(item_account), item.platform_id)
            known = len(seen)
            earlier = seen.setdefault(key, where)
            if len(seen) == known:
                raise _duplicate(path, item, where, earlier, id_field)
            items.append(item)
            if len(items) % PROGRESS_EVERY == 0:
                if progress is not None:
                    progress(len(items))
                if cancelled is not None and cancelled():
                    raise ImportCancelled(path, len(items))
    except OSError as exc:
        raise ImportRefused(path, f"cannot be read ({exc.strerror})") from None
    if progress is not None and len(items) % PROGRESS_EVERY:
        progress(len(items))
    if cancelled is not None and cancelled():
        raise ImportCancelled(path, len(items))
    if missing and account is None:
        assert first_missing is not None
        raise AccountNeeded(path, missing, _where(first_missing))
    return ImportBatch(format=fmt, items=items, path=path, skipped=source.skipped)


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
