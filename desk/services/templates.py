"""The reply-template library: versions in review, filling from a case, bulk export and import.

Operators see only the approved version of each template; communications officers and
supervisors draft, approve and retire versions. Approving a version retires the one approved
before it, so each template offers exactly one wording. Export writes one JSON file per
template (its newest version); import validates every file before it changes anything, and
adds a draft version only where a file's wording differs from the newest version.
"""

from __future__ import annotations

import builtins
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.core.errors import Conflict, InvalidInput, NotFound
from desk.core.marking import MARKING_FIELD, marked
from desk.core.roles import Action, may
from desk.core.templates import (
    LANGUAGES,
    Rendering,
    TemplateKind,
    TemplateStatus,
    case_reference,
    check_key,
    check_text,
    parse_kind,
    render,
    variables_in,
)
from desk.resources import resource_path
from desk.services.context import DeskContext
from desk.services.settings import force_name, protective_marking
from desk.services.signin import SignInService
from desk.services.views import Actor
from desk.store.tables import (
    Author,
    Case,
    Escalation,
    EscalationTarget,
    Guideline,
    OfficialAccount,
    Template,
    TemplateVersion,
)

SYSTEM = "system"
EXPORT_FIELDS = (
    MARKING_FIELD,
    "key",
    "kind",
    "title",
    "guideline",
    "text_en",
    "text_cy",
    "version",
    "status",
)
IMPORT_REQUIRED = ("key", "kind", "title", "text_en")
MAX_TEXT = 5_000


@dataclass(frozen=True)
class TemplateView:
    """One version of a template, as listed."""

    key: str
    kind: TemplateKind
    title: str
    version: int
    status: TemplateStatus
    text_en: str
    text_cy: str
    guideline: str | None
    created_by: str
    approved_by: str | None

    def text(self, language: str) -> str:
        """The wording in ``language`` ('' when there is none)."""
        return self.text_cy if language == "cy" else self.text_en

    @property
    def variables(self) -> tuple[str, ...]:
        """The variables either language names."""
        names = list(variables_in(self.text_en))
        names += [n for n in variables_in(self.text_cy) if n not in names]
        return tuple(names)


@dataclass(frozen=True)
class GuidelineView:
    """A published community guideline a template may name."""

    code: str
    title: str


@dataclass(frozen=True)
class RenderedTemplate:
    """A template filled from a case in one language."""

    template: TemplateView
    language: str
    rendering: Rendering

    @property
    def usable(self) -> bool:
        """Tell whether it can be sent."""
        return self.rendering.usable and bool(self.template.text(self.language).strip())

    @property
    def problem(self) -> str:
        """Why it cannot be sent ('' when it can)."""
        if not self.template.text(self.language).strip():
            return (
                "this template has no Welsh wording yet"
                if self.language == "cy"
                else ("this template has no English wording")
            )
        return self.rendering.problem


@dataclass(frozen=True)
class ImportSummary:
    """What an import did."""

    files: int
    created: tuple[str, ...]
    new_versions: tuple[str, ...]
    unchanged: int


def _view(t: Template, v: TemplateVersion) -> TemplateView:
    return TemplateView(
        key=t.key,
        kind=TemplateKind(t.kind),
        title=t.title,
        version=v.version,
        status=TemplateStatus(v.status),
        text_en=v.text_en,
        text_cy=v.text_cy,
        guideline=v.guideline_code,
        created_by=v.created_by,
        approved_by=v.approved_by,
    )


def _check_texts(text_en: str, text_cy: str, where_en: str, where_cy: str = "") -> None:
    """Check both wordings; ``where_*`` name them in messages (the Welsh defaults to English's)."""
    where_cy = where_cy or where_en.replace("English", "Welsh")
    if not text_en.strip():
        raise InvalidInput(f"{where_en}: the English text is empty.")
    for where, language, text in ((where_en, "English", text_en), (where_cy, "Welsh", text_cy)):
        if len(text) > MAX_TEXT:
            raise InvalidInput(
                f"{where}: the {language} text is {len(text)} characters (at most {MAX_TEXT})."
            )
        try:
            variables_in(text)
        except InvalidInput as exc:
            raise InvalidInput(f"{where}: {exc.message}") from None
        check_text(text, where)
    if text_cy.strip() and set(variables_in(text_cy)) != set(variables_in(text_en)):
        raise InvalidInput(
            f"{where_cy}: the Welsh text must use the same variables as the English text "
            f"(English: {', '.join(variables_in(text_en)) or 'none'}; Welsh: "
            f"{', '.join(variables_in(text_cy)) or 'none'})."
        )


