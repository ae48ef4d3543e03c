"""``desk-admin templates ...`` and ``desk-admin reply ...``."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Triage


def test_templates_list_json_shows_the_approved_library(triage: Triage) -> None:
    done = triage.cli("templates", "list", "--json", session=triage.jo)
    assert done.status == 0, done.err
    listed = json.loads(done.out)
    call = next(t for t in listed if t["key"] == "call-999-now")
    assert call["status"] == "approved" and call["version"] == 1
    assert call["text_cy"].startswith("Os ydych chi neu rywun arall mewn perygl")
    assert set(call) >= {"key", "kind", "title", "version", "status", "variables", "text_en"}
    table = triage.cli("templates", "list", session=triage.jo)
    assert table.out.splitlines()[0].split() == [
        "KEY", "VERSION", "STATUS", "KIND", "WELSH", "TITLE",
    ]  # fmt: skip


def test_export_import_round_trip_and_a_broken_folder_changes_nothing(
    triage: Triage, tmp_path: Path
) -> None:
    cli, folder = triage.cli, tmp_path / "library"
    done = cli("templates", "export", str(folder), session=triage.sue_token)
    assert done.status == 0, done.err
    assert done.out == f"Wrote 10 template files to {folder}.\n"
    before = {p.name: p.read_bytes() for p in folder.glob("*.json")}

    data = json.loads((folder / "hide-notice.json").read_text("utf-8"))
    data["text_cy"] = data["text_cy"] + " Mae'r ŵyl a'r tŷ ŷd â chroeso."
    (folder / "hide-notice.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    (folder / "call-999-now.json").write_text('{"key": "call-999-now", "kind": "nonsense"}')
    broken = cli("templates", "import", str(folder), session=triage.sue_token)
    assert broken.status == 2
    assert "call-999-now.json: field 'title' is missing" in broken.err
    listed = json.loads(cli("templates", "list", "--all", "--json", session=triage.sue_token).out)
    assert len(listed) == 10  # nothing changed

    (folder / "call-999-now.json").write_bytes(before["call-999-now.json"])
    done = cli("templates", "import", str(folder), session=triage.sue_token)
    assert done.status == 0, done.err
    assert "0 new templates, 1 new draft versions, 9 unchanged" in done.out
    refused = cli("templates", "approve", "hide-notice", "2", session=triage.jo)
    assert refused.status == 2
    approved = cli("templates", "approve", "hide-notice", "2", session=triage.sue_token)
    assert approved.status == 0, approved.err
    again = tmp_path / "again"
    cli("templates", "export", str(again), session=triage.sue_token)
    exported = json.loads((again / "hide-notice.json").read_text("utf-8"))
    assert exported["text_cy"] == data["text_cy"] and exported["version"] == 2
    assert (again / "call-999-now.json").read_bytes() == before["call-999-now.json"]


def test_reply_send_with_a_template_and_free_text_approval(triage: Triage) -> None:
    triage.official("x", "@ExampleshirePolice")
    path = triage.jsonl(
        "items.jsonl",
        [
            {
                "platform": "x",
                "account": "@ExampleshirePolice",
                "kind": "reply",
                "id": "p1",
                "author_id": "u1",
                "author_handle": "@gus",
                "text": "What time does the road reopen?",
                "posted_at": "2026-11-26T08:59:00Z",
            }
        ],
    )
    imported = triage.import_(path)
    assert imported.status == 0, imported.err
    case_id = triage.ids()[0]
    assert triage.cli("case", "claim", str(case_id), session=triage.jo).status == 0
    unsigned = triage.cli("reply", "send", str(case_id), "--template", "report-101-online",
                          session=triage.jo)  # fmt: skip
    assert unsigned.status == 2
    assert "the force's name is not set ({force})" in unsigned.err
    assert "desk-admin settings set force_name NAME" in unsigned.err
    named = triage.cli("settings", "set", "force_name", "Exampleshire Police",
                       session=triage.admin)  # fmt: skip
    assert named.status == 0, named.err
    sent = triage.cli("reply", "send", str(case_id), "--template", "report-101-online",
                      session=triage.jo)  # fmt: skip
    assert sent.status == 0, sent.err
    assert "is recorded as sent" in sent.out and "Hi @gus, thanks for getting in touch" in sent.out
    assert "– Exampleshire Police" in sent.out and "Digital desk" not in sent.out
    free = triage.cli("reply", "send", str(case_id), "It reopens at 6pm.", session=triage.jo)
    assert "waits for approval" in free.out
    pending = json.loads(triage.cli("reply", "pending", "--json", session=triage.sue_token).out)
    assert [p["text"] for p in pending] == ["It reopens at 6pm."]
    done = triage.cli("reply", "approve", str(pending[0]["id"]), session=triage.sue_token)
    assert done.out.endswith("is sent.\n")
    missing = triage.cli("reply", "send", str(case_id), "--template", "hide-notice",
                         session=triage.jo)  # fmt: skip
    assert missing.status == 2 and "no value for {rule}" in missing.err
