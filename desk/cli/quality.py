"""``qa sample|list|review|results`` and ``dashboard``: oversight from the command line."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.output import iso, table, when, write_json
from desk.core.dashboard import PeriodKind, period_for, to_json
from desk.core.errors import InvalidInput
from desk.core.quality import CHECKS, parse_answer, parse_month
from desk.core.roles import Action
from desk.services.quality import SampledCase

_ANSWERS = "yes, no or n/a"
_PERIODS = ", ".join(k.value for k in PeriodKind)


def add_parsers(sub: Subparsers) -> None:
    """Add the ``qa`` and ``dashboard`` commands."""
    qa = command(
        sub,
        "qa",
        "quality assurance: sample closed cases per operator and review them (supervisors)",
    )
    qa_sub = group(qa, "qa_command", "QA_COMMAND")

    sample = command(
        qa_sub,
        "sample",
        "draw a month's sample of closed cases per operator",
        "Draw the month's sample: up to qa_samples_per_month closed cases per operator (a "
        "desk setting), never a case drawn before. Running it again only tops up.",
    )
    sample.add_argument("--month", required=True, metavar="YYYY-MM", help="the month")
    json_flag(sample)
    sample.set_defaults(handler=run_sample)

    listing = command(qa_sub, "list", "list the sampled cases and their reviews")
    listing.add_argument("--month", metavar="YYYY-MM", help="only this month")
    json_flag(listing)
    listing.set_defaults(handler=run_list)

    review = command(
        qa_sub,
        "review",
        "record the checklist for a sampled case",
        f"Record the review of sampled case ID (from 'qa list'). Each item is {_ANSWERS}.",
    )
    review.add_argument("id", type=int, metavar="ID", help="the review's id from 'qa list'")
    for flag, what in (
        ("--thrive", "THRIVE complete"),
        ("--grade", "grade justified"),
        ("--template", "right template"),
        ("--target", "target met"),
    ):
        review.add_argument(flag, required=True, metavar="ANSWER", help=f"{what}: {_ANSWERS}")
    review.add_argument("--comment", default="", help="what went well, what to change")
    review.set_defaults(handler=run_review)

    results = command(qa_sub, "results", "results per operator for a month")
    results.add_argument("--month", required=True, metavar="YYYY-MM", help="the month")
    json_flag(results)
    results.set_defaults(handler=run_results)

    dashboard = command(
        sub,
        "dashboard",
        "the desk at a glance for a period (supervisors, communications, administrators)",
        "Arrivals by platform, time to first action against the targets, targets met, "
        "escalations and their acknowledgement, risk categories and coverage gaps for a "
        f"period: {_PERIODS} (custom needs --from and --to, ISO dates and times in UTC).",
    )
    dashboard.add_argument("--period", default="24h", metavar="PERIOD", help=_PERIODS)
    dashboard.add_argument("--from", dest="start", metavar="TIME", help="custom period start")
    dashboard.add_argument("--to", dest="end", metavar="TIME", help="custom period end")
    json_flag(dashboard)
    dashboard.set_defaults(handler=run_dashboard)


def _answer(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "n/a"}[value]


def _sample_json(s: SampledCase) -> dict[str, Any]:
    return {
        "id": s.id,
        "case": s.case_id,
        "operator": s.operator,
        "month": s.month,
        "priority": s.priority,
        "closed_at": iso(s.closed_at),
        "outcome": s.outcome,
        "sampled_at": iso(s.sampled_at),
        "sampled_by": s.sampled_by,
        "reviewed_at": iso(s.reviewed_at),
        "reviewer": s.reviewer,
        "answers": s.answers if s.reviewed else None,
        "comment": s.comment,
    }


def _sample_rows(samples: list[SampledCase]) -> str:
    rows = [
        (
            s.id,
            s.month,
            s.operator,
            f"#{s.case_id}",
            f"P{s.priority}",
            when(s.closed_at),
            (
                " ".join(f"{c.value.split('_')[0]}={_answer(s.answers[c.value])}" for c in CHECKS)
                if s.reviewed
                else "not reviewed"
            ),
        )
        for s in samples
    ]
    return table(("id", "month", "operator", "case", "priority", "closed", "review"), rows)


def run_sample(inv: Invocation) -> int:
    """Draw the month's sample."""
    month = parse_month(inv.args.month)[0]
    with auth.acting(inv, Action.REVIEW_QUALITY) as acting:
        drawn = inv.desk.quality.sample(acting.token, month)
    if inv.args.json:
        write_json(inv.console.stdout, [_sample_json(s) for s in drawn])
        return EXIT_OK
    if not drawn:
        inv.console.out(f"Nothing new to sample for {month}.")
        return EXIT_OK
    inv.console.out(_sample_rows(drawn))
    inv.console.out(f"Drew {len(drawn)} case(s) for {month}.")
    return EXIT_OK


