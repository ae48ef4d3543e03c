"""Evidence: records kept as received, and signed bundles anyone can check with a public key.

Standard library and ``cryptography`` only, so that this module alone checks a bundle on a
machine without Desk's profile, keyring or database::

    python -m desk.core.evidence BUNDLE_DIR [--public-key FILE]

A bundle is a folder of files plus three of its own:

- ``manifest.json``: the format, the case, the protective marking, when and by whom it was
  made, the signing key's fingerprint, and the SHA-256 of every other file;
- ``manifest.sig``: the Ed25519 signature of ``manifest.json``'s exact bytes (base64);
- ``public-key.txt``: the desk's Ed25519 public key (32 raw bytes, base64).

The public key beside the bundle only says which key signed it: whoever relies on the bundle
compares its fingerprint with the desk's published one, or passes the key they trust.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

BUNDLE_FORMAT = "desk-evidence-bundle/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public-key.txt"
OWN_FILES = frozenset({MANIFEST, SIGNATURE, PUBLIC_KEY})

FORM_EXACT = "exact"
FORM_CANONICAL = "canonical-json"  # no longer made: rows from before records were cut exactly

_LEVEL = 1  # zlib's fastest: compaction squeezes every record an import stored


class OriginalDamaged(ValueError):
    """A kept record's bytes no longer match the SHA-256 taken when it arrived."""


def digest(raw: bytes) -> str:
    """Return a record's SHA-256 (hex): what an import stores beside its bytes."""
    return hashlib.sha256(raw).hexdigest()


def pack(raw: bytes) -> tuple[str, bytes]:
    """Return a record's SHA-256 (hex) and its bytes compressed (a zlib stream)."""
    return digest(raw), zlib.compress(raw, _LEVEL)


def unpack(data: bytes, compressed: bool = True) -> bytes:
    """Return a record's original bytes from what was stored (compressed or still raw)."""
    return zlib.decompress(data) if compressed else bytes(data)


def compact(raw: bytes, sha256: str) -> bytes:
    """Return a raw record compressed, once proven to give back exactly the same bytes.

    Raises:
        OriginalDamaged: ``raw`` does not have the SHA-256 stored with it, or the compressed
            form would not give it back: the record is left as it is.
    """
    if digest(raw) != sha256:
        raise OriginalDamaged("the stored bytes do not match their SHA-256")
    packed = zlib.compress(raw, _LEVEL)
    if zlib.decompress(packed) != raw:  # never trade a record for a copy that is not it
        raise OriginalDamaged("the compressed bytes do not give the record back")
    return packed


def sha256_file(path: Path) -> str:
    """Return a file's SHA-256 (hex), read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def key_fingerprint(public_key: str) -> str:
    """Return a public key's short name: the first 16 hex digits of the SHA-256 of its bytes."""
    try:
        raw = base64.b64decode(public_key.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = public_key.strip().encode("utf-8", "replace")
    return hashlib.sha256(raw).hexdigest()[:16]


def bundle_files(folder: Path) -> list[str]:
    """Return every file under ``folder`` but the bundle's own, as sorted POSIX paths."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).as_posix() not in OWN_FILES
    )


def manifest_bytes(header: dict[str, Any], files: dict[str, str]) -> bytes:
    """Return the manifest's bytes: ``header`` then ``files`` (path → SHA-256), sorted."""
    body = {"format": BUNDLE_FORMAT, **header, "files": dict(sorted(files.items()))}
    return (json.dumps(body, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()


def signature_valid(public_key: str, data: bytes, signature: str) -> bool:
    """Tell whether ``signature`` (base64) is ``public_key``'s (base64) signature of ``data``."""
    try:
        key = Ed25519PublicKey.from_public_bytes(
            base64.b64decode(public_key.strip(), validate=True)
        )
        key.verify(base64.b64decode(signature.strip(), validate=True), data)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


@dataclass
class BundleCheck:
    """What checking a bundle found; ``ok`` only when nothing is wrong."""

    folder: Path
    fingerprint: str = ""
    signature_ok: bool = False
    checked: int = 0
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    header: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the signature holds and every file is as signed, none added or removed."""
        return self.signature_ok and not (
            self.changed or self.added or self.removed or self.problems
        )

    def lines(self) -> list[str]:
        """Return the outcome as lines for a person to read."""
        out = [f"Bundle {self.folder}", f"Signing key fingerprint: {self.fingerprint or '-'}"]
        marking = self.header.get("protective_marking")
        if marking:
            out.insert(0, str(marking))
        out += [f"Problem: {p}" for p in self.problems]
        if not self.problems:
            out.append(
                "Signature: valid" if self.signature_ok else "Signature: NOT VALID for this key"
            )
        out += [f"Changed: {p}" for p in self.changed]
        out += [f"Added (not in the manifest): {p}" for p in self.added]
        out += [f"Removed (in the manifest, missing): {p}" for p in self.removed]
        if self.ok:
            out.append(f"Verified: {self.checked} files match the signed manifest.")
        else:
            out.append("NOT VERIFIED: the bundle is not as it was signed.")
        if marking:
            out.append(str(marking))
        return out


def _read_text(path: Path, what: str, check: BundleCheck) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        check.problems.append(f"{what} {path.name} is missing")
    except (OSError, UnicodeDecodeError) as exc:
        check.problems.append(f"{what} {path.name} cannot be read ({exc})")
    return None


def verify_bundle(folder: Path, public_key_file: Path | None = None) -> BundleCheck:
    """Check a bundle's signature and every file with only the public key.

    ``public_key_file``: the key to trust (base64 text as in ``public-key.txt``); None takes
    the one in the bundle (then compare the printed fingerprint with the desk's).
    """
    folder = Path(folder)
    check = BundleCheck(folder=folder)
    if not folder.is_dir():
        check.problems.append(f"{folder} is not a folder")
        return check
    key_path = public_key_file if public_key_file is not None else folder / PUBLIC_KEY
    public_key = _read_text(key_path, "the public key", check)
    manifest_path = folder / MANIFEST
    signature = _read_text(folder / SIGNATURE, "the signature", check)
    try:
        manifest = manifest_path.read_bytes()
    except OSError:
        check.problems.append(f"the manifest {MANIFEST} is missing or cannot be read")
        return check
    if public_key is None or signature is None:
        return check
    check.fingerprint = key_fingerprint(public_key)
    check.signature_ok = signature_valid(public_key, manifest, signature)
    try:
        body = json.loads(manifest)
        files = body["files"]
        if not isinstance(files, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        check.problems.append(f"the manifest {MANIFEST} is not a Desk evidence manifest")
        return check
    check.header = {k: v for k, v in body.items() if k != "files"}
    if body.get("format") != BUNDLE_FORMAT:
        check.problems.append(f"unknown bundle format {body.get('format')!r}")
    present = set(bundle_files(folder))
    for name, expected in sorted(files.items()):
        path = folder / name
        if name not in present:
            check.removed.append(name)
            continue
        check.checked += 1
        if sha256_file(path) != expected:
            check.changed.append(name)
    check.added = sorted(present - set(files))
    return check


def _main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m desk.core.evidence",
        description="Check a Desk evidence bundle with only its public key.",
    )
    parser.add_argument("folder", type=Path, help="the bundle's folder")
    parser.add_argument(
        "--public-key", type=Path, default=None, help="the public key to trust (base64 text)"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    check = verify_bundle(args.folder, args.public_key)
    sys.stdout.write("\n".join(check.lines()) + "\n")
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(_main())
