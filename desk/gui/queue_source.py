"""What the queue model reads: pages of rows, counts and viewers, for the session held now."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desk.core.queue_filter import QueueFilter
from desk.services.case_views import QueueKey, QueueRow
from desk.services.desk import Desk


class QueueSource:
    """What the model reads, for the session the window holds now (the token can change)."""

    def __init__(self, desk: Desk, token: Callable[[], str]) -> None:
        self.desk = desk
        self.token = token

    def count(self, flt: QueueFilter) -> int:
        """Return how many cases the filter shows."""
        return self.desk.queue.count(self.token(), flt)

    def page(
        self, flt: QueueFilter, after: QueueKey | None, limit: int, offset: int
    ) -> list[QueueRow]:
        """Return one page of rows in queue order."""
        return self.desk.queue.page(self.token(), flt, after=after, limit=limit, offset=offset)

    def page_before(self, flt: QueueFilter, before: QueueKey | None, limit: int) -> list[QueueRow]:
        """Return the rows just before ``before`` (None: the end), in queue order."""
        return self.desk.queue.page(
            self.token(), flt, before=before, from_end=before is None, limit=limit
        )

    def viewers(self, case_ids: list[int]) -> dict[int, list[str]]:
        """Return who else is looking at each case now."""
        if not case_ids:
            return {}
        return self.desk.cases.viewers(self.token(), case_ids)

    def read_page(self, flt: QueueFilter, after: QueueKey | None, limit: int, offset: int) -> Page:
        """Read one page and who is viewing its cases."""
        rows = self.page(flt, after, limit, offset)
        return Page(rows, self.viewers([r.case_id for r in rows]))

    def read_page_before(
        self, flt: QueueFilter, before: QueueKey | None, limit: int, keep: int
    ) -> Page:
        """Read up to ``keep`` rows just before ``before`` and who is viewing them."""
        rows = self.page_before(flt, before, limit)[:keep]
        return Page(rows, self.viewers([r.case_id for r in rows]))

    def refresh(
        self, flt: QueueFilter, page_no: int, size: int, first_rows: int, count_first: bool
    ) -> Refreshed:
        """Read what a refresh shows: the count, then the page ``page_no`` and the next.

        Without ``count_first`` (a new filter) only its first rows are read: viewers and
        the count come after them.
        """
        if not count_first:
            rows = self.page(flt, None, first_rows, 0)
            counted = None if len(rows) == first_rows else len(rows)
            return Refreshed(counted, 0, [Page(rows, {})], viewers_later=True)
        count = self.count(flt)
        first = min(page_no, max(0, count - 1) // size)
        if first and count - first * size <= size:  # the last page: read from the end
            pages = [self.read_page_before(flt, None, count - first * size, size)]
        else:
            pages = [self.read_page(flt, None, size, first * size)]
        rows = pages[0].rows
        if len(rows) == size and (first + 1) * size < count:  # the view may show both
            pages.append(self.read_page(flt, rows[-1].key, size, 0))
        return Refreshed(count, first, pages)


@dataclass(frozen=True)
class Page:
    """One page of rows as read, with who was viewing its cases."""

    rows: list[QueueRow]
    viewers: dict[int, list[str]]


@dataclass(frozen=True)
class Refreshed:
    """The answer to a refresh: the count and the pages around the row asked for."""

    count: int | None  # None: not counted yet (the first page of a new filter was full)
    page_no: int
    pages: list[Page]  # the page holding the anchor row, and the one after it
    viewers_later: bool = False  # the first page of a new filter: who is viewing comes next
