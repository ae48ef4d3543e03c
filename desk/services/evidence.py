"""Evidence bundles: a case's records as received, its history, and a signed manifest.

A bundle is written to a new (or empty) folder by :meth:`EvidenceService.export`; the format
and its check live in :mod:`desk.core.evidence` (standard library and ``cryptography`` only,
so a bundle is checked on a machine without Desk). The PDF is drawn by the caller (the
services import no Qt): ``desk-admin`` and the window pass :func:`desk.render.pdf.write_pdf`.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import html
import json
import logging
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desk.auth.signing import load_signer
from desk.core.disguised_text import find as find_disguises
from desk.core.disguised_text import marker, neutralise
from desk.core.errors import InvalidInput
from desk.core.evidence import (
    FORM_EXACT,
    MANIFEST,
    PUBLIC_KEY,
    SIGNATURE,
    bundle_files,
    manifest_bytes,
    sha256_file,
    unpack,
)
from desk.core.marking import marked
from desk.core.roles import Action
from desk.services.context import DeskContext
from desk.services.escalations import EscalationService
from desk.services.moderation import ModerationService
from desk.services.queue import QueueService
from desk.services.replies import ReplyService
from desk.services.settings import desk_heading, protective_marking
from desk.services.signin import SignInService
from desk.store.tables import AuditEntry, ErasureRedaction, ItemOriginal

log = logging.getLogger(__name__)

PdfWriter = Callable[[Path, str, str, str], Any]
"""Writes a PDF: ``(path, title, html, protective marking)`` (desk.render.pdf.write_pdf)."""

PDF_NAME = "case.pdf"


@dataclasses.dataclass(frozen=True)
class EvidenceExport:
    """What an export wrote: the folder, its files, and the key that signed the manifest."""

    folder: Path
    case_id: int
    files: tuple[str, ...]
    manifest_sha256: str
    fingerprint: str
    public_key: str
    marking: str
    originals: int
    originals_exact: int


def _plain(value: Any) -> Any:
    """A view (dataclasses, times, enums, tuples) as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def _json_bytes(data: dict[str, Any], marking: str) -> bytes:
    text = json.dumps(marked(data, marking), ensure_ascii=False, indent=2, default=str)
    return (text + "\n").encode("utf-8")


def _original_name(item_id: int, form: str, raw: bytes) -> str:
    if raw.lstrip()[:1] != b"{":
        return f"originals/item-{item_id}.csv"
    # a JSON Lines line ends with its line break; a document's element is one JSON object
    line = form == FORM_EXACT and raw.endswith(b"\n")
    return f"originals/item-{item_id}.{'jsonl' if line else 'json'}"


