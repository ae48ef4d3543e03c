"""``export continuity-pack`` and ``export open-cases``: working on paper when Desk is down."""

from __future__ import annotations

from pathlib import Path

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, desk_type, group, json_flag
from desk.cli.output import clean, write_json
from desk.core.errors import InvalidInput
from desk.services.continuity import CasesFormat, parse_cases_format


def add_parsers(sub: Subparsers) -> None:
    """Add the ``export`` command."""
    export = command(
        sub, "export", "continuity exports: the continuity pack (PDF) and the open cases"
    )
    es = group(export, "export_command", "EXPORT_COMMAND")

    pack = command(
        es,
        "continuity-pack",
        "write the continuity pack as a PDF, for working on paper",
        "Write the continuity pack to an A4 PDF marked with the protective marking: the "
        "outages now, where to send people instead (channel shift), the escalation and "
        "continuity contacts, the holding statements, the public list of official accounts, "
        "and the open cases. The open cases are included for supervisors, administrators and "
        "information managers (personal data); anyone else's pack leaves them out. Audited.",
    )
    pack.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help="the PDF")
    cases = pack.add_mutually_exclusive_group()
    cases.add_argument(
        "--with-cases",
        dest="with_cases",
        action="store_const",
        const=True,
        default=None,
        help="insist on the open cases (refused for a role that may not print them)",
    )
    cases.add_argument(
        "--without-cases",
        dest="with_cases",
        action="store_const",
        const=False,
        help="leave the open cases out",
    )
    json_flag(pack)
    pack.set_defaults(handler=run_pack)

    open_cases = command(
        es,
        "open-cases",
        "write the open cases as CSV or PDF (supervisors, administrators, information managers)",
        "Write every open case (reference, received, platform, account, author, risk, THRIVE "
        "grade, owner, status, deadline, excerpt), most urgent first. CSV cells never start a "
        "formula; both formats carry the protective marking. Audited as an export of personal "
        "data.",
    )
    open_cases.add_argument(
        "--format",
        type=desk_type(parse_cases_format),
        default=CasesFormat.CSV,
        metavar="csv|pdf",
        help="the file's format (default csv)",
    )
    open_cases.add_argument("--out", required=True, type=Path, metavar="FILE", help="the file")
    json_flag(open_cases)
    open_cases.set_defaults(handler=run_open_cases)


def _target(out: Path) -> Path:
    out = out.expanduser()
    if out.is_dir():
        raise InvalidInput(f"{out} is a folder: give a file name.")
    if not out.parent.is_dir():
        raise InvalidInput(f"Cannot write {out}: the folder {out.parent} does not exist.")
    return out


def run_pack(inv: Invocation) -> int:
    """Write the continuity pack's PDF."""
    out = _target(inv.args.out)
    with auth.acting(inv) as acting:
        doc = inv.desk.continuity.pack(acting.token, inv.args.with_cases)
    from desk.render.pdf import write_pdf  # Qt is loaded only for this command

    written = write_pdf(out, doc.title, doc.pdf_html, doc.marking)
    cases = doc.pack.open_cases
    if inv.args.json:
        write_json(
            inv.console.stdout,
            {
                "pdf": str(written.resolve()),
                "open_cases": None if cases is None else len(cases),
                "marking": doc.marking,
            },
        )
    else:
        what = "without the open cases" if cases is None else f"with {len(cases)} open cases"
        inv.console.out(clean(f"Wrote the continuity pack ({what}) to {written}."))
    return EXIT_OK


def run_open_cases(inv: Invocation) -> int:
    """Write the open cases as CSV or PDF."""
    out = _target(inv.args.out)
    with auth.acting(inv) as acting:
        made = inv.desk.continuity.open_cases(acting.token, inv.args.format)
    if made.format is CasesFormat.CSV:
        out.write_text(made.text, encoding="utf-8", newline="")
    else:
        from desk.render.pdf import write_pdf  # Qt is loaded only for a PDF

        write_pdf(out, made.title, made.text, made.marking)
    if inv.args.json:
        write_json(
            inv.console.stdout,
            {
                "file": str(out.resolve()),
                "format": made.format.value,
                "open_cases": len(made.lines),
            },
        )
    else:
        inv.console.out(clean(f"Wrote {len(made.lines)} open cases ({made.format}) to {out}."))
    return EXIT_OK
