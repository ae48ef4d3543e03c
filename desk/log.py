"""Rotating log files with a filter that removes anything that looks like a secret."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

_PATTERNS = [
    (re.compile(r"otpauth://\S+", re.IGNORECASE), "otpauth://[redacted]"),
    (
        re.compile(r"(?i)(password|passwd|secret|token|seed|code|key)(\s*[=:]\s*)\S+"),
        r"\1\2[redacted]",
    ),
    (re.compile(r"\b[A-Z2-7]{16,}={0,6}\b"), "[redacted-seed]"),
    (re.compile(r"\b[A-Za-z0-9_\-]{40,}\b"), "[redacted-token]"),
    (re.compile(r"(?<![\d.])\d{3}\s?\d{3}(?![\d.])"), "[redacted-code]"),
]
# a database error's text carries the values of its statement (people's words and names)
_SQL_PARAMETERS = re.compile(
    r"\[parameters: .*?\](?=\s*(?:\(Background on this error|$))", re.DOTALL
)


def redact(text: str) -> str:
    """Return ``text`` with codes, seeds, tokens, password values and SQL values blanked out."""
    text = _SQL_PARAMETERS.sub("[parameters: withheld]", text)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message so that no secret reaches a log file."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the formatted message in place; never drops a record."""
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Send Desk's logs to a rotating file in ``log_dir`` and return its path."""
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = log_dir / "desk.log"
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "desk_handler", False)]:
        root.removeHandler(old)
        old.close()
    handler.desk_handler = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path
