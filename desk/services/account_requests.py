"""Opening and closing official accounts: an administrator asks, communications decide.

The account is entered in the register (opening) or closed only when a request is approved;
a refusal is kept with its reason. Both steps are audited.

Closing an account means revoking every third-party app with access to it: the third-party
apps register (issue 14) lists those apps beside a close request (see docs/account-estate.md).
"""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.core.account_register import RequestKind, RequestState, next_review_due
from desk.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from desk.core.items import Platform
from desk.core.roles import Action
from desk.core.subject_access import local_day
from desk.services.account_register import review_days
from desk.services.context import DeskContext
from desk.services.official_accounts import (
    RegisterDetails,
    new_account_row,
    require_register_reader,
)
from desk.services.signin import SignInService
from desk.services.third_party_apps import apps_for_account
from desk.store.tables import AccountRequest, OfficialAccount

MAX_REASON = 2000


@dataclass(frozen=True)
class RequestView:
    """A request to open or close an official account, and its decision."""

    id: int
    kind: RequestKind
    platform: Platform
    handle: str
    account_id: int | None  # the account closed, or opened once approved
    display_name: str
    details: RegisterDetails | None  # the register entry asked for (opening only)
    reason: str
    requested_by: str
    requested_at: datetime
    state: RequestState
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    # closing: the third-party apps still holding access, "Name (APP-3)", to revoke
    apps_to_revoke: tuple[str, ...] = ()

    @property
    def reference(self) -> str:
        """How people name it: ``ACR-7``."""
        return f"ACR-{self.id}"


def _view(row: AccountRequest) -> RequestView:
    data = json.loads(row.details or "{}")
    details = (
        RegisterDetails.from_json(data.get("register", {}))
        if row.kind == RequestKind.OPEN.value
        else None
    )
    return RequestView(
        id=row.id,
        kind=RequestKind(row.kind),
        platform=Platform(row.platform),
        handle=row.handle,
        account_id=row.account_id,
        display_name=str(data.get("display_name", row.handle)),
        details=details,
        reason=row.reason,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        state=RequestState(row.state),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_note=row.decision_note,
        apps_to_revoke=tuple(data.get("apps_to_revoke", ())),
    )


def _apps_to_revoke(s: Session, account_id: int) -> list[str]:
    """The third-party apps with access to an account, as ``Name (APP-3)``."""
    return [f"{a.name} ({a.reference})" for a in apps_for_account(s, account_id)]


def _reason(text: str, what: str) -> str:
    value = text.strip()
    if not value:
        raise InvalidInput(f"Give the reason {what}.")
    if len(value) > MAX_REASON:
        raise InvalidInput(f"The reason must be at most {MAX_REASON} characters.")
    return value


