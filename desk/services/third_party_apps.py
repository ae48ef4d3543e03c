"""The third-party apps register: recording, changing, reviewing and revoking apps.

Administrators and communications record apps (``Action.MANAGE_THIRD_PARTY_APPS``); the one
who records an app names who approved it, and that person must be on the desk with the right
to approve account changes (communications): the same people who approve opening an account
approve what may reach it. Views are frozen dataclasses with ids, for the window and
``desk-admin`` alike. Other use cases call, inside their own transaction:

- :func:`apps_for_account`: the apps to revoke when an account closes;
- :func:`overdue_apps` / :func:`handover_notes`: the dashboard's and the handover's lines.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.core.errors import Conflict, InvalidInput, NotFound
from desk.core.handover import HandoverNoteEntry
from desk.core.roles import Action, Role, may, role_name
from desk.core.subject_access import local_day
from desk.core.third_party_apps import (
    DEFAULT_APP_REVIEW_DAYS,
    AppAccess,
    access_text,
    app_reference,
    app_review_overdue,
    check_approved_on,
    next_app_review,
    parse_access,
    parse_app_name,
    parse_app_review_days,
    parse_necessity,
    parse_note,
    parse_reason,
)
from desk.services.context import DeskContext
from desk.services.official_accounts import require_register_reader
from desk.services.signin import SignInService
from desk.store.tables import (
    Account,
    OfficialAccount,
    Setting,
    ThirdPartyApp,
    ThirdPartyAppAccount,
)

APP_REVIEW_DAYS_SETTING = "app_review_days"
# the approver's role must allow this (communications)
APPROVING = Action.APPROVE_ACCOUNT_CHANGES


@dataclass(frozen=True)
class AppAccountRef:
    """An official account an app reaches."""

    id: int
    platform: str
    handle: str
    active: bool

    @property
    def label(self) -> str:
        """``@Handle on x`` (and ``(closed)`` for a closed account)."""
        return f"{self.handle} on {self.platform}" + ("" if self.active else " (closed)")


@dataclass(frozen=True)
class AppView:
    """A third-party app's register entry."""

    id: int
    name: str
    accounts: tuple[AppAccountRef, ...]
    access: tuple[AppAccess, ...]
    necessity: str  # why it is critically necessary
    approved_by: str  # a username on the desk
    approved_by_name: str
    approved_on: date
    recorded_by: str
    recorded_at: datetime
    review_due_on: date
    last_review_on: date | None
    last_reviewed_by: str | None
    review_note: str
    revoked_on: date | None
    revoked_by: str | None
    revoked_reason: str
    review_overdue: bool  # False when revoked, or when read without a today

    @property
    def reference(self) -> str:
        """How people name it: ``APP-7``."""
        return app_reference(self.id)

    @property
    def active(self) -> bool:
        """Whether it still has access (not revoked)."""
        return self.revoked_on is None

    @property
    def closed_accounts(self) -> tuple[AppAccountRef, ...]:
        """The accounts it reaches that have closed: its access there must be revoked."""
        return tuple(a for a in self.accounts if not a.active)

    @property
    def access_text(self) -> str:
        """``read, publish``."""
        return access_text(self.access)


def app_review_days(s: Session) -> int:
    """The app review interval in days (the ``app_review_days`` setting)."""
    row = s.get(Setting, APP_REVIEW_DAYS_SETTING)
    if row is None:
        return DEFAULT_APP_REVIEW_DAYS
    try:
        return parse_app_review_days(json.loads(row.value))
    except (InvalidInput, ValueError):
        return DEFAULT_APP_REVIEW_DAYS


