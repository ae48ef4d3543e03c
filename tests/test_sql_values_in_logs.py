"""Attack (issue 15 item 11): a database error carries people's words into the logs.

An unexpected database error's text holds its statement's values (an item's text, an author's
handle). The engine now hides them (``hide_parameters``) and the log filter withholds whatever
still looks like them: a parameters line, literals in a statement, PostgreSQL's DETAIL lines.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from desk.core.items import Platform
from desk.log import redact, setup_logging
from tests.cli.conftest import (  # noqa: F401 (fixtures)
    Cli,
    _no_desk_environment,
    _rules_compiled_once,
    cli,
)
from tests.conftest import Staffed

TEXT = "Quillfield verger hid the tombola takings under pew nine"
HANDLE = "@marrowbyte_quillfield"
NOTE = "Caller Marrowbyte says the verger keeps the key at Larkspur Cottage"
TRIGGER = (
    "CREATE TRIGGER refuse_notes BEFORE INSERT ON case_events WHEN NEW.kind = 'note' "
    "BEGIN SELECT RAISE(ABORT, 'notes are refused today'); END"
)


def _items_file(where: Path) -> Path:
    record = {
        "platform": "x",
        "kind": "mention",
        "id": "9001",
        "author_id": "a9001",
        "author_handle": HANDLE,
        "text": TEXT,
        "posted_at": "2026-11-26T08:00:00Z",
        "account": "@ExampleshirePolice",
    }
    path = where / "items.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def refusing(staffed: Staffed, tmp_path: Path) -> tuple[Staffed, int]:
    """A desk with one case whose database refuses every note with an error (a trigger)."""
    desk = staffed.desk
    desk.official_accounts.add(staffed.admin_token, Platform.X, "@ExampleshirePolice")
    desk.importer.import_file(staffed.admin_token, _items_file(tmp_path))
    with sqlite3.connect(desk.profile.db_path) as conn:
        (case_id,) = conn.execute("SELECT id FROM cases").fetchone()
        conn.execute(TRIGGER)
    return staffed, case_id


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """A Desk log file set up as the window does it (removed again afterwards)."""
    root = logging.getLogger()
    before = set(root.handlers)
    path = setup_logging(tmp_path / "logs")
    yield path
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()


def _logged(folder: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file()
    )


def test_a_database_error_on_a_note_keeps_its_words_out_of_the_logs(
    cli: Cli,  # noqa: F811
    refusing: tuple[Staffed, int],
) -> None:
    staffed, case_id = refusing
    done = cli.signed(staffed.operator, "case", "note", str(case_id), NOTE)
    assert done.status == 4, (done.status, done.err)  # unexpected: logged with its traceback
    logged = _logged(staffed.desk.profile.log_dir)
    assert "notes are refused today" in logged  # the error itself is there to diagnose
    assert "[SQL: INSERT INTO case_events" in logged
    for value in (NOTE, NOTE[:20], "Larkspur", "Marrowbyte"):
        assert value not in logged, f"{value!r} reached the log"
        assert value not in done.err


def test_the_engine_leaves_values_out_of_a_database_errors_text(
    refusing: tuple[Staffed, int],
) -> None:
    staffed, case_id = refusing
    with pytest.raises(IntegrityError) as raised:
        staffed.desk.cases.add_note(staffed.sign_in(staffed.operator), case_id, NOTE)
    shown = "".join(traceback.format_exception(raised.value)) + repr(raised.value)
    assert "notes are refused today" in shown
    assert "Larkspur" not in shown and "Marrowbyte" not in shown
    assert "hidden due to hide_parameters" in shown


def test_values_a_less_careful_engine_shows_are_withheld_by_the_log_filter(
    tmp_path: Path, log_file: Path
) -> None:
    # an engine Desk did not make (a tool, a plug-in) shows parameters and literal SQL
    engine = create_engine(f"sqlite+pysqlite:///{tmp_path / 'other.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes (body TEXT CHECK (length(body) < 5), who TEXT)"))
    log = logging.getLogger("desk.test")
    for statement, values in (
        ("INSERT INTO notes (body, who) VALUES (:body, :who)", {"body": TEXT, "who": HANDLE}),
        (f"INSERT INTO notes (body, who) VALUES ('{TEXT}', '{HANDLE}')", {}),  # noqa: S608
    ):
        try:
            with engine.begin() as conn:
                conn.execute(text(statement), values)
        except IntegrityError as exc:
            log.exception("unexpected database error")
            log.warning("as one line: %r", exc)  # no "(Background ...)" line after the values
            log.warning("as text: %s", exc)
    engine.dispose()
    logged = _logged(log_file.parent)
    assert "CHECK constraint failed" in logged
    for value in (TEXT, TEXT[:20], HANDLE):
        assert value not in logged, f"{value!r} reached the log"


def test_postgresql_detail_lines_are_withheld() -> None:
    message = (  # an error's text, not a query
        '(psycopg.errors.UniqueViolation) duplicate key value violates unique constraint "uq"\n'  # noqa: S608
        f"DETAIL:  Key (platform, handle)=(x, {HANDLE}) already exists.\n"
        '(psycopg.errors.CheckViolation) new row for relation "notes" violates check constraint\n'
        f"DETAIL:  Failing row contains (7, {TEXT}, null).\n"
        "[SQL: INSERT INTO notes (body) VALUES (%(body)s::VARCHAR)]\n"
        "[parameters: [hidden due to hide_parameters=True]]"
    )
    shown = redact(message)
    assert HANDLE not in shown and TEXT not in shown
    assert "Key (platform, handle)=(withheld) already exists." in shown
    assert "UniqueViolation" in shown and "Failing row contains (withheld)" in shown
