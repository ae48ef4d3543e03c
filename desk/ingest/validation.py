"""Field types shared by the format models, and pydantic's errors turned into plain English."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    StrictStr,
    ValidationError,
    ValidationInfo,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from desk.ingest.errors import ImportRefused
from desk.ingest.paths import json_path

__all__ = [
    "CsvTime",
    "Id",
    "JsonUtcTime",
    "Name",
    "Text",
    "UtcTime",
    "json_path",
    "nfc",
    "refusal",
    "same_account",
]


def nfc(value: str) -> str:
    """Return ``value`` in Unicode normal form C (composed), as Desk stores all text."""
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def same_account(a: str, b: str) -> bool:
    """Whether two handles name one account ("@police" matches "@police@social.example")."""
    left, right = (h.strip().lstrip("@").casefold() for h in (a, b))
    if left == right:
        return True
    if "@" in left and "@" in right:
        return False
    return left.split("@", 1)[0] == right.split("@", 1)[0]


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _no_numbers(value: Any) -> Any:
    if isinstance(value, int | float):
        raise PydanticCustomError(
            "time_number",
            "should be a time written as text, such as 2026-11-26T09:14:03Z, not a number",
        )
    return value


def _csv_time_input(value: Any, info: ValidationInfo) -> Any:
    """Apply a CSV mapping's time format and zone, which come in the validation context."""
    context = info.context if isinstance(info.context, Mapping) else {}
    time_format = context.get("time_format")
    zone: tzinfo | None = context.get("timezone")
    if isinstance(value, str) and (time_format or zone):
        text = value.strip()
        try:
            parsed = (
                datetime.strptime(text, time_format)
                if time_format
                else datetime.fromisoformat(text.replace("Z", "+00:00"))
            )
        except ValueError:
            if time_format:
                raise PydanticCustomError(
                    "time_format",
                    "{value} does not match the mapping's time format {time_format}",
                    {"value": repr(text), "time_format": repr(time_format)},
                ) from None
            return value  # let the ordinary parser explain
        if parsed.tzinfo is None and zone is not None:
            parsed = parsed.replace(tzinfo=zone)
        return parsed
    return value


UtcTime = Annotated[AwareDatetime, BeforeValidator(_no_numbers), AfterValidator(_to_utc)]
"""A timezone-aware time, converted to UTC; naive times and numbers are refused."""

JsonUtcTime = Annotated[AwareDatetime, Field(strict=True), AfterValidator(_to_utc)]
"""The same for JSON input validated by pydantic's JSON parser (strict: only text is a time)."""

CsvTime = Annotated[AwareDatetime, BeforeValidator(_csv_time_input), AfterValidator(_to_utc)]
"""The same for CSV cells, read with the mapping's time format and zone (in the context)."""

Id = Annotated[StrictStr, Field(min_length=1, max_length=512)]
"""A platform's identifier: non-empty text (never a JSON number: big ids lose digits)."""

Name = Annotated[StrictStr, Field(max_length=512), AfterValidator(nfc)]
"""A handle, display name or title, normalised to NFC."""

Text = Annotated[StrictStr, Field(max_length=100_000), AfterValidator(nfc)]
"""Message text, normalised to NFC."""


# --- errors -------------------------------------------------------------------------------------

_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "float_type": "a number",
}
_TIME_PARSE = {
    "datetime_parsing",
    "datetime_from_date_parsing",
    "datetime_object_invalid",
    "datetime_past",
    "date_from_datetime_parsing",
}


def _show(value: Any) -> str:
    # a CSV time already parsed by the mapping's format: shown as written, not as a repr
    text = repr(value.isoformat(sep=" ")) if isinstance(value, datetime) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {_show(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def describe(error: ErrorDetails) -> str:
    """Say in plain English what is wrong, for one pydantic error."""
    kind = error["type"]
    value = error.get("input")
    context = error.get("ctx") or {}
    if kind == "missing":
        return "is missing"
    if kind == "extra_forbidden":
        return "is not a field of this format (check the spelling)"
    if kind == "timezone_aware":
        return (
            f"time {_show(value)} has no timezone, and Desk will not guess one: add Z for UTC or "
            "an offset such as +01:00"
        )
    if kind == "datetime_type":
        return (
            f"should be a time written as text, such as 2026-11-26T09:14:03Z, not "
            f"{_json_kind(value)}"
        )
    if kind in _TIME_PARSE:
        return (
            f"{_show(value)} is not a valid time; write it as ISO 8601, such as "
            "2026-11-26T09:14:03Z"
        )
    if kind == "enum":
        return f"unknown value {_show(value)}; expected one of: {context.get('expected', '')}"
    if kind == "literal_error":
        return f"unexpected value {_show(value)}; expected {context.get('expected', '')}"
    if kind in _TYPE_NAMES:
        return f"should be {_TYPE_NAMES[kind]}, not {_json_kind(value)}"
    if kind == "json_invalid":
        return f"not valid JSON ({context.get('error', error['msg'])})"
    if kind == "string_too_short":
        return "is empty" if not value else f"is too short ({_show(value)})"
    if kind == "string_too_long":
        return f"is too long (more than {context.get('max_length')} characters)"
    if kind == "too_long":
        return f"has too many entries (at most {context.get('max_length')})"
    if kind in {"value_error", "assertion_error"}:
        return str(context.get("error", error["msg"]))
    return error["msg"]


def _dotted(loc: Sequence[int | str]) -> str:
    text = ""
    for step in loc:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else step
    return text


def _first_error(exc: ValidationError) -> tuple[ErrorDetails, int]:
    errors = exc.errors(include_url=False)
    return errors[0], len(errors) - 1


def _others(count: int) -> str:
    if not count:
        return ""
    return f" (and {count} more problem{'s' if count > 1 else ''} in this record)"


def refusal(
    path: Path,
    exc: ValidationError,
    *,
    line: int | None = None,
    prefix: str | None = None,
    root_fields: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
    field_names: Mapping[str, str] | None = None,
    row: int | None = None,
) -> ImportRefused:
    """Turn the first error of ``exc`` into an :class:`ImportRefused` that says where and what.

    Args:
        path: the file.
        exc: the validation error.
        line: the record's line (JSON Lines): the refusal names it and the JSON path of the
            value inside the record (``line 3: $.author_handle``).
        prefix: for JSON documents, the JSON path of the validated value (usually ``$``); the
            error's location is appended to it and the field is the part after the first list
            index (the record).
        root_fields: custom error types raised for a whole record, mapped to the field they
            are about (``{"text_empty": "text"}``).
        columns: for CSV, the column each field came from.
        field_names: how to name a model field in the message (CSV: the mapping's names).
        row: for CSV, the record's row (the header is row 1).
    """
    error, more = _first_error(exc)
    loc = tuple(error["loc"])
    if not loc and root_fields and error["type"] in root_fields:
        loc = (root_fields[error["type"]],)
    problem = describe(error) + _others(more)
    if prefix is not None:
        record_start = next((i + 1 for i, step in enumerate(loc) if isinstance(step, int)), 0)
        field = _dotted(loc[record_start:]) or None
        return ImportRefused(path, problem, json_path=json_path(prefix, loc), field=field)
    field = _dotted(loc) or None
    column = columns.get(field) if columns and field else None
    if field and field_names:
        field = field_names.get(field, field)
    if row is not None:
        return ImportRefused(path, problem, row=row, field=field, column=column)
    where = json_path("$", loc) if loc and line is not None else None
    return ImportRefused(path, problem, line=line, json_path=where, field=field, column=column)
