"""Erasure reaches everywhere: mentions of the erased person in other people's records go too.

Zorba Quintana (@zorbaquint) wrote once; Kim wrote about them by handle and name, and Jo worked
Kim's case (note, THRIVE, reply, moderation, escalation), wrote a handover note naming them, and
a supervisor signed the handover off listing Kim's case. After Zorba is erased, neither their
handle nor their name is in the database file or its write-ahead log, Kim's words read
"[erased person]", and the signed handover says it was redacted after signing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from desk.core.cases import Outcome
from desk.core.erasure import ERASED_PERSON
from desk.core.errors import Conflict
from desk.core.escalation import TargetKind, Urgency
from desk.core.evidence import unpack
from desk.core.handover import render_text
from desk.core.items import Author as IncomingAuthor
from desk.core.items import Platform
from desk.core.moderation import ModerationKind
from desk.core.queue_filter import QueueFilter
from desk.core.retention import HoldTarget
from desk.core.roles import Role
from desk.store.tables import (
    AuditEntry,
    Case,
    CaseEvent,
    ErasureRedaction,
    Handover,
    Item,
    ItemOriginal,
    Reply,
)
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services.helpers import item

HANDLE = "@zorbaquint"
NAME = "Zorba Quintana"
ZORBA_TEXT = "Streetlights out on Mirefield Lane"
KIM_TEXT = "@zorbaquint is right, Zorba Quintana told me the lights are out too"
KIM_ORIGINAL = json.dumps(
    {"id": "k1", "text": KIM_TEXT, "in_reply_to": "ZorbaQuint", "user": "kimneighbour"}
).encode()


@dataclasses.dataclass
class Scene:
    staffed: Staffed
    sue: str
    jo: str
    zorba_case: int
    kim_case: int
    kim_item: int
    handover_id: int


def _file_bytes(staffed: Staffed) -> bytes:
    path = staffed.desk.ctx.db.path
    assert path is not None
    data = b""
    for p in sorted(Path(path).parent.glob(path.name + "*")):
        data += p.read_bytes()
    return data


def _where_found(staffed: Staffed, word: bytes) -> str:
    """Say which file, offset and table hold ``word``, so that a failure names where to look."""
    path = staffed.desk.ctx.db.path
    assert path is not None
    pages: dict[int, str] = {}
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = dict(conn.execute("SELECT pageno, name FROM dbstat").fetchall())
    places = []
    for p in sorted(Path(path).parent.glob(path.name + "*")):
        data = p.read_bytes().lower()
        at = data.find(word)
        while at >= 0:
            page = at // size + 1
            table = pages.get(page, "a free page") if p == path else "the write-ahead log"
            around = data[max(0, at - 60) : at + 60]
            places.append(f"{p.name} byte {at} (page {page}, {table}): {around!r}")
            at = data.find(word, at + 1)
    return "; ".join(places)


@pytest.fixture
def scene(staffed: Staffed) -> Scene:
    d, admin, clock = staffed.desk, staffed.admin_token, staffed.clock
    enrol = d.accounts.add_user(admin, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD)
    sue_person = Person("sgreen", USER_PASSWORD, enrol.seed, Role.SUPERVISOR)
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    clock.advance(minutes=5)
    zorba = dataclasses.replace(
        item("z1", ZORBA_TEXT, author="zq1", handle=HANDLE, thread="t-z"),
        author=IncomingAuthor("zq1", HANDLE, NAME),
    )
    kim = dataclasses.replace(
        item("k1", KIM_TEXT, author="kim1", handle="@kimneighbour", thread="t-k", minutes=1),
        original=KIM_ORIGINAL,
    )
    d.importer.store(admin, [zorba, kim], "test")
    with d.ctx.db.read() as s:
        rows = {r.platform_id: r for r in s.scalars(select(Item))}
    zorba_case, kim_case, kim_item = rows["z1"].case_id, rows["k1"].case_id, rows["k1"].id
    jo = staffed.sign_in(staffed.operator)
    sue = staffed.sign_in(sue_person)
    d.cases.claim(jo, zorba_case)
    d.handover.flag_notable(jo, zorba_case, "First report of the outage")
    d.cases.close(jo, zorba_case, Outcome.NO_ACTION)
    d.cases.claim(jo, kim_case)
    d.cases.add_note(jo, kim_case, f"Rang Kim; {NAME} is the neighbour who first saw it")
    d.cases.assess(
        jo,
        kim_case,
        {
            "threat": f"None from {HANDLE}",
            "harm": "Dark lane",
            "risk": "Low",
            "investigation": "None",
            "vulnerability": f"{NAME} is elderly",
            "engagement": "Reply",
            "grade": "scheduled",
        },
    )
    d.replies.reply(jo, kim_case, f"Thanks Kim, and thanks to {HANDLE} too.")
    d.moderation.act(
        jo, kim_case, ModerationKind.HIDE, "CG-1", f"Named {NAME} publicly", item_id=kim_item
    )
    d.escalations.escalate(
        jo, kim_case, TargetKind.COMMUNICATIONS, Urgency.TODAY, f"Lights; {NAME} involved"
    )
    d.handover.flag_notable(jo, kim_case, "Repeat reports about the lane")
    d.handover.add_note(jo, clock.now(), f"Watch for more from {HANDLE} ({NAME})")
    d.handover.sign_off(sue, clock.now(), "Test: signing before the shift ends")
    with d.ctx.db.read() as s:
        handover = s.scalars(select(Handover)).one()
        assert HANDLE in handover.report and NAME in handover.report
        assert ZORBA_TEXT in handover.report  # their own case, listed as notable
    return Scene(staffed, sue, jo, zorba_case, kim_case, kim_item, handover.id)


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_erasure_replaces_every_mention_and_leaves_neither_handle_nor_name_in_the_file(
    scene: Scene, tmp_path: Path
) -> None:
    staffed = scene.staffed
    d = staffed.desk
    with d.ctx.db.read() as s:
        old_sha = s.get(ItemOriginal, scene.kim_item).sha256  # type: ignore[union-attr]
    assert b"zorbaquint" in _file_bytes(staffed).lower()  # the check sees them while there

    done = d.erasure.erase(scene.sue, f"x:{HANDLE}", "Art. 17 request SAR-9")

    assert done.items == 1 and done.mentions >= 10
    assert done.log_emptied  # no reader held the write-ahead log
    with d.ctx.db.read() as s:
        kim = s.get(Item, scene.kim_item)
        assert kim is not None and kim.redacted
        assert kim.text == (
            f"{ERASED_PERSON} is right, {ERASED_PERSON} told me the lights are out too"
        )
        assert s.get(Case, scene.zorba_case) is None
        case = s.get(Case, scene.kim_case)
        assert case is not None and HANDLE not in case.summary
        reply = s.scalars(select(Reply).where(Reply.case_id == scene.kim_case)).one()
        assert reply.text == f"Thanks Kim, and thanks to {ERASED_PERSON} too."
        line = s.scalars(
            select(CaseEvent).where(
                CaseEvent.case_id == scene.kim_case, CaseEvent.kind == "erasure_redaction"
            )
        ).one()
        assert "erased person" in line.text
        # the original bytes are rewritten: a new SHA-256 that matches them, the old one kept
        original = s.get(ItemOriginal, scene.kim_item)
        assert original is not None
        raw = unpack(bytes(original.data), original.compressed)
        assert b"zorbaquint" not in raw.lower() and ERASED_PERSON.encode() in raw
        assert original.sha256 == hashlib.sha256(raw).hexdigest() != old_sha
        note = s.scalars(
            select(ErasureRedaction).where(ErasureRedaction.target == "original")
        ).one()
        assert (note.target_id, note.old_sha256, note.new_sha256) == (
            scene.kim_item,
            old_sha,
            original.sha256,
        )
        tomb = s.scalars(select(AuditEntry).where(AuditEntry.action == "author.erase")).one()
        details = json.loads(tomb.details)
        assert details["items_redacted"] == [scene.kim_item]
        assert details["handovers_redacted"] == [scene.handover_id]
        assert details["originals_redacted"] == [scene.kim_item]
        assert details["rows_redacted"]["replies"] == 1
    # the search index no longer finds them
    assert d.queue.page(staffed.admin_token, QueueFilter(search="zorbaquint")) == []
    assert d.queue.page(staffed.admin_token, QueueFilter(search="Quintana")) == []

    # the signed handover says it was redacted after signing; its anchor still verifies
    report = d.handover.signed(scene.sue, staffed.clock.now())
    shown = render_text(report)
    assert "Redacted after signing" in shown and ERASED_PERSON in shown
    assert HANDLE not in shown and NAME not in shown
    assert ZORBA_TEXT not in shown and "First report of the outage" not in shown
    assert f"#{scene.zorba_case}" in shown and "[erased]" in shown
    anchors = d.handover.verify_anchors(staffed.admin_token)
    assert anchors.intact, anchors.problems
    assert len(anchors.redacted) == 1

    # a bundle made now says which original was redacted, with the hash it had before
    d.evidence.export(staffed.admin_token, scene.kim_case, tmp_path / "bundle")
    index = json.loads((tmp_path / "bundle" / "originals.json").read_text(encoding="utf-8"))
    (record,) = index["records"]
    assert record["matches_import"] is True
    assert [r["sha256_before"] for r in record["redacted_by_erasure"]] == [old_sha]

    d.close()  # let every connection go, as when the desk closes
    raw_file = _file_bytes(staffed).lower()
    for word in (b"zorbaquint", b"zorba", b"quintana", b"mirefield"):
        assert word not in raw_file, _where_found(staffed, word)


def test_a_handover_changed_without_a_redaction_record_still_fails_its_check(
    scene: Scene,
) -> None:
    d = scene.staffed.desk
    d.erasure.erase(scene.sue, f"x:{HANDLE}", "Art. 17 request SAR-9")
    with d.ctx.db.write() as s:
        row = s.get(Handover, scene.handover_id)
        assert row is not None
        row.report = row.report.replace("Repeat reports", "Routine reports")
    anchors = d.handover.verify_anchors(scene.staffed.admin_token)
    assert not anchors.intact
    assert "no longer matches the one signed" in anchors.problems[0]


def test_a_held_case_that_mentions_them_refuses_the_erasure_and_nothing_changes(
    scene: Scene,
) -> None:
    d = scene.staffed.desk
    hold = d.retention.add_hold(scene.sue, HoldTarget.CASE, scene.kim_case, "IOPC request")
    with pytest.raises(Conflict, match=rf"Case\(s\) #{scene.kim_case}, under a legal hold"):
        d.erasure.erase(scene.sue, f"x:{HANDLE}", "Art. 17 request SAR-9")
    with d.ctx.db.read() as s:
        assert s.get(Case, scene.zorba_case) is not None
        kim = s.get(Item, scene.kim_item)
        assert kim is not None and kim.text == KIM_TEXT
        assert s.scalars(select(ErasureRedaction)).first() is None
    d.retention.lift_hold(scene.sue, hold.id, "Request answered")
    done = d.erasure.erase(scene.sue, f"x:{HANDLE}", "Art. 17 request SAR-9")
    assert done.mentions > 0
