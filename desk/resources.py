"""Find the files shipped with Desk (``resources/`` and ``ui/``) in a wheel or a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _locate(packaged: str, checkout: str) -> Path:
    inside = _PACKAGE / packaged
    if inside.is_dir():
        return inside
    beside = _PACKAGE.parent / checkout
    if beside.is_dir():
        return beside
    raise FileNotFoundError(f"Desk's {checkout}/ folder is missing from the installation")


def resource_path(*parts: str) -> Path:
    """Return the path of a file under ``resources/``."""
    return _locate("_resources", "resources").joinpath(*parts)


def ui_path(*parts: str) -> Path:
    """Return the path of a file under ``ui/``."""
    return _locate("_ui", "ui").joinpath(*parts)


@cache
def common_passwords() -> frozenset[str]:
    """Return the bundled list of common and breached passwords, lower-cased."""
    path = resource_path("passwords", "common-passwords.txt")
    with path.open(encoding="utf-8") as fh:
        return frozenset(
            line.strip().lower() for line in fh if line.strip() and not line.startswith("#")
        )
