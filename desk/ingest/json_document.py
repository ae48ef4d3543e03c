"""A JSON document read whole, with the exact bytes of each record in it (kept as evidence).

Python's json module gives no offsets into the file, so :func:`load_json_document` finds the
records' places itself, once, while it parses: it walks the top level (and the top level's
lists, where the records are) with ``json.JSONDecoder.raw_decode``, which parses one value from
a given offset and says where it ended, one record at a time. The file is decoded as strict
UTF-8, so the text's offsets map one to one onto the file's bytes; they are turned into byte
offsets and the text is dropped. What is kept is the parsed value, the file's bytes (once) and
two numbers per record: :meth:`JsonDocument.raw` cuts a record's bytes out of the file's bytes
exactly, with their spacing, escapes and line endings. A byte-order mark is part of no record.

A record nested deeper (a Facebook reply inside its comment) is found the same way inside the
bytes of the top-level record that holds it.
"""

from __future__ import annotations

import json
import re
from array import array
from pathlib import Path
from typing import Any

from desk.ingest.errors import NESTED_TOO_DEEPLY, ImportRefused

__all__ = ["JsonDocument", "load_json_document"]

_WS = re.compile(r"[ \t\n\r]*")
_STEP = re.compile(r"\.(\w+)|\[(\d+)\]")
_DECODER = json.JSONDecoder()
_SCANSTRING: Any = json.decoder.scanstring  # type: ignore[attr-defined]
_BOM = b"\xef\xbb\xbf"


