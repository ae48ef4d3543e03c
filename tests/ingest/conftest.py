"""Import test fixtures: the example files, copied into a fresh folder for each test."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.ingest.helpers import DATA


@pytest.fixture
def data_file(tmp_path: Path) -> Callable[[str], Path]:
    """Copy an example file from tests/ingest/data into tmp_path and return the copy."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copyfile(DATA / name, target)
        return target

    return copy
