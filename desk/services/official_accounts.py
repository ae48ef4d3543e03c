"""The force's official accounts on each platform, set up by an administrator."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from desk.core.errors import Conflict, InvalidInput, NotFound
from desk.core.items import Platform
from desk.core.roles import Action
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.store.tables import OfficialAccount


@dataclass(frozen=True)
class OfficialAccountView:
    """An official account as listed to people."""

    id: int
    platform: Platform
    handle: str
    display_name: str
    direct_messages: bool
    active: bool


def _view(row: OfficialAccount) -> OfficialAccountView:
    return OfficialAccountView(
        row.id,
        Platform(row.platform),
        row.handle,
        row.display_name,
        row.direct_messages,
        row.active,
    )


def parse_platform(text: str) -> Platform:
    """Turn a typed platform name into a ``Platform``, or say which names exist."""
    try:
        return Platform(text.strip().lower())
    except ValueError:
        names = ", ".join(p.value for p in Platform)
        raise InvalidInput(f"Unknown platform {text!r}: use one of {names}.") from None


class OfficialAccountService:
    """Adds and lists official accounts; changes are audited."""

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
    ) -> OfficialAccountView:
        """Add an official account (administrators)."""
        actor = self.signin.authorize(token, Action.MANAGE_OFFICIAL_ACCOUNTS)
        handle = handle.strip()
        if not handle:
            raise InvalidInput("An official account needs a handle.")
        with self.ctx.db.write() as s:
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
                display_name=display_name.strip() or handle,
                direct_messages=direct_messages,
                active=True,
                created_at=self.ctx.clock.now(),
            )
            s.add(row)
            s.flush()
            self.ctx.audit.record(
                s,
                actor.username,
                "official_account.add",
                f"official_account:{row.id}",
                platform=platform.value,
                handle=handle,
                direct_messages=direct_messages,
            )
            return _view(row)

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

    def list(self, token: str) -> list[OfficialAccountView]:
        """Return every official account."""
        self.signin.authorize(token)
        with self.ctx.db.read() as s:
            rows = s.scalars(
                select(OfficialAccount).order_by(OfficialAccount.platform, OfficialAccount.handle)
            )
            return [_view(r) for r in rows]

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
