"""Imported records as received: reading them back, and compacting the ones stored raw.

An import stores each record's bytes raw (the quickest write, see
:mod:`desk.store.import_writer`); :func:`compact_originals` later replaces each raw record with
its zlib stream, one batch per transaction. A record is only replaced once its bytes are proven
to match the SHA-256 taken at import and the compressed form proven to give them back, and the
update is made only while the row is still raw: an interrupted pass leaves every row either
raw or compressed, both readable (:func:`desk.core.evidence.unpack`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, false, func, select, update
from sqlalchemy.orm import Session

from desk.core.evidence import OriginalDamaged, compact, unpack
from desk.store.tables import ItemOriginal

__all__ = ["Compacted", "KeptOriginal", "compact_originals", "kept_originals", "raw_originals"]


@dataclass(frozen=True)
class KeptOriginal:
    """One item's record as received: its bytes, their SHA-256 at import, and its form."""

    item_id: int
    sha256: str
    form: str
    raw: bytes


@dataclass(frozen=True)
class Compacted:
    """What one compaction batch did.

    ``damaged``: raw records whose bytes do not match their SHA-256, left untouched (and
    named, for the audit entry); ``first`` and ``last`` the item ids compacted.
    """

    compacted: int = 0
    damaged: tuple[int, ...] = ()
    first: int | None = None
    last: int | None = None


def raw_originals(s: Session) -> int:
    """Count the records still stored raw (the partial index answers, not the table)."""
    return int(
        s.scalar(
            select(func.count()).select_from(ItemOriginal).where(ItemOriginal.compressed == false())
        )
        or 0
    )


def compact_originals(s: Session, limit: int, after: int = 0) -> Compacted:
    """Compress up to ``limit`` raw records with item ids above ``after``, in ``s``'s transaction.

    Each record is checked against its SHA-256 before, and its compressed form against its
    bytes (:func:`desk.core.evidence.compact`); a record that fails stays raw and is counted
    in ``damaged``. The caller commits (and writes the audit entry in the same transaction).
    """
    rows = s.execute(
        select(ItemOriginal.item_id, ItemOriginal.sha256, ItemOriginal.data)
        .where(ItemOriginal.compressed == false(), ItemOriginal.item_id > after)
        .order_by(ItemOriginal.item_id)
        .limit(limit)
    ).all()
    changes: list[dict[str, object]] = []
    ids: list[int] = []
    damaged: list[int] = []
    for item_id, sha256, data in rows:
        try:
            packed = compact(bytes(data), sha256)
        except OriginalDamaged:
            damaged.append(item_id)
            continue
        changes.append({"id": item_id, "packed": packed})
        ids.append(item_id)
    if changes:
        table = cast(Table, ItemOriginal.__table__)
        s.execute(
            update(table)
            .where(table.c.item_id == bindparam("id"), table.c.compressed == false())
            .values(data=bindparam("packed"), compressed=True),
            changes,
        )
    return Compacted(
        compacted=len(ids),
        damaged=tuple(damaged),
        first=ids[0] if ids else None,
        last=ids[-1] if ids else None,
    )


def kept_originals(s: Session, item_ids: Iterable[int]) -> dict[int, KeptOriginal]:
    """Return the records kept for ``item_ids`` (those that have one), raw or compressed."""
    ids = list(item_ids)
    found: dict[int, KeptOriginal] = {}
    for start in range(0, len(ids), 500):
        rows = s.execute(
            select(ItemOriginal).where(ItemOriginal.item_id.in_(ids[start : start + 500]))
        ).scalars()
        for row in rows:
            found[row.item_id] = KeptOriginal(
                row.item_id, row.sha256, row.form, unpack(row.data, row.compressed)
            )
    return found
