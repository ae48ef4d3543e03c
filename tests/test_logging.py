"""Nothing secret reaches a log file."""

from __future__ import annotations

import logging
from pathlib import Path

from desk.auth.totp import new_seed
from desk.log import redact, setup_logging


def test_codes_seeds_uris_and_password_values_are_blanked(tmp_path: Path) -> None:
    seed = new_seed()
    path = setup_logging(tmp_path / "logs")
    log = logging.getLogger("desk.test")
    log.warning("enrolled with otpauth://totp/Desk:ada?secret=%s&issuer=Desk", seed)
    log.warning("seed %s for ada", seed)
    log.warning("typed code 123456 and 654 321")
    log.warning("password=hunter2hunter2 token: abc")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text()
    assert seed not in text
    assert "123456" not in text and "654 321" not in text
    assert "hunter2" not in text
    assert "[redacted" in text


def test_ordinary_text_survives() -> None:
    assert redact("case 42 claimed by jsmith") == "case 42 claimed by jsmith"
