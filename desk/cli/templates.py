"""``templates ...`` (the reply-template library) and ``reply ...`` (replies and approvals)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desk.cli import auth
from desk.cli.cases import case_id_type
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.output import clean, iso, table, write_json
from desk.core.roles import Action
from desk.core.templates import require_usable
from desk.services.replies import ReplyView
from desk.services.templates import TemplateView


def _positive(text: str) -> int:
    value = text.strip().removeprefix("v").removeprefix("#")
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a version or reply number")
    return int(value)


def add_parsers(sub: Subparsers) -> None:
    """Add the ``templates`` and ``reply`` commands."""
    tpl = command(
        sub,
        "templates",
        "list, review and maintain the reply-template library",
        "The library of reply templates (English and Welsh side by side). Operators are "
        "offered only approved versions; communications officers and supervisors approve "
        "drafts. 'export' and 'import' let a communications team review the library in bulk: "
        "import checks every file first and changes nothing if any file is wrong.",
    )
    tpls = group(tpl, "templates_command", "TEMPLATES_COMMAND")
    listing = command(tpls, "list", "list the templates (approved ones; --all for every version)")
    json_flag(listing)
    listing.add_argument(
        "--all",
        action="store_true",
        help="every version with its status (communications, supervisors, administrators)",
    )
    listing.set_defaults(handler=run_list)
    export = command(tpls, "export", "write each template's newest version to DIR/KEY.json")
    export.add_argument("folder", type=Path, metavar="DIR")
    export.set_defaults(handler=run_export)
    imp = command(
        tpls,
        "import",
        "import DIR/*.json: new templates and changed wording become drafts (all or nothing)",
    )
    imp.add_argument("folder", type=Path, metavar="DIR")
    imp.set_defaults(handler=run_import)
    for name, summary in (
        ("approve", "approve a draft version (the one approved before it is retired)"),
        ("retire", "retire a version: it is no longer offered"),
    ):
        cmd = command(tpls, name, summary)
        cmd.add_argument("key", metavar="KEY")
        cmd.add_argument("version", type=_positive, metavar="VERSION")
        cmd.set_defaults(handler=run_approve if name == "approve" else run_retire)

    reply = command(
        sub,
        "reply",
        "reply on a case, and approve or reject free-text replies",
        "Record a reply on a case. Desk never cold-contacts anyone: the reply goes to the "
        "case's author, who must have written to that official account on that platform. "
        "Free-text replies by some roles wait for approval ('reply pending').",
    )
    replies = group(reply, "reply_command", "REPLY_COMMAND")
    send = command(replies, "send", "record a reply (a template's wording, or free text)")
    send.add_argument("case_id", type=case_id_type, metavar="ID", help="the case number")
    send.add_argument("text", nargs="?", default="", metavar="TEXT", help="free text")
    send.add_argument("--template", metavar="KEY", help="use this approved template")
    send.add_argument("--rule", metavar="CODE", help="the guideline a {rule} template names")
    send.add_argument("--language", choices=("en", "cy"), default="en")
    send.add_argument("--private", action="store_true", help="a private message")
    send.add_argument(
        "--override", metavar="REASON", help="supervisors: override no-cold-contact, once"
    )
    send.set_defaults(handler=run_send)
    pending = command(replies, "pending", "list free-text replies waiting for approval")
    json_flag(pending)
    pending.set_defaults(handler=run_pending)
    for name in ("approve", "reject"):
        cmd = command(replies, name, f"{name} a pending reply")
        cmd.add_argument("reply_id", type=_positive, metavar="REPLY")
        cmd.add_argument("--note", default="", metavar="TEXT", help="why (needed to reject)")
        cmd.set_defaults(handler=run_decide, approve=name == "approve")


def template_json(view: TemplateView) -> dict[str, Any]:
    """A template version for scripts."""
    return {
        "key": view.key,
        "kind": view.kind.value,
        "title": view.title,
        "version": view.version,
        "status": view.status.value,
        "guideline": view.guideline,
        "variables": list(view.variables),
        "text_en": view.text_en,
        "text_cy": view.text_cy,
        "approved_by": view.approved_by,
    }


def run_list(inv: Invocation) -> int:
    """Print the template library."""
    with auth.acting(inv) as acting:
        views = inv.desk.templates.list(acting.token, all_versions=bool(inv.args.all))
    if inv.args.json:
        write_json(inv.console.stdout, [template_json(v) for v in views])
        return EXIT_OK
    if not views:
        inv.console.out("There are no templates.")
        return EXIT_OK
    rows = [
        (
            v.key,
            f"v{v.version}",
            v.status.value,
            v.kind.value,
            "yes" if v.text_cy.strip() else "no",
            v.title,
        )
        for v in views
    ]
    inv.console.out(table(("key", "version", "status", "kind", "welsh", "title"), rows))
    return EXIT_OK


def run_export(inv: Invocation) -> int:
    """Export the library."""
    with auth.acting(inv, Action.MANAGE_TEMPLATES) as acting:
        files = inv.desk.templates.export_dir(acting.token, inv.args.folder)
    inv.console.out(f"Wrote {len(files)} template files to {clean(inv.args.folder)}.")
    return EXIT_OK


def run_import(inv: Invocation) -> int:
    """Import a folder of template files."""
    with auth.acting(inv, Action.MANAGE_TEMPLATES) as acting:
        summary = inv.desk.templates.import_dir(acting.token, inv.args.folder)
    inv.console.out(
        f"Checked {summary.files} files: {len(summary.created)} new templates, "
        f"{len(summary.new_versions)} new draft versions, {summary.unchanged} unchanged. "
        "New wording is a draft until it is approved ('templates approve KEY VERSION')."
    )
    return EXIT_OK


def run_approve(inv: Invocation) -> int:
    """Approve a draft."""
    with auth.acting(inv, Action.APPROVE_TEMPLATES) as acting:
        view = inv.desk.templates.approve(acting.token, inv.args.key, inv.args.version)
    inv.console.out(f"Approved {clean(view.key)} v{view.version}: operators are offered it now.")
    return EXIT_OK


def run_retire(inv: Invocation) -> int:
    """Retire a version."""
    with auth.acting(inv, Action.APPROVE_TEMPLATES) as acting:
        view = inv.desk.templates.retire(acting.token, inv.args.key, inv.args.version)
    inv.console.out(f"Retired {clean(view.key)} v{view.version}.")
    return EXIT_OK


def reply_json(view: ReplyView) -> dict[str, Any]:
    """A reply for scripts."""
    return {
        "id": view.id,
        "case": view.case_id,
        "reference": view.reference,
        "recipient": view.recipient,
        "platform": view.platform,
        "account": view.account,
        "private": view.private,
        "language": view.language,
        "template": view.template_key,
        "template_version": view.template_version,
        "status": view.status,
        "text": view.text,
        "created_at": iso(view.created_at),
        "created_by": view.created_by,
    }


def run_send(inv: Invocation) -> int:
    """Record a reply."""
    args = inv.args
    with auth.acting(inv, Action.WORK_CASES) as acting:
        text = str(args.text)
        if args.template:
            filled = inv.desk.templates.render(
                acting.token, args.case_id, args.template, args.language, rule=args.rule
            )
            text = require_usable(
                filled.rendering, args.template, filled.template.version, args.language
            )
        view = inv.desk.replies.reply(
            acting.token,
            args.case_id,
            text,
            private=bool(args.private),
            language=args.language,
            template_key=args.template,
            override_reason=args.override,
        )
    state = "waits for approval" if view.status == "pending" else "is recorded as sent"
    inv.console.out(f"Reply #{view.id} on case #{view.case_id} to {clean(view.recipient)} {state}:")
    inv.console.out(clean(view.text))
    return EXIT_OK


def run_pending(inv: Invocation) -> int:
    """List the replies waiting for approval."""
    with auth.acting(inv, Action.APPROVE_REPLIES) as acting:
        views = inv.desk.replies.pending(acting.token)
    if inv.args.json:
        write_json(inv.console.stdout, [reply_json(v) for v in views])
        return EXIT_OK
    if not views:
        inv.console.out("No replies are waiting for approval.")
        return EXIT_OK
    rows = [(v.id, f"#{v.case_id}", v.created_by, v.recipient, v.text[:60]) for v in views]
    inv.console.out(table(("reply", "case", "by", "to", "text"), rows))
    return EXIT_OK


def run_decide(inv: Invocation) -> int:
    """Approve or reject a pending reply."""
    with auth.acting(inv, Action.APPROVE_REPLIES) as acting:
        if inv.args.approve:
            view = inv.desk.replies.approve(acting.token, inv.args.reply_id, inv.args.note)
        else:
            view = inv.desk.replies.reject(acting.token, inv.args.reply_id, inv.args.note)
    inv.console.out(f"Reply #{view.id} on case #{view.case_id} is {view.status}.")
    return EXIT_OK
