"""The wheel carries ui/ and resources/, and both commands are declared."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (built,) = out.glob("desk-*.whl")
    return zipfile.ZipFile(built)


def test_resources_and_forms_ship_inside_the_wheel(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "desk/_resources/passwords/common-passwords.txt" in names
    assert any(n.startswith("desk/_ui/") and n.endswith(".ui") for n in names)
    assert "desk/store/migrations/versions/0001_accounts_audit.py" in names
    assert "desk/store/migrations/script.py.mako" in names


def test_both_commands_are_declared(wheel: zipfile.ZipFile) -> None:
    (entry_points,) = [n for n in wheel.namelist() if n.endswith("entry_points.txt")]
    text = wheel.read(entry_points).decode()
    assert "desk-admin = desk.cli.main:main" in text
    assert "desk = desk.gui.app:main" in text
