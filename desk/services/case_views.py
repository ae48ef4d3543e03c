"""Read-only views of cases for the queue, the detail pane and scripts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from desk.core.thrive import needs_thrive


@dataclass(frozen=True)
class QueueKey:
    """A case's place in queue order: priority, then oldest first, then id."""

    priority: int
    opened_at: datetime
    case_id: int


@dataclass(frozen=True)
class QueueRow:
    """One row of the queue."""

    case_id: int
    priority: int
    status: str
    opened_at: datetime
    due_at: datetime
    platform: str
    account: str
    author: str
    summary: str
    risk: tuple[str, ...]
    owner: str | None
    item_count: int
    language: str | None
    kind: str
    needs_assessment: bool
    grade: str | None = None
    # the author resembles an official account: "resembles @SurreyPolice: Cyrillic look-alike"
    impersonates: str | None = None
    # an item of the case, not only its summary line, holds text that hides or reorders itself
    disguised: bool = False

    @property
    def key(self) -> QueueKey:
        """This row's place in queue order."""
        return QueueKey(self.priority, self.opened_at, self.case_id)

    @property
    def needs_thrive(self) -> bool:
        """Whether the case needs a (new) THRIVE assessment before it can be closed."""
        return needs_thrive(self.risk, self.grade, self.needs_assessment)


@dataclass(frozen=True)
class MatchView:
    """A risk rule that matched an item, with what it matched."""

    rule_id: str
    category: str
    severity: str
    spans: tuple[tuple[int, int], ...]
    matched: tuple[str, ...]


@dataclass(frozen=True)
class ItemView:
    """One item in full."""

    id: int
    case_id: int
    platform: str
    account: str
    kind: str
    platform_id: str
    author_handle: str
    author_name: str
    text: str
    link: str | None
    media: tuple[str, ...]
    thread_id: str | None
    thread_title: str | None
    posted_at: datetime
    received_at: datetime
    language: str | None
    redacted: bool
    matches: tuple[MatchView, ...] = ()
    # the force's own post (thread context, never queued): desk.services.timeline.own_posts
    own: bool = False


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a case's timeline."""

    at: datetime
    actor: str
    kind: str
    text: str


@dataclass(frozen=True)
class AssessmentView:
    """One version of a THRIVE assessment."""

    version: int
    at: datetime
    actor: str
    factors: dict[str, str]
    grade: str
    risk_seen: str = ""  # as stored: "" not said, "none", or comma-separated categories


@dataclass(frozen=True)
class HoldNote:
    """A legal hold standing on a case or on its author, as the case pane shows it."""

    hold_id: int
    on_author: bool
    reason: str
    placed_by: str
    placed_at: datetime


@dataclass(frozen=True)
class AppealNote:
    """A public appeal on a case (or one item of it), as the case pane shows it."""

    appeal_id: int
    item_id: int | None
    ends_at: datetime
    note: str
    done_how: str | None = None
    done_by: str | None = None
    done_at: datetime | None = None


@dataclass(frozen=True)
class CaseDetail:
    """Everything the detail pane shows about one case."""

    row: QueueRow
    items: tuple[ItemView, ...]
    thread: tuple[ItemView, ...]
    author_items: int
    author_cases: tuple[int, ...]
    timeline: tuple[TimelineEntry, ...]
    assessments: tuple[AssessmentView, ...]
    viewers: tuple[str, ...] = field(default_factory=tuple)
    author_id: int | None = None
    holds: tuple[HoldNote, ...] = ()  # standing on the case or its author
    appeals: tuple[AppealNote, ...] = ()
    # the case's version as read: a change made from this view passes it (expected_version)
    version: int | None = None

    @property
    def needs_thrive(self) -> bool:
        """Whether the case needs a (new) THRIVE assessment before it can be closed."""
        return self.row.needs_thrive
