"""``maintenance compact-originals``: compress the records imports stored raw."""

from __future__ import annotations

from collections.abc import Callable

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.output import write_json
from desk.core.errors import DeskError, InvalidInput
from desk.core.roles import Action
from desk.services.importing import COMPACT_BATCH, Compaction


def add_parsers(sub: Subparsers) -> None:
    """Add the ``maintenance`` commands."""
    maintenance = command(sub, "maintenance", "upkeep of the desk's stored data")
    jobs = group(maintenance, "job", "JOB")
    compact = command(
        jobs,
        "compact-originals",
        "compress the records imports kept raw (safe to stop and run again)",
        "An import keeps each record's bytes exactly as received, uncompressed, so that the "
        "import is quick; this compresses them. A record is compressed only once its bytes "
        "match the SHA-256 taken at import and the compressed form is proven to give them "
        "back; a record that does not match is left as it is and named. Each batch is its "
        "own transaction, audited: stopping part-way leaves every record readable. The "
        "window does the same when idle, and 'desk-admin import' after each file.",
    )
    compact.add_argument(
        "--batch",
        type=int,
        default=COMPACT_BATCH,
        metavar="N",
        help=f"records per transaction ({COMPACT_BATCH:,})",
    )
    json_flag(compact)
    compact.set_defaults(handler=run_compact_originals)


def compact_all(
    call: Callable[[int], Compaction], progress: Callable[[int], None] | None = None
) -> tuple[int, list[int], int]:
    """Run compaction passes until none is left; return compacted, damaged ids, still raw.

    ``call(after)`` runs one pass (one transaction) past item id ``after``.
    """
    compacted, after, remaining = 0, 0, 0
    damaged: list[int] = []
    while True:
        done = call(after)
        compacted += done.compacted
        damaged.extend(done.damaged)
        remaining, after = done.remaining, done.next_after
        if done.done:
            return compacted, damaged, remaining
        if progress is not None:
            progress(compacted)


def compact_after_import(inv: Invocation, token: str) -> None:
    """Compress what an import just kept raw; a failure only leaves them raw, and says so."""
    importer = inv.desk.importer
    try:
        _compacted, damaged, _remaining = compact_all(
            lambda after: importer.compact_originals(token, after=after)
        )
    except DeskError as exc:
        inv.console.note(
            f"desk-admin: the records were imported but not yet compressed ({exc.message}); "
            "'desk-admin maintenance compact-originals' does it later."
        )
        return
    if damaged:
        inv.console.note(
            f"desk-admin: {len(damaged)} kept record(s) do not match the SHA-256 taken at "
            f"import and were left as they are (items {', '.join(map(str, damaged))})."
        )


def run_compact_originals(inv: Invocation) -> int:
    """Compress every raw record, batch by batch; say how many and any that do not match."""
    batch: int = inv.args.batch
    if batch < 1:
        raise InvalidInput(f"--batch must be at least 1, not {batch}.")
    importer = inv.desk.importer
    with auth.acting(inv, Action.IMPORT_ITEMS) as acting:
        compacted, damaged, remaining = compact_all(
            lambda after: importer.compact_originals(acting.token, batch, after)
        )
    if inv.args.json:
        write_json(
            inv.console.stdout,
            {"compacted": compacted, "damaged": damaged, "still_raw": remaining},
        )
        return EXIT_OK
    inv.console.out(f"Compressed {compacted:,} kept record(s); {remaining:,} left uncompressed.")
    if damaged:
        inv.console.out(
            f"{len(damaged)} record(s) do not match the SHA-256 taken at import and were left "
            f"as they are (items {', '.join(map(str, damaged))}): check the database."
        )
    return EXIT_OK