class EvidenceService:
    """Writes signed evidence bundles for cases (supervisors and administrators)."""

    def __init__(
        self,
        ctx: DeskContext,
        signin: SignInService,
        queue: QueueService,
        escalations: EscalationService,
        replies: ReplyService,
        moderation: ModerationService,
    ) -> None:
        self.ctx = ctx
        self.signin = signin
        self.queue = queue
        self.escalations = escalations
        self.replies = replies
        self.moderation = moderation

    def public_key(self, token: str) -> tuple[str, str]:
        """Return the desk's public signing key (base64) and its fingerprint."""
        self.signin.authorize(token, Action.EXPORT_EVIDENCE)
        signer = load_signer(self.ctx.profile.data_dir)
        return signer.public_key, signer.fingerprint

    def export(
        self, token: str, case_id: int, out: Path, write_pdf: PdfWriter | None = None
    ) -> EvidenceExport:
        """Write case ``case_id``'s evidence bundle into ``out`` (new or empty) and sign it.

        Raises:
            InvalidInput: ``out`` is a file or a folder that holds anything (nothing written).
            NotFound: there is no such case.
        """
        actor = self.signin.authorize(token, Action.EXPORT_EVIDENCE)
        out = Path(out)
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise InvalidInput(
                f"The evidence bundle needs a new or empty folder: {out} "
                + ("is a file." if not out.is_dir() else "already holds files.")
            )
        detail = self.queue.detail(token, case_id)  # NotFound before anything is written
        marking = protective_marking(self.ctx)
        signer = load_signer(self.ctx.profile.data_dir)
        made = not out.exists()
        try:
            out.mkdir(parents=True, exist_ok=True)
            result = self._write(token, actor.username, case_id, detail, out, marking, write_pdf)
            manifest_sha = self._sign(out, signer, result["header"])
        except BaseException:
            if made:
                shutil.rmtree(out, ignore_errors=True)
            else:
                for child in out.iterdir():
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
            raise
        files = tuple(bundle_files(out))
        with self.ctx.db.write() as s:
            self.ctx.audit.record(
                s,
                actor.username,
                "evidence.export",
                f"case:{case_id}",
                files=len(files),
                manifest_sha256=manifest_sha,
                key=signer.fingerprint,
                originals=result["originals"],
            )
        log.info("evidence bundle for case %s: %s files", case_id, len(files))
        return EvidenceExport(
            folder=out,
            case_id=case_id,
            files=files,
            manifest_sha256=manifest_sha,
            fingerprint=signer.fingerprint,
            public_key=signer.public_key,
            marking=marking,
            originals=result["originals"],
            originals_exact=result["exact"],
        )

    def _write(
        self,
        token: str,
        username: str,
        case_id: int,
        detail: Any,
        out: Path,
        marking: str,
        write_pdf: PdfWriter | None,
    ) -> dict[str, Any]:
        """Write every file but the manifest; return the manifest's header and counts."""
        now = self.ctx.clock.now()
        item_ids = [i.id for i in detail.items]
        (out / "originals").mkdir()
        index: list[dict[str, Any]] = []
        exact = 0
        with self.ctx.db.read() as s:
            rows = s.execute(
                select(ItemOriginal).where(ItemOriginal.item_id.in_(item_ids))
            ).scalars()
            originals = {r.item_id: (r.sha256, r.form, unpack(r.data, r.compressed)) for r in rows}
            # originals an erasure rewrote (mentions of an erased person replaced): the hashes
            redactions: dict[int, list[dict[str, str]]] = {}
            for red in s.scalars(
                select(ErasureRedaction)
                .where(
                    ErasureRedaction.target == "original",
                    ErasureRedaction.target_id.in_(item_ids),
                )
                .order_by(ErasureRedaction.id)
            ):
                redactions.setdefault(red.target_id, []).append(
                    {
                        "at": red.at.isoformat(),
                        "sha256_before": red.old_sha256,
                        "sha256_after": red.new_sha256,
                    }
                )
            audit = [
                {
                    "seq": e.seq,
                    "at": e.at,
                    "actor": e.actor,
                    "action": e.action,
                    "object": e.object,
                    "details": e.details,
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                }
                for e in s.execute(
                    select(AuditEntry)
                    .where(AuditEntry.object == f"case:{case_id}")
                    .order_by(AuditEntry.seq)
                ).scalars()
            ]
            head = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar()
            chain_head = {"seq": head.seq, "hash": head.hash} if head else None
        platform_ids = {i.id: i.platform_id for i in detail.items}
        for item_id in item_ids:
            if item_id not in originals:
                index.append({"item_id": item_id, "platform_id": platform_ids[item_id],
                              "kept": False})  # fmt: skip
                continue
            digest, form, raw = originals[item_id]
            name = _original_name(item_id, form, raw)
            (out / name).write_bytes(raw)
            exact += form == FORM_EXACT
            index.append(
                {
                    "item_id": item_id,
                    "platform_id": platform_ids[item_id],
                    "kept": True,
                    "file": name,
                    "form": form,
                    "sha256_at_import": digest,
                    "matches_import": hashlib.sha256(raw).hexdigest() == digest,
                }
            )
            if item_id in redactions:
                # sha256_at_import is then the hash after the redaction (see docs/retention.md)
                index[-1]["redacted_by_erasure"] = redactions[item_id]
        escalations = self.escalations.for_case(token, case_id)
        replies = self.replies.for_case(token, case_id)
        moderation = self.moderation.actions_on_case(token, case_id)
        documents: dict[str, dict[str, Any]] = {
            "originals.json": {
                "note": (
                    "Each record as received. 'exact': the record's bytes as they are in "
                    "the file: the JSON Lines line or CSV row, or for a format read as one "
                    "JSON document (ActivityStreams, Mastodon, X, Facebook) the record's own "
                    "element of the document, cut from the file (a file's byte-order mark is "
                    "not part of a record). 'canonical-json': a record imported before Desk "
                    "cut them exactly, re-serialised with sorted keys and no spaces: the same "
                    "data, not the same bytes."
                ),
                "records": index,
            },
            "case.json": {
                "case": _plain(detail.row),
                "items": _plain(detail.items),
                "thread": _plain(detail.thread),
            },
            "timeline.json": {"timeline": _plain(detail.timeline)},
            "thrive.json": {"assessments": _plain(detail.assessments)},
            "escalations.json": {"escalations": _plain(escalations)},
            "replies.json": {"replies": _plain(replies)},
            "moderation.json": {"moderation": _plain(moderation)},
            "audit.json": {
                "note": (
                    "The audit entries naming this case, in chain order, each with the hash of "
                    "the entry before it (prev_hash) and its own seal (hash: HMAC-SHA256 with "
                    "the desk's audit key over prev_hash and the entry). Entries about other "
                    "cases sit between them in the chain; 'desk-admin audit verify' on the desk "
                    "checks the whole chain. chain_head is the newest entry at export."
                ),
                "chain_head": chain_head,
                "entries": audit,
            },
        }
        for name, data in documents.items():
            (out / name).write_bytes(_json_bytes(data, marking))
        heading = desk_heading(self.ctx)
        if write_pdf is not None:
            title = f"Evidence bundle: case {case_id}"
            write_pdf(
                out / PDF_NAME,
                title,
                _html(title, heading, detail, escalations, replies, moderation, audit, index),
                marking,
            )
        header = {
            "protective_marking": marking,
            "case": case_id,
            "desk": heading,
            "made_at": now.isoformat(),
            "made_by": username,
            "originals": {"kept": len(originals), "exact": exact},
        }
        return {"header": header, "originals": len(originals), "exact": exact}

    def _sign(self, out: Path, signer: Any, header: dict[str, Any]) -> str:
        """Hash every file, write and sign the manifest, and put the public key beside it."""
        header = {**header, "signing_key": signer.fingerprint, "algorithm": "Ed25519"}
        files = {name: sha256_file(out / name) for name in bundle_files(out)}
        manifest = manifest_bytes(header, files)
        (out / MANIFEST).write_bytes(manifest)
        (out / SIGNATURE).write_text(signer.sign(manifest) + "\n", encoding="ascii")
        (out / PUBLIC_KEY).write_text(signer.public_key + "\n", encoding="ascii")
        return hashlib.sha256(manifest).hexdigest()


