"""The force's official accounts on each platform: the register, set up by administrators.

``add`` enters an account that already exists on its platform (taking on the estate);
opening a new account and closing one go through :mod:`desk.services.account_requests`.
Views are frozen dataclasses with ids, for the window and ``desk-admin`` alike.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.core.account_register import (
    Purpose,
    area_label,
    parse_administrators,
    parse_area,
    parse_credentials_location,
    parse_link,
    parse_purpose,
    review_overdue,
)
from desk.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from desk.core.items import Platform
from desk.core.roles import Action, may
from desk.core.subject_access import local_day
from desk.services.account_register import review_days, review_due
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.services.views import Actor
from desk.store.tables import Account, OfficialAccount

# who may read the whole register entry (administrators, credentials' location)
REGISTER_READERS = (
    Action.MANAGE_OFFICIAL_ACCOUNTS,
    Action.APPROVE_ACCOUNT_CHANGES,
    Action.REVIEW_ACCOUNT_SECURITY,
)


@dataclass(frozen=True)
class OfficialAccountView:
    """An official account as listed to people (anyone signed in)."""

    id: int
    platform: Platform
    handle: str
    display_name: str
    direct_messages: bool
    active: bool
    purpose: Purpose = Purpose.ENGAGEMENT
    area: str = ""  # "" = force-wide


@dataclass(frozen=True)
class RegisterDetails:
    """The register fields of an account, as typed (see :meth:`RegisterDetails.checked`)."""

    link: str = ""
    purpose: Purpose = Purpose.ENGAGEMENT
    owning_team: str = ""
    area: str = ""
    administrators: tuple[str, ...] = ()
    verified: bool = False
    two_factor: bool = False
    login_alerts: bool = False
    managed: bool = False
    credentials_location: str = ""
    opened_on: date | None = None

    def checked(self) -> RegisterDetails:
        """Return the fields cleaned, or raise ``InvalidInput`` naming what is wrong."""
        return replace(self, **check_changes(self.as_changes()))

    def as_changes(self) -> dict[str, Any]:
        """Every field by name (the form :meth:`OfficialAccountService.update` takes)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (dates as ISO text)."""
        data = self.as_changes()
        data["purpose"] = self.purpose.value
        data["administrators"] = list(self.administrators)
        data["opened_on"] = self.opened_on.isoformat() if self.opened_on else None
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RegisterDetails:
        """The reverse of :meth:`to_json`."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["purpose"] = Purpose(values.get("purpose", Purpose.ENGAGEMENT.value))
        values["administrators"] = tuple(values.get("administrators", ()))
        opened = values.get("opened_on")
        values["opened_on"] = date.fromisoformat(opened) if opened else None
        return cls(**values)


@dataclass(frozen=True)
class RegisterEntry:
    """An official account's whole register entry (administrators and communications)."""

    id: int
    platform: Platform
    handle: str
    display_name: str
    link: str
    purpose: Purpose
    owning_team: str
    area: str  # "" = force-wide
    administrators: tuple[str, ...]
    # named administrators whose desk account is disabled: a leaver still named
    administrators_disabled: tuple[str, ...]
    verified: bool
    two_factor: bool
    login_alerts: bool
    managed: bool
    credentials_location: str
    direct_messages: bool
    active: bool
    opened_on: date | None
    closed_on: date | None
    last_review_on: date | None
    review_due_on: date
    review_overdue: bool

    @property
    def area_label(self) -> str:
        """The area for people: the neighbourhood or 'force-wide'."""
        return area_label(self.area)


_TEXT_LIMITS = {"owning_team": 200}
_FLAGS = ("verified", "two_factor", "login_alerts", "managed", "direct_messages")


