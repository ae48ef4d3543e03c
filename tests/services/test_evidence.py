"""Evidence: each record kept as received, and a signed bundle that catches any change."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from desk.core.errors import InvalidInput, PermissionDenied
from desk.core.evidence import (
    FORM_EXACT,
    MANIFEST,
    PUBLIC_KEY,
    SIGNATURE,
    unpack,
    verify_bundle,
)
from desk.core.items import Platform
from desk.services.importing import ImportSource
from desk.store.tables import Item, ItemOriginal
from tests.conftest import Staffed
from tests.ingest.json_cut import cut, elements

ACCOUNT = "@ExampleshirePolice"

# odd spacing, key order, escapes and a CRLF: kept exactly as they came
JSONL_LINES = [
    b'{"platform":"x","account":"@ExampleshirePolice","kind":"reply","id":"p1",'
    b'"author_id":"u1","author_handle":"@resident","text":"Road shut at the bridge \\u00e9",'
    b'"posted_at":"2026-11-26T08:00:00Z","thread_id":"post-1"}\n',
    b'{ "text" : "still shut?  \xf0\x9f\x98\xa9", "platform": "x", "account": '
    b'"@ExampleshirePolice", "kind": "reply", "id": "p2", "author_id": "u1", '
    b'"author_handle": "@resident", "posted_at": "2026-11-26T08:05:00Z", "thread_id": "post-1"}\r\n',
]
CSV_HEADER = (
    b"Platform,Account,Type,Message ID,Author ID,Author Handle,Author Name,Message,Link,Media,"
    b"Thread ID,Posted At,Received At\r\n"
)
CSV_ROWS = [
    b'Twitter,@ExampleshirePolice,Reply,c1,u9,@neighbour,Ned,"Two lines,\r\nwith ""quotes""",'
    b",,post-1,2026-11-26T09:00:00Z,\r\n",
    b"x,@ExampleshirePolice,Mention,c2,u9,@neighbour,,  spaced  ,,,,2026-11-26T09:01:00+00:00,\r\n",
]


@pytest.fixture
def ready(staffed: Staffed) -> Staffed:
    staffed.desk.official_accounts.add(staffed.admin_token, Platform.X, ACCOUNT, "Police")
    return staffed


def originals(staffed: Staffed) -> dict[str, tuple[str, str, bytes]]:
    """Every kept original by the item's platform id: (sha256, form, bytes)."""
    with staffed.desk.ctx.db.read() as s:
        rows = s.execute(
            select(
                Item.platform_id,
                ItemOriginal.sha256,
                ItemOriginal.form,
                ItemOriginal.data,
                ItemOriginal.compressed,
            ).join(Item, Item.id == ItemOriginal.item_id)
        ).all()
    return {pid: (sha, form, unpack(data, packed)) for pid, sha, form, data, packed in rows}


def case_of(staffed: Staffed, platform_id: str) -> int:
    with staffed.desk.ctx.db.read() as s:
        found = s.scalar(select(Item.case_id).where(Item.platform_id == platform_id))
    assert found is not None
    return found


def test_a_jsonl_import_keeps_each_line_byte_for_byte(ready: Staffed, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"".join(JSONL_LINES))
    ready.desk.importer.import_file(ready.admin_token, path)
    kept = originals(ready)
    for pid, line in zip(("p1", "p2"), JSONL_LINES, strict=True):
        sha, form, raw = kept[pid]
        assert raw == line and form == FORM_EXACT
        assert sha == hashlib.sha256(line).hexdigest()


def test_a_csv_import_keeps_each_row_byte_for_byte(ready: Staffed, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(b"\xef\xbb\xbf" + CSV_HEADER + b"".join(CSV_ROWS))
    ready.desk.importer.import_file(ready.admin_token, path)
    kept = originals(ready)
    for pid, row in zip(("c1", "c2"), CSV_ROWS, strict=True):
        sha, form, raw = kept[pid]
        assert raw == row and form == FORM_EXACT
        assert sha == hashlib.sha256(row).hexdigest()


def test_a_whole_document_format_keeps_each_record_as_cut_from_the_file(
    ready: Staffed, tmp_path: Path
) -> None:
    data = Path(__file__).resolve().parents[1] / "ingest" / "data" / "mastodon-statuses.json"
    ready.desk.official_accounts.add(
        ready.admin_token, Platform.MASTODON, "@ExampleshirePolice@police.example", "Police"
    )
    path = tmp_path / "statuses.json"
    received = b"\xef\xbb\xbf" + data.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(received)
    source = ImportSource(path, account="@ExampleshirePolice@police.example")
    ready.desk.importer.import_file(ready.admin_token, source)
    kept = originals(ready)
    places = elements(received, "$")
    assert len(kept) == len(places) > 1
    for where in places:
        element = cut(received, where)  # cut independently of Desk, byte by byte
        sha, form, raw = kept[json.loads(element)["id"]]
        assert raw == element and form == FORM_EXACT
        assert sha == hashlib.sha256(element).hexdigest()
    # the evidence bundle's original is those very bytes, and says they match the import
    status_id = json.loads(cut(received, places[0]))["id"]
    case_id = case_of(ready, status_id)
    out = tmp_path / "bundle"
    done = ready.desk.evidence.export(ready.admin_token, case_id, out)
    assert done.originals_exact == done.originals >= 1
    index = json.loads((out / "originals.json").read_text("utf-8"))["records"]
    record = next(r for r in index if r["platform_id"] == status_id)
    assert record["form"] == FORM_EXACT and record["matches_import"]
    assert record["file"].endswith(".json")
    assert (out / record["file"]).read_bytes() == cut(received, places[0])
    assert record["sha256_at_import"] == hashlib.sha256(cut(received, places[0])).hexdigest()


@pytest.fixture
def bundle(ready: Staffed, tmp_path: Path) -> tuple[Staffed, Path, int]:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(JSONL_LINES))
    ready.desk.importer.import_file(ready.admin_token, path)
    case_id = case_of(ready, "p1")
    jo = ready.sign_in(ready.operator)
    ready.desk.cases.claim(jo, case_id)
    ready.desk.cases.add_note(jo, case_id, "Called the council about the bridge")
    out = tmp_path / "bundle"
    done = ready.desk.evidence.export(ready.admin_token, case_id, out)
    assert done.originals == 2 and done.originals_exact == 2
    return ready, out, case_id