def _skip(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()  # type: ignore[union-attr]


def _end(text: str, pos: int) -> int:
    """Where the JSON value starting at ``pos`` ends (parsed, then dropped)."""
    return int(_DECODER.raw_decode(text, pos)[1])


Child = tuple[str | int, int, int]  # a member's key or an element's index, start, end


def _children(
    text: str, pos: int, lists: dict[int, list[Child]] | None = None
) -> tuple[list[Child], int]:
    """The members or elements of the container at ``pos``, and where the container ends.

    The text is valid JSON already (json.loads read it); a repeated key is listed each time.
    With ``lists``, a child that is a list is walked element by element (its elements put in
    ``lists`` by its start) rather than parsed whole: a list of records is never parsed whole
    a second time, only one record at a time.
    """
    opener = text[pos]
    if opener not in "[{":
        return [], _end(text, pos)
    closer = "}" if opener == "{" else "]"
    found: list[Child] = []
    pos = _skip(text, pos + 1)
    if text[pos] == closer:
        return found, pos + 1
    while True:
        key: str | int = len(found)
        if opener == "{":
            key, pos = _SCANSTRING(text, pos + 1)
            pos = _skip(text, _skip(text, pos) + 1)  # past the colon
        if lists is not None and text[pos] == "[":
            lists[pos], end = _children(text, pos)
        else:
            end = _end(text, pos)
        found.append((key, pos, end))
        pos = _skip(text, end)
        if text[pos] == closer:
            return found, pos + 1
        pos = _skip(text, pos + 1)  # past the comma


def _steps(where: str) -> list[str | int]:
    steps = _STEP.findall(where)
    if not where.startswith("$") or "".join(
        f".{name}" if name else f"[{index}]" for name, index in steps
    ) != where.removeprefix("$"):
        raise ValueError(f"not a JSON path Desk writes: {where!r}")
    return [name if name else int(index) for name, index in steps]


def _find(text: str, steps: list[str | int], where: str) -> tuple[int, int]:
    """The character span of the value at ``steps`` below the value that is all of ``text``."""
    start = _skip(text, 0)
    end = len(text.rstrip(" \t\n\r"))
    for step in steps:
        matches = [(s, e) for key, s, e in _children(text, start)[0] if key == step]
        if not matches:
            raise ValueError(f"no value at {where!r}")
        start, end = matches[-1]  # a repeated key: the last wins, as in json
    return start, end


class _ByteOffsets:
    """Turns character offsets into byte offsets, given in increasing order (one pass)."""

    def __init__(self, text: str, base: int) -> None:
        self.text = text
        self.ascii = text.isascii()
        self.base = base
        self.char = 0
        self.byte = base

    def __call__(self, char: int) -> int:
        if self.ascii:
            return self.base + char
        if char < self.char:  # out of order: count from the start again
            self.char, self.byte = 0, self.base
        self.byte += len(self.text[self.char : char].encode("utf-8"))
        self.char = char
        return self.byte


class JsonDocument:
    """A file's parsed JSON value, and its bytes to cut each record's bytes from.

    ``value`` is what :func:`json.loads` gives; :meth:`raw` returns the bytes of the value at a
    JSON path such as ``$.data[3]``, ``$[2]`` or ``$.data[0].comments.data[1]`` exactly as the
    file has them.
    """

    __slots__ = ("_data", "_lists", "_members", "_root", "value")

    def __init__(self, value: Any, data: bytes) -> None:
        """Hold ``value`` parsed from ``data`` (the file's bytes) and find where its records are."""
        self.value = value
        self._data = data
        self._root = (0, 0)
        self._members: dict[str, tuple[int, int]] = {}
        # the byte spans of the elements of the top-level list ("") or of a member's list
        self._lists: dict[str, array[int]] = {}
        base = len(_BOM) if data.startswith(_BOM) else 0
        text = data[base:].decode("utf-8")
        self._index(text, _ByteOffsets(text, base))

    def _index(self, text: str, byte: _ByteOffsets) -> None:
        """Find the top level's span, its members' spans, and the spans of its lists' elements."""
        start = _skip(text, 0)
        inner: dict[int, list[Child]] = {}  # the lists among the top level's members
        children, end = _children(text, start, inner)
        members: dict[str, tuple[int, int]] = {}
        for key, s, e in children:
            if isinstance(key, str):
                members[key] = (s, e)  # a repeated key: the last wins, as in json
        lists = {k: inner[s] for k, (s, _e) in members.items() if s in inner}
        if text[start] == "[":
            lists[""] = children
        # one pass over the text, in order, to turn character offsets into byte offsets
        points = {start, end}
        points.update(p for s, e in members.values() for p in (s, e))
        points.update(p for found in lists.values() for _k, s, e in found for p in (s, e))
        at = {p: byte(p) for p in sorted(points)}
        self._root = (at[start], at[end])
        self._members = {k: (at[s], at[e]) for k, (s, e) in members.items()}
        for key, found in lists.items():
            self._lists[key] = array("q", (at[p] for _k, s, e in found for p in (s, e)))

    def raw(self, where: str) -> bytes:
        """Return the bytes of the value at JSON path ``where``, as they are in the file."""
        start, end = self.span(where)
        return self._data[start:end]

    def span(self, where: str) -> tuple[int, int]:
        """Return where the value at ``where`` starts and ends in the file (byte offsets)."""
        steps = _steps(where)
        start, end = self._root
        rest = steps
        if steps and isinstance(steps[0], int) and "" in self._lists:
            start, end, rest = *self._element("", steps[0], where), steps[1:]
        elif steps and isinstance(steps[0], str) and steps[0] in self._members:
            start, end = self._members[steps[0]]
            rest = steps[1:]
            if rest and isinstance(rest[0], int) and steps[0] in self._lists:
                start, end, rest = *self._element(steps[0], rest[0], where), rest[1:]
        if not rest:
            return start, end
        # deeper: inside the record found so far, which is decoded alone
        inner = self._data[start:end].decode("utf-8")
        s, e = _find(inner, rest, where)
        return start + len(inner[:s].encode("utf-8")), start + len(inner[:e].encode("utf-8"))

    def _element(self, key: str, index: int, where: str) -> tuple[int, int]:
        spans = self._lists[key]
        if not 0 <= 2 * index < len(spans):
            raise ValueError(f"no value at {where!r}")
        return spans[2 * index], spans[2 * index + 1]


def load_json_document(path: Path) -> JsonDocument:
    """Read and parse the whole file as one JSON document; refuse it with line and column.

    Raises:
        ImportRefused: the file cannot be read, is not UTF-8, is empty or is not valid JSON.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRefused(path, f"cannot be read ({exc.strerror})") from None
    try:
        text = data.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportRefused(path, f"is not UTF-8 text ({exc.reason})") from None
    if not text.strip():
        raise ImportRefused(path, "the file is empty")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        at_end = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        cut = "; the file seems to be cut short" if at_end else ""
        raise ImportRefused(
            path, f"not valid JSON ({exc.msg}, column {exc.colno}){cut}", line=exc.lineno
        ) from None
    except RecursionError:
        raise ImportRefused(path, NESTED_TOO_DEEPLY) from None
    del text  # decoded again, briefly, to find the records: the text is never kept
    return JsonDocument(value, data)
