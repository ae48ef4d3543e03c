"""``sessions list|end`` and ``user leaver-review|leaver-reviews|leaver-reviewed``.

Devices: a person lists their own active sessions and signs any other one out; an
administrator lists and signs out anyone's. Leavers: a leaver under investigation's last 30
days of actions, for a supervisor's review (marked, formula-safe CSV or marked JSON).
"""

from __future__ import annotations

import io
from typing import Any

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.output import clean, iso, stored_time, table, when, write_json
from desk.core.csv_safety import write_csv
from desk.core.leavers import COLUMNS
from desk.core.marking import marked
from desk.core.roles import Action
from desk.services.devices import SessionView
from desk.services.leavers import LeaverReviewView, PendingReview

KINDS = {"gui": "window", "cli": "command line"}


def add_parsers(sub: Subparsers) -> None:
    """Add the ``sessions`` commands."""
    sessions = command(
        sub,
        "sessions",
        "list active sessions (signed-in devices) and sign one out",
        "List the active sessions: where each was opened (window or command line, and the "
        "workstation), when it started and was last used. Anyone lists and signs out their "
        "own; an administrator lists and signs out anyone's. A session signed out is refused "
        "at its next use, saying who signed it out.",
    )
    s_sub = group(sessions, "sessions_command", "SESSIONS_COMMAND")
    listing = command(
        s_sub,
        "list",
        "list active sessions (yours; an administrator: everyone's)",
        "List active sessions, newest use first; the session this command runs in is marked "
        "with '*'. Administrators see everyone's unless --user narrows it; anyone else sees "
        "their own. Times UTC.",
    )
    listing.add_argument("--user", dest="of_user", default=None, metavar="NAME",
                         help="only NAME's sessions (someone else's: administrators)")  # fmt: skip
    json_flag(listing)
    listing.set_defaults(handler=run_list)
    end = command(
        s_sub,
        "end",
        "sign out a session (one of yours; an administrator: anyone's)",
        "Sign out session ID (its number from 'sessions list'): its window goes back to the "
        "sign-in screen, its token stops working. Not the session you are using: use "
        "'desk-admin logout' for that.",
    )
    end.add_argument("id", type=int, metavar="ID", help="the session's number")
    end.set_defaults(handler=run_end)


def add_user_parsers(users: Subparsers) -> None:
    """Add the leaver review commands to ``user``."""
    review = command(
        users,
        "leaver-review",
        "a leaver's actions in the 30 days before they were disabled (supervisors, admins)",
        "List a leaver's actions in the 30 days before they were disabled, oldest first: "
        "time (UTC), action, object and case. For a leaver under a professional standards "
        "investigation, a supervisor then records the review with 'user leaver-reviewed'. "
        "--csv prints marked, formula-safe CSV; --json prints marked JSON. Reading is audited.",
    )
    review.add_argument("name", metavar="NAME", help="the leaver's username")
    out = review.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print marked JSON (for scripts)")
    out.add_argument("--csv", action="store_true", help="print marked, formula-safe CSV")
    review.set_defaults(handler=run_leaver_review)

    waiting = command(
        users,
        "leaver-reviews",
        "list the leaver reviews waiting for a supervisor",
        "List the leavers under investigation whose last 30 days of actions no supervisor has "
        "recorded reviewed yet, oldest first.",
    )
    json_flag(waiting)
    waiting.set_defaults(handler=run_leaver_reviews)

    done = command(
        users,
        "leaver-reviewed",
        "record that you reviewed a leaver's last 30 days (supervisors)",
        "Record that you reviewed the leaver's last 30 days of actions (read them first with "
        "'user leaver-review NAME'), with an optional note of what was found or done. Audited.",
    )
    done.add_argument("name", metavar="NAME", help="the leaver's username")
    done.add_argument("--note", default="", metavar="TEXT", help="what was found or done")
    done.set_defaults(handler=run_leaver_reviewed)


# sessions ---------------------------------------------------------------------------------


def _session_json(view: SessionView) -> dict[str, Any]:
    return {
        "id": view.id,
        "username": view.username,
        "display_name": view.display_name,
        "kind": view.kind,
        "workstation": view.workstation,
        "created_at": iso(view.created_at),
        "last_used_at": iso(view.last_used_at),
        "locked": view.locked,
        "current": view.current,
    }


def _kind(view: SessionView) -> str:
    text = KINDS.get(view.kind, view.kind)
    return f"{text} (locked)" if view.locked else text


