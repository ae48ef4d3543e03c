"""``import FILE``: store a file of items whole, in one transaction, or refuse it whole.

The file is never held in memory. Signed in through ``DESK_SESSION`` (scripts, bulk loads), it
is read once: ``ImportService.import_file`` validates each record as it is stored, and a bad one
rolls the transaction back. When a one-time code will be asked for, ``ImportService.check_file``
validates every record first, so that a refused file spends no code, and ``import_file`` then
reads it again into the transaction (about a tenth slower on big files: docs/performance.md).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from desk.cli import auth
from desk.cli.console import Console
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command
from desk.cli.maintenance import compact_after_import
from desk.cli.official import PLATFORMS, platform_type
from desk.cli.output import clean, table
from desk.core.errors import InvalidInput
from desk.core.roles import Action
from desk.services.csv_mappings import CsvMapping
from desk.services.importing import (
    FORMATS,
    AccountNeeded,
    CheckedFile,
    FileImport,
    ImportRefused,
    ImportSource,
    StreamedFile,
    detect_format,
)

PROGRESS_FROM = 5000
"""Files with at least this many records show progress lines on standard error."""
PROGRESS_STEP = 5000
_PRIORITIES = (1, 2, 3, 4)


def add_parsers(sub: Subparsers) -> None:
    """Add the ``import`` command."""
    imp = command(
        sub,
        "import",
        "import a file of items into the queue (all or nothing)",
        "Read FILE, check every record, then store all of its items in one transaction: on "
        "any bad record nothing is stored, and the message names the file, the line or JSON "
        "path, and the field. Importing is idempotent: an item already on the desk (same "
        "platform, official account and platform id) is skipped, and nothing already triaged "
        "changes. The official accounts must be set up first ('desk-admin official-account "
        "add').\n\n"
        f"Formats: {', '.join(FORMATS)} (see docs/import-format.md); told from the file "
        "unless --format is given.",
    )
    imp.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="the file to import ('import mappings list' lists the saved CSV mappings)",
    )
    imp.add_argument("listing", nargs="?", choices=("list",), help=argparse.SUPPRESS)
    imp.add_argument(
        "--format",
        dest="fmt",
        choices=FORMATS,
        metavar="FORMAT",
        help=f"one of: {', '.join(FORMATS)}",
    )
    imp.add_argument(
        "--account",
        metavar="HANDLE",
        help="the official account for items whose file does not say which account they "
        "arrived on (and the one to pick when an item mentions several)",
    )
    imp.add_argument(
        "--mapping",
        metavar="NAME|MAPPING.json",
        help="a CSV column mapping: the name of one saved from the Import dialog ('desk-admin "
        "import mappings list'), or a mapping file (CSV files only; default: the typical "
        "export's headers, see docs/import-format.md)",
    )
    imp.add_argument(
        "--platform",
        type=platform_type,
        metavar="PLATFORM",
        help=f"the platform of an ActivityStreams file (default mastodon); one of: {PLATFORMS}",
    )
    imp.set_defaults(handler=run_import)


def _progress(console: Console, what: str) -> Callable[[int], None]:
    shown = [0]

    def report(count: int) -> None:
        if count >= PROGRESS_FROM and count - shown[0] >= PROGRESS_STEP:
            shown[0] = count
            console.note(f"desk-admin: {what} {count:,} records...")

    return report


def _mapping(inv: Invocation, given: str) -> Path | CsvMapping:
    """A mapping file (``….json`` or an existing file), else the saved mapping of that name."""
    as_path = Path(given).expanduser()
    if given.lower().endswith(".json") or as_path.is_file():
        return as_path
    return inv.desk.csv_mappings.named(given)


def _source(inv: Invocation, path: Path) -> ImportSource:
    given: str | None = inv.args.mapping
    mapping: Path | CsvMapping | None = None
    if given is not None:
        fmt = inv.args.fmt or detect_format(path)
        if fmt != "csv":
            raise InvalidInput(
                f"--mapping is for CSV files, but {path} is read as {fmt}: leave --mapping "
                "out, or give --format csv."
            )
        mapping = _mapping(inv, given)
    return ImportSource(path, inv.args.fmt, inv.args.account, mapping, inv.args.platform)


def run_list_mappings(inv: Invocation) -> int:
    """Print the saved CSV mappings: name, separator, and which column holds each field."""
    with auth.acting(inv):
        saved = inv.desk.csv_mappings.saved()
    if not saved:
        inv.console.out(
            "No saved CSV mappings yet: map a CSV export's columns in File → Import… → Map "
            "columns…, and save it under a name."
        )
        return EXIT_OK
    rows = [
        (
            m.name,
            "tab" if m.delimiter == "\t" else m.delimiter,
            m.time_format or "ISO 8601",
            "; ".join(f"{field}={column}" for field, column in m.columns.items())
            + "".join(f"; {field}=(always {value})" for field, value in m.defaults.items()),
        )
        for m in saved
    ]
    inv.console.out(table(("name", "separator", "times", "columns"), rows))
    return EXIT_OK


def _account_needed(exc: AccountNeeded) -> InvalidInput:
    items = "1 item does" if exc.count == 1 else f"{exc.count} items do"
    return InvalidInput(
        f"Cannot import {exc.path}: {items} not say which official account they arrived "
        f"on (the first at {exc.first}). Say which with --account HANDLE, e.g. "
        f"'desk-admin import {exc.path} --account HANDLE' ('desk-admin official-account "
        "list' shows the handles). Nothing was imported."
    )


def _summary(batch: FileImport) -> list[str]:
    report = batch.report
    duplicates = "duplicate" if report.duplicates == 1 else "duplicates"
    items = "item" if report.total == 1 else "items"
    lines = [
        f"Imported {clean(batch.path)} ({batch.format}): {report.total} {items} read, "
        f"{report.added} added, {report.duplicates} {duplicates} skipped (already on the desk)."
    ]
    if report.own_posts or report.own_posts_known:
        lines.append(
            f"The force's own posts: {report.own_posts} kept as thread context "
            f"({report.own_posts_known} already on the desk); never queued."
        )
    if batch.passed.total:
        records = "record" if batch.passed.total == 1 else "records"
        lines.append(f"Passed over {batch.passed.total} {records}:")
        lines += [f"  {line}" for line in batch.passed.lines()]
    lines.append(f"Cases: {report.cases_opened} opened, {report.cases_joined} joined.")
    by_priority = ", ".join(f"P{p} {report.by_priority.get(p, 0)}" for p in _PRIORITIES)
    lines.append(f"Added items by priority: {by_priority}.")
    return lines


def run_import(inv: Invocation) -> int:
    """Store the whole file (checked first when a code will be asked); print what was added."""
    path: Path = inv.args.file
    if inv.args.listing is not None:
        if str(path) != "mappings":
            raise InvalidInput(
                f"'desk-admin import {path} list' is not a command: import one FILE, or list "
                "the saved CSV mappings with 'desk-admin import mappings list'."
            )
        return run_list_mappings(inv)
    who = auth.identify(inv, Action.IMPORT_ITEMS)
    importer = inv.desk.importer
    # before the one-time code: a refused file spends none
    check_first = who.asks_for_code
    wanted = _source(inv, path)
    source: CheckedFile | StreamedFile
    try:
        if check_first:
            source = importer.check_file(wanted, _progress(inv.console, f"read {clean(path)}:"))
        else:
            source = importer.open_file(wanted)
    except AccountNeeded as exc:
        raise _account_needed(exc) from None
    with who.act() as acting:
        try:
            batch = importer.import_file(
                acting.token,
                source,
                # read once, a record is only stored for good when the whole file was
                progress=_progress(
                    inv.console, f"{'stored' if check_first else 'read'} {clean(path)}:"
                ),
            )
        except AccountNeeded as exc:
            raise _account_needed(exc) from None
        except ImportRefused:
            raise  # a bad record met while storing: its message names the file already
        except InvalidInput as exc:
            raise InvalidInput(
                f"Cannot import {path}: {exc.message} Nothing was imported."
            ) from None
        # the import kept each record raw, for speed: compress them now it is in
        compact_after_import(inv, acting.token)
    for line in _summary(batch):
        inv.console.out(line)
    return EXIT_OK
