"""Screenshots of a conversation under the force's post imported, and its case's thread (issue 17).

An X API v2 timeline holds the force's own post, a member of the public's reply to it, a reply
to that reply (not addressed to the force), a self-reply by the force, a repost and a post
connected to no official account. The Import dialog's report says what was passed over; the
case pane's thread shows the force's posts as "Our post". Run alone under Xvfb (as
scripts/screenshots.py, whose helpers it uses), or call :func:`shoot_conversations`:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python \
        scripts/screenshots_conversations.py OUTDIR --size 1366x768
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshots as shots

FORCE = "900"


def _post(id_: str, author: str, text: str, minute: int, **more: Any) -> dict[str, Any]:
    return {
        "id": id_,
        "text": text,
        "author_id": author,
        "created_at": (shots.START - timedelta(minutes=30 - minute)).isoformat(),
        "conversation_id": "t1",
        **more,
    }


def _reply(to: str, user: str) -> dict[str, Any]:
    return {"referenced_tweets": [{"type": "replied_to", "id": to}], "in_reply_to_user_id": user}


def timeline(path: Path) -> Path:
    """Write the X API v2 timeline the pictures import."""
    posts = [
        _post("t1", FORCE, "Missing: Sam, 14, last seen near Newton Abbot station. Seen him? "
              "Call 101 &amp; quote log 123.", 0),
        _post("t2", "901", "@ExampleshirePolice Shared. I think I saw him on the 9:10 bus &lt;3",
              4, **_reply("t1", FORCE)),
        _post("t3", "902", "@kim_n which bus? the X64?", 6, **_reply("t2", "901")),
        _post("t4", FORCE, "@kim_n Thank you, please call 101 and quote log 123.", 7,
              **_reply("t2", "901")),
        _post("t5", "902", "RT", 8, referenced_tweets=[{"type": "retweeted", "id": "t1"}]),
        _post("t6", "903", "Nice weather in Torquay today", 9, conversation_id="t6"),
    ]  # fmt: skip
    users = [
        {"id": FORCE, "username": "ExampleshirePolice", "name": "Exampleshire Police"},
        {"id": "901", "username": "kim_n", "name": "Kim N"},
        {"id": "902", "username": "lee_p", "name": "Lee P"},
        {"id": "903", "username": "ash_t", "name": "Ash T"},
    ]
    path.write_text(json.dumps({"data": posts, "includes": {"users": users}}), "utf-8")
    return path


def shoot_conversations(shooter: shots.Shooter, base: Path) -> None:
    """The Import dialog's report on a timeline, and the case's thread with the force's posts."""
    with shots.demo_desk(base) as made:
        desk = made.desk
        window = made.window(made.sign_in("demo"))
        window.queue.open_import()
        importer = window.queue.import_dialog
        if importer is None:
            raise SystemExit("screenshots: the import dialog did not open")
        importer.set_file(timeline(base / "x-timeline.json"))
        importer.start()
        shots.wait_until(lambda: not importer.running)
        shots.settle(300)
        shooter.shoot(importer, "import-conversation-report.png")
        importer.close()
        shots.wait_for_queue(window)
        from PySide6.QtTest import QTest
        from sqlalchemy import select

        from desk.store.tables import Item

        with desk.ctx.db.read() as s:
            case_id = s.scalar(select(Item.case_id).where(Item.platform_id == "t2"))
        if case_id is None:
            raise SystemExit("screenshots: the reply was not imported")
        # found as an operator would find it: searched for, then selected (its banner, not the
        # P1's left over from the row selected before)
        QTest.keyClicks(window.queue.filter_bar.ui.searchEdit, "kim_n")  # typed, as a person does
        queue = window.queue
        shots.wait_until(
            lambda: (
                not queue.model.loading
                and queue.model.rowCount() < 10  # the search has narrowed the queue
                and queue.model.row_of(case_id) is not None
            )
        )
        queue.select(queue.model.row_of(case_id) or 0)
        shots.wait_until(
            lambda: (
                window.ui.casePane.detail is not None
                and window.ui.casePane.detail.row.case_id == case_id
                and not made.worker.busy
            )
        )
        shots.settle(300)
        shooter.shoot(window, "case-thread-own-posts.png")
        window.sign_out()
        window.close()


def main() -> int:
    """Take the conversation pictures into OUTDIR."""
    return shots.run_alone(shoot_conversations)


if __name__ == "__main__":
    raise SystemExit(main())
