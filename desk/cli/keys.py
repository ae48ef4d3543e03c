"""``keys export --out FILE`` and ``keys import FILE``: a second workstation joins a shared desk.

Each workstation keeps the desk's keys in its own OS keyring. ``export`` (an administrator,
signed in) writes them sealed with a passphrase typed twice; ``import`` (on the new
workstation, with --data-dir and --database-url or a saved server) opens the file with that
passphrase, checks the keys against the server's key check and only then stores them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desk.cli import auth
from desk.cli.console import Console
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group
from desk.cli.database import logged, no_secret_arguments, refuse_secret_arguments, secret_line
from desk.core.errors import InvalidInput
from desk.core.roles import Action
from desk.paths import resolve_profile
from desk.services import shared_desk

IMPORT = "import"


def add_parsers(sub: Subparsers) -> None:
    """Add the ``keys`` commands."""
    keys = command(
        sub,
        "keys",
        "carry the desk's keys to another workstation of a shared desk",
        "A shared desk's workstations need the same keys (the desk key and the audit key) in "
        "their OS keyrings, or no password verifies. 'export' writes them to a file sealed "
        "with a passphrase (scrypt and AES-256-GCM; the file is owner-only); 'import' stores "
        "them on the new workstation after checking them against the server. Carry the file "
        "and tell the passphrase separately, and delete the file once imported.",
    )
    commands = group(keys, "keys_command", "KEYS_COMMAND")
    export = command(
        commands,
        "export",
        "write the keys sealed with a passphrase (administrators; audited)",
        "Write this desk's keys to a new file, sealed with a passphrase of at least "
        f"{shared_desk.MIN_PASSPHRASE} characters typed twice (or one line of standard input "
        "after your own password, with --password-stdin).",
    )
    export.add_argument("--out", required=True, metavar="FILE", help="the new key file")
    no_secret_arguments(export)
    export.set_defaults(handler=run_export)
    imported = command(
        commands,
        IMPORT,
        "store a key file's keys on this workstation (checked against the server)",
        "Run on the new workstation with its own --data-dir and the server's --database-url "
        "(or a server saved with 'database set-url'). The passphrase is asked (or one line "
        "of standard input with --password-stdin). Refused, with nothing stored, when the "
        "passphrase is wrong, the file is another desk's, or this profile already has other "
        "keys. Recorded in the desk's audit log.",
    )
    imported.add_argument("file", metavar="FILE")
    no_secret_arguments(imported)
    keys.set_defaults(run_alone=run_alone)


def run_alone(args: argparse.Namespace, console: Console) -> int | None:
    """Run ``keys import`` before any desk is opened (this workstation has no keys yet)."""
    refuse_secret_arguments(args)
    if args.keys_command != IMPORT:
        return None
    path = Path(args.file).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            f"Desk cannot read the key file {path}: {exc.strerror or exc}."
        ) from None
    profile = resolve_profile(args.data_dir).create()
    with logged(profile):
        passphrase = secret_line(
            console, "Passphrase of the key file: ", "the key file's passphrase", twice=False
        )
        done = shared_desk.import_keys(
            profile, data, passphrase, args.database_url, getattr(args, "clock", None)
        )
    if done.stored:
        console.out(f"The desk's keys are in this workstation's keyring ({done.server}).")
    else:
        console.out("This workstation's keyring already held these keys: nothing changed.")
    console.note(f"Delete {path} now that it is imported.")
    return EXIT_OK


def run_export(inv: Invocation) -> int:
    """Write the keys sealed with a passphrase typed twice, as an administrator."""
    out = Path(inv.args.out).expanduser()
    who = auth.identify(inv, Action.CHANGE_SETTINGS)
    passphrase = secret_line(
        inv.console, "Passphrase for the key file: ", "a passphrase for the key file", twice=True
    )
    shared_desk.check_passphrase(passphrase)
    with who.act() as acting:
        name = shared_desk.export_keys(inv.desk, acting.token, out, passphrase)
    inv.console.out(f"Wrote the keys of desk {name} to {out} (readable by you only).")
    inv.console.note(
        "Carry the file to the new workstation and tell the passphrase separately; there run "
        "'desk-admin --data-dir DIR --database-url URL keys import FILE'."
    )
    return EXIT_OK