def check_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Clean register changes by field name; refuse unknown fields and bad values."""
    out: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "link":
            out[name] = parse_link(str(value))
        elif name == "purpose":
            out[name] = value if isinstance(value, Purpose) else parse_purpose(str(value))
        elif name == "area":
            out[name] = parse_area(str(value))
        elif name == "administrators":
            out[name] = parse_administrators([value] if isinstance(value, str) else value)
        elif name == "credentials_location":
            out[name] = parse_credentials_location(str(value))
        elif name == "display_name":
            text = " ".join(str(value).split())
            if not text or len(text) > 200:
                raise InvalidInput("A display name needs 1 to 200 characters.")
            out[name] = text
        elif name in _TEXT_LIMITS:
            text = " ".join(str(value).split())
            if len(text) > _TEXT_LIMITS[name]:
                raise InvalidInput(f"The {name.replace('_', ' ')} must be at most 200 characters.")
            out[name] = text
        elif name in _FLAGS:
            out[name] = bool(value)
        elif name == "opened_on":
            if value is not None and not isinstance(value, date):
                raise InvalidInput("The opening date must be a date.")
            out[name] = value
        else:
            raise InvalidInput(f"{name!r} is not a register field.")
    return out


def _view(row: OfficialAccount) -> OfficialAccountView:
    return OfficialAccountView(
        row.id,
        Platform(row.platform),
        row.handle,
        row.display_name,
        row.direct_messages,
        row.active,
        Purpose(row.purpose),
        row.area,
    )


def _stored(name: str, value: Any) -> Any:
    if name == "purpose":
        return Purpose(value).value
    if name == "administrators":
        return json.dumps(list(value), ensure_ascii=False)
    return value


def _plain(value: Any) -> Any:
    """A value as an audit entry keeps it."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def administrators_of(row: OfficialAccount) -> tuple[str, ...]:
    """The account's named administrators."""
    return tuple(json.loads(row.administrators or "[]"))


def entry_of(s: Session, row: OfficialAccount, today: date, interval: int) -> RegisterEntry:
    """The register entry of one account row."""
    admins = administrators_of(row)
    disabled = set(
        s.scalars(
            select(Account.username).where(Account.username.in_(admins), Account.active.is_(False))
        )
        if admins
        else ()
    )
    due = review_due(row, interval)
    return RegisterEntry(
        id=row.id,
        platform=Platform(row.platform),
        handle=row.handle,
        display_name=row.display_name,
        link=row.link,
        purpose=Purpose(row.purpose),
        owning_team=row.owning_team,
        area=row.area,
        administrators=admins,
        administrators_disabled=tuple(a for a in admins if a in disabled),
        verified=row.verified,
        two_factor=row.two_factor,
        login_alerts=row.login_alerts,
        managed=row.managed,
        credentials_location=row.credentials_location,
        direct_messages=row.direct_messages,
        active=row.active,
        opened_on=row.opened_on,
        closed_on=row.closed_on,
        last_review_on=row.last_review_on,
        review_due_on=due,
        review_overdue=row.active and review_overdue(due, today),
    )


def new_account_row(
    s: Session,
    platform: Platform,
    handle: str,
    display_name: str,
    details: RegisterDetails,
    direct_messages: bool,
    now: Any,
) -> OfficialAccount:
    """Add the official account row (refusing a handle already on the desk); flushed."""
    handle = handle.strip()
    if not handle:
        raise InvalidInput("An official account needs a handle.")
    exists = s.scalar(
        select(OfficialAccount.id).where(
            OfficialAccount.platform == platform.value, OfficialAccount.handle == handle
        )
    )
    if exists is not None:
        raise Conflict(f"{handle} on {platform.value} is already an official account.")
    row = OfficialAccount(
        platform=platform.value,
        handle=handle,
        display_name=" ".join(display_name.split()) or handle,
        direct_messages=direct_messages,
        active=True,
        created_at=now,
    )
    for name, value in details.as_changes().items():
        setattr(row, name, _stored(name, value))
    s.add(row)
    s.flush()
    return row


def parse_platform(text: str) -> Platform:
    """Turn a typed platform name into a ``Platform``, or say which names exist."""
    try:
        return Platform(text.strip().lower())
    except ValueError:
        names = ", ".join(p.value for p in Platform)
        raise InvalidInput(f"Unknown platform {text!r}: use one of {names}.") from None


def require_register_reader(actor: Actor) -> None:
    """Refuse someone who may not read the whole register (credentials' location, admins)."""
    if not any(may(actor.role, a) for a in REGISTER_READERS):
        raise PermissionDenied(
            f"The {actor.role.value} role may not read the official accounts register: "
            "administrators and communications may."
        )