def test_a_bundle_holds_the_case_and_verifies(bundle: tuple[Staffed, Path, int]) -> None:
    staffed, out, case_id = bundle
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    for name in ("case.json", "timeline.json", "thrive.json", "escalations.json",
                 "replies.json", "moderation.json", "audit.json", "originals.json",
                 MANIFEST, SIGNATURE, PUBLIC_KEY):  # fmt: skip
        assert name in names
    # the originals are the very lines that arrived
    kept = sorted(p.read_bytes() for p in (out / "originals").iterdir())
    assert kept == sorted(JSONL_LINES)
    audit = json.loads((out / "audit.json").read_text("utf-8"))
    assert audit["protective_marking"] == "OFFICIAL-SENSITIVE"
    entries = audit["entries"]
    assert len(entries) >= 2  # the claim and the note at least
    assert all(e["object"] == f"case:{case_id}" and len(e["hash"]) == 64 for e in entries)
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    assert manifest["protective_marking"] == "OFFICIAL-SENSITIVE" and manifest["case"] == case_id
    check = verify_bundle(out)
    assert check.ok, check.lines()
    assert check.checked == len(names) - 3
    # the export itself is audited, naming the key
    with staffed.desk.ctx.db.read() as s:
        from desk.store.tables import AuditEntry

        last = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar()
    assert last is not None and last.action == "evidence.export"
    assert manifest["signing_key"] in last.details


def test_one_changed_byte_is_caught_and_named(bundle: tuple[Staffed, Path, int]) -> None:
    _staffed, out, _case = bundle
    target = out / "timeline.json"
    data = bytearray(target.read_bytes())
    data[10] ^= 0x01
    target.write_bytes(bytes(data))
    check = verify_bundle(out)
    assert not check.ok and check.signature_ok
    assert check.changed == ["timeline.json"] and not check.added and not check.removed
    assert any("Changed: timeline.json" in line for line in check.lines())


def test_a_file_added_or_removed_is_caught_and_named(bundle: tuple[Staffed, Path, int]) -> None:
    _staffed, out, _case = bundle
    (out / "originals" / "extra.jsonl").write_bytes(b"{}\n")
    (out / "replies.json").unlink()
    check = verify_bundle(out)
    assert not check.ok
    assert check.added == ["originals/extra.jsonl"] and check.removed == ["replies.json"]
    assert not check.changed


def test_the_signature_is_checked_with_the_public_key_only(
    bundle: tuple[Staffed, Path, int], tmp_path: Path
) -> None:
    _staffed, out, _case = bundle
    trusted = tmp_path / "desk-public-key.txt"
    trusted.write_bytes((out / PUBLIC_KEY).read_bytes())
    assert verify_bundle(out, trusted).ok
    # someone rewrites a file and the manifest to match, and signs with another key
    forger = Ed25519PrivateKey.generate()
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    forged_public = forger.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    import base64

    (out / "case.json").write_text("{}\n", "utf-8")
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    manifest["files"]["case.json"] = hashlib.sha256(b"{}\n").hexdigest()
    body = (json.dumps(manifest, indent=2) + "\n").encode()
    (out / MANIFEST).write_bytes(body)
    (out / SIGNATURE).write_text(base64.b64encode(forger.sign(body)).decode() + "\n")
    (out / PUBLIC_KEY).write_text(base64.b64encode(forged_public).decode() + "\n")
    # with the key beside it, the files match, but the fingerprint is not the desk's
    alone = verify_bundle(out)
    assert alone.signature_ok and alone.fingerprint != verify_bundle(out, trusted).fingerprint
    # with the desk's key, the forgery fails
    check = verify_bundle(out, trusted)
    assert not check.ok and not check.signature_ok


def test_a_changed_manifest_breaks_the_signature(bundle: tuple[Staffed, Path, int]) -> None:
    _staffed, out, _case = bundle
    text = (out / MANIFEST).read_text("utf-8")
    (out / MANIFEST).write_text(text.replace("OFFICIAL-SENSITIVE", "OFFICIAL"), "utf-8")
    check = verify_bundle(out)
    assert not check.ok and not check.signature_ok


def test_an_operator_may_not_export_and_a_used_folder_is_refused(
    ready: Staffed, tmp_path: Path
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(JSONL_LINES))
    ready.desk.importer.import_file(ready.admin_token, path)
    case_id = case_of(ready, "p1")
    operator = ready.sign_in(ready.operator)
    with pytest.raises(PermissionDenied):
        ready.desk.evidence.export(operator, case_id, tmp_path / "nope")
    assert not (tmp_path / "nope").exists()
    used = tmp_path / "used"
    used.mkdir()
    (used / "keep.txt").write_text("mine", "utf-8")
    with pytest.raises(InvalidInput, match="already holds files"):
        ready.desk.evidence.export(ready.admin_token, case_id, used)
    assert [p.name for p in used.iterdir()] == ["keep.txt"]
