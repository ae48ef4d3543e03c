"""Guards the PySide6 pin: 6.12.0 on Python 3.11 leaks a reference to None per call and aborts."""

from __future__ import annotations

import sys

from PySide6.QtCore import QModelIndex

CALLS = 1_000
ALLOWED_DRIFT = 5


def test_invalid_index_data_does_not_leak_none() -> None:
    index = QModelIndex()
    for _ in range(10):  # warm up any caches first
        index.data()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        assert index.data() is None
    after = sys.getrefcount(None)
    # A leak of one reference per call moves the count by about CALLS.
    assert abs(after - before) <= ALLOWED_DRIFT, f"None refcount moved by {after - before}"
