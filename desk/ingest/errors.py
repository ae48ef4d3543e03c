"""Why an import file was refused, paused for an answer, or stopped."""

from __future__ import annotations

from pathlib import Path

from desk.core.errors import DeskError, InvalidInput

__all__ = [
    "NESTED_TOO_DEEPLY",
    "AccountNeeded",
    "FormatNotRecognised",
    "ImportCancelled",
    "ImportRefused",
]


# JSON nested deeper than Python's parser goes (an attack, never an export): refused by name
NESTED_TOO_DEEPLY = "not valid JSON: nested too deeply"


class ImportRefused(InvalidInput):
    """A file, or one record in it, is not acceptable: nothing from the file is imported.

    Where: ``json_path`` in a JSON document (``$.data[3].from.id``); ``line`` and
    ``json_path`` (inside that line's record, ``$.author_handle``) in JSON Lines; ``row`` (as
    a spreadsheet numbers it: the header is row 1) and ``column`` (as the header names it) in
    CSV; ``line`` alone for a problem with a whole line (not JSON, cut short). ``field`` names
    the field (in the file's own terms, or Desk's for CSV) and ``problem`` what is wrong and
    what was expected.
    """

    code = "import.refused"

    def __init__(
        self,
        path: Path,
        problem: str,
        *,
        line: int | None = None,
        json_path: str | None = None,
        field: str | None = None,
        column: str | None = None,
        row: int | None = None,
    ) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        self.json_path = json_path
        self.field = field
        self.column = column
        self.row = row
        super().__init__(
            f"Cannot import {path}: {self.place + ': ' if self.place else ''}{problem}"
        )

    @property
    def place(self) -> str:
        """Where in the file: "line 3: $.author_handle", "row 7, column 'Posted At'"..."""
        where = []
        if line := self.line:
            where.append(f"line {line}: {self.json_path}" if self.json_path else f"line {line}")
        elif self.json_path is not None:
            where.append(f"at {self.json_path}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        place = ", ".join(where)
        if self.field is not None and self.field != self.column:
            if self.column is not None or (self.line and self.json_path):
                place += f" (field {self.field!r})"
            else:
                place += f"{', ' if place else ''}field {self.field!r}"
        return place


class FormatNotRecognised(ImportRefused):
    """The format was not given and cannot be told from the file, or is not one Desk reads."""

    code = "import.format"


class AccountNeeded(InvalidInput):
    """Some records do not say which official account they arrived on.

    Ask which account, then call ``read_items`` again with ``account=``.
    """

    code = "import.account_needed"

    def __init__(self, path: Path, count: int, first: str) -> None:
        self.path = path
        self.count = count
        self.first = first
        items = "1 item does" if count == 1 else f"{count} items do"
        super().__init__(
            f"Cannot import {path} yet: {items} not say which official account they arrived on "
            f"(the first at {first}). Choose the account (--account) and import again."
        )


class ImportCancelled(DeskError):
    """The person cancelled the import; nothing from the file is imported."""

    code = "import.cancelled"

    def __init__(self, path: Path, count: int) -> None:
        self.path = path
        self.count = count
        super().__init__(f"Import of {path} cancelled after {count} records; nothing was imported.")
