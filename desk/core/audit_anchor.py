"""An audit anchor: the chain's head, written down and signed, to check the log against later.

The chain alone shows an entry changed in the middle; it cannot show entries cut from its end,
nor a whole chain rewritten by someone holding the audit key. An anchor kept outside Desk
(printed, mailed, handed to a third party) catches both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

ANCHOR_KIND = "desk-audit-anchor"
ANCHOR_VERSION = 1
SIGNATURE_FIELD = "signature"


def signed_bytes(doc: dict[str, Any]) -> bytes:
    """Return the canonical bytes an anchor's signature covers (everything but the signature)."""
    body = {k: v for k, v in doc.items() if k != SIGNATURE_FIELD}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class Anchor:
    """What an anchor file says: the head it names, when, by whom, and its signature."""

    seq: int
    hash: str
    at: str
    made_at: str
    made_by: str
    public_key: str
    signature: str
    doc: dict[str, Any]


def read_anchor(doc: object) -> Anchor:
    """Return the anchor in a parsed file, or raise ValueError naming what is missing."""
    if not isinstance(doc, dict) or doc.get("kind") != ANCHOR_KIND:
        raise ValueError("it is not a Desk audit anchor")
    if doc.get("version") != ANCHOR_VERSION:
        raise ValueError(f"it is version {doc.get('version')!r}, not {ANCHOR_VERSION}")
    head = doc.get("head")
    if not isinstance(head, dict):
        raise ValueError("it has no head")
    seq, digest, at = head.get("seq"), head.get("hash"), head.get("at")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise ValueError("its head has no entry number")
    texts = {
        "head hash": digest,
        "head time": at,
        "made_at": doc.get("made_at"),
        "made_by": doc.get("made_by"),
        "public_key": doc.get("public_key"),
        SIGNATURE_FIELD: doc.get(SIGNATURE_FIELD),
    }
    for name, value in texts.items():
        if not isinstance(value, str) or not value:
            raise ValueError(f"its {name} is missing")
    return Anchor(
        seq=seq,
        hash=str(digest),
        at=str(at),
        made_at=str(doc["made_at"]),
        made_by=str(doc["made_by"]),
        public_key=str(doc["public_key"]),
        signature=str(doc[SIGNATURE_FIELD]),
        doc=doc,
    )


def anchor_problems(
    anchor: Anchor, head_seq: int | None, hash_at_seq: str | None, time_at_seq: str | None = None
) -> list[str]:
    """Compare an anchor with the log now: entries cut from the end, or the chain rewritten.

    Times are compared as stored text (the audit table's one ISO form, so text order is time
    order): an anchored entry now dated after the anchor was made was written after a cut.
    """
    if head_seq is None or head_seq < anchor.seq:
        ends = "is empty" if head_seq is None else f"ends at entry {head_seq}"
        return [
            f"entries were cut from the end: the log {ends}, but the anchor made "
            f"{anchor.made_at} names entry {anchor.seq}"
        ]
    if hash_at_seq != anchor.hash and time_at_seq is not None and time_at_seq > anchor.made_at:
        return [
            f"entries were cut from the end and the log written on: entry {anchor.seq} is "
            f"dated {time_at_seq}, after the anchor made {anchor.made_at}"
        ]
    if hash_at_seq != anchor.hash:
        return [
            f"the chain was rewritten: entry {anchor.seq} no longer has the hash anchored "
            f"{anchor.made_at}"
        ]
    return []
