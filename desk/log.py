"""Rotating log files with a filter that removes anything that looks like a secret."""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import re
from pathlib import Path

from desk.paths import FILE_MODE, private_folder, tighten_files

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
# a database error's text carries the values of its statement (people's words and names):
# the engine hides them (hide_parameters), and this is the second line of defence. SQLAlchemy
# puts the parameters on a line of their own, so everything after "[parameters:" to the end
# of that line goes (a value holding "]" cannot end the match early).
_SQL_PARAMETERS = re.compile(r"\[parameters: [^\n]*")
# a statement's own text: from "[SQL:" to the parameters, the background link or the end
_SQL_STATEMENT = re.compile(
    r"\[SQL: .*?(?=\n\[parameters:|\n\(Background on this error|\Z)", re.DOTALL
)
# PostgreSQL's DETAIL lines quote the row or key that broke a rule (people's words again)
_PG_DETAIL = [
    (
        re.compile(r"(Key \([^)\n]*\)=\()[^\n]*?(\) (?:already exists|is not present))"),
        r"\1withheld\2",
    ),
    (re.compile(r"Failing row contains \([^\n]*"), "Failing row contains (withheld)."),
    (re.compile(r"(Key \([^)\n]*\)=\()(?!withheld\))[^\n]*"), r"\1withheld)"),
]
# a literal in SQL: 'text' (with '' inside), x'blob', or a number of four digits or more
_SQL_LITERAL = re.compile(r"[xX]?'(?:[^']|'')*'?|(?<![\w.])\d{4,}(?![\w.])")


def _without_literals(found: re.Match[str]) -> str:
    return _SQL_LITERAL.sub("?", found.group(0))


def redact(text: str) -> str:
    """Return ``text`` with codes, seeds, tokens, password values and SQL values blanked out."""
    text = _SQL_PARAMETERS.sub("[parameters: withheld]", text)
    text = _SQL_STATEMENT.sub(_without_literals, text)
    for pattern, replacement in _PG_DETAIL:
        text = pattern.sub(replacement, text)
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


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file that is created (and each new file after a rollover) mode 0600."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        try:
            if os.name == "posix":
                os.fchmod(fd, FILE_MODE)  # one made looser before (or by another tool)
            stream = open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115
        except BaseException:
            os.close(fd)
            raise
        assert isinstance(stream, io.TextIOWrapper)
        return stream


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Send Desk's logs to a rotating file in ``log_dir`` (owner-only) and return its path."""
    private_folder(log_dir)
    path = log_dir / "desk.log"
    # files left by an older Desk (or rotated before) are made owner-only too
    tighten_files(path, *(path.with_name(f"{path.name}.{n}") for n in range(1, 6)))
    handler = PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "desk_handler", False)]:
        root.removeHandler(old)
        old.close()
    handler.desk_handler = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    # SQLAlchemy's own loggers would write statements and their values at INFO: never
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    return path