def _accounts_of(s: Session, app_ids: Sequence[int]) -> dict[int, list[AppAccountRef]]:
    found: dict[int, list[AppAccountRef]] = {i: [] for i in app_ids}
    if not app_ids:
        return found
    rows = s.execute(
        select(
            ThirdPartyAppAccount.app_id,
            OfficialAccount.id,
            OfficialAccount.platform,
            OfficialAccount.handle,
            OfficialAccount.active,
        )
        .join(OfficialAccount, OfficialAccount.id == ThirdPartyAppAccount.account_id)
        .where(ThirdPartyAppAccount.app_id.in_(app_ids))
        .order_by(OfficialAccount.platform, OfficialAccount.handle)
    )
    for app_id, account_id, platform, handle, active in rows:
        found[app_id].append(AppAccountRef(account_id, platform, handle, bool(active)))
    return found


def _names(s: Session, usernames: Iterable[str]) -> dict[str, str]:
    wanted = set(usernames)
    if not wanted:
        return {}
    rows = s.execute(
        select(Account.username, Account.display_name).where(Account.username.in_(wanted))
    )
    return {u: n for u, n in rows}


def _views(s: Session, rows: Sequence[ThirdPartyApp], today: date | None) -> list[AppView]:
    accounts = _accounts_of(s, [r.id for r in rows])
    names = _names(s, (r.approved_by for r in rows))
    return [
        AppView(
            id=r.id,
            name=r.name,
            accounts=tuple(accounts[r.id]),
            access=tuple(AppAccess(a) for a in json.loads(r.access or "[]")),
            necessity=r.necessity,
            approved_by=r.approved_by,
            approved_by_name=names.get(r.approved_by, r.approved_by),
            approved_on=r.approved_on,
            recorded_by=r.recorded_by,
            recorded_at=r.recorded_at,
            review_due_on=r.review_due_on,
            last_review_on=r.last_review_on,
            last_reviewed_by=r.last_reviewed_by,
            review_note=r.review_note,
            revoked_on=r.revoked_on,
            revoked_by=r.revoked_by,
            revoked_reason=r.revoked_reason,
            review_overdue=today is not None
            and app_review_overdue(r.review_due_on, today, r.revoked_on is not None),
        )
        for r in rows
    ]


def apps_for_account(s: Session, account_id: int, today: date | None = None) -> list[AppView]:
    """The apps still holding access to an official account: those to revoke when it closes.

    Give ``today`` to have each view's ``review_overdue`` worked out.
    """
    rows = s.scalars(
        select(ThirdPartyApp)
        .join(ThirdPartyAppAccount, ThirdPartyAppAccount.app_id == ThirdPartyApp.id)
        .where(ThirdPartyAppAccount.account_id == account_id, ThirdPartyApp.revoked_on.is_(None))
        .order_by(ThirdPartyApp.name, ThirdPartyApp.id)
    ).all()
    return _views(s, rows, today)


def overdue_apps(s: Session, today: date) -> list[AppView]:
    """Apps still holding access whose review was due before ``today``, oldest due first."""
    rows = s.scalars(
        select(ThirdPartyApp)
        .where(ThirdPartyApp.revoked_on.is_(None), ThirdPartyApp.review_due_on < today)
        .order_by(ThirdPartyApp.review_due_on, ThirdPartyApp.name)
    ).all()
    return _views(s, rows, today)


def handover_notes(s: Session, until: datetime) -> list[HandoverNoteEntry]:
    """Handover lines: apps whose review is overdue, and apps still reaching a closed account."""
    today = local_day(until)
    notes = [
        HandoverNoteEntry(
            until,
            "Desk",
            f"The review of third-party app {a.name} ({a.reference}) is OVERDUE: it was due "
            f"{a.review_due_on:%d %b %Y}.",
        )
        for a in overdue_apps(s, today)
    ]
    active = s.scalars(
        select(ThirdPartyApp)
        .where(ThirdPartyApp.revoked_on.is_(None))
        .order_by(ThirdPartyApp.name, ThirdPartyApp.id)
    ).all()
    for app in _views(s, active, today):
        if app.closed_accounts:
            closed = ", ".join(a.label.removesuffix(" (closed)") for a in app.closed_accounts)
            notes.append(
                HandoverNoteEntry(
                    until,
                    "Desk",
                    f"Third-party app {app.name} ({app.reference}) still has access to the "
                    f"closed account {closed}: revoke it.",
                )
            )
    return notes


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