def run_list(inv: Invocation) -> int:
    """List sampled cases."""
    month = parse_month(inv.args.month)[0] if inv.args.month else None
    with auth.acting(inv, Action.REVIEW_QUALITY) as acting:
        samples = inv.desk.quality.samples(acting.token, month)
    if inv.args.json:
        write_json(inv.console.stdout, [_sample_json(s) for s in samples])
    elif samples:
        inv.console.out(_sample_rows(samples))
    else:
        inv.console.out("No cases sampled" + (f" for {month}." if month else "."))
    return EXIT_OK


def run_review(inv: Invocation) -> int:
    """Record a review."""
    answers = {
        "thrive_complete": parse_answer(inv.args.thrive),
        "grade_justified": parse_answer(inv.args.grade),
        "right_template": parse_answer(inv.args.template),
        "target_met": parse_answer(inv.args.target),
    }
    with auth.acting(inv, Action.REVIEW_QUALITY) as acting:
        done = inv.desk.quality.review(
            acting.token, inv.args.id, comment=inv.args.comment, **answers
        )
    inv.console.out(f"Recorded the review of case #{done.case_id} ({done.operator}).")
    return EXIT_OK


def _share(passed: int, applicable: int) -> str:
    return "-" if not applicable else f"{passed}/{applicable} ({100 * passed / applicable:.0f}%)"


def run_results(inv: Invocation) -> int:
    """Show results per operator."""
    month = parse_month(inv.args.month)[0]
    with auth.acting(inv, Action.REVIEW_QUALITY) as acting:
        results = inv.desk.quality.results(acting.token, month)
    if inv.args.json:
        write_json(
            inv.console.stdout,
            [
                {
                    "operator": r.operator,
                    "sampled": r.sampled,
                    "reviewed": r.reviewed,
                    "checks": {
                        k: {"passed": v.passed, "applicable": v.applicable, "share": v.share}
                        for k, v in r.checks.items()
                    },
                }
                for r in results
            ],
        )
        return EXIT_OK
    if not results:
        inv.console.out(f"No cases sampled for {month}.")
        return EXIT_OK
    rows = [
        (
            r.operator,
            r.sampled,
            r.reviewed,
            *(_share(r.checks[c.value].passed, r.checks[c.value].applicable) for c in CHECKS),
        )
        for r in results
    ]
    inv.console.out(
        table(("operator", "sampled", "reviewed", "thrive", "grade", "template", "target"), rows)
    )
    return EXIT_OK


def _time(text: str | None, flag: str) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{flag} {text!r} is not an ISO date and time.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _minutes(value: float | None) -> str:
    return "-" if value is None else f"{value:g} min"


def run_dashboard(inv: Invocation) -> int:
    """Print the dashboard's figures."""
    start, end = _time(inv.args.start, "--from"), _time(inv.args.end, "--to")
    period_for(inv.args.period, inv.desk.ctx.clock.now(), start, end)  # refuse before sign-in
    with auth.acting(inv, Action.VIEW_DASHBOARD) as acting:
        data = inv.desk.dashboard.figures(acting.token, inv.args.period, start, end)
    if inv.args.json:
        write_json(inv.console.stdout, to_json(data))
        return EXIT_OK
    out = inv.console.out
    out(f"Period: {when(data.period.start)} to {when(data.period.end)} UTC")
    out(f"Arrivals: {data.total_arrivals}")
    out(table(("platform", "items"), [(p, sum(c)) for p, c in data.arrivals.items()]))
    share = "-" if data.met_share is None else f"{data.met_share * 100:.0f}%"
    out(f"\nResponse targets met: {data.targets_met} of {data.targets_decided} ({share})")
    out(
        table(
            ("priority", "target", "acted", "median", "met", "waiting", "past target"),
            [
                (
                    f"P{r.priority}",
                    _minutes(r.target_minutes),
                    r.acted,
                    _minutes(r.median_minutes),
                    r.met,
                    r.waiting,
                    r.waiting_past_target,
                )
                for r in data.response
            ],
        )
    )
    out("\nEscalations:")
    out(
        table(
            ("target", "escalated", "acknowledged", "median ack", "late"),
            [
                (e.kind, e.escalated, e.acknowledged, _minutes(e.median_ack_minutes), e.late)
                for e in data.escalations
            ],
        )
    )
    out("\nRisk categories:")
    out(table(("category", "cases"), list(data.risks.items())))
    out("\nCoverage gaps:")
    out(
        table(
            ("from", "to", "reason", "platform", "risk accepted"),
            [
                (when(g.starts_at), when(g.ends_at), g.reason, g.platform or "", g.risk_accepted)
                for g in data.coverage
            ],
        )
    )
    return EXIT_OK
