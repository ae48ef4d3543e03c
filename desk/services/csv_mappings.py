"""Saved CSV column mappings: for exports from tools Desk has no mapping for (issue 17).

A mapping (:class:`~desk.ingest.csv_mapping.CsvMapping`) says which column of a tool's CSV
export holds each of Desk's fields. The Import dialog builds one from the file's columns,
checks it against every row (:meth:`CsvMappingService.check`, storing nothing) and saves it
under a name; it is kept in the database (the ``csv_mappings`` setting: every workstation sees
it), each save and removal audited, and used by name from the dialog, ``desk-admin import FILE
--mapping NAME`` and the drop folder (a file named ``[NAME] anything.csv``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from desk.core.errors import InvalidInput, NotFound
from desk.core.roles import Action
from desk.ingest.csv_check import (
    CsvPreview,
    MappingCheck,
    MappingProblem,
    check,
    guess_columns,
    preview,
)
from desk.ingest.csv_mapping import DEFAULT_COLUMNS, REQUIRED, CsvMapping, DeskField
from desk.ingest.validation import describe
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.store.tables import Setting

__all__ = [
    "DEFAULT_COLUMNS",
    "DESK_FIELDS",
    "REQUIRED",
    "SETTING_KEY",
    "CsvMapping",
    "CsvMappingService",
    "CsvPreview",
    "MappingCheck",
    "MappingProblem",
    "mapping_from_file_name",
]

SETTING_KEY = "csv_mappings"
NAME_LENGTH = 80
DESK_FIELDS: tuple[DeskField, ...] = (
    "platform",
    "account",
    "kind",
    "id",
    "author_id",
    "author_handle",
    "author_name",
    "text",
    "posted_at",
    "received_at",
    "link",
    "media",
    "thread_id",
    "thread_title",
)
"""Desk's fields in the order the dialog offers them (docs/import-format.md names them)."""
_DROP_NAME = re.compile(r"^\[([^\[\]]+)\]")


def mapping_from_file_name(name: str) -> str | None:
    """Return the saved mapping a drop-folder file asks for: ``[Orlo weekly] export.csv``."""
    found = _DROP_NAME.match(name)
    return " ".join(found.group(1).split()) if found else None


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("Give the mapping a name, such as the tool the export comes from.")
    if len(cleaned) > NAME_LENGTH:
        raise InvalidInput(f"The mapping's name is too long: at most {NAME_LENGTH} characters.")
    if "[" in cleaned or "]" in cleaned:
        raise InvalidInput(
            "The mapping's name may not hold [ or ] (a drop-folder file names its mapping in "
            "brackets: [NAME] export.csv)."
        )
    return cleaned


def build_mapping(name: str, delimiter: str, **settings: Any) -> CsvMapping:
    """Return a mapping from the dialog's choices, or say in plain English what is wrong.

    Raises:
        InvalidInput: a required field has no column, a time zone is unknown, and so on.
    """
    try:
        return CsvMapping.model_validate({"name": name, "delimiter": delimiter, **settings})
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(step) for step in error["loc"])
        raise InvalidInput(
            f"The mapping {where + ': ' if where else ''}{describe(error)}"
        ) from None


class CsvMappingService:
    """Keeps the desk's saved CSV mappings; previews files and checks mappings against them."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def _stored(self) -> dict[str, Any]:
        value = self.ctx.setting(SETTING_KEY, {})
        return value if isinstance(value, dict) else {}

    def saved(self) -> list[CsvMapping]:
        """Return the saved mappings, by name (one that no longer validates is left out)."""
        found = []
        for name, raw in sorted(self._stored().items(), key=lambda kv: kv[0].casefold()):
            try:
                found.append(CsvMapping.model_validate({**raw, "name": name}))
            except ValidationError:
                continue
        return found

    def names(self) -> list[str]:
        """Return the saved mappings' names."""
        return [m.name for m in self.saved()]

    def named(self, name: str) -> CsvMapping:
        """Return the saved mapping called ``name`` (case and spaces aside).

        Raises:
            NotFound: there is none; the message lists the saved names.
        """
        wanted = " ".join(name.split()).casefold()
        saved = self.saved()
        for mapping in saved:
            if mapping.name.casefold() == wanted:
                return mapping
        known = ", ".join(repr(m.name) for m in saved) or "none yet"
        raise NotFound(
            f"There is no saved CSV mapping called {name!r} (saved mappings: {known}). Save one "
            "from File → Import… with a CSV file, or list them with 'desk-admin import "
            "mappings list'."
        )

    def save(self, token: str, mapping: CsvMapping) -> CsvMapping:
        """Save ``mapping`` under its name (replacing one of that name); audited.

        Raises:
            InvalidInput: the name is empty, too long or holds brackets.
        """
        actor = self.signin.authorize(token, Action.IMPORT_ITEMS)
        name = _clean_name(mapping.name)
        mapping = mapping.model_copy(update={"name": name})
        body = mapping.model_dump(mode="json", exclude={"name"})
        with self.ctx.db.write() as s:
            row = s.get(Setting, SETTING_KEY)
            stored: dict[str, Any] = json.loads(row.value) if row else {}
            same = next((k for k in stored if k.casefold() == name.casefold()), None)
            before = stored.pop(same) if same is not None else None
            stored[name] = body
            if row is None:
                s.add(Setting(key=SETTING_KEY, value=json.dumps(stored, ensure_ascii=False)))
            else:
                row.value = json.dumps(stored, ensure_ascii=False)
            self.ctx.audit.record(
                s,
                actor.username,
                "csv_mapping.save",
                f"csv_mapping:{name}",
                before=before,
                after=body,
            )
        return mapping

    def delete(self, token: str, name: str) -> None:
        """Remove the saved mapping called ``name``; audited.

        Raises:
            NotFound: there is none.
        """
        actor = self.signin.authorize(token, Action.IMPORT_ITEMS)
        mapping = self.named(name)
        with self.ctx.db.write() as s:
            row = s.get(Setting, SETTING_KEY)
            stored: dict[str, Any] = json.loads(row.value) if row else {}
            before = stored.pop(mapping.name, None)
            if row is not None:
                row.value = json.dumps(stored, ensure_ascii=False)
            self.ctx.audit.record(
                s,
                actor.username,
                "csv_mapping.delete",
                f"csv_mapping:{mapping.name}",
                before=before,
            )

    # reading a file -----------------------------------------------------------------------

    @staticmethod
    def preview(
        path: Path, delimiter: str | None = None, encoding: str = "utf-8-sig"
    ) -> CsvPreview:
        """Return the file's header and first rows (the delimiter guessed when not given)."""
        return preview(path, delimiter, encoding)

    @staticmethod
    def guess(header: tuple[str, ...]) -> dict[DeskField, str]:
        """Return the columns whose header already names a Desk field."""
        return guess_columns(header)

    @staticmethod
    def check(
        path: Path,
        mapping: CsvMapping,
        progress: Callable[[int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> MappingCheck:
        """Read every row of ``path`` through ``mapping`` as an import would; store nothing."""
        return check(path, mapping, progress, cancelled)

    def for_drop_file(self, path: Path) -> CsvMapping | None:
        """Return the saved mapping a drop-folder file names (``[NAME] ….csv``), else None.

        Raises:
            NotFound: the file names a mapping that is not saved.
        """
        name = mapping_from_file_name(path.name)
        return self.named(name) if name is not None else None
