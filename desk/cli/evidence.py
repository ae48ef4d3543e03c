"""``evidence CASE --out DIR`` writes a signed bundle; ``evidence verify DIR`` checks one.

``verify`` runs before any profile is opened (see ``run_alone``): it needs no data folder, no
keyring and no database, only the bundle and its public key (``desk.core.evidence``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desk.cli import auth
from desk.cli.console import Console
from desk.cli.context import EXIT_OK, EXIT_VERIFY_FAILED, Invocation, Subparsers, command, json_flag
from desk.cli.output import clean, write_json
from desk.core.errors import InvalidInput
from desk.core.evidence import PUBLIC_KEY, verify_bundle
from desk.core.roles import Action

VERIFY = "verify"


def add_parsers(sub: Subparsers) -> None:
    """Add the ``evidence`` command."""
    evidence = command(
        sub,
        "evidence",
        "write a case's signed evidence bundle, or check one (supervisors, administrators)",
        "'evidence CASE --out DIR' writes case CASE's evidence bundle into DIR (new or empty): "
        "each record as received, the case, timeline, THRIVE, escalations, replies, moderation, "
        "the audit extract with its chain, a PDF, and a manifest of every file's SHA-256 signed "
        f"with the desk's Ed25519 key (its public key is written beside it, as {PUBLIC_KEY}). "
        "'evidence verify DIR [--public-key FILE]' checks the signature and every file with only "
        "the public key, and names any file changed, added or removed; it needs no profile, "
        f"keyring or sign-in. Exit {EXIT_VERIFY_FAILED} when a bundle does not verify.",
    )
    evidence.add_argument(
        "target", metavar="CASE|verify", help="the case number, or 'verify' to check a bundle"
    )
    evidence.add_argument(
        "folder", nargs="?", metavar="DIR", help="with 'verify': the bundle's folder"
    )
    evidence.add_argument("--out", metavar="DIR", help="the new (or empty) folder for the bundle")
    evidence.add_argument(
        "--public-key",
        metavar="FILE",
        help="with 'verify': the public key to trust (default: the one in the bundle, whose "
        "fingerprint is printed to compare with the desk's)",
    )
    json_flag(evidence)
    evidence.set_defaults(handler=run_export, run_alone=run_alone)


def run_alone(args: argparse.Namespace, console: Console) -> int | None:
    """Run ``evidence verify`` without a profile; None for commands that need the desk."""
    if args.target != VERIFY:
        return None
    if not args.folder:
        raise InvalidInput("Say which bundle to check: 'evidence verify DIR'.")
    if args.out:
        raise InvalidInput("'--out' is for writing a bundle, not for 'evidence verify'.")
    key = Path(args.public_key).expanduser() if args.public_key else None
    if key is not None and not key.is_file():
        raise InvalidInput(f"The public key file {key} does not exist.")
    check = verify_bundle(Path(args.folder).expanduser(), key)
    if args.json:
        write_json(
            console.stdout,
            {
                "ok": check.ok,
                "folder": str(check.folder),
                "fingerprint": check.fingerprint,
                "signature_valid": check.signature_ok,
                "checked": check.checked,
                "changed": check.changed,
                "added": check.added,
                "removed": check.removed,
                "problems": check.problems,
                "protective_marking": check.header.get("protective_marking"),
                "case": check.header.get("case"),
            },
        )
    else:
        console.out("\n".join(clean(line) for line in check.lines()))
    return EXIT_OK if check.ok else EXIT_VERIFY_FAILED


def _case_number(text: str) -> int:
    try:
        value = int(text.lstrip("#"))
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not a case number: write 'evidence CASE --out DIR' or "
            "'evidence verify DIR'."
        ) from None
    if value < 1:
        raise InvalidInput(f"Case {value} does not exist: case numbers start at 1.")
    return value


def run_export(inv: Invocation) -> int:
    """Write a case's evidence bundle."""
    case_id = _case_number(inv.args.target)
    if not inv.args.out:
        raise InvalidInput("Say where to write the bundle: 'evidence CASE --out DIR'.")
    if inv.args.folder:
        raise InvalidInput(f"Unexpected {inv.args.folder!r}: the folder goes after --out.")
    out = Path(inv.args.out).expanduser()
    with auth.acting(inv, Action.EXPORT_EVIDENCE) as acting:
        from desk.render.pdf import write_pdf  # Qt is loaded only for this command

        done = inv.desk.evidence.export(acting.token, case_id, out, write_pdf)
    if inv.args.json:
        write_json(
            inv.console.stdout,
            {
                "folder": str(done.folder.resolve()),
                "case": done.case_id,
                "files": list(done.files),
                "manifest_sha256": done.manifest_sha256,
                "fingerprint": done.fingerprint,
                "public_key": done.public_key,
                "protective_marking": done.marking,
                "originals": done.originals,
            },
        )
    else:
        inv.console.out(
            f"{done.marking}\nWrote the evidence bundle for case {case_id} to "
            f"{clean(done.folder)} ({len(done.files)} files, {done.originals} records as "
            f"received), signed with the desk's key {done.fingerprint}.\n"
            f"Check it anywhere with: desk-admin evidence verify {clean(done.folder)}"
        )
    return EXIT_OK
