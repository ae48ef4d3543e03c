"""Why an import file was refused, paused for an answer, or stopped."""

from __future__ import annotations

from pathlib import Path

from desk.core.errors import DeskError, InvalidInput

__all__ = ["AccountNeeded", "FormatNotRecognised", "ImportCancelled", "ImportRefused"]


class ImportRefused(InvalidInput):
    """A file, or one record in it, is not acceptable: nothing from the file is imported.

    ``line`` (JSON Lines and CSV) or ``json_path`` (JSON documents, such as
    ``$.data[3].from.id``) says where; ``field`` names the field (in the file's own terms),
    ``column`` the CSV column, and ``problem`` what is wrong.
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
    ) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        self.json_path = json_path
        self.field = field
        self.column = column
        where = []
        if line is not None:
            where.append(f"line {line}")
        if json_path is not None:
            where.append(f"at {json_path}")
        if column is not None:
            where.append(f"column {column!r}")
        if field is not None:
            where.append(f"field {field!r}")
        place = ", ".join(where)
        super().__init__(f"Cannot import {path}: {place + ': ' if place else ''}{problem}")


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
