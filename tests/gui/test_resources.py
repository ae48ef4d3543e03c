"""Desk's icon, light theme and desktop entry are found and usable."""

from __future__ import annotations

import configparser
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from desk.gui.theme import app_icon, apply_theme, style_sheet
from tests.conftest import need_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    """Apply the theme to the shared application for one test."""
    style = qapp.style().name()
    apply_theme(qapp)
    yield qapp
    qapp.setStyleSheet("")
    qapp.setStyle(style)


def test_the_icon_is_an_svg_that_renders(qapp: QApplication) -> None:
    icon = app_icon()
    assert not icon.isNull()
    image = icon.pixmap(64, 64).toImage()
    assert image.width() == 64
    assert image.pixelColor(32, 4).alpha() == 255  # the drawn background, not transparency


def test_the_theme_parses_without_qt_warnings(qtbot: QtBot, qtlog, themed: QApplication) -> None:
    button = QPushButton("Sign in")
    qtbot.addWidget(button)
    button.show()
    qtbot.waitExposed(button)
    assert "QPushButton" in themed.styleSheet()
    problems = [r.message for r in qtlog.records if "style" in r.message.lower()]
    assert problems == []


def test_the_theme_makes_focus_visible() -> None:
    sheet = style_sheet()
    assert "QLineEdit:focus" in sheet and "QPushButton:focus" in sheet
    assert 'QLabel[kind="error"]' in sheet


def test_the_desktop_entry_launches_desk_with_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(ROOT / "packaging" / "desk.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"].split()[0] == "desk"
    assert section["Icon"] == "desk"
    assert section["Terminal"] == "false"
    assert section["Categories"].endswith(";")


def test_the_desktop_entry_passes_the_freedesktop_validator() -> None:
    validator = need_command("desktop-file-validate")  # Debian: desktop-file-utils
    done = subprocess.run(
        [validator, str(ROOT / "packaging" / "desk.desktop")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in done.stdout