def _file_entry(data: Any, name: str) -> dict[str, Any]:
    """Check one parsed template file; raise ``InvalidInput`` naming the file and field."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{name}: the file must hold one JSON object (a template).")
    unknown = [k for k in data if k not in EXPORT_FIELDS]
    if unknown:
        raise InvalidInput(
            f"{name}: unknown field {unknown[0]!r} (fields are {', '.join(EXPORT_FIELDS)})."
        )
    for field_name in IMPORT_REQUIRED:
        if not isinstance(data.get(field_name), str) or not data[field_name].strip():
            raise InvalidInput(f"{name}: field {field_name!r} is missing or empty.")
    for field_name in ("text_cy", "guideline", "status"):
        if data.get(field_name) is not None and not isinstance(data[field_name], str):
            raise InvalidInput(f"{name}: field {field_name!r} must be text.")
    if data.get("version") is not None and not isinstance(data["version"], int):
        raise InvalidInput(f"{name}: field 'version' must be a whole number.")
    try:
        key = check_key(data["key"])
    except InvalidInput as exc:
        raise InvalidInput(f"{name}: field 'key': {exc.message}") from None
    try:
        kind = parse_kind(data["kind"])
    except InvalidInput as exc:
        raise InvalidInput(f"{name}: field 'kind': {exc.message}") from None
    if name.endswith(".json") and Path(name).stem != key:
        raise InvalidInput(f"{name}: field 'key' is {key!r}, but the file is named {name!r}.")
    text_en, text_cy = data["text_en"], data.get("text_cy") or ""
    _check_texts(text_en, text_cy, f"{name}: field 'text_en'", f"{name}: field 'text_cy'")
    guideline = (data.get("guideline") or "").strip() or None
    return {
        "key": key,
        "kind": kind.value,
        "title": data["title"].strip(),
        "guideline": guideline,
        "text_en": text_en,
        "text_cy": text_cy,
    }


class TemplateService:
    """Keeps the template library; every change is audited in its own transaction."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    # reading -------------------------------------------------------------------------------

    @staticmethod
    def _may_see_all(actor: Actor) -> bool:
        return may(actor.role, Action.MANAGE_TEMPLATES) or may(actor.role, Action.APPROVE_TEMPLATES)

    def list(self, token: str, *, all_versions: bool = False) -> list[TemplateView]:
        """Return the approved version of each template, by title.

        With ``all_versions`` (communications, supervisors, administrators), every version of
        every template, newest first within a template.
        """
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        everything = all_versions and self._may_see_all(actor)
        query = select(Template, TemplateVersion).join(
            TemplateVersion, TemplateVersion.template_id == Template.id
        )
        if not everything:
            query = query.where(TemplateVersion.status == TemplateStatus.APPROVED.value)
        query = query.order_by(Template.title, Template.key, TemplateVersion.version.desc())
        with self.ctx.db.read() as s:
            views = [_view(t, v) for t, v in s.execute(query)]
        if everything:
            return views
        seen: set[str] = set()
        newest = []
        for view in views:
            if view.key not in seen:
                seen.add(view.key)
                newest.append(view)
        return newest

    def guidelines(self, token: str) -> builtins.list[GuidelineView]:
        """Return the active community guidelines a template's {rule} can name."""
        self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            rows = s.scalars(
                select(Guideline).where(Guideline.active.is_(True)).order_by(Guideline.code)
            )
            return [GuidelineView(g.code, g.title) for g in rows]

    def _template(self, s: Session, key: str) -> Template:
        found = s.scalar(select(Template).where(Template.key == key))
        if found is None:
            raise NotFound(f"There is no template {key!r}.")
        return found

    def _version(self, s: Session, t: Template, version: int) -> TemplateVersion:
        found = s.scalar(
            select(TemplateVersion).where(
                TemplateVersion.template_id == t.id, TemplateVersion.version == version
            )
        )
        if found is None:
            raise NotFound(f"Template {t.key!r} has no version {version}.")
        return found

    def _approved(self, s: Session, t: Template) -> TemplateVersion | None:
        return s.scalar(
            select(TemplateVersion)
            .where(
                TemplateVersion.template_id == t.id,
                TemplateVersion.status == TemplateStatus.APPROVED.value,
            )
            .order_by(TemplateVersion.version.desc())
        )

    def usable_version(self, s: Session, key: str, version: int | None) -> TemplateView:
        """Return an approved version (the current one when ``version`` is None) or refuse."""
        t = self._template(s, key)
        if version is None:
            found = self._approved(s, t)
            if found is None:
                raise Conflict(f"Template {key!r} has no approved version: it cannot be used.")
            return _view(t, found)
        v = self._version(s, t, version)
        if v.status != TemplateStatus.APPROVED.value:
            raise Conflict(
                f"Template {key!r} v{version} is {v.status}: only approved versions can be used."
            )
        return _view(t, v)

    # filling from a case -------------------------------------------------------------------

    def _force_name(self) -> str:
        # never the desk's name: a reply signed "- Digital desk" names no force
        return force_name(self.ctx)

    @staticmethod
    def _area(s: Session, case_id: int) -> str:
        """The area of the neighbourhood team the case was last escalated to ('' if none)."""
        area = s.scalar(
            select(EscalationTarget.area)
            .join(Escalation, Escalation.target_id == EscalationTarget.id)
            .where(Escalation.case_id == case_id, EscalationTarget.area != "")
            .order_by(Escalation.id.desc())
            .limit(1)
        )
        return area or ""

    def values_for(
        self, s: Session, case_id: int, guideline: str | None, rule: str | None = None
    ) -> dict[str, str]:
        """Return each variable's value for a case ('' where the case has none)."""
        found = s.execute(
            select(Case, Author, OfficialAccount)
            .join(Author, Author.id == Case.author_id)
            .join(OfficialAccount, OfficialAccount.id == Case.official_account_id)
            .where(Case.id == case_id)
        ).first()
        if found is None:
            raise NotFound(f"There is no case #{case_id}.")
        case, author, account = found
        code = guideline or (rule.strip() if rule else None)
        rule_text = ""
        if code:
            g = s.scalar(select(Guideline).where(Guideline.code == code))
            rule_text = f"{g.code} ({g.title})" if g is not None else ""
        return {
            "author": author.handle or author.display_name,
            "force": self._force_name(),
            "rule": rule_text,
            "reference": case_reference(case.id),
            "area": self._area(s, case.id),
            "account": account.display_name or account.handle,
            "platform": case.platform.capitalize() if case.platform != "x" else "X",
        }

    def render(
        self,
        token: str,
        case_id: int,
        key: str,
        language: str,
        *,
        version: int | None = None,
        rule: str | None = None,
    ) -> RenderedTemplate:
        """Fill an approved template from a case; the result says what is unknown or missing.

        ``rule`` is the guideline code the operator chose, for a template that uses {rule}
        without naming a guideline itself.
        """
        self.signin.authorize(token, Action.WORK_CASES)
        if language not in LANGUAGES:
            raise InvalidInput(f"Unknown language {language!r}: use en or cy.")
        with self.ctx.db.read() as s:
            view = self.usable_version(s, key, version)
            values = self.values_for(s, case_id, view.guideline, rule)
        return RenderedTemplate(view, language, render(view.text(language), values))

    # changing ------------------------------------------------------------------------------

    def _add_version(
        self,
        s: Session,
        actor: str,
        t: Template,
        text_en: str,
        text_cy: str,
        guideline: str | None,
        status: TemplateStatus = TemplateStatus.DRAFT,
    ) -> TemplateVersion:
        number = (
            s.scalar(
                select(func.max(TemplateVersion.version)).where(TemplateVersion.template_id == t.id)
            )
            or 0
        ) + 1
        now = self.ctx.clock.now()
        v = TemplateVersion(
            template_id=t.id,
            version=number,
            status=status.value,
            text_en=text_en,
            text_cy=text_cy,
            guideline_code=guideline,
            created_at=now,
            created_by=actor,
            approved_at=now if status is TemplateStatus.APPROVED else None,
            approved_by=actor if status is TemplateStatus.APPROVED else None,
        )
        s.add(v)
        s.flush()
        return v

    def create(
        self,
        token: str,
        key: str,
        kind: TemplateKind,
        title: str,
        text_en: str,
        text_cy: str = "",
        guideline: str | None = None,
    ) -> TemplateView:
        """Add a new template as draft version 1."""
        actor = self.signin.authorize(token, Action.MANAGE_TEMPLATES)
        check_key(key)
        if not title.strip():
            raise InvalidInput("A template needs a title.")
        _check_texts(
            text_en, text_cy, f"Template {key!r} (English text)", f"Template {key!r} (Welsh text)"
        )
        with self.ctx.db.write() as s:
            if s.scalar(select(Template.id).where(Template.key == key)) is not None:
                raise Conflict(
                    f"There is already a template {key!r}: add a new version to change it."
                )
            t = Template(key=key, kind=kind.value, title=title.strip())
            s.add(t)
            s.flush()
            v = self._add_version(s, actor.username, t, text_en, text_cy, guideline)
            self.ctx.audit.record(
                s, actor.username, "template.create", f"template:{key}", version=1, kind=kind.value
            )
            return _view(t, v)

    def new_version(
        self,
        token: str,
        key: str,
        text_en: str,
        text_cy: str = "",
        guideline: str | None = None,
    ) -> TemplateView:
        """Add a draft version of a template's wording."""
        actor = self.signin.authorize(token, Action.MANAGE_TEMPLATES)
        _check_texts(
            text_en, text_cy, f"Template {key!r} (English text)", f"Template {key!r} (Welsh text)"
        )
        with self.ctx.db.write() as s:
            t = self._template(s, key)
            v = self._add_version(s, actor.username, t, text_en, text_cy, guideline)
            self.ctx.audit.record(
                s, actor.username, "template.draft", f"template:{key}", version=v.version
            )
            return _view(t, v)

    def approve(self, token: str, key: str, version: int) -> TemplateView:
        """Approve a draft; the version approved before it is retired."""
        actor = self.signin.authorize(token, Action.APPROVE_TEMPLATES)
        with self.ctx.db.write() as s:
            t = self._template(s, key)
            v = self._version(s, t, version)
            if v.status != TemplateStatus.DRAFT.value:
                raise Conflict(f"Template {key!r} v{version} is {v.status}, not a draft.")
            before = self._approved(s, t)
            if before is not None:
                before.status = TemplateStatus.RETIRED.value
            v.status = TemplateStatus.APPROVED.value
            v.approved_at = self.ctx.clock.now()
            v.approved_by = actor.username
            self.ctx.audit.record(
                s,
                actor.username,
                "template.approve",
                f"template:{key}",
                version=version,
                retired=before.version if before is not None else None,
            )
            return _view(t, v)

    def retire(self, token: str, key: str, version: int) -> TemplateView:
        """Retire a version: it is no longer offered (nor, if a draft, approvable)."""
        actor = self.signin.authorize(token, Action.APPROVE_TEMPLATES)
        with self.ctx.db.write() as s:
            t = self._template(s, key)
            v = self._version(s, t, version)
            if v.status == TemplateStatus.RETIRED.value:
                raise Conflict(f"Template {key!r} v{version} is already retired.")
            previous = v.status
            v.status = TemplateStatus.RETIRED.value
            self.ctx.audit.record(
                s,
                actor.username,
                "template.retire",
                f"template:{key}",
                version=version,
                was=previous,
            )
            return _view(t, v)

    # export and import ---------------------------------------------------------------------

    def export_dir(self, token: str, folder: Path) -> builtins.list[Path]:
        """Write each template's newest version to ``folder/KEY.json``; return the files."""
        actor = self.signin.authorize(token, Action.MANAGE_TEMPLATES)
        with self.ctx.db.read() as s:
            rows = s.execute(
                select(Template, TemplateVersion)
                .join(TemplateVersion, TemplateVersion.template_id == Template.id)
                .order_by(Template.key, TemplateVersion.version.desc())
            )
            newest: dict[str, TemplateView] = {}
            for t, v in rows:
                newest.setdefault(t.key, _view(t, v))
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        marking = protective_marking(self.ctx)
        for key, view in newest.items():
            data = {
                "key": key,
                "kind": view.kind.value,
                "title": view.title,
                "guideline": view.guideline,
                "text_en": view.text_en,
                "text_cy": view.text_cy,
                "version": view.version,
                "status": view.status.value,
            }
            path = folder / f"{key}.json"
            text = json.dumps(marked(data, marking), ensure_ascii=False, indent=2)
            path.write_text(text + "\n", encoding="utf-8")
            written.append(path)
        with self.ctx.db.write() as s:
            self.ctx.audit.record(
                s, actor.username, "template.export", f"folder:{folder}", files=len(written)
            )
        return written

    @staticmethod
    def read_dir(folder: Path) -> builtins.list[dict[str, Any]]:
        """Read and check every ``*.json`` file in ``folder`` (nothing is changed)."""
        if not folder.is_dir():
            raise InvalidInput(f"{folder} is not a folder.")
        files = sorted(folder.glob("*.json"))
        if not files:
            raise InvalidInput(f"{folder} holds no template files (KEY.json).")
        entries: builtins.list[dict[str, Any]] = []
        keys: dict[str, str] = {}
        for path in files:
            try:
                data = json.loads(path.read_bytes().decode("utf-8"))
            except UnicodeDecodeError:
                raise InvalidInput(f"{path.name}: the file is not UTF-8 text.") from None
            except json.JSONDecodeError as exc:
                raise InvalidInput(
                    f"{path.name}: not valid JSON at line {exc.lineno}, column {exc.colno}: "
                    f"{exc.msg}."
                ) from None
            entry = _file_entry(data, path.name)
            if entry["key"] in keys:
                raise InvalidInput(
                    f"{path.name}: field 'key' {entry['key']!r} is also in {keys[entry['key']]}."
                )
            keys[entry["key"]] = path.name
            entries.append(entry)
        return entries

    def import_dir(self, token: str, folder: Path) -> ImportSummary:
        """Import a folder of template files: all of them, or (on any problem) none."""
        actor = self.signin.authorize(token, Action.MANAGE_TEMPLATES)
        entries = self.read_dir(folder)
        created: builtins.list[str] = []
        changed: builtins.list[str] = []
        with self.ctx.db.write() as s:
            for entry in entries:
                t = s.scalar(select(Template).where(Template.key == entry["key"]))
                if t is None:
                    t = Template(key=entry["key"], kind=entry["kind"], title=entry["title"])
                    s.add(t)
                    s.flush()
                    self._add_version(
                        s,
                        actor.username,
                        t,
                        entry["text_en"],
                        entry["text_cy"],
                        entry["guideline"],
                    )
                    created.append(t.key)
                    continue
                latest = s.scalar(
                    select(TemplateVersion)
                    .where(TemplateVersion.template_id == t.id)
                    .order_by(TemplateVersion.version.desc())
                )
                assert latest is not None
                same = (
                    latest.text_en == entry["text_en"]
                    and latest.text_cy == entry["text_cy"]
                    and latest.guideline_code == entry["guideline"]
                    and t.kind == entry["kind"]
                    and t.title == entry["title"]
                )
                if same:
                    continue
                t.kind, t.title = entry["kind"], entry["title"]
                self._add_version(
                    s, actor.username, t, entry["text_en"], entry["text_cy"], entry["guideline"]
                )
                changed.append(t.key)
            self.ctx.audit.record(
                s,
                actor.username,
                "template.import",
                f"folder:{folder}",
                files=len(entries),
                created=created,
                new_versions=changed,
            )
        return ImportSummary(
            len(entries), tuple(created), tuple(changed), len(entries) - len(created) - len(changed)
        )

    # defaults ------------------------------------------------------------------------------

    @staticmethod
    def default_library() -> builtins.list[dict[str, Any]]:
        """Read the shipped library (resources/templates/*.toml), checked."""
        entries = []
        for path in sorted(resource_path("templates").glob("*.toml")):
            with path.open("rb") as fh:
                data = tomllib.load(fh)
            entries.append(_file_entry(data, path.name))
        return entries

    def install_defaults(self, s: Session, actor: str) -> int:
        """Add the shipped templates that are missing, approved as v1 by "system".

        Idempotent: templates already present (by key) are left alone. One audit entry.
        """
        del actor  # the shipped wording was reviewed before release: "system" approves it
        added = []
        for entry in self.default_library():
            if s.scalar(select(Template.id).where(Template.key == entry["key"])) is not None:
                continue
            t = Template(key=entry["key"], kind=entry["kind"], title=entry["title"])
            s.add(t)
            s.flush()
            self._add_version(
                s,
                SYSTEM,
                t,
                entry["text_en"],
                entry["text_cy"],
                entry["guideline"],
                TemplateStatus.APPROVED,
            )
            added.append(t.key)
        if added:
            self.ctx.audit.record(s, SYSTEM, "template.install_defaults", "templates", added=added)
        return len(added)