def _shown(value: Any) -> str:
    """``value`` as the PDF shows it: escaped, each character that hides or reorders text a token.

    A right-to-left override would make the PDF draw the words after it backwards, so a reader
    would see what the platform showed, not what was sent; the stored text, characters and all,
    is in case.json and the originals.
    """
    return html.escape(neutralise(str(value)))


def _rows(pairs: list[tuple[str, Any]]) -> str:
    return "".join(f"<tr><td><b>{_shown(k)}</b></td><td>{_shown(v)}</td></tr>" for k, v in pairs)


def _html(
    title: str,
    heading: str,
    detail: Any,
    escalations: list[Any],
    replies: list[Any],
    moderation: list[Any],
    audit: list[dict[str, Any]],
    index: list[dict[str, Any]],
) -> str:
    """The bundle's readable summary, as HTML for the PDF."""
    e = _shown
    row = detail.row
    parts = [f"<h1>{e(title)}</h1>", f"<p>{e(heading)}</p>"]
    parts.append("<h2>Case</h2><table>")
    parts.append(
        _rows(
            [
                ("Case", row.case_id),
                ("Status", row.status),
                ("Priority", f"P{row.priority}"),
                ("Platform", f"{row.platform} {row.account}"),
                ("Author", row.author),
                ("Opened", row.opened_at.isoformat()),
                ("Summary", row.summary),
            ]
        )
    )
    parts.append("</table><h2>Items</h2>")
    if any(find_disguises(item.text) for item in detail.items):
        parts.append(
            "<p><i>Characters that hide or reorder text are shown as tokens such as "
            f"{e(marker('RLO'))} or {e(marker('ZWSP'))}; case.json and the records as received "
            "hold the text exactly as it was sent.</i></p>"
        )
    for item in detail.items:
        parts.append(
            f"<p><b>#{item.id}</b> {e(item.platform)} {e(item.kind)} {e(item.platform_id)} "
            f"from {e(item.author_handle)} at {e(item.posted_at.isoformat())}<br>"
            f"{e(item.text)}</p>"
        )
    parts.append("<h2>Records as received</h2><table>")
    parts.append(
        _rows(
            [
                (f"#{r['item_id']}", f"{r['form']} sha256 {r['sha256_at_import']}")
                if r["kept"]
                else (f"#{r['item_id']}", "not kept (imported before originals were kept)")
                for r in index
            ]
        )
    )
    parts.append("</table><h2>Timeline</h2><table>")
    parts.append(
        _rows([(t.at.isoformat(), f"{t.actor}: {t.kind} {t.text}") for t in detail.timeline])
    )
    parts.append("</table><h2>THRIVE</h2><table>")
    parts.append(
        _rows([(f"v{a.version} {a.at.isoformat()} {a.actor}", a.grade) for a in detail.assessments])
    )
    parts.append("</table><h2>Escalations</h2><table>")
    parts.append(
        _rows([(f"{x.created_at.isoformat()} {x.created_by}", x.summary) for x in escalations])
    )
    parts.append("</table><h2>Replies</h2><table>")
    parts.append(
        _rows(
            [(f"{r.created_at.isoformat()} {r.created_by} ({r.status})", r.text) for r in replies]
        )
    )
    parts.append("</table><h2>Moderation</h2><table>")
    parts.append(
        _rows([(f"{m.at.isoformat()} {m.actor}", f"{m.kind} {m.explanation}") for m in moderation])
    )
    parts.append("</table><h2>Audit extract</h2><table>")
    parts.append(_rows([(f"{a['seq']} {a['at']}", f"{a['actor']} {a['action']}") for a in audit]))
    parts.append("</table>")
    return "".join(parts)
