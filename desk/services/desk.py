"""The one object the GUI and the command line hold: an open profile and its services."""

from __future__ import annotations

from desk.core.clock import Clock
from desk.paths import Profile
from desk.services.accounts import AccountService
from desk.services.audit import AuditService
from desk.services.context import DeskContext, open_desk
from desk.services.settings import SettingsService
from desk.services.signin import SignInService
from desk.store.db import Database


class Desk:
    """An open Desk profile with its use cases."""

    def __init__(self, ctx: DeskContext) -> None:
        self.ctx = ctx
        self.signin = SignInService(ctx)
        self.accounts = AccountService(ctx, self.signin)
        self.audit = AuditService(ctx, self.signin)
        self.settings = SettingsService(ctx, self.signin)

    @classmethod
    def open(cls, profile: Profile, clock: Clock | None = None, db: Database | None = None) -> Desk:
        """Open ``profile`` (keyring and database checked, schema migrated)."""
        return cls(open_desk(profile, clock, db))

    @property
    def profile(self) -> Profile:
        """The open profile."""
        return self.ctx.profile

    def close(self) -> None:
        """Release the profile's resources."""
        self.ctx.close()