class ThirdPartyAppService:
    """Records, changes, reviews, revokes and lists third-party apps; every change audited."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def _today(self) -> date:
        return local_day(self.ctx.clock.now())

    def _row(self, s: Session, app_id: int) -> ThirdPartyApp:
        row = s.get(ThirdPartyApp, app_id)
        if row is None:
            raise NotFound(f"There is no third-party app {app_reference(app_id)}.")
        return row

    def _live(self, s: Session, app_id: int) -> ThirdPartyApp:
        row = self._row(s, app_id)
        if row.revoked_on is not None:
            raise Conflict(
                f"{row.name} ({app_reference(row.id)}) was revoked on "
                f"{row.revoked_on:%d %b %Y} by {row.revoked_by}: record it again if it is "
                "needed once more."
            )
        return row

    @staticmethod
    def _accounts(s: Session, account_ids: Iterable[int]) -> list[int]:
        ids = sorted(set(account_ids))
        if not ids:
            raise InvalidInput("Name at least one official account the app has access to.")
        for account_id in ids:
            account = s.get(OfficialAccount, account_id)
            if account is None:
                raise NotFound(f"There is no official account #{account_id}.")
            if not account.active:
                raise InvalidInput(
                    f"{account.handle} on {account.platform} is closed: an app cannot be "
                    "given access to it."
                )
        return ids

    @staticmethod
    def _approver(s: Session, username: str) -> str:
        name = username.strip()
        if not name:
            raise InvalidInput("Name who approved the app: a communications officer on the desk.")
        person = s.scalar(select(Account).where(Account.username == name))
        if person is None:
            raise NotFound(
                f"There is no one with the username {name!r} on the desk: the approver must "
                "be a communications officer on the desk."
            )
        if not person.active:
            raise InvalidInput(f"{name} is disabled on the desk: name who approved it now.")
        if not may(Role(person.role), APPROVING):
            raise InvalidInput(
                f"{name} is a {role_name(Role(person.role))}: apps are approved by someone whose "
                "role may approve account changes (communications)."
            )
        return name

    def _same_name(self, s: Session, name: str, other_than: int | None = None) -> None:
        for row in s.scalars(select(ThirdPartyApp).where(ThirdPartyApp.revoked_on.is_(None))):
            if row.id != other_than and row.name.casefold() == name.casefold():
                raise Conflict(
                    f"{row.name} is already in the register ({app_reference(row.id)}): change "
                    "that entry to add accounts or access."
                )

    @staticmethod
    def _link(s: Session, app_id: int, account_ids: list[int]) -> None:
        for old in s.scalars(
            select(ThirdPartyAppAccount).where(ThirdPartyAppAccount.app_id == app_id)
        ):
            s.delete(old)
        s.flush()
        for account_id in account_ids:
            s.add(ThirdPartyAppAccount(app_id=app_id, account_id=account_id))
        s.flush()

    def add(
        self,
        token: str,
        name: str,
        account_ids: Iterable[int],
        access: Iterable[AppAccess | str],
        necessity: str,
        approved_by: str,
        approved_on: date | None = None,
        review_due_on: date | None = None,
    ) -> AppView:
        """Record an app with access to official accounts (administrators, communications).

        ``approved_on`` defaults to today; the first review falls one interval later (the
        ``app_review_days`` setting) unless ``review_due_on`` says otherwise.
        """
        actor = self.signin.authorize(token, Action.MANAGE_THIRD_PARTY_APPS)
        clean_name = parse_app_name(name)
        kinds = parse_access(str(a) for a in access)
        why = parse_necessity(necessity)
        today = self._today()
        day = check_approved_on(approved_on or today, today)
        with self.ctx.db.write() as s:
            ids = self._accounts(s, account_ids)
            approver = self._approver(s, approved_by)
            self._same_name(s, clean_name)
            due = review_due_on or next_app_review(day, app_review_days(s))
            if due <= day:
                raise InvalidInput("The first review must be due after the approval.")
            row = ThirdPartyApp(
                name=clean_name,
                access=json.dumps([a.value for a in kinds]),
                necessity=why,
                approved_by=approver,
                approved_on=day,
                recorded_by=actor.username,
                recorded_at=self.ctx.clock.now(),
                review_due_on=due,
            )
            s.add(row)
            s.flush()
            self._link(s, row.id, ids)
            self.ctx.audit.record(
                s,
                actor.username,
                "third_party_app.add",
                f"third_party_app:{row.id}",
                name=clean_name,
                accounts=ids,
                access=[a.value for a in kinds],
                necessity=why,
                approved_by=approver,
                approved_on=day.isoformat(),
                review_due_on=due.isoformat(),
            )
            return _views(s, [row], today)[0]

    def update(
        self,
        token: str,
        app_id: int,
        *,
        name: str | None = None,
        account_ids: Iterable[int] | None = None,
        access: Iterable[AppAccess | str] | None = None,
        necessity: str | None = None,
        approved_by: str | None = None,
        approved_on: date | None = None,
        review_due_on: date | None = None,
    ) -> AppView:
        """Change an app's entry (administrators, communications); before and after audited.

        Only the fields given change; a revoked app cannot be changed.
        """
        actor = self.signin.authorize(token, Action.MANAGE_THIRD_PARTY_APPS)
        today = self._today()
        wanted: dict[str, Any] = {}
        if name is not None:
            wanted["name"] = parse_app_name(name)
        if access is not None:
            wanted["access"] = parse_access(str(a) for a in access)
        if necessity is not None:
            wanted["necessity"] = parse_necessity(necessity)
        if approved_on is not None:
            wanted["approved_on"] = check_approved_on(approved_on, today)
        if review_due_on is not None:
            wanted["review_due_on"] = review_due_on
        if not wanted and account_ids is None and approved_by is None:
            raise InvalidInput("Name at least one thing to change.")
        with self.ctx.db.write() as s:
            row = self._live(s, app_id)
            if account_ids is not None:
                wanted["accounts"] = self._accounts(s, account_ids)
            if approved_by is not None and approved_by.strip() != row.approved_by:
                # checked only when it changes: an approver who has since left stays on record
                wanted["approved_by"] = self._approver(s, approved_by)
            if "name" in wanted:
                self._same_name(s, wanted["name"], other_than=row.id)
            (view,) = _views(s, [row], today)
            before_all: dict[str, Any] = {
                "name": view.name,
                "accounts": sorted(a.id for a in view.accounts),
                "access": view.access,
                "necessity": view.necessity,
                "approved_by": view.approved_by,
                "approved_on": view.approved_on,
                "review_due_on": view.review_due_on,
            }
            before, after = {}, {}
            for key, value in wanted.items():
                if before_all[key] != value:
                    before[key], after[key] = _plain(before_all[key]), _plain(value)
            if not after:
                return view
            approved = wanted.get("approved_on", row.approved_on)
            if wanted.get("review_due_on", row.review_due_on) <= approved:
                raise InvalidInput("The next review must be due after the approval.")
            for key, value in wanted.items():
                if key == "accounts":
                    self._link(s, row.id, value)
                elif key == "access":
                    row.access = json.dumps([a.value for a in value])
                else:
                    setattr(row, key, value)
            self.ctx.audit.record(
                s,
                actor.username,
                "third_party_app.update",
                f"third_party_app:{row.id}",
                name=row.name,
                before=before,
                after=after,
            )
            s.flush()
            return _views(s, [row], today)[0]

    def review(
        self, token: str, app_id: int, note: str = "", next_due_on: date | None = None
    ) -> AppView:
        """Record today's review: the app is still critically necessary (else revoke it).

        The next review falls one interval after today unless ``next_due_on`` says otherwise.
        """
        actor = self.signin.authorize(token, Action.MANAGE_THIRD_PARTY_APPS)
        said = parse_note(note)
        today = self._today()
        with self.ctx.db.write() as s:
            row = self._live(s, app_id)
            due = next_due_on or next_app_review(today, app_review_days(s))
            if due <= today:
                raise InvalidInput("The next review must be due after today.")
            was = row.review_due_on
            row.last_review_on = today
            row.last_reviewed_by = actor.username
            row.review_note = said
            row.review_due_on = due
            self.ctx.audit.record(
                s,
                actor.username,
                "third_party_app.review",
                f"third_party_app:{row.id}",
                name=row.name,
                reviewed_on=today.isoformat(),
                was_due=was.isoformat(),
                next_due_on=due.isoformat(),
                note=said,
            )
            s.flush()
            return _views(s, [row], today)[0]

    def revoke(self, token: str, app_id: int, reason: str, on: date | None = None) -> AppView:
        """Record that an app's access was revoked (``on`` that day, today if not given)."""
        actor = self.signin.authorize(token, Action.MANAGE_THIRD_PARTY_APPS)
        why = parse_reason(reason, "the app's access was revoked")
        today = self._today()
        day = on or today
        if day > today:
            raise InvalidInput("A revocation cannot be dated on a day still to come.")
        with self.ctx.db.write() as s:
            row = self._live(s, app_id)
            row.revoked_on = day
            row.revoked_by = actor.username
            row.revoked_reason = why
            (view,) = _views(s, [row], today)
            self.ctx.audit.record(
                s,
                actor.username,
                "third_party_app.revoke",
                f"third_party_app:{row.id}",
                name=row.name,
                accounts=[a.id for a in view.accounts],
                revoked_on=day.isoformat(),
                reason=why,
            )
            s.flush()
            return view

    def list(self, token: str, include_revoked: bool = False) -> builtins.list[AppView]:
        """The register (administrators, communications): active first, soonest review first."""
        actor = self.signin.authorize(token)
        require_register_reader(actor)
        with self.ctx.db.read() as s:
            query = select(ThirdPartyApp)
            if not include_revoked:
                query = query.where(ThirdPartyApp.revoked_on.is_(None))
            rows = s.scalars(query).all()
            views = _views(s, rows, self._today())
        return sorted(views, key=lambda v: (not v.active, v.review_due_on, v.name.casefold()))

    def get(self, token: str, app_id: int) -> AppView:
        """One app's entry (administrators, communications)."""
        actor = self.signin.authorize(token)
        require_register_reader(actor)
        with self.ctx.db.read() as s:
            return _views(s, [self._row(s, app_id)], self._today())[0]

    def for_account(self, token: str, account_id: int) -> builtins.list[AppView]:
        """The apps still holding access to an account: those to revoke when it closes."""
        actor = self.signin.authorize(token)
        require_register_reader(actor)
        with self.ctx.db.read() as s:
            if s.get(OfficialAccount, account_id) is None:
                raise NotFound(f"There is no official account #{account_id}.")
            return apps_for_account(s, account_id, self._today())

    def overdue(self, token: str) -> builtins.list[AppView]:
        """Apps whose review is overdue, oldest due first (anyone signed in)."""
        self.signin.authorize(token)
        with self.ctx.db.read() as s:
            return overdue_apps(s, self._today())

    def approvers(self, token: str) -> builtins.list[tuple[str, str]]:
        """Who may be named as an app's approver: ``(username, display name)``, by name."""
        actor = self.signin.authorize(token)
        require_register_reader(actor)
        with self.ctx.db.read() as s:
            rows = s.execute(
                select(Account.username, Account.display_name, Account.role)
                .where(Account.active.is_(True))
                .order_by(Account.display_name, Account.username)
            ).all()
        return [(u, n) for u, n, r in rows if may(Role(r), APPROVING)]
