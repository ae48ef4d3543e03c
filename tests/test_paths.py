"""--data-dir and DESK_DATA_DIR put the whole profile in one folder."""

from __future__ import annotations

from pathlib import Path

from desk.paths import resolve_profile


def test_data_dir_holds_everything(tmp_path: Path) -> None:
    profile = resolve_profile(tmp_path / "p").create()
    for folder in (profile.data_dir, profile.config_dir, profile.log_dir):
        assert folder.is_dir() and tmp_path in folder.parents
    assert profile.db_path.parent == profile.data_dir


def test_environment_names_the_profile(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DESK_DATA_DIR", str(tmp_path / "env"))
    assert resolve_profile().data_dir == (tmp_path / "env").resolve()
    assert resolve_profile(tmp_path / "flag").data_dir == (tmp_path / "flag").resolve()


def test_default_is_the_platform_folder(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DESK_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    profile = resolve_profile()
    assert profile.data_dir == (tmp_path / "xdg" / "Desk").resolve()
    assert profile.name == "default"
