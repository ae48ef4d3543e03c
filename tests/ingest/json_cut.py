"""An independent JSON cutter for the tests: byte offsets of values, found byte by byte.

Desk finds a record's place with the json module's ``raw_decode``; this finds it another way
(a small byte-level scanner that only tracks strings and brackets), so that a test compares
what Desk kept with what a person would cut from the file.
"""

from __future__ import annotations

import re
from typing import Any

_WS = b" \t\r\n"
_STEP = re.compile(r"\.(\w+)|\[(\d+)\]")


def _skip_ws(data: bytes, pos: int) -> int:
    while data[pos] in _WS:
        pos += 1
    return pos


def _string_end(data: bytes, pos: int) -> int:
    """``pos`` is at the opening quote; return the offset after the closing one."""
    pos += 1
    while True:
        byte = data[pos]
        if byte == 0x5C:  # backslash: the next byte is escaped
            pos += 2
        elif byte == 0x22:
            return pos + 1
        else:
            pos += 1


def _value_end(data: bytes, pos: int) -> int:
    """Return the offset just after the value starting at ``pos``."""
    if data[pos] == 0x22:
        return _string_end(data, pos)
    if data[pos] in b"[{":
        depth = 0
        while True:
            byte = data[pos]
            if byte == 0x22:
                pos = _string_end(data, pos)
                continue
            if byte in b"[{":
                depth += 1
            elif byte in b"]}":
                depth -= 1
                if depth == 0:
                    return pos + 1
            pos += 1
    while pos < len(data) and data[pos] not in b",]}" + _WS:
        pos += 1  # a number, true, false or null
    return pos


def _children(data: bytes, pos: int) -> list[tuple[Any, int, int]]:
    """The members (key, start, end) or elements (index, start, end) of the container at pos."""
    closer = 0x7D if data[pos] == 0x7B else 0x5D
    found: list[tuple[Any, int, int]] = []
    pos = _skip_ws(data, pos + 1)
    while data[pos] != closer:
        key: Any = len(found)
        if closer == 0x7D:
            end = _string_end(data, pos)
            key = data[pos + 1 : end - 1].decode()  # the keys in the tests have no escapes
            pos = _skip_ws(data, _skip_ws(data, end) + 1)  # past the colon
        end = _value_end(data, pos)
        found.append((key, pos, end))
        pos = _skip_ws(data, end)
        if data[pos] == 0x2C:
            pos = _skip_ws(data, pos + 1)
    return found


def span(data: bytes, where: str) -> tuple[int, int]:
    """Return the byte offsets of the value at JSON path ``where`` (``$``, ``$.data[2]``...)."""
    start = _skip_ws(data, 3 if data.startswith(b"\xef\xbb\xbf") else 0)
    end = _value_end(data, start)
    for name, index in _STEP.findall(where):
        wanted: Any = name or int(index)
        start, end = [(s, e) for key, s, e in _children(data, start) if key == wanted][-1]
    return start, end


def cut(data: bytes, where: str) -> bytes:
    """Return the bytes of the value at JSON path ``where``, as the file has them."""
    start, end = span(data, where)
    return data[start:end]


def elements(data: bytes, where: str) -> list[str]:
    """Return the JSON paths of the elements of the array at ``where``."""
    start, _end = span(data, where)
    return [f"{where}[{n}]" for n, _s, _e in _children(data, start)]
