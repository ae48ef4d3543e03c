"""Importing files of items: whole file or nothing, idempotent, risk scored on arrival.

:meth:`ImportService.import_file` is the one way a file comes in: the Import dialog, the drop
folder and ``desk-admin import`` all use it. A file of a million items goes in as one
transaction in chunks of :data:`CHUNK` items (docs/performance.md explains the measurements
behind this):

- each item's rules, language, summary, fingerprint and stored text are worked out first,
  without the database (:func:`_prepare`);
- each chunk is then matched to what the database holds and written in bulk by
  :class:`desk.store.import_writer.ImportWriter`, which groups items into cases by the rules
  of :mod:`desk.core.grouping`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desk.core.errors import InvalidInput, UnknownOfficialAccounts
from desk.core.grouping import DEFAULT_JOIN_WINDOW, case_summary, thread_key
from desk.core.items import PASS_REASONS, IncomingItem, PassedOver, PassReason, Platform
from desk.core.language import detect_language
from desk.core.risk import DEFAULT_TARGETS, Priority, RuleMatch, RuleSet, priority_for
from desk.core.roles import Action
from desk.core.similarity import fingerprint
from desk.core.targets import parse_targets
from desk.ingest import (
    FORMATS,
    AccountNeeded,
    CheckedFile,
    CsvMapping,
    FormatNotRecognised,
    ImportCancelled,
    ImportRefused,
    StreamedFile,
    check_items,
    detect_format,
    stream_items,
)
from desk.services.account_register import refuse_investigations_items
from desk.services.context import DeskContext
from desk.services.impersonation import flag_authors_added_after
from desk.services.signin import SignInService
from desk.services.usernames import loggable_username
from desk.store.import_writer import ImportReport, ImportWriter, PreparedItem
from desk.store.originals import compact_originals, raw_originals
from desk.store.tables import Account

__all__ = [
    "CHUNK",
    "COMPACT_BATCH",
    "DEFAULT_JOIN_WINDOW",
    "FORMATS",
    "PASS_REASONS",
    "AccountNeeded",
    "CheckedFile",
    "Compaction",
    "FileImport",
    "FormatNotRecognised",
    "ImportCancelled",
    "ImportRefused",
    "ImportReport",
    "ImportService",
    "ImportSource",
    "PassReason",
    "PassedOver",
    "StreamedFile",
    "UnknownOfficialAccounts",
    "detect_format",
]

_log = logging.getLogger(__name__)

CHUNK = 5000
COMPACT_BATCH = 2000
"""Records :meth:`ImportService.compact_originals` compresses in one transaction (~0.1 s)."""


@dataclass(frozen=True)
class ImportSource:
    """A file to import and how to read it.

    ``format``: one of :data:`FORMATS`, None to tell from the file; ``account``: the official
    account for records that do not name theirs; ``mapping``: a saved CSV column mapping;
    ``platform``: the platform of a format that cannot tell (ActivityStreams).
    """

    path: Path
    format: str | None = None
    account: str | None = None
    mapping: Path | CsvMapping | None = None  # a mapping file, or a saved mapping (issue 17)
    platform: Platform | None = None


@dataclass(frozen=True)
class FileImport:
    """What importing one file read and stored.

    ``passed``: every record passed over, summed by reason: by the reader (likes, follows,
    reposts) and by the store (connected to no official account); ``skipped`` is their total.
    The force's own posts are in ``report.own_posts`` (thread context, never queued).
    """

    path: Path
    format: str
    skipped: int
    report: ImportReport
    passed: PassedOver = field(default_factory=PassedOver)


@dataclass(frozen=True)
class Compaction:
    """What one compaction pass did.

    ``compacted``: records compressed; ``damaged``: item ids of raw records whose bytes do
    not match their SHA-256 (left as they are); ``remaining``: records still raw after it;
    ``next_after``: pass it as ``after`` to go on past the records this pass looked at.
    """

    compacted: int
    damaged: tuple[int, ...]
    remaining: int
    next_after: int

    @property
    def done(self) -> bool:
        """Whether this pass found nothing left to do past ``after``."""
        return self.compacted == 0 and not self.damaged


def _matches_json(matches: Sequence[RuleMatch]) -> str:
    return json.dumps(
        [
            {
                "rule": m.rule_id,
                "category": m.category,
                "severity": str(getattr(m.severity, "value", m.severity)),
                "spans": [list(span) for span in m.spans],
                "matched": list(m.matched),
            }
            for m in matches
        ],
        ensure_ascii=False,
    )


class ImportService:
    """Stores files of items as cases; the GUI, the drop folder and desk-admin all use it."""

    def __init__(
        self,
        ctx: DeskContext,
        signin: SignInService,
        rules: RuleSet,
        targets: dict[Priority, timedelta] | None = None,
        join_window: timedelta = DEFAULT_JOIN_WINDOW,
    ) -> None:
        self.ctx = ctx
        self.signin = signin
        self.rules = rules
        self._given = (targets, join_window)
        self.targets = targets or dict(DEFAULT_TARGETS)
        self.join_window = join_window

    def _read_settings(self) -> None:
        """Take the desk's current response targets and joining window (settings win)."""
        targets, join_window = self._given
        text = self.ctx.setting("response_targets", "")
        self.targets = parse_targets(text) if text else targets or dict(DEFAULT_TARGETS)
        minutes = self.ctx.setting("join_window_minutes", None)
        self.join_window = timedelta(minutes=int(minutes)) if minutes else join_window

    # files --------------------------------------------------------------------------------

    def check_file(
        self,
        source: ImportSource,
        progress: Callable[[int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> CheckedFile:
        """Read and check every record of a file, storing nothing; refuse a bad file.

        For a refusal before anything else is done (the command line checks a file before it
        asks for a one-time code, so that a refused file spends none); then pass the result
        to :meth:`import_file`, which reads the file again to store it.

        Raises:
            ImportRefused: the file, or a record in it, is bad (the message says where).
            AccountNeeded: records do not name their official account and none was given.
            ImportCancelled: ``cancelled()`` returned True.
        """
        path, fmt, account, mapping, platform = _reading(source)
        return check_items(path, fmt, account, mapping, progress, cancelled, platform=platform)

    def open_file(self, source: ImportSource) -> StreamedFile:
        """Open a file to be read once as it is stored (the quickest way to import).

        The file's existence, content and format (and a CSV mapping) are checked now; each
        record as :meth:`import_file` stores it.

        Raises:
            ImportRefused: the file is missing, empty, unreadable or of no known format.
            InvalidInput: the CSV mapping cannot be read or is not valid.
        """
        path, fmt, account, mapping, platform = _reading(source)
        return stream_items(path, fmt, account, mapping, platform=platform)

    def import_file(
        self,
        token: str,
        source: ImportSource | StreamedFile | CheckedFile | Path,
        progress: Callable[[int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        expected: Callable[[int | None], None] | None = None,
    ) -> FileImport:
        """Import a whole file in one transaction, or nothing of it.

        ``source`` is a file to read once, each record checked as it is stored (a path, an
        :class:`ImportSource` saying how to read it, or what :meth:`open_file` opened), or a
        file :meth:`check_file` checked. ``progress`` is called with the records stored so
        far after each chunk; ``cancelled`` is asked as often (and while reading), and stops
        the import with nothing stored; ``expected`` is told first about how many records
        are coming (None when the format cannot tell).

        Raises:
            ImportRefused: the file, or a record in it, is bad (the message says where).
            AccountNeeded: records do not name their official account and none was given.
            UnknownOfficialAccounts: items name official accounts the desk does not have
                (all of them are named).
            ImportCancelled: ``cancelled()`` returned True.
        """
        self.signin.authorize(token, Action.IMPORT_ITEMS)
        batch: CheckedFile | StreamedFile
        if isinstance(source, CheckedFile):
            batch = source
            items: Iterable[IncomingItem] = source.items()
            count: int | None = source.count
        else:
            if isinstance(source, StreamedFile):
                batch = source
            else:
                batch = self.open_file(
                    source if isinstance(source, ImportSource) else ImportSource(Path(source))
                )
            items = batch.items(cancelled=cancelled)
            count = batch.estimated_count() if expected is not None else None
        if expected is not None:
            expected(count)
        report = self.store(token, items, str(batch.path), progress, cancelled, batch.passed)
        # the report says every record passed over: the reader's and the store's
        report.passed = batch.passed.merge(report.passed)
        return FileImport(batch.path, batch.format, report.passed.total, report, report.passed)

    # the records as received ----------------------------------------------------------------

    def compact_originals(
        self, token: str, limit: int = COMPACT_BATCH, after: int = 0
    ) -> Compaction:
        """Compress up to ``limit`` records an import stored raw, in one transaction.

        An import keeps each record's bytes raw, for speed; this squeezes them afterwards
        (the window's idle pass, ``desk-admin maintenance compact-originals``, and
        ``desk-admin import`` once its file is in). A record is compressed only once its bytes
        match the SHA-256 taken at import and the compressed form gives them back; an
        interrupted pass leaves every record readable. A pass that compressed anything writes
        an ``originals.compacted`` audit entry in the same transaction.
        """
        actor = self.signin.authorize(token, Action.IMPORT_ITEMS)
        if limit < 1:
            raise InvalidInput(f"The batch size must be at least 1, not {limit}.")
        with self.ctx.db.write() as s:
            done = compact_originals(s, limit, after)
            if done.compacted:
                self.ctx.audit.record(
                    s,
                    actor.username,
                    "originals.compacted",
                    "originals",
                    compacted=done.compacted,
                    first_item=done.first,
                    last_item=done.last,
                    damaged=list(done.damaged),
                )
            remaining = raw_originals(s)
        if done.damaged:
            _log.warning(
                "%d kept records do not match their SHA-256 and were left as they are (items %s)",
                len(done.damaged),
                ", ".join(map(str, done.damaged[:20])),
            )
        looked = max(done.last or 0, max(done.damaged, default=0))
        return Compaction(done.compacted, done.damaged, remaining, max(after, looked))

    def raw_originals(self, token: str) -> int:
        """Count the records an import stored raw that compaction has not compressed yet."""
        self.signin.authorize(token, Action.IMPORT_ITEMS)
        with self.ctx.db.read() as s:
            return raw_originals(s)

    # items --------------------------------------------------------------------------------

    def store(
        self,
        token: str,
        items: Iterable[IncomingItem],
        source: str,
        progress: Callable[[int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        read_passed: PassedOver | None = None,
    ) -> ImportReport:
        """Store every item in one transaction; on any problem nothing is stored.

        ``items`` may be a generator reading a file: it is read one chunk at a time, and an
        error it raises (a bad record, the file changed since it was checked) stores nothing.
        ``progress`` and ``cancelled`` are called after each chunk. Files go through
        :meth:`import_file`. ``read_passed``: the records the reader passed over (filled
        in as the items are read), for the audit entry.
        """
        actor = self.signin.authorize(token, Action.IMPORT_ITEMS)
        return self._store_as(actor.username, items, source, progress, cancelled, read_passed)

    def _store_as(
        self,
        actor: str,
        items: Iterable[IncomingItem],
        source: str,
        progress: Callable[[int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        read_passed: PassedOver | None = None,
    ) -> ImportReport:
        """Store items recorded as ``actor``, who has been checked already (no session here).

        Only :meth:`store` (a person's session and role checked) and :func:`store_for_setup`
        (Desk's own set-up, recorded as such) call this.
        """
        self._read_settings()
        report = ImportReport(source)
        with self.ctx.db.write() as s:
            writer = ImportWriter(s, report, self.join_window, keep_cases=2 * CHUNK)
            rules, targets, time, clock = self.rules, self.targets, writer.time, self.ctx.clock
            memo: dict[str, _TextFacts] = {}
            try:
                for chunk in _chunks(items):
                    # reading and working out this chunk overlaps the writing of the last one
                    now = clock.now()
                    writer.store_chunk(
                        now, [_prepare(item, now, rules, targets, time, memo) for item in chunk]
                    )
                    if progress:
                        progress(report.total)
                    if cancelled and cancelled():
                        raise ImportCancelled(Path(source), report.total)
                writer.finish()
                refuse_investigations_items(s, writer.first_item, writer.last_item)
            except BaseException:
                writer.close(discard=True)  # the transaction is rolled back: nothing is kept
                raise
            writer.close()
            if report.total == 0 and progress:
                progress(0)
            if cancelled and cancelled():
                raise ImportCancelled(Path(source), report.total)
            flag_authors_added_after(s, self.ctx, writer.author_floor, actor)
            self.ctx.audit.record(
                s,
                actor,
                "import.file",
                f"import:{source}",
                total=report.total,
                added=report.added,
                duplicates=report.duplicates,
                cases_opened=report.cases_opened,
                cases_joined=report.cases_joined,
                first_item=writer.first_item,
                last_item=writer.last_item,
                own_posts=report.own_posts,
                passed_over={
                    str(reason): count
                    for reason, count in (read_passed or PassedOver())
                    .merge(report.passed)
                    .counts.items()
                },
            )
        return report


# what Desk's own set-up steps are recorded as in the audit: never a person
SETUP_ACTORS = frozenset({"system", "bench"})


def store_for_setup(
    importer: ImportService, items: Iterable[IncomingItem], source: str, actor: str = "system"
) -> ImportReport:
    """Store items with no session, for Desk's own set-up: a demo profile, a benchmark.

    The audit entry names ``actor``, which must be one of :data:`SETUP_ACTORS` and no
    person's username: this way no caller can store items in a person's name without their
    session (people import through :meth:`ImportService.store` or ``import_file``).
    """
    if actor not in SETUP_ACTORS:
        raise InvalidInput(
            f"Set-up imports are recorded as {' or '.join(sorted(SETUP_ACTORS))}, "
            f"not {loggable_username(actor)!r}: a person imports with their own session."
        )
    with importer.ctx.db.read() as s:
        if s.scalar(select(Account.id).where(Account.username == actor)) is not None:
            raise InvalidInput(
                f"{actor!r} is a person's account on this desk: a set-up import cannot be "
                "recorded in their name."
            )
    return importer._store_as(actor, items, source)


def _reading(
    source: ImportSource,
) -> tuple[Path, str | None, str | None, CsvMapping | None, Platform | None]:
    """How to read ``source``: its path, format, account, CSV mapping (loaded) and platform."""
    mapping = source.mapping
    if isinstance(mapping, Path):
        mapping = CsvMapping.load(mapping)
    return source.path, source.format, source.account, mapping, source.platform


# --- working out each item without the database ---------------------------------------------


def _chunks(items: Iterable[IncomingItem]) -> Iterator[list[IncomingItem]]:
    chunk: list[IncomingItem] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# what an item's text alone decides: priority, risk categories, matches (as stored),
# language, grouping fingerprint and summary
_TextFacts = tuple[Priority, frozenset[str], str, str | None, str, str]
_MEMO_SIZE = 20_000  # texts remembered in one import (then forgotten all at once)


def _text_facts(text: str, rules: RuleSet) -> _TextFacts:
    matches = rules.evaluate(text)
    return (
        priority_for(matches) if matches else Priority.P4,
        frozenset(m.category for m in matches),
        _matches_json(matches) if matches else "[]",
        detect_language(text),
        fingerprint(text),
        case_summary(text),
    )


def _prepare(
    item: IncomingItem,
    now: datetime,
    rules: RuleSet,
    targets: dict[Priority, timedelta],
    time: Callable[[datetime], Any],
    memo: dict[str, _TextFacts] | None = None,
) -> PreparedItem:
    """Work out one item without the database.

    ``memo`` remembers what each text decided (texts repeat a lot: thanks, emojis,
    copy-paste campaigns): the rules, language and fingerprint are the costliest part of an
    item, and depend on its text alone.
    """
    text = item.text
    facts = memo.get(text) if memo is not None else None
    if facts is None:
        facts = _text_facts(text, rules)
        if memo is not None:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[text] = facts
    priority, categories, matches, language, print_, summary = facts
    received = item.received_at or now
    due = received + targets[priority]
    platform = item.platform.value
    return PreparedItem(
        item=item,
        platform=platform,
        kind=item.kind.value,
        author_key=(platform, item.author.platform_user_id),
        thread_key=thread_key(item),
        received=received,
        received_stored=time(received),
        posted_stored=time(item.posted_at),
        priority=int(priority),
        due=due,
        due_stored=time(due),
        categories=set(categories),
        risky=matches != "[]",
        language=language,
        matches=matches,
        author_text=f"{item.author.handle} {item.author.display_name}".strip(),
        media=json.dumps(list(item.media)) if item.media else "[]",
        summary=summary,
        fingerprint=print_,
    )
