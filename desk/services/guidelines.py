"""The force's published community guidelines: listed to everyone, kept by admins and comms."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.core.errors import Conflict, InvalidInput, NotFound
from desk.core.moderation import normalise_code
from desk.core.roles import Action
from desk.resources import resource_path
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.store.tables import Guideline

MAX_TITLE = 200
MAX_TEXT = 4_000


@dataclass(frozen=True)
class GuidelineView:
    """One community guideline as people see it."""

    code: str
    title: str
    public_text: str
    public_text_cy: str
    active: bool


@dataclass(frozen=True)
class GuidelineText:
    """A guideline's wording, checked (from the shipped file, the CLI or the GUI)."""

    code: str
    title: str
    public_text: str
    public_text_cy: str = ""


def _view(row: Guideline) -> GuidelineView:
    return GuidelineView(row.code, row.title, row.public_text, row.public_text_cy, row.active)


def check_guideline(
    code: str, title: str, public_text: str, public_text_cy: str = "", where: str = ""
) -> GuidelineText:
    """Return the guideline's wording checked, or say what is wrong (``where``: e.g. a file)."""
    at = f" ({where})" if where else ""
    checked = normalise_code(code)
    title = " ".join(title.split())
    if not title:
        raise InvalidInput(f"Guideline {checked} needs a short title{at}.")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"Guideline {checked}'s title is over {MAX_TITLE} characters{at}.")
    text, text_cy = public_text.strip(), public_text_cy.strip()
    if not text:
        raise InvalidInput(f"Guideline {checked} needs its public text{at}.")
    for name, value in (("public text", text), ("Welsh public text", text_cy)):
        if len(value) > MAX_TEXT:
            raise InvalidInput(f"Guideline {checked}'s {name} is over {MAX_TEXT:,} characters{at}.")
    return GuidelineText(checked, title, text, text_cy)


def load_guidelines(path: Path) -> list[GuidelineText]:
    """Read a guidelines file (``[[guideline]]`` tables); say which entry is wrong, if any."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(f"Desk cannot read the guidelines in {path}: {exc}") from None
    entries: Any = data.get("guideline", [])
    if not isinstance(entries, list):
        raise InvalidInput(f"{path}: 'guideline' must be a list of [[guideline]] tables.")
    found: list[GuidelineText] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name}, guideline {number}"
        if not isinstance(entry, dict):
            raise InvalidInput(f"{where} is not a table.")
        fields = {}
        for key in ("code", "title", "public_text", "public_text_cy"):
            value = entry.get(key, "")
            if not isinstance(value, str):
                raise InvalidInput(f"{where}: '{key}' must be text.")
            fields[key] = value
        checked = check_guideline(**fields, where=where)
        if checked.code in seen:
            raise InvalidInput(f"{where}: the code {checked.code} appears twice.")
        seen.add(checked.code)
        found.append(checked)
    return found


def default_guidelines() -> list[GuidelineText]:
    """Return the guidelines shipped with Desk (``resources/guidelines.toml``)."""
    return load_guidelines(resource_path("guidelines.toml"))


class GuidelineService:
    """Lists the guidelines; adds, edits and retires them (administrators and communications)."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def install_defaults(self, s: Session, actor: str) -> int:
        """Add the shipped guidelines this profile lacks (in ``s``'s transaction); return how many.

        Codes the profile already has, retired or not, are left as they are.
        """
        have = set(s.scalars(select(Guideline.code)))
        added = [g for g in default_guidelines() if g.code not in have]
        for g in added:
            s.add(
                Guideline(
                    code=g.code,
                    title=g.title,
                    public_text=g.public_text,
                    public_text_cy=g.public_text_cy,
                    active=True,
                )
            )
        if added:
            self.ctx.audit.record(
                s,
                actor,
                "guideline.install_defaults",
                "guidelines",
                codes=[g.code for g in added],
            )
        return len(added)

    def list(self, token: str, include_retired: bool = False) -> list[GuidelineView]:
        """Return the guidelines in code order (only the active ones unless asked)."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            query = select(Guideline)
            if not include_retired:
                query = query.where(Guideline.active.is_(True))
            rows = [_view(g) for g in s.scalars(query)]
        return sorted(rows, key=lambda g: _order(g.code))

    def get(self, token: str, code: str) -> GuidelineView:
        """Return one guideline, active or retired."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            return _view(self._get(s, code))

    def _get(self, s: Session, code: str) -> Guideline:
        wanted = normalise_code(code)
        row = s.scalar(select(Guideline).where(Guideline.code == wanted))
        if row is None:
            raise NotFound(f"There is no community guideline {wanted}.")
        return row

    def add(
        self, token: str, code: str, title: str, public_text: str, public_text_cy: str = ""
    ) -> GuidelineView:
        """Add a guideline (administrators and communications officers)."""
        actor = self.signin.authorize(token, Action.MANAGE_GUIDELINES)
        g = check_guideline(code, title, public_text, public_text_cy)
        with self.ctx.db.write() as s:
            existing = s.scalar(select(Guideline).where(Guideline.code == g.code))
            if existing is not None:
                state = "" if existing.active else " (retired)"
                raise Conflict(f"Guideline {g.code} already exists{state}: {existing.title}.")
            row = Guideline(
                code=g.code,
                title=g.title,
                public_text=g.public_text,
                public_text_cy=g.public_text_cy,
                active=True,
            )
            s.add(row)
            self.ctx.audit.record(
                s, actor.username, "guideline.add", f"guideline:{g.code}", title=g.title
            )
            return _view(row)

    def edit(
        self,
        token: str,
        code: str,
        *,
        title: str | None = None,
        public_text: str | None = None,
        public_text_cy: str | None = None,
    ) -> GuidelineView:
        """Change a guideline's title or wording; what changed goes in the audit."""
        actor = self.signin.authorize(token, Action.MANAGE_GUIDELINES)
        with self.ctx.db.write() as s:
            row = self._get(s, code)
            g = check_guideline(
                row.code,
                row.title if title is None else title,
                row.public_text if public_text is None else public_text,
                row.public_text_cy if public_text_cy is None else public_text_cy,
            )
            changed = [
                name
                for name, before, after in (
                    ("title", row.title, g.title),
                    ("public_text", row.public_text, g.public_text),
                    ("public_text_cy", row.public_text_cy, g.public_text_cy),
                )
                if before != after
            ]
            if not changed:
                raise InvalidInput(f"Guideline {row.code} already reads like that.")
            row.title, row.public_text, row.public_text_cy = (
                g.title,
                g.public_text,
                g.public_text_cy,
            )
            self.ctx.audit.record(
                s, actor.username, "guideline.edit", f"guideline:{row.code}", changed=changed
            )
            return _view(row)

    def retire(self, token: str, code: str) -> GuidelineView:
        """Retire a guideline: earlier actions keep naming it; new ones cannot."""
        actor = self.signin.authorize(token, Action.MANAGE_GUIDELINES)
        with self.ctx.db.write() as s:
            row = self._get(s, code)
            if not row.active:
                raise Conflict(f"Guideline {row.code} is already retired.")
            row.active = False
            self.ctx.audit.record(s, actor.username, "guideline.retire", f"guideline:{row.code}")
            return _view(row)


def _order(code: str) -> tuple[str, tuple[int, ...], str]:
    """Sort CG-2 before CG-10."""
    prefix, _, number = code.partition("-")
    parts = tuple(int(p) for p in number.split(".") if p.isdigit())
    return (prefix, parts, code)
