"""The public list of official accounts for the force's website (HTML or CSV).

Only open public-engagement accounts, only public fields (desk.core.account_list); marked
for publication rather than OFFICIAL-SENSITIVE. Producing it is audited; the caller (the
command line or the window) writes the text to the file the person chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select

from desk.core.account_list import PublicAccount, render_csv, render_html
from desk.core.account_register import Purpose
from desk.core.errors import InvalidInput
from desk.core.subject_access import local_day
from desk.services.context import DeskContext
from desk.services.official_accounts import require_register_reader
from desk.services.settings import force_name
from desk.services.signin import SignInService
from desk.store.tables import OfficialAccount


class ListFormat(StrEnum):
    """The public list's formats."""

    HTML = "html"
    CSV = "csv"


@dataclass(frozen=True)
class PublicList:
    """The public list, ready to write (UTF-8; CSV lines end CRLF, write it unchanged)."""

    format: ListFormat
    text: str
    accounts: tuple[PublicAccount, ...]

    @property
    def suffix(self) -> str:
        """The file name ending for this format."""
        return f".{self.format.value}"


def parse_format(text: str) -> ListFormat:
    """Return the list format named, or say which exist."""
    try:
        return ListFormat(text.strip().lower())
    except ValueError:
        raise InvalidInput(f"Unknown format {text!r}: use html or csv.") from None


class AccountExportService:
    """Makes the public list of official accounts."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def public_list(self, token: str, fmt: ListFormat | str = ListFormat.HTML) -> PublicList:
        """Return the public list (administrators and communications); the export is audited."""
        actor = self.signin.authorize(token)
        require_register_reader(actor)
        chosen = fmt if isinstance(fmt, ListFormat) else parse_format(fmt)
        force = force_name(self.ctx)
        if not force and chosen is ListFormat.HTML:
            raise InvalidInput(
                "The public list names the force: set its name first "
                '(desk-admin settings set force_name "Exampleshire Police").'
            )
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            rows = s.scalars(
                select(OfficialAccount).where(
                    OfficialAccount.active.is_(True),
                    OfficialAccount.purpose == Purpose.ENGAGEMENT.value,
                )
            )
            accounts = tuple(
                PublicAccount(r.platform, r.handle, r.display_name, r.area, r.link) for r in rows
            )
            text = (
                render_html(accounts, force, local_day(now))
                if chosen is ListFormat.HTML
                else render_csv(accounts)
            )
            self.ctx.audit.record(
                s,
                actor.username,
                "official_account.public_list",
                "official_accounts",
                format=chosen.value,
                accounts=len(accounts),
            )
        return PublicList(chosen, text, accounts)
