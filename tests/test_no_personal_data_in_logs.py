"""No personal data in Desk's log files: a scripted session, then every log file searched.

The session imports items (a file through desk-admin, a batch through the service), works
cases (claim, note, THRIVE, reply, close), escalates, moderates, looks people up, runs the
subject access commands and erases an author, with the profile's logging on as in real use
(desk-admin logs each run to the profile's logs folder; the window calls setup_logging). Then
each author handle, display name and message fragment used is looked for in every file there.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from desk.core.cases import Outcome
from desk.core.clock import ManualClock
from desk.log import setup_logging
from desk.paths import Profile
from desk.services.signin import CLI as CLI_SESSION
from desk.services.subject_access import SubjectAccessService
from desk.store.tables import Item
from tests.cli.conftest import (  # noqa: F401 (fixtures)
    Cli,
    _no_desk_environment,
    _rules_compiled_once,
)
from tests.conftest import Staffed
from tests.keyrings import MemoryKeyring
from tests.subject_data import (
    ESCALATION,
    HIDE,
    KIM_HANDLE,
    KIM_TEXT,
    NOTE,
    PAT_HANDLE,
    PAT_TEXTS,
    REPLY,
    THRIVE,
    worked_subject,
)

FILE_AUTHOR = ("@marigoldvance", "Marigold Vance", "9911223344")
FILE_TEXT = "Saw a burgundy campervan dumping rubbish behind Otterbrook surgery"
SECOND_AUTHOR = ("@tobiaswrenfield", "Tobias Wrenfield", "9922334455")
SECOND_TEXT = "Streetlight flickering on Larchmere Close all night"
CLI_NOTE = "Caller Marigold says the campervan returns on Tuesdays"
CLI_ESCALATION = "Fly-tipping at Otterbrook surgery, campervan seen"
CLI_EXPLANATION = "Hidden: names a private individual"


@pytest.fixture
def cli(
    memory_keyring: MemoryKeyring,
    profile: Profile,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> Cli:
    """desk-admin on the test's profile, clock and in-memory keyring."""
    return Cli(profile, clock, monkeypatch)


@pytest.fixture
def logging_on(staffed: Staffed) -> Iterator[Path]:
    """The profile's log file, as the window sets it up (removed again afterwards)."""
    root = logging.getLogger()
    before = set(root.handlers)
    setup_logging(staffed.desk.profile.log_dir)
    yield staffed.desk.profile.log_dir
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()


def _write_items(folder: Path) -> Path:
    rows = [
        {
            "platform": "x",
            "account": "@ExampleshirePolice",
            "kind": "reply",
            "id": f"18610000000000099{n}",
            "author_id": author[2],
            "author_handle": author[0],
            "author_name": author[1],
            "text": text,
            "posted_at": f"2026-11-26T08:0{n}:00Z",
            "thread_id": f"thread-{n}",
        }
        for n, (author, text) in enumerate(((FILE_AUTHOR, FILE_TEXT), (SECOND_AUTHOR, SECOND_TEXT)))
    ]
    path = folder / "items.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _ok(done: object) -> None:
    status, err = done.status, done.err
    assert status == 0, err


def test_a_working_session_leaves_no_personal_data_in_the_logs(
    staffed: Staffed,
    cli: Cli,
    logging_on: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    d = staffed.desk
    subject = worked_subject(staffed)  # service calls: import, claim, note, THRIVE, reply, ...
    admin = staffed.sign_in(staffed.admin, CLI_SESSION)
    jo = staffed.sign_in(staffed.operator, CLI_SESSION)
    sue = staffed.sign_in(subject.sue, CLI_SESSION)

    _ok(cli("import", str(_write_items(tmp_path)), session=admin))
    with d.ctx.db.read() as s:
        case_id = s.scalars(select(Item.case_id).where(Item.text == FILE_TEXT)).one()
    _ok(cli("case", "claim", str(case_id), session=jo))
    _ok(cli("case", "note", str(case_id), CLI_NOTE, session=jo))
    _ok(cli("case", "show", str(case_id), session=jo))
    _ok(cli("escalation", "create", str(case_id), "--kind", "communications",
            "--urgency", "today", "--summary", CLI_ESCALATION, session=jo))  # fmt: skip
    _ok(cli("moderate", str(case_id), "--action", "hide", "--rule", "CG-1",
            "--explanation", CLI_EXPLANATION, session=jo))  # fmt: skip
    _ok(cli("author", str(case_id), session=jo))
    _ok(cli("queue", session=jo))
    # refusals too: a handle typed on the command line must not reach the log
    assert (
        cli("sar", "export", f"x:{FILE_AUTHOR[0]}x", "--out", str(tmp_path), session=sue).status
        == 2
    )
    _ok(cli("sar", "add", "--requester", FILE_AUTHOR[1], "--regime", "uk_gdpr",
            "--received", "2026-11-20", "--subject", f"x:{FILE_AUTHOR[0]}", session=sue))  # fmt: skip
    _ok(cli("sar", "review", f"x:{PAT_HANDLE}", session=sue))
    out = tmp_path / "release"
    out.mkdir()
    _ok(cli("sar", "export", f"x:{PAT_HANDLE}", "--out", str(out), "--reviewed", session=sue))
    # the neighbour's case closed, then erased
    d.cases.claim(subject.jo, subject.kim_case)
    d.cases.close(subject.jo, subject.kim_case, Outcome.NO_ACTION)
    _ok(cli("erase", f"x:{KIM_HANDLE}", "--reason", "Art. 17 request", session=sue))

    # an unexpected database error: its traceback is logged, but not the values it carried
    def broken(*_args: object, **_kw: object) -> None:
        raise IntegrityError("INSERT INTO items (text) VALUES (?)", (SECOND_TEXT,), Exception("x"))

    monkeypatch.setattr(SubjectAccessService, "list", broken)
    assert cli("sar", "list", session=sue).status == 4

    logs = [p for p in logging_on.rglob("*") if p.is_file()]
    assert logs, "the session wrote no log file"
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in logs)
    assert "desk-admin erase" in text  # the log did record the session
    assert "IntegrityError" in text  # and the unexpected error
    personal = [
        PAT_HANDLE,
        PAT_HANDLE.lstrip("@"),
        KIM_HANDLE.lstrip("@"),
        *FILE_AUTHOR,
        *SECOND_AUTHOR,
        "Marigold",
        *(t[:24] for t in PAT_TEXTS),
        KIM_TEXT[:24],
        FILE_TEXT[:24],
        SECOND_TEXT[:24],
        NOTE[:24],
        REPLY[:24],
        HIDE[:24],
        ESCALATION[:24],
        THRIVE["threat"],
        CLI_NOTE[:24],
        CLI_ESCALATION[:24],
        CLI_EXPLANATION[:24],
        "Otterbrook",
        "Quillfield",
        "pat.r@example.com",
    ]
    found = [p for p in personal if p.lower() in text.lower()]
    assert not found, f"personal data in the log files: {found}"