def run_list(inv: Invocation) -> int:
    """Print active sessions as a table or JSON."""
    with auth.acting(inv) as acting:
        views = inv.desk.devices.list_sessions(acting.token, inv.args.of_user)
    if inv.args.json:
        write_json(inv.console.stdout, [_session_json(v) for v in views])
        return EXIT_OK
    rows = [
        (
            f"{'*' if v.current else ' '}{v.id}",
            v.username,
            _kind(v),
            v.workstation or "(not recorded)",
            when(v.created_at),
            when(v.last_used_at),
        )
        for v in views
    ]
    headers = ("id", "user", "kind", "workstation", "started (UTC)", "last used (UTC)")
    inv.console.out(table(headers, rows))
    inv.console.note("* marks the session this command ran in.")
    return EXIT_OK


def run_end(inv: Invocation) -> int:
    """Sign out one session."""
    with auth.acting(inv) as acting:
        view = inv.desk.devices.sign_out_session(acting.token, int(inv.args.id))
    where = f" on {clean(view.workstation)}" if view.workstation else ""
    inv.console.out(
        f"Signed out session {view.id} ({view.username}, {KINDS.get(view.kind, view.kind)}"
        f"{where}): its next use is refused."
    )
    return EXIT_OK


# leavers ----------------------------------------------------------------------------------


def _review_json(view: LeaverReviewView) -> dict[str, Any]:
    return marked(
        {
            "username": view.username,
            "display_name": view.display_name,
            "since": iso(view.since),
            "disabled_at": iso(view.disabled_at),
            "under_investigation": view.under_investigation,
            "reviewed_at": iso(view.reviewed_at),
            "reviewed_by": view.reviewed_by,
            "complete": view.complete,
            "actions": [
                {
                    "seq": a.seq,
                    "at": a.at,
                    "action": a.action,
                    "object": a.object,
                    "case": a.case_id,
                }
                for a in view.actions
            ],
        },
        view.marking,
    )


def run_leaver_review(inv: Invocation) -> int:
    """Print a leaver's last 30 days of actions (table, marked CSV or marked JSON)."""
    with auth.acting(inv, Action.REVIEW_LEAVERS) as acting:
        view = inv.desk.leavers.leaver_review(acting.token, inv.args.name)
    if inv.args.json:
        write_json(inv.console.stdout, _review_json(view))
    elif inv.args.csv:
        buffer = io.StringIO(newline="")
        cells = ((a.at, a.action, a.object, a.case_id or "") for a in view.actions)
        write_csv(buffer, COLUMNS, cells, view.marking)
        inv.console.stdout.write(buffer.getvalue())
    else:
        inv.console.out(
            f"{view.username} ({clean(view.display_name)}): {len(view.actions)} actions from "
            f"{when(view.since)} until disabled at {when(view.disabled_at)} (UTC)."
        )
        rows = [
            (stored_time(a.at), a.action, a.object, f"#{a.case_id}" if a.case_id else "")
            for a in view.actions
        ]
        if rows:
            inv.console.out(table(COLUMNS, rows))
        if view.reviewed_at is not None:
            inv.console.out(f"Reviewed by {view.reviewed_by} at {when(view.reviewed_at)} UTC.")
        elif view.review_id is not None:
            inv.console.out(
                "Waiting for a supervisor's review: "
                f"'desk-admin user leaver-reviewed {view.username}' records it."
            )
    if not view.complete:
        inv.console.note(
            f"desk-admin: note: only the newest {len(view.actions)} actions are listed: "
            "read the rest with 'desk-admin audit list --actor NAME'."
        )
    return EXIT_OK


def _pending_json(row: PendingReview) -> dict[str, Any]:
    return {
        "username": row.username,
        "display_name": row.display_name,
        "disabled_at": iso(row.disabled_at),
        "disabled_by": row.disabled_by,
    }


def run_leaver_reviews(inv: Invocation) -> int:
    """Print the leaver reviews waiting for a supervisor."""
    with auth.acting(inv, Action.REVIEW_LEAVERS) as acting:
        rows = inv.desk.leavers.pending_reviews(acting.token)
    if inv.args.json:
        write_json(inv.console.stdout, [_pending_json(r) for r in rows])
        return EXIT_OK
    if not rows:
        inv.console.out("No leaver review is waiting.")
        return EXIT_OK
    lines = [(r.username, r.display_name, when(r.disabled_at), r.disabled_by) for r in rows]
    inv.console.out(table(("username", "name", "disabled (UTC)", "disabled by"), lines))
    return EXIT_OK


def run_leaver_reviewed(inv: Invocation) -> int:
    """Record a leaver review done."""
    with auth.acting(inv, Action.RECORD_LEAVER_REVIEW) as acting:
        row = inv.desk.leavers.record_reviewed(acting.token, inv.args.name, inv.args.note)
    inv.console.out(f"Recorded your review of {row.username}'s last 30 days of actions.")
    return EXIT_OK
