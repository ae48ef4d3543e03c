"""Plain read-only views handed to the GUI and the command line (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desk.core.areas import Scope
from desk.core.roles import Role


@dataclass(frozen=True)
class Actor:
    """The person behind a valid session, as of this moment."""

    account_id: int
    username: str
    display_name: str
    role: Role
    session_id: int
    signed_in_at: datetime
    # the areas (neighbourhoods) they work; () = the whole force (desk.core.areas)
    areas: tuple[str, ...] = ()

    @property
    def scope(self) -> Scope:
        """Which cases this person may see and work (their areas')."""
        return Scope(self.areas)


@dataclass(frozen=True)
class SignInResult:
    """What a successful sign-in hands back."""

    token: str
    actor: Actor
    previous_login_at: datetime | None
    failures_since_last_login: int
    alert: bool


@dataclass(frozen=True)
class Enrolment:
    """What a person needs to set up their authenticator."""

    username: str
    seed: str
    uri: str


@dataclass(frozen=True)
class AccountView:
    """An account as administrators see it."""

    username: str
    display_name: str
    role: Role
    active: bool
    created_at: datetime
    last_login_at: datetime | None
    failed_attempts: int
    locked: bool
    throttled_until: datetime | None
    languages: tuple[str, ...] = ("en",)
    areas: tuple[str, ...] = ()  # the areas they work; () = the whole force


@dataclass(frozen=True)
class AuditView:
    """One audit entry for reading."""

    seq: int
    at: str
    actor: str
    action: str
    object: str
    details: str
