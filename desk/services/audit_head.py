"""The audit chain's head kept in the workstation's keyring, so that a cut tail is seen.

Each workstation keeps the head it last saw (entry number, hash, time) in its own keyring
entry ``audit-head``, refreshed after each sign-in and sign-out and every few minutes while a
session is used. ``audit verify`` checks the database's chain still holds that entry with that
hash. A retention cut removes old entries, never the head, so it leaves the anchor standing; on
PostgreSQL each workstation's keyring holds its own last-seen head, and any of them catches a
cut made after it was taken. An anchor the log no longer matches is never overwritten: it is
the evidence, until an administrator accepts the log as it is (``audit reanchor``).
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.auth.secrets import AUDIT_HEAD, KeyStore
from desk.core.audit_chain import HeadAnchor, head_problem
from desk.core.audit_checkpoint import covering
from desk.core.audit_filter import stored_at
from desk.core.errors import KeyringUnavailable
from desk.services.context import DeskContext
from desk.store import audit_log
from desk.store.tables import Account

log = logging.getLogger(__name__)

REFRESH_EVERY = timedelta(minutes=5)
_LAST_REFRESH = "audit_head_refreshed_at"


@dataclass(frozen=True)
class HeadCheck:
    """What the keyring's anchor says about the log: nothing kept yet, a match, or a problem."""

    anchor: HeadAnchor | None
    problem: str | None = None


def read_keyring_anchor(ctx: DeskContext) -> tuple[HeadAnchor | None, str | None]:
    """Return the keyring's anchor, and its raw text (None, None when none was taken yet)."""
    text = KeyStore(ctx.profile.data_dir).read_text(AUDIT_HEAD)
    return (HeadAnchor.parse(text) if text is not None else None), text


def check_head(s: Session, ctx: DeskContext) -> HeadCheck:
    """Compare the keyring's anchor with the log in ``s``."""
    anchor, text = read_keyring_anchor(ctx)
    if anchor is None:
        if text is None:
            return HeadCheck(None)
        service = KeyStore(ctx.profile.data_dir).service
        return HeadCheck(
            None,
            f"the keyring's anchor (entry '{AUDIT_HEAD}' of service '{service}') is not a "
            "Desk audit anchor: it was changed outside Desk",
        )
    at_seq = audit_log.entry(s, anchor.seq)
    if at_seq is not None and hmac.compare_digest(at_seq.hash, anchor.hash):
        return HeadCheck(anchor)  # the usual case: two indexed reads, no scan
    head = audit_log.latest(s)
    cut = covering(audit_log.checkpoints(s), anchor.seq) if at_seq is None else None
    problem = head_problem(
        anchor,
        head.seq if head else None,
        at_seq.hash if at_seq else None,
        audit_log.newest_at_or_before(s, anchor.at),
        cut,
    )
    return HeadCheck(anchor, problem)


def empty_log_problem(s: Session) -> str | None:
    """Say so when the log holds no entry (and no retention cut) yet the desk has accounts."""
    if audit_log.count(s) or audit_log.checkpoints(s):
        return None
    people = s.scalar(select(func.count()).select_from(Account)) or 0
    if not people:
        return None
    return f"the audit log is empty, yet the desk has {people} account(s): every entry was removed"


def take_head(ctx: DeskContext) -> HeadAnchor | None:
    """Write the log's head into the keyring unless the anchor there no longer matches the log.

    Returns the anchor written (None when nothing was written). Never raises for the keyring:
    a keyring that does not answer costs the anchor one refresh, not the sign-in.
    """
    try:
        with ctx.db.read() as s:
            found = check_head(s, ctx)
            head = audit_log.latest(s)
        if found.problem is not None:
            log.warning("audit anchor in the keyring kept: %s", found.problem)
            return None
        if head is None:
            return None
        if found.anchor is not None and (found.anchor.seq, found.anchor.hash) == (
            head.seq,
            head.hash,
        ):
            return found.anchor
        anchor = HeadAnchor(head.seq, head.hash, head.at, stored_at(ctx.clock.now()))
        KeyStore(ctx.profile.data_dir).write_text(AUDIT_HEAD, anchor.text())
        ctx.extras[_LAST_REFRESH] = ctx.clock.now()
        return anchor
    except KeyringUnavailable as exc:
        log.warning("audit anchor not refreshed: %s", exc.message)
        return None


def take_head_now_and_then(ctx: DeskContext) -> None:
    """Refresh the keyring's anchor if the last refresh was over a few minutes ago."""
    last = ctx.extras.get(_LAST_REFRESH)
    if last is None or ctx.clock.now() - last >= REFRESH_EVERY:
        ctx.extras[_LAST_REFRESH] = ctx.clock.now()
        take_head(ctx)


def replace_head(ctx: DeskContext) -> HeadAnchor | None:
    """Anchor the keyring to the log's head as it is now, whatever the old anchor said."""
    with ctx.db.read() as s:
        head = audit_log.latest(s)
    if head is None:
        return None
    anchor = HeadAnchor(head.seq, head.hash, head.at, stored_at(ctx.clock.now()))
    KeyStore(ctx.profile.data_dir).write_text(AUDIT_HEAD, anchor.text())
    ctx.extras[_LAST_REFRESH] = ctx.clock.now()
    return anchor
