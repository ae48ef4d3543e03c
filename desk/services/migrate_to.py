"""``desk-admin migrate-to URL``: move a desk from its SQLite file onto an empty PostgreSQL server.

The server must hold no tables at all. It is migrated to the head schema, every table is
copied in dependency order (ids kept), the sequences are moved on, and the row counts and the
audit chain are verified on the server before the move is recorded there (one audit entry)
and the URL saved as the profile's choice. The SQLite file is only read. Any failure, or an
interruption, drops what was made on the server, which is left empty again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from desk.core.clock import Clock
from desk.core.errors import Conflict, DatabaseProblem, DeskError, InvalidInput
from desk.paths import Profile
from desk.services.audit import verify_from_checkpoints
from desk.services.audit_head import check_head, empty_log_problem
from desk.services.context import DeskContext, open_desk
from desk.services.shared_desk import open_server
from desk.store import migrate, server_copy
from desk.store.database_url import ServerChoice, parse_server_url, save_choice
from desk.store.db import Database
from desk.store.revisions import head_revision
from desk.workstation import this_workstation

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class MoveReport:
    """What the move copied and checked."""

    server: str
    counts: dict[str, int]
    audit_checked: int
    saved_to: Path


def _refuse_occupied(db: Database, where: str) -> None:
    present = server_copy.table_names(db)
    if migrate.VERSION_TABLE in present:
        raise Conflict(
            f"The server {where} already holds a Desk: nothing was copied. Point this "
            "workstation at it with 'desk-admin database set-url', or give an empty database."
        )
    if present:
        raise Conflict(
            f"The server {where} already holds tables ({', '.join(present[:5])}"
            f"{', ...' if len(present) > 5 else ''}): nothing was copied. Ask the database "
            "administrator for an empty database for Desk."
        )


def _chain_problem(ctx: DeskContext) -> tuple[int, str | None]:
    """Verify the audit chain in ``ctx``'s database as 'audit verify' does; (checked, problem)."""
    with ctx.db.read() as s:
        report = verify_from_checkpoints(s, ctx)
        if not report.intact:
            return report.checked, report.problem
        problem = empty_log_problem(s)
        if problem is not None:
            return report.checked, problem
        kept = check_head(s, ctx)
    return report.checked, kept.problem


def _copy_and_check(
    source: DeskContext, server: DeskContext, batch: int, progress: Progress | None
) -> tuple[dict[str, int], int]:
    src, dst = source.db, server.db
    migrate.upgrade(dst)
    names = server_copy.source_tables(src)
    known = {t.name for t in server_copy.desk_tables()}
    unknown = sorted(set(names) - known)
    if unknown:
        raise DatabaseProblem(
            f"The SQLite file holds tables this Desk does not know ({', '.join(unknown[:5])})."
        )
    copied: dict[str, int] = {}
    for table in server_copy.desk_tables():
        if table.name in names:
            copied[table.name] = server_copy.copy_table(src, dst, table, batch, progress)
    server_copy.reset_sequences(dst)
    before = server_copy.row_counts(src, sorted(copied))
    after = server_copy.row_counts(dst, sorted(copied))
    differ = [f"{n} ({before[n]:,} here, {after[n]:,} there)" for n in sorted(copied)
              if before[n] != after[n]]  # fmt: skip
    if differ:
        raise DatabaseProblem(f"row counts differ after the copy: {'; '.join(differ)}")
    checked, problem = _chain_problem(server)
    if problem is not None:
        raise DatabaseProblem(f"the audit chain does not verify on the server: {problem}")
    return after, checked


def migrate_to(
    profile: Profile,
    url_text: str,
    clock: Clock | None = None,
    batch: int = server_copy.COPY_BATCH,
    progress: Progress | None = None,
) -> MoveReport:
    """Move the profile's SQLite desk onto the empty server ``url_text``; see the module.

    Raises:
        InvalidInput: a bad URL (or one with a password), or no SQLite desk to move.
        Conflict: the server already holds a Desk or tables.
        DatabaseProblem: the server cannot be used, or the copy failed its checks (the
            server was emptied again).
    """
    if batch < 1:
        raise InvalidInput(f"The batch size must be at least 1, not {batch}.")
    choice = ServerChoice(parse_server_url(url_text), "migrate-to")
    if not profile.db_path.is_file():
        raise InvalidInput(
            f"There is no SQLite desk in {profile.data_dir} to move ({profile.db_path})."
        )
    local = Database.sqlite(profile.db_path)
    try:
        revision = migrate.current_revision(local)
    except BaseException:
        local.dispose()
        raise
    if revision != head_revision():
        local.dispose()
        raise InvalidInput(
            f"The SQLite file {profile.db_path} is at schema {revision}, not this Desk's "
            f"{head_revision()}: open it once with this Desk (which upgrades it after "
            "a backup), then move it. Nothing was copied."
        )
    source = open_desk(profile, clock, db=local)
    try:
        dst = open_server(profile, choice)
        try:
            _refuse_occupied(dst, choice.shown)
            objects = server_copy.schema_objects(dst)
            server = replace(source, db=dst)
            try:
                counts, checked = _copy_and_check(source, server, batch, progress)
                with dst.write() as s:
                    server.audit.record(
                        s,
                        "system",
                        "database.move",
                        "database",
                        to=choice.shown,
                        rows=sum(counts.values()),
                        workstation=this_workstation(),
                    )
            except BaseException as exc:
                server_copy.drop_new(dst, objects)
                log.warning("move to %s failed; the server was emptied again", choice.shown)
                if isinstance(exc, DeskError):
                    raise DatabaseProblem(
                        f"The move to {choice.shown} failed and the server is empty again "
                        f"(the SQLite file is unchanged): {exc.message}"
                    ) from None
                if isinstance(exc, Exception):
                    log.error("the move failed", exc_info=exc)
                    raise DatabaseProblem(
                        f"The move to {choice.shown} failed ({type(exc).__name__}) and the "
                        "server is empty again (the SQLite file is unchanged); the details "
                        "are in the log."
                    ) from exc
                raise
        finally:
            dst.dispose()
    finally:
        source.close()
    saved = save_choice(profile.config_dir, choice.url)
    log.info("desk moved to %s: %s rows", choice.shown, sum(counts.values()))
    return MoveReport(choice.shown, counts, checked, saved)
