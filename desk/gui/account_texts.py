"""What the official accounts window says: columns, cells and details of accounts and requests.

:mod:`desk.gui.accounts_window` lays them out; the words go through ``AccountsWindow``'s
translation context.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from desk.core.account_register import Purpose, RequestKind, RequestState
from desk.gui.labels import platform_label
from desk.services.account_requests import RequestView
from desk.services.official_accounts import RegisterEntry

_CONTEXT = "AccountsWindow"

(
    COL_ACCOUNT,
    COL_DUE,
    COL_TWO_FACTOR,
    COL_ALERTS,
    COL_PURPOSE,
    COL_AREA,
    COL_VERIFIED,
    COL_MANAGED,
    COL_LAST_REVIEW,
    COL_ADMINS,
    COL_TEAM,
    COL_NAME,
    COL_CREDENTIALS,
    COL_OPENED,
    COL_CLOSED,
) = range(15)
# the security state first: the rest of the entry is one scroll (or the details) away
HEADERS = (
    "Account",
    "Review due",
    "2FA",
    "Login alerts",
    "Purpose",
    "Area",
    "Verified",
    "Managed",
    "Last review",
    "Administrators",
    "Owning team",
    "Display name",
    "Credentials kept",
    "Opened",
    "Closed",
)  # translated when shown
REQ_REF, REQ_KIND, REQ_ACCOUNT, REQ_BY, REQ_ON, REQ_STATE, REQ_DECIDED = range(7)
REQUEST_HEADERS = ("Request", "Asks to", "Account", "Asked by", "Asked on", "State", "Decided by")


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def day_text(day: date | None) -> str:
    """A day as people read it: ``24 Feb 2027`` ('' for none)."""
    return f"{day.day} {day:%b %Y}" if day is not None else ""


def yes_no(flag: bool) -> str:
    """Yes or No."""
    return _tr("Yes") if flag else _tr("No")


def account_text(platform: str, handle: str) -> str:
    """``@handle · X``."""
    return f"{handle} · {platform_label(platform)}"


def purpose_text(purpose: Purpose) -> str:
    """The purpose as people read it."""
    return _tr("Public engagement") if purpose is Purpose.ENGAGEMENT else _tr("Investigations")


def due_text(entry: RegisterEntry) -> str:
    """The review column: the day due, OVERDUE when it is; nothing once closed."""
    if not entry.active:
        return ""
    due = day_text(entry.review_due_on)
    return _tr("{day} — OVERDUE").format(day=due) if entry.review_overdue else due


def admins_text(entry: RegisterEntry) -> str:
    """The administrators; one whose Desk account is disabled is marked (a leaver)."""
    return ", ".join(
        name + (" " + _tr("(disabled: a leaver?)") if name in entry.administrators_disabled else "")
        for name in entry.administrators
    )


def cells(entry: RegisterEntry) -> tuple[str, ...]:
    """One account's cells, in column order."""
    return (
        account_text(entry.platform.value, entry.handle),
        due_text(entry),
        yes_no(entry.two_factor),
        yes_no(entry.login_alerts),
        purpose_text(entry.purpose),
        entry.area_label,
        yes_no(entry.verified),
        yes_no(entry.managed),
        day_text(entry.last_review_on) or _tr("never"),
        admins_text(entry),
        entry.owning_team,
        entry.display_name,
        entry.credentials_location,
        day_text(entry.opened_on),
        day_text(entry.closed_on),
    )


def details_text(entry: RegisterEntry) -> str:
    """The selected account's entry in full, for the label under the table."""
    lines = [
        _tr("{handle} on {platform} ({name}): {purpose}, {area}; run by {team}.").format(
            handle=entry.handle,
            platform=platform_label(entry.platform.value),
            name=entry.display_name,
            purpose=purpose_text(entry.purpose).lower(),
            area=entry.area_label,
            team=entry.owning_team or _tr("no team named"),
        ),
        _tr("Link: {link}").format(link=entry.link or _tr("none recorded")),
        _tr("Administrators: {names}").format(names=admins_text(entry) or _tr("none named")),
        _tr(
            "Verified: {verified} · 2FA: {tfa} · Login alerts: {alerts} · Managed: {managed} · "
            "Private messages: {dm}"
        ).format(
            verified=yes_no(entry.verified),
            tfa=yes_no(entry.two_factor),
            alerts=yes_no(entry.login_alerts),
            managed=yes_no(entry.managed),
            dm=yes_no(entry.direct_messages),
        ),
        _tr("Credentials kept: {where}").format(
            where=entry.credentials_location or _tr("not recorded")
        ),
    ]
    if entry.active:
        lines.append(
            _tr("Opened {opened}; last review {last}; next due {due}.").format(
                opened=day_text(entry.opened_on) or _tr("(day not known)"),
                last=day_text(entry.last_review_on) or _tr("never"),
                due=due_text(entry),
            )
        )
    else:
        lines.append(
            _tr("Closed {closed} (opened {opened}).").format(
                closed=day_text(entry.closed_on), opened=day_text(entry.opened_on) or "?"
            )
        )
    if entry.purpose is Purpose.INVESTIGATIONS:
        lines.append(_tr("Used for investigations: Desk does not import or work its items."))
    return "\n".join(lines)


def request_kind_text(view: RequestView) -> str:
    """Open or Close."""
    return _tr("Open") if view.kind is RequestKind.OPEN else _tr("Close")


def state_text(state: RequestState) -> str:
    """The request's state as people read it."""
    return {
        RequestState.PENDING: _tr("Waiting for communications"),
        RequestState.APPROVED: _tr("Approved"),
        RequestState.REFUSED: _tr("Refused"),
    }[state]


def request_cells(view: RequestView) -> tuple[str, ...]:
    """One request's cells, in column order."""
    return (
        view.reference,
        request_kind_text(view),
        account_text(view.platform.value, view.handle),
        view.requested_by,
        day_text(view.requested_at.date()),
        state_text(view.state),
        view.decided_by or "",
    )


def request_details(view: RequestView) -> str:
    """One request in full: what, who, why, the apps to revoke, the decision."""
    lines = [
        _tr("{ref}: {kind} {handle} on {platform} ({name}), asked by {who} on {day}.").format(
            ref=view.reference,
            kind=request_kind_text(view).lower(),
            handle=view.handle,
            platform=platform_label(view.platform.value),
            name=view.display_name,
            who=view.requested_by,
            day=day_text(view.requested_at.date()),
        ),
        _tr("Reason: {why}").format(why=view.reason),
    ]
    if view.details is not None:
        lines.append(
            _tr("Asked for: {purpose}, {area}, run by {team}.").format(
                purpose=purpose_text(view.details.purpose).lower(),
                area=view.details.area or _tr("force-wide"),
                team=view.details.owning_team or _tr("no team named"),
            )
        )
    if view.apps_to_revoke:
        lines.append(
            _tr("Third-party apps to revoke: {apps}").format(apps=", ".join(view.apps_to_revoke))
        )
    if view.state is not RequestState.PENDING:
        lines.append(
            _tr("{state} by {who}{note}").format(
                state=state_text(view.state),
                who=view.decided_by or "?",
                note=f": {view.decision_note}" if view.decision_note else ".",
            )
        )
    return "\n".join(lines)
