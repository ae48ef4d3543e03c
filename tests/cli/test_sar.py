"""``desk-admin sar ...``: the request register, and an author's export read back (JSON, PDF)."""

from __future__ import annotations

import json
import subprocess
import unicodedata
from pathlib import Path

import pytest

from desk.services.signin import CLI as CLI_SESSION
from tests.cli.conftest import Cli
from tests.conftest import Staffed, need_command
from tests.subject_data import (
    ESCALATION,
    HIDE,
    KIM_TEXT,
    NOTE,
    PAT_HANDLE,
    PAT_TEXTS,
    REPLY,
    THRIVE,
    Subject,
    worked_subject,
)


@pytest.fixture
def subject(staffed: Staffed) -> Subject:
    return worked_subject(staffed)


@pytest.fixture
def sue(staffed: Staffed, subject: Subject) -> str:
    return staffed.sign_in(subject.sue, CLI_SESSION)


def test_the_register_from_the_command_line(
    cli: Cli, sue: str, staffed: Staffed, subject: Subject
) -> None:
    added = cli(
        "sar", "add", "--requester", "Pat Resident", "--regime", "uk_gdpr",
        "--received", "2026-10-30", "--subject", "x:@patresident", session=sue,
    )  # fmt: skip
    assert added.status == 0, added.err
    assert "Recorded SAR-1, due 2026-11-30." in added.out
    bad = cli("sar", "add", "--requester", "X", "--regime", "gdpr", "--received", "2026-11-01",
              session=sue)  # fmt: skip
    assert bad.status == 2 and "Unknown regime 'gdpr'" in bad.err
    assert cli("sar", "due", session=sue).out.count("SAR-1") == 1  # due within a week
    paused = cli("sar", "pause", "SAR-1", "--reason", "Which account?", session=sue)
    assert paused.status == 0, paused.err
    staffed.clock.advance(days=3)
    sue = staffed.sign_in(subject.sue, CLI_SESSION)
    resumed = cli("sar", "resume", "1", session=sue)
    assert "now due 2026-12-03" in resumed.out
    extended = cli("sar", "extend", "1", "--months", "1", "--notice", "Emailed 29 Nov",
                   session=sue)  # fmt: skip
    assert "now due 2027-01-02" in extended.out
    refused = cli("sar", "close", "1", "--outcome", "disclosed", session=sue)
    assert refused.status == 2 and "identity has not been checked" in refused.err
    assert cli("sar", "identity", "1", "--how", "Passport", session=sue).status == 0
    closed = cli("sar", "close", "1", "--outcome", "disclosed", "--json", session=sue)
    data = json.loads(closed.out)
    assert data["outcome"] == "disclosed" and data["state"] == "closed"
    assert data["paused_days"] == 3 and data["extension_months"] == 1
    listed = cli("sar", "list", session=sue)
    assert "SAR-1" in listed.out and "closed" in listed.out
    jo = staffed.sign_in(staffed.operator, CLI_SESSION)
    denied = cli("sar", "list", session=jo)
    assert denied.status == 2 and "may not manage subject access" in denied.err


def test_export_needs_review_then_reads_back_with_every_item(
    cli: Cli, sue: str, subject: Subject, tmp_path: Path
) -> None:
    pdftotext = need_command("pdftotext")
    review = cli("sar", "review", f"x:{PAT_HANDLE}", "--json", session=sue)
    assert review.status == 0, review.err
    flagged = json.loads(review.out)
    assert {f["text"] for f in flagged} >= {"@kimneighbour", "pat.r@example.com"}
    out = tmp_path / "release"
    out.mkdir()
    unreviewed = cli("sar", "export", "x:patresident", "--out", str(out), session=sue)
    assert unreviewed.status == 2 and "may name third parties" in unreviewed.err
    assert list(out.iterdir()) == []
    mention = next(f["redact"] for f in flagged if f["text"] == "@kimneighbour")
    done = cli(
        "sar", "export", "x:patresident", "--out", str(out), "--redact", mention,
        "--reviewed", "--json", session=sue,
    )  # fmt: skip
    assert done.status == 0, done.err
    paths = json.loads(done.out)
    data = json.loads(Path(paths["json"]).read_text(encoding="utf-8"))
    assert data["protective_marking"] == "OFFICIAL-SENSITIVE"
    assert data["author"]["handle"] == PAT_HANDLE
    texts = [i["text"] for i in data["items"]]
    assert texts[0] == PAT_TEXTS[0] and texts[2] == PAT_TEXTS[2]
    assert (
        texts[1] == "My neighbour [redacted: third party] saw it too, mail me at pat.r@example.com"
    )
    (case,) = data["cases"]
    assert NOTE in [e["text"] for e in case["timeline"]]
    assert case["thrive"][0]["threat"] == THRIVE["threat"]
    assert case["escalations"][0]["summary"] == ESCALATION
    assert data["replies"][0]["text"] == REPLY
    assert data["moderation"][0]["explanation"] == HIDE
    assert any(e["object"] == f"case:{subject.pat_case}" for e in data["audit"])
    everything = json.dumps(data)
    assert "kimneighbour" not in everything and KIM_TEXT not in everything
    text = subprocess.run(
        [pdftotext, "-layout", paths["pdf"], "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(unicodedata.normalize("NFKC", text).split())  # ligatures (fi) undone
    for expected in (
        PAT_TEXTS[0],
        PAT_TEXTS[2],
        NOTE,
        REPLY,
        HIDE,
        ESCALATION,
        "[redacted: third party]",
    ):
        assert " ".join(expected.split()) in flat, expected
    assert "kimneighbour" not in flat
    assert "OFFICIAL-SENSITIVE" in flat
    (entry,) = subject.staffed.desk.audit.entries(
        subject.staffed.admin_token, action_prefix="sar.export"
    )
    assert entry.object == f"author:{data['author']['id']}"
    assert "saw it too" not in str(entry.details)


def test_an_unknown_author_is_named(cli: Cli, sue: str, tmp_path: Path) -> None:
    missing = cli("sar", "export", "x:@nobody", "--out", str(tmp_path), session=sue)
    assert missing.status == 2
    assert "Desk holds nothing about 'x:@nobody'" in missing.err
