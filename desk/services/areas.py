"""Areas and neighbourhood teams: who works which areas, and the check every case read makes.

The rule itself is :mod:`desk.core.areas`. Here: administrators set a person's areas (audited),
and the helpers the other services call so that a scoped person is refused another area's
case (:func:`check_case_scope`) and their lists hold only their areas' cases
(:func:`scoped_account_ids`, used by the queue's SQL).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.core.areas import Scope, area_key, check_case, dump_areas, load_areas, parse_areas
from desk.core.errors import Conflict, NotFound
from desk.core.roles import Action
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.services.views import Actor
from desk.store.tables import Account, Case, OfficialAccount


@dataclass(frozen=True)
class PersonAreas:
    """The areas one person works; ``unmatched`` names those no official account has yet."""

    username: str
    display_name: str
    areas: tuple[str, ...]  # () = the whole force
    unmatched: tuple[str, ...] = ()

    @property
    def scope(self) -> Scope:
        """Their scope (the rule of which cases they see)."""
        return Scope(self.areas)


def scoped_account_ids(s: Session, scope: Scope) -> list[int] | None:
    """The official accounts within ``scope`` (None: every account, the whole force).

    Official accounts are few (tens), so the rule is applied here in Python, exactly as
    :meth:`Scope.covers` says, and the queue's SQL filters on these ids.
    """
    if scope.whole_force:
        return None
    rows = s.execute(select(OfficialAccount.id, OfficialAccount.area))
    return sorted(account_id for account_id, area in rows if scope.covers(area))


def case_area(s: Session, case: Case) -> str:
    """The area of the official account a case arrived on ('' for force-wide)."""
    return (
        s.scalar(select(OfficialAccount.area).where(OfficialAccount.id == case.official_account_id))
        or ""
    )


def check_case_scope(s: Session, actor: Actor | None, case: Case) -> None:
    """Refuse (``PermissionDenied``) a case outside the actor's areas; None is the system."""
    if actor is None or actor.scope.whole_force:
        return
    check_case(actor.scope, case.id, case_area(s, case))


def check_case_ids(s: Session, actor: Actor, case_ids: list[int]) -> None:
    """Refuse when any of these cases is outside the actor's areas (missing ones pass)."""
    if actor.scope.whole_force or not case_ids:
        return
    rows = s.execute(
        select(Case.id, OfficialAccount.area)
        .join(OfficialAccount, OfficialAccount.id == Case.official_account_id)
        .where(Case.id.in_(case_ids))
        .order_by(Case.id)
    )
    for case_id, area in rows:
        check_case(actor.scope, case_id, area)


def known_areas(s: Session) -> tuple[str, ...]:
    """The areas the official accounts name, each once, sorted."""
    found: dict[str, str] = {}
    for area in s.scalars(select(OfficialAccount.area).where(OfficialAccount.area != "")):
        found.setdefault(area_key(area), area)
    return tuple(sorted(found.values(), key=area_key))


class AreaService:
    """Set, clear and read the areas people work; every change is audited."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    @staticmethod
    def _get(s: Session, username: str) -> Account:
        acct = s.scalar(select(Account).where(Account.username == username.strip().lower()))
        if acct is None:
            raise NotFound(f"There is no account called {username.strip()!r}.")
        return acct

    @staticmethod
    def _view(s: Session, acct: Account) -> PersonAreas:
        areas = load_areas(acct.areas)
        known = {area_key(a) for a in known_areas(s)}
        return PersonAreas(
            username=acct.username,
            display_name=acct.display_name,
            areas=areas,
            unmatched=tuple(a for a in areas if area_key(a) not in known),
        )

    def _change(self, token: str, username: str, areas: tuple[str, ...]) -> PersonAreas:
        actor = self.signin.authorize(token, Action.MANAGE_USERS)
        with self.ctx.db.write() as s:
            acct = self._get(s, username)
            # an area an official account already names is written as that account spells it
            spelling = {area_key(a): a for a in known_areas(s)}
            wanted = tuple(spelling.get(area_key(a), a) for a in areas)
            before = load_areas(acct.areas)
            if [area_key(a) for a in before] == [area_key(a) for a in wanted]:
                now = ", ".join(before) if before else "no areas (the whole force)"
                raise Conflict(f"{acct.username!r} already works {now}.")
            acct.areas = dump_areas(wanted)
            self.ctx.audit.record(
                s,
                actor.username,
                "account.areas",
                f"account:{acct.username}",
                before=list(before),
                after=list(wanted),
            )
            return self._view(s, acct)

    def set_areas(self, token: str, username: str, areas: str | list[str]) -> PersonAreas:
        """Scope a person to these areas ('North, East'); they then see only those cases."""
        return self._change(token, username, parse_areas(areas))

    def clear_areas(self, token: str, username: str) -> PersonAreas:
        """Let a person work for the whole force again (no areas)."""
        return self._change(token, username, ())

    def areas_of(self, token: str, username: str) -> PersonAreas:
        """Return the areas one person works (administrators, or the person themself)."""
        actor = self.signin.authorize(token)
        with self.ctx.db.read() as s:
            acct = self._get(s, username)
            if acct.id != actor.account_id:
                self.signin.authorize(token, Action.MANAGE_USERS)
            return self._view(s, acct)

    def everyone(self, token: str) -> list[PersonAreas]:
        """Return every person's areas, by username (administrators)."""
        self.signin.authorize(token, Action.MANAGE_USERS)
        with self.ctx.db.read() as s:
            people = s.scalars(select(Account).order_by(Account.username))
            return [self._view(s, a) for a in people]

    def known(self, token: str) -> tuple[str, ...]:
        """Return the areas the official accounts name (to choose from)."""
        self.signin.authorize(token)
        with self.ctx.db.read() as s:
            return known_areas(s)

    def my_scope(self, token: str) -> Scope:
        """Return the signed-in person's scope, as of now (the queue filter shows it)."""
        return self.signin.authorize(token).scope
