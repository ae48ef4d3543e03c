"""Helpers shared by the import tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desk.ingest import ImportRefused

DATA = Path(__file__).parent / "data"


def refusal_of(call: Callable[[], object]) -> ImportRefused:
    """Run ``call`` and return the ImportRefused it raises."""
    with pytest.raises(ImportRefused) as caught:
        call()
    return caught.value