class AccountRequestService:
    """Requests to open or close official accounts and communications' decisions on them."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def _pending(self, s: Session, kind: RequestKind, platform: str, handle: str) -> int | None:
        return s.scalar(
            select(AccountRequest.id).where(
                AccountRequest.kind == kind.value,
                AccountRequest.platform == platform,
                AccountRequest.handle == handle,
                AccountRequest.state == RequestState.PENDING.value,
            )
        )

    def request_open(
        self,
        token: str,
        platform: Platform,
        handle: str,
        display_name: str,
        details: RegisterDetails,
        reason: str,
    ) -> RequestView:
        """Ask to open a new official account (administrators); communications decide."""
        actor = self.signin.authorize(token, Action.MANAGE_OFFICIAL_ACCOUNTS)
        handle = handle.strip()
        if not handle:
            raise InvalidInput("An official account needs a handle.")
        why = _reason(reason, "the account is needed")
        checked = details.checked()
        with self.ctx.db.write() as s:
            if s.scalar(
                select(OfficialAccount.id).where(
                    OfficialAccount.platform == platform.value, OfficialAccount.handle == handle
                )
            ):
                raise Conflict(f"{handle} on {platform.value} is already an official account.")
            waiting = self._pending(s, RequestKind.OPEN, platform.value, handle)
            if waiting is not None:
                raise Conflict(
                    f"A request to open {handle} on {platform.value} already waits (ACR-{waiting})."
                )
            row = AccountRequest(
                kind=RequestKind.OPEN.value,
                account_id=None,
                platform=platform.value,
                handle=handle,
                details=json.dumps(
                    {
                        "display_name": " ".join(display_name.split()) or handle,
                        "register": checked.to_json(),
                    },
                    ensure_ascii=False,
                ),
                reason=why,
                requested_by=actor.username,
                requested_at=self.ctx.clock.now(),
                state=RequestState.PENDING.value,
            )
            s.add(row)
            s.flush()
            self.ctx.audit.record(
                s,
                actor.username,
                "account_request.open",
                f"account_request:{row.id}",
                platform=platform.value,
                handle=handle,
                purpose=checked.purpose.value,
                reason=why,
            )
            return _view(row)

    def request_close(self, token: str, account_id: int, reason: str) -> RequestView:
        """Ask to close an official account (administrators); communications decide."""
        actor = self.signin.authorize(token, Action.MANAGE_OFFICIAL_ACCOUNTS)
        why = _reason(reason, "the account should close")
        with self.ctx.db.write() as s:
            account = s.get(OfficialAccount, account_id)
            if account is None:
                raise NotFound(f"There is no official account #{account_id}.")
            if not account.active:
                raise Conflict(f"{account.handle} on {account.platform} is already closed.")
            waiting = self._pending(s, RequestKind.CLOSE, account.platform, account.handle)
            if waiting is not None:
                raise Conflict(
                    f"A request to close {account.handle} on {account.platform} already waits "
                    f"(ACR-{waiting})."
                )
            apps = _apps_to_revoke(s, account.id)
            row = AccountRequest(
                kind=RequestKind.CLOSE.value,
                account_id=account.id,
                platform=account.platform,
                handle=account.handle,
                details=json.dumps(
                    {"display_name": account.display_name, "apps_to_revoke": apps},
                    ensure_ascii=False,
                ),
                reason=why,
                requested_by=actor.username,
                requested_at=self.ctx.clock.now(),
                state=RequestState.PENDING.value,
            )
            s.add(row)
            s.flush()
            self.ctx.audit.record(
                s,
                actor.username,
                "account_request.close",
                f"account_request:{row.id}",
                account=account.id,
                platform=account.platform,
                handle=account.handle,
                reason=why,
                apps_to_revoke=apps,
            )
            return _view(row)

    def _deciding(self, s: Session, request_id: int, username: str) -> AccountRequest:
        row = s.get(AccountRequest, request_id)
        if row is None:
            raise NotFound(f"There is no account request ACR-{request_id}.")
        if row.state != RequestState.PENDING.value:
            raise Conflict(
                f"ACR-{request_id} was already {row.state} by {row.decided_by or 'someone'}."
            )
        if row.requested_by == username:
            raise PermissionDenied(
                f"ACR-{request_id} is your own request: someone else in communications decides."
            )
        return row

    def approve(
        self, token: str, request_id: int, note: str = "", on: date | None = None
    ) -> RequestView:
        """Approve a request (communications): the account is entered or closed now.

        ``on``: the day the account opened or closed on its platform (today if not given).
        """
        actor = self.signin.authorize(token, Action.APPROVE_ACCOUNT_CHANGES)
        now = self.ctx.clock.now()
        day = on or local_day(now)
        with self.ctx.db.write() as s:
            row = self._deciding(s, request_id, actor.username)
            if row.kind == RequestKind.OPEN.value:
                asked = _view(row)
                assert asked.details is not None
                details = asked.details
                if details.opened_on is None:
                    details = RegisterDetails(**{**details.as_changes(), "opened_on": day})
                account = new_account_row(
                    s, asked.platform, row.handle, asked.display_name, details, True, now
                )
                account.review_due_on = next_review_due(details.opened_on or day, review_days(s))
                row.account_id = account.id
            else:
                closing = s.get(OfficialAccount, row.account_id)
                if closing is None or not closing.active:
                    raise Conflict(f"{row.handle} on {row.platform} is already closed.")
                closing.active = False
                closing.closed_on = day
                # the apps still holding access now, as the approver saw them
                data = json.loads(row.details or "{}")
                data["apps_to_revoke"] = _apps_to_revoke(s, closing.id)
                row.details = json.dumps(data, ensure_ascii=False)
                account = closing
            row.state = RequestState.APPROVED.value
            row.decided_by = actor.username
            row.decided_at = now
            row.decision_note = note.strip()
            self.ctx.audit.record(
                s,
                actor.username,
                f"account_request.approve_{row.kind}",
                f"account_request:{row.id}",
                account=account.id,
                platform=row.platform,
                handle=row.handle,
                on=day.isoformat(),
                note=row.decision_note,
            )
            s.flush()
            return _view(row)

    def refuse(self, token: str, request_id: int, reason: str) -> RequestView:
        """Refuse a request with the reason (communications); nothing else changes."""
        actor = self.signin.authorize(token, Action.APPROVE_ACCOUNT_CHANGES)
        why = _reason(reason, "for refusing")
        with self.ctx.db.write() as s:
            row = self._deciding(s, request_id, actor.username)
            row.state = RequestState.REFUSED.value
            row.decided_by = actor.username
            row.decided_at = self.ctx.clock.now()
            row.decision_note = why
            self.ctx.audit.record(
                s,
                actor.username,
                f"account_request.refuse_{row.kind}",
                f"account_request:{row.id}",
                platform=row.platform,
                handle=row.handle,
                reason=why,
            )
            s.flush()
            return _view(row)

    def list(self, token: str, pending_only: bool = False) -> builtins.list[RequestView]:
        """Return the requests, newest first (administrators and communications)."""
        actor = self.signin.authorize(token)
        require_register_reader(actor)
        with self.ctx.db.read() as s:
            query = select(AccountRequest).order_by(AccountRequest.id.desc())
            if pending_only:
                query = query.where(AccountRequest.state == RequestState.PENDING.value)
            return [_view(r) for r in s.scalars(query)]

    def get(self, token: str, request_id: int) -> RequestView:
        """Return one request (administrators and communications)."""
        actor = self.signin.authorize(token)
        require_register_reader(actor)
        with self.ctx.db.read() as s:
            row = s.get(AccountRequest, request_id)
            if row is None:
                raise NotFound(f"There is no account request ACR-{request_id}.")
            return _view(row)
