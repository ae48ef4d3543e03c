"""Fixtures for the services' tests: the watched drop folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.core.items import Platform
from tests.conftest import Staffed


@pytest.fixture
def folder(staffed: Staffed, tmp_path: Path) -> Path:
    """The desk's drop folder, set up with the official account its test files name."""
    drop = tmp_path / "drop"
    drop.mkdir()
    staffed.desk.official_accounts.add(staffed.admin_token, Platform.X, "@ExampleshirePolice")
    staffed.desk.settings.set(staffed.admin_token, "drop_folder", str(drop))
    return drop
