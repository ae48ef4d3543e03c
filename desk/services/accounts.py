"""People: first administrator, enrolment, movers and leavers, unlocks."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.auth.totp import matching_step, new_seed, provisioning_uri
from desk.core.areas import load_areas
from desk.core.errors import Conflict, InvalidInput, NotFound
from desk.core.password_policy import password_problem
from desk.core.roles import Action, Role, may
from desk.resources import common_passwords
from desk.services.context import DeskContext
from desk.services.escalations import EscalationService
from desk.services.guidelines import GuidelineService
from desk.services.people import PeopleService
from desk.services.signin import SignInService, totp_label
from desk.services.templates import TemplateService
from desk.services.usernames import check_username
from desk.services.views import AccountView, Actor, Enrolment
from desk.store.tables import Account

LANGUAGES = {"en": "English", "cy": "Cymraeg (Welsh)"}


def check_new_password(password: str, username: str = "") -> None:
    """Raise ``InvalidInput`` saying why ``password`` cannot be used."""
    problem = password_problem(password, common_passwords(), username)
    if problem:
        raise InvalidInput(problem)


def enrolment_for(username: str, seed: str) -> Enrolment:
    """Return the enrolment details for ``seed``."""
    return Enrolment(username=username, seed=seed, uri=provisioning_uri(seed, username))


def _view(acct: Account) -> AccountView:
    return AccountView(
        username=acct.username,
        display_name=acct.display_name,
        role=Role(acct.role),
        active=acct.active,
        created_at=acct.created_at,
        last_login_at=acct.last_login_at,
        failed_attempts=acct.failed_attempts,
        locked=acct.locked_at is not None,
        throttled_until=acct.locked_until,
        languages=tuple(acct.languages.split(",")) if acct.languages else (),
        areas=load_areas(acct.areas),
    )


class AccountService:
    """Creates and manages accounts; every change is audited in its own transaction."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def first_run_needed(self) -> bool:
        """Tell whether the profile has no accounts yet (the set-up wizard is due)."""
        with self.ctx.db.read() as s:
            return not s.scalar(select(func.count()).select_from(Account))

    def new_enrolment(self, username: str) -> Enrolment:
        """Make a fresh seed for a person about to enrol (nothing is stored yet)."""
        return enrolment_for(check_username(username), new_seed())

    def _create(
        self,
        s: Session,
        actor: str,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        seed: str,
        step: int | None,
    ) -> Account:
        if s.scalar(select(Account.id).where(Account.username == username)) is not None:
            raise Conflict(f"There is already an account called {username!r}.")
        acct = Account(
            username=username,
            display_name=display_name.strip() or username,
            role=role.value,
            active=True,
            created_at=self.ctx.clock.now(),
            failed_attempts=0,
            password_verifier=self.ctx.verifier.make(password),
            approved_by=actor,
            totp_last_step=step,
        )
        s.add(acct)
        s.flush()
        acct.totp_sealed = self.ctx.sealer.seal(seed.encode("ascii"), totp_label(acct.id))
        self.ctx.audit.record(
            s,
            actor,
            "account.create",
            f"account:{username}",
            role=role.value,
            display_name=acct.display_name,
        )
        return acct

    def create_first_admin(
        self,
        username: str,
        display_name: str,
        password: str,
        seed: str | None = None,
        code: str | None = None,
    ) -> Enrolment:
        """Create the first administrator on an empty profile.

        With ``code`` given, it must be a valid code for ``seed``: the set-up wizard only
        finishes once the person has shown that their authenticator works.
        """
        name = check_username(username)
        check_new_password(password, name)
        seed = seed or new_seed()
        step = None
        if code is not None:
            step = matching_step(seed, code, self.ctx.clock.now())
            if step is None:
                raise InvalidInput(
                    "That code does not match: check the authenticator shows Desk's entry and "
                    "that the computer's and phone's clocks are right, then type the newest code."
                )
        with self.ctx.db.write() as s:
            if s.scalar(select(func.count()).select_from(Account)):
                raise Conflict("This profile already has accounts: sign in instead.")
            admin = self._create(
                s, name, name, display_name, Role.ADMINISTRATOR, password, seed, step
            )
            admin.approved_by = "setup"  # the access review: approved at set-up
            EscalationService(self.ctx, self.signin).install_defaults(s, name)
            GuidelineService(self.ctx, self.signin).install_defaults(s, name)
            TemplateService(self.ctx, self.signin).install_defaults(s, name)
        return enrolment_for(name, seed)

    def _acting(self, token: str) -> Actor:
        return self.signin.authorize(token, Action.MANAGE_USERS)

    def _get(self, s: Session, username: str) -> Account:
        acct = s.scalar(select(Account).where(Account.username == username.strip().lower()))
        if acct is None:
            raise NotFound(f"There is no account called {username.strip()!r}.")
        return acct

    def add_user(
        self, token: str, username: str, display_name: str, role: Role, password: str
    ) -> Enrolment:
        """Add a person with a role; return their authenticator enrolment."""
        actor = self._acting(token)
        name = check_username(username)
        check_new_password(password, name)
        seed = new_seed()
        with self.ctx.db.write() as s:
            self._create(s, actor.username, name, display_name, role, password, seed, None)
        return enrolment_for(name, seed)

    def list_users(self, token: str) -> list[AccountView]:
        """Return every account, for the access review."""
        self._acting(token)
        with self.ctx.db.read() as s:
            return [_view(a) for a in s.scalars(select(Account).order_by(Account.username))]

    def disable(self, token: str, username: str) -> int:
        """Disable a leaver (their open cases go back to the queue); return sessions ended.

        The one code path is ``PeopleService.disable``: credentials destroyed, cases moved.
        """
        return PeopleService(self.ctx, self.signin).disable(token, username).sessions_ended

    def enable(self, token: str, username: str, password: str) -> Enrolment:
        """Re-enable a disabled account with a new password; return its fresh enrolment."""
        return PeopleService(self.ctx, self.signin).enable(token, username, password)

    def unlock(self, token: str, username: str) -> None:
        """Lift a lock or throttle after failed sign-ins."""
        actor = self._acting(token)
        with self.ctx.db.write() as s:
            acct = self._get(s, username)
            if acct.locked_at is None and acct.failed_attempts == 0:
                raise Conflict(f"{acct.username!r} is not locked.")
            before = acct.failed_attempts
            acct.locked_at = None
            acct.locked_until = None
            acct.failed_attempts = 0
            self.ctx.audit.record(
                s, actor.username, "signin.unlock", f"account:{acct.username}", failures=before
            )

    def set_languages(self, token: str, username: str, languages: list[str]) -> tuple[str, ...]:
        """Record which languages a person works in (Welsh items are routed to Welsh speakers)."""
        actor = self._acting(token)
        chosen = tuple(dict.fromkeys(code.strip().lower() for code in languages if code.strip()))
        unknown = [code for code in chosen if code not in LANGUAGES]
        if unknown or not chosen:
            known = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
            raise InvalidInput(f"Give one or more language codes: {known}.")
        with self.ctx.db.write() as s:
            acct = self._get(s, username)
            before = acct.languages
            acct.languages = ",".join(chosen)
            self.ctx.audit.record(
                s,
                actor.username,
                "account.languages",
                f"account:{acct.username}",
                before=before,
                after=acct.languages,
            )
        return chosen

    def speakers_of(self, token: str, language: str) -> list[str]:
        """Return the active people who work in ``language`` and may work cases."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            rows = s.scalars(
                select(Account).where(Account.active.is_(True)).order_by(Account.username)
            )
            return [
                a.username
                for a in rows
                if language in a.languages.split(",") and may(Role(a.role), Action.WORK_CASES)
            ]

    def reset_totp(self, token: str, username: str) -> Enrolment:
        """Give a person a new authenticator seed (lost phone); the old one stops working."""
        actor = self._acting(token)
        seed = new_seed()
        with self.ctx.db.write() as s:
            acct = self._get(s, username)
            acct.totp_sealed = self.ctx.sealer.seal(seed.encode("ascii"), totp_label(acct.id))
            acct.totp_last_step = None
            self.ctx.audit.record(
                s, actor.username, "account.reset_totp", f"account:{acct.username}"
            )
            self.signin.end_sessions_of(s, acct, "reset")
        return enrolment_for(acct.username, seed)