class OfficialAccountService:
    """Adds, changes and lists official accounts; every change is audited."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def add(
        self,
        token: str,
        platform: Platform,
        handle: str,
        display_name: str = "",
        direct_messages: bool = True,
        details: RegisterDetails | None = None,
    ) -> OfficialAccountView:
        """Enter an account that already exists on its platform (administrators)."""
        actor = self.signin.authorize(token, Action.MANAGE_OFFICIAL_ACCOUNTS)
        checked = (details or RegisterDetails()).checked()
        with self.ctx.db.write() as s:
            row = new_account_row(
                s, platform, handle, display_name, checked, direct_messages, self.ctx.clock.now()
            )
            self.ctx.audit.record(
                s,
                actor.username,
                "official_account.add",
                f"official_account:{row.id}",
                platform=platform.value,
                handle=row.handle,
                direct_messages=direct_messages,
                **({"register": checked.to_json()} if details is not None else {}),
            )
            return _view(row)

    def _row(self, s: Session, account_id: int) -> OfficialAccount:
        row = s.get(OfficialAccount, account_id)
        if row is None:
            raise NotFound(f"There is no official account #{account_id}.")
        return row

    def update(self, token: str, account_id: int, changes: Mapping[str, Any]) -> RegisterEntry:
        """Change register fields by name (administrators); the before and after are audited."""
        actor = self.signin.authorize(token, Action.MANAGE_OFFICIAL_ACCOUNTS)
        checked = check_changes(changes)
        if not checked:
            raise InvalidInput("Name at least one register field to change.")
        with self.ctx.db.write() as s:
            row = self._row(s, account_id)
            before: dict[str, Any] = {}
            after: dict[str, Any] = {}
            for name, value in checked.items():
                old: Any = getattr(row, name)
                if name == "administrators":
                    old = administrators_of(row)
                elif name == "purpose":
                    old = Purpose(old)
                if old != value:
                    before[name], after[name] = _plain(old), _plain(value)
                    setattr(row, name, _stored(name, value))
            if after:
                self.ctx.audit.record(
                    s,
                    actor.username,
                    "official_account.update",
                    f"official_account:{row.id}",
                    handle=row.handle,
                    platform=row.platform,
                    before=before,
                    after=after,
                )
            s.flush()
            return entry_of(s, row, local_day(self.ctx.clock.now()), review_days(s))

    def set_direct_messages(
        self, token: str, platform: Platform, handle: str, enabled: bool
    ) -> OfficialAccountView:
        """Switch private messaging on or off for one official account (administrators)."""
        actor = self.signin.authorize(token, Action.MANAGE_OFFICIAL_ACCOUNTS)
        with self.ctx.db.write() as s:
            row = s.scalar(
                select(OfficialAccount).where(
                    OfficialAccount.platform == platform.value,
                    OfficialAccount.handle == handle.strip(),
                )
            )
            if row is None:
                raise NotFound(f"{handle!r} is not an official account on {platform.value}.")
            was = row.direct_messages
            row.direct_messages = enabled
            self.ctx.audit.record(
                s,
                actor.username,
                "official_account.direct_messages",
                f"official_account:{row.id}",
                platform=platform.value,
                handle=row.handle,
                direct_messages=enabled,
                was=was,
            )
            return _view(row)

    def list(self, token: str) -> builtins.list[OfficialAccountView]:
        """Return every official account."""
        self.signin.authorize(token)
        with self.ctx.db.read() as s:
            rows = s.scalars(
                select(OfficialAccount).order_by(OfficialAccount.platform, OfficialAccount.handle)
            )
            return [_view(r) for r in rows]

    def register(self, token: str, include_closed: bool = True) -> builtins.list[RegisterEntry]:
        """Return the whole register (administrators and communications)."""
        actor = self.signin.authorize(token)
        require_register_reader(actor)
        today = local_day(self.ctx.clock.now())
        with self.ctx.db.read() as s:
            query = select(OfficialAccount).order_by(
                OfficialAccount.active.desc(), OfficialAccount.platform, OfficialAccount.handle
            )
            if not include_closed:
                query = query.where(OfficialAccount.active.is_(True))
            interval = review_days(s)
            return [entry_of(s, r, today, interval) for r in s.scalars(query)]

    def entry(self, token: str, account_id: int) -> RegisterEntry:
        """Return one account's register entry (administrators and communications)."""
        actor = self.signin.authorize(token)
        require_register_reader(actor)
        with self.ctx.db.read() as s:
            row = self._row(s, account_id)
            return entry_of(s, row, local_day(self.ctx.clock.now()), review_days(s))

    def find(self, platform: Platform, handle: str) -> OfficialAccountView:
        """Return the official account with this handle on this platform, or raise NotFound."""
        with self.ctx.db.read() as s:
            row = s.scalar(
                select(OfficialAccount).where(
                    OfficialAccount.platform == platform.value,
                    OfficialAccount.handle == handle.strip(),
                )
            )
            if row is None:
                raise NotFound(
                    f"{handle!r} is not an official account on {platform.value}: "
                    "an administrator adds it with 'desk-admin official-account add'."
                )
            return _view(row)
