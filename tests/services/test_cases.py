"""Items become cases; cases are claimed, worked, closed and re-opened, all on the record."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from desk.core.cases import Outcome
from desk.core.errors import Conflict, InvalidInput, PermissionDenied
from desk.core.items import ItemKind, Platform
from desk.core.queue_filter import OwnerFilter, QueueFilter
from desk.core.roles import Role
from desk.ingest.errors import ImportCancelled
from tests.conftest import Person, Staffed
from tests.services.helpers import item

THRIVE = {
    "threat": "Stated intent to self-harm tonight",
    "harm": "Serious",
    "risk": "High",
    "investigation": "None needed from the desk",
    "vulnerability": "Person in crisis",
    "engagement": "Replied with crisis line; call for service raised",
    "grade": "immediate",
}


@pytest.fixture
def desk_items(staffed: Staffed) -> Staffed:
    d, admin = staffed.desk, staffed.admin_token
    staffed.clock.advance(minutes=10)  # the items below arrived in the last few minutes
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.official_accounts.add(admin, Platform.FACEBOOK, "Exampleshire Police")
    d.importer.store(
        admin,
        [
            item("1", "What time does the road reopen?", author="u1", minutes=1),
            item("2", "Also is the bus diverted?", author="u1", minutes=5),  # joins case of 1
            item("3", "I can't go on, I'm going to end it all tonight", author="u2", minutes=2),
            item(
                "4",
                "Great work today officers",
                author="u3",
                thread=None,
                minutes=3,
                kind=ItemKind.MENTION,
            ),
            item(
                "5",
                "Lovely community event",
                author="u4",
                minutes=4,
                platform=Platform.FACEBOOK,
                account="Exampleshire Police",
            ),
        ],
        "test",
    )
    return staffed


def rows(staffed: Staffed, token: str | None = None, **flt: object) -> list:
    return staffed.desk.queue.page(token or staffed.admin_token, QueueFilter(**flt))  # type: ignore[arg-type]


def test_queue_puts_risk_first_then_oldest(desk_items: Staffed) -> None:
    queue = rows(desk_items)
    assert [r.summary[:14] for r in queue][:1] == ["I can't go on,"]
    assert queue[0].priority == 1 and "self_harm" in queue[0].risk
    rest = queue[1:]
    assert [r.opened_at for r in rest] == sorted(r.opened_at for r in rest)
    joined = next(r for r in queue if r.summary.startswith("What time"))
    assert joined.item_count == 2
    assert len(queue) == 4


def test_reimport_is_idempotent_and_changes_nothing_triaged(desk_items: Staffed) -> None:
    d, token = desk_items.desk, desk_items.admin_token
    op_token = desk_items.sign_in(desk_items.operator)
    case = rows(desk_items)[0]
    d.cases.claim(op_token, case.case_id)
    report = d.importer.store(
        token, [item("3", "edited text that must not land", author="u2")], "again"
    )
    assert (report.added, report.duplicates) == (0, 1)
    detail = d.queue.detail(token, case.case_id)
    assert detail.items[0].text.startswith("I can't go on")
    assert detail.row.status == "triage"


def test_a_bad_record_refuses_the_whole_file(desk_items: Staffed) -> None:
    before = len(rows(desk_items))
    with pytest.raises(InvalidInput, match="@Unknown"):
        desk_items.desk.importer.store(
            desk_items.admin_token,
            [item("10", "fine"), item("11", "not ours", account="@Unknown")],
            "bad",
        )
    assert len(rows(desk_items)) == before


def test_cancelled_import_stores_nothing(desk_items: Staffed) -> None:
    before = len(rows(desk_items))
    many = [item(f"c{i}", f"message {i}", author=f"a{i}") for i in range(2500)]
    with pytest.raises(ImportCancelled):
        desk_items.desk.importer.store(desk_items.admin_token, many, "big", cancelled=lambda: True)
    assert len(rows(desk_items)) == before


def test_filters_combine(desk_items: Staffed) -> None:
    assert {r.platform for r in rows(desk_items, platforms=frozenset({"facebook"}))} == {"facebook"}
    assert [r.priority for r in rows(desk_items, priorities=frozenset({1}))] == [1]
    assert len(rows(desk_items, categories=frozenset({"self_harm"}))) == 1
    assert [r.summary for r in rows(desk_items, search="bus")] == [
        "What time does the road reopen?"
    ]
    assert rows(desk_items, search="bus", platforms=frozenset({"facebook"})) == []
    assert len(rows(desk_items, search="resid")) == 4  # author handle, by prefix
    assert len(rows(desk_items, kinds=frozenset({"mention"}))) == 1
    assert len(rows(desk_items, owner=OwnerFilter.UNASSIGNED)) == 4


def test_claim_is_exclusive_and_names_the_owner(desk_items: Staffed) -> None:
    d = desk_items.desk
    d.accounts.add_user(
        desk_items.admin_token, "kjones", "Kim Jones", Role.OPERATOR, "second operator phrase"
    )
    first = desk_items.sign_in(desk_items.operator)
    case_id = rows(desk_items)[0].case_id
    d.cases.claim(first, case_id)
    supervisor_enrol = d.accounts.add_user(
        desk_items.admin_token, "sgt", "Sgt Lee", Role.SUPERVISOR, "supervisor pass phrase"
    )
    sup = Person("sgt", "supervisor pass phrase", supervisor_enrol.seed, Role.SUPERVISOR)
    sup_token = desk_items.sign_in(sup)
    with pytest.raises(Conflict, match="already owned by jsmith"):
        d.cases.claim(sup_token, case_id)
    assert rows(desk_items, owner=OwnerFilter.ME, token=first)[0].case_id == case_id
    d.cases.reassign(sup_token, case_id, "kjones")
    assert d.queue.detail(sup_token, case_id).row.owner == "kjones"
    with pytest.raises(PermissionDenied):
        d.cases.reassign(first, case_id, "jsmith")


def test_risky_case_needs_thrive_before_closing(desk_items: Staffed) -> None:
    d = desk_items.desk
    token = desk_items.sign_in(desk_items.operator)
    case_id = rows(desk_items, categories=frozenset({"self_harm"}))[0].case_id
    d.cases.claim(token, case_id)
    with pytest.raises(Conflict, match="THRIVE"):
        d.cases.close(token, case_id, Outcome.REFERRED_999)
    with pytest.raises(InvalidInput, match="Harm"):
        d.cases.assess(token, case_id, {**THRIVE, "harm": " "})
    assert d.cases.assess(token, case_id, THRIVE) == 1
    d.cases.add_note(token, case_id, "Crisis line details sent by DM")
    d.cases.close(token, case_id, Outcome.CALL_FOR_SERVICE)
    detail = d.queue.detail(token, case_id)
    assert detail.row.status == "closed"
    kinds = [t.kind for t in detail.timeline]
    assert kinds[:2] == ["arrived", "risk"]
    assert kinds[-4:] == ["claim", "assess", "note", "close"]
    audit = [e.action for e in d.audit.entries(desk_items.admin_token, 10, "case.")]
    assert audit[:4] == ["case.close", "case.note", "case.assess", "case.claim"]
    d.cases.reopen(token, case_id, "Author replied again")
    assert d.queue.detail(token, case_id).row.status == "triage"


def test_new_item_in_an_assessed_thread_asks_for_reassessment(desk_items: Staffed) -> None:
    d = desk_items.desk
    token = desk_items.sign_in(desk_items.operator)
    case_id = rows(desk_items, categories=frozenset({"self_harm"}))[0].case_id
    d.cases.claim(token, case_id)
    d.cases.assess(token, case_id, THRIVE)
    d.importer.store(
        desk_items.admin_token, [item("3b", "still here", author="u2", minutes=30)], "more"
    )
    detail = d.queue.detail(token, case_id)
    assert detail.row.needs_assessment and detail.row.item_count == 2
    with pytest.raises(Conflict, match="THRIVE"):
        d.cases.close(token, case_id, Outcome.NO_ACTION)
    assert d.cases.assess(token, case_id, {**THRIVE, "grade": "priority"}) == 2
    assert [a.grade for a in d.queue.detail(token, case_id).assessments] == [
        "immediate",
        "priority",
    ]


def test_items_outside_the_window_open_a_new_case(desk_items: Staffed) -> None:
    d = desk_items.desk
    d.importer.store(
        desk_items.admin_token, [item("6", "me again", author="u1", minutes=5 + 180)], "late"
    )
    cases = [r for r in rows(desk_items) if r.author == "@resident" and r.platform == "x"]
    assert (
        len([r for r in cases if r.summary in ("me again", "What time does the road reopen?")]) == 2
    )


def test_redaction_replaces_the_original_and_records_who_and_why(desk_items: Staffed) -> None:
    d = desk_items.desk
    d.importer.store(
        desk_items.admin_token, [item("7", "Call me on 07700 900123 please", author="u9")], "pii"
    )
    token = desk_items.sign_in(desk_items.operator)
    row = next(r for r in rows(desk_items) if r.summary.startswith("Call me"))
    d.cases.claim(token, row.case_id)
    detail = d.queue.detail(token, row.case_id)
    text = detail.items[0].text
    start = text.index("07700")
    d.cases.redact(token, detail.items[0].id, start, start + len("07700 900123"), "phone number")
    after = d.queue.detail(token, row.case_id)
    assert after.items[0].text == "Call me on [redacted] please"
    assert after.row.summary == "Call me on [redacted] please"  # the queue row too
    assert after.items[0].redacted
    assert rows(desk_items, search="900123") == []
    entry = d.audit.entries(desk_items.admin_token, 1, "case.redact")[0]
    assert json.loads(entry.details)["reason"] == "phone number"
    assert "900123" not in entry.details


def test_viewers_show_who_is_looking(desk_items: Staffed) -> None:
    d = desk_items.desk
    case_id = rows(desk_items)[0].case_id
    op = desk_items.sign_in(desk_items.operator)
    d.cases.viewing(op, case_id)
    assert d.cases.viewers(desk_items.admin_token, [case_id]) == {case_id: ["jsmith"]}
    assert d.queue.detail(desk_items.admin_token, case_id).viewers == ("jsmith",)
    desk_items.clock.advance(minutes=5)
    assert d.cases.viewers(desk_items.admin_token, [case_id]) == {}


def test_status_counts(desk_items: Staffed) -> None:
    d = desk_items.desk
    token = desk_items.sign_in(desk_items.operator)
    d.cases.claim(token, rows(desk_items)[-1].case_id)
    assert d.queue.status_counts(token) == {"new": 3, "mine": 1, "breached": 0}
    desk_items.clock.advance(hours=5)
    assert d.queue.status_counts(token)["breached"] == 1  # the P1, 15 minutes
    desk_items.clock.advance(hours=20)
    token = desk_items.sign_in(desk_items.operator)  # a new shift's sign-in
    assert d.queue.status_counts(token)["breached"] == 4  # every P4 too, claimed or not


def test_keyset_pages_walk_the_whole_queue_in_order(desk_items: Staffed) -> None:
    d, token = desk_items.desk, desk_items.admin_token
    d.importer.store(
        token,
        [
            item(f"k{i}", f"message {i}", author=f"k{i % 7}", thread=f"t{i}", minutes=i % 13)
            for i in range(60)
        ],
        "many",
    )
    everything = d.queue.page(token, QueueFilter(), limit=1000)
    walked, after = [], None
    while page := d.queue.page(token, QueueFilter(), after=after, limit=7):
        walked += page
        after = page[-1].key
    assert [r.case_id for r in walked] == [r.case_id for r in everything]
    assert len(walked) == d.queue.count(token, QueueFilter()) == 64
    keys = [(r.priority, r.opened_at, r.case_id) for r in walked]
    assert keys == sorted(keys)


def test_closed_case_cannot_be_claimed_and_says_so(desk_items: Staffed) -> None:
    d = desk_items.desk
    token = desk_items.sign_in(desk_items.operator)
    case = next(r for r in rows(desk_items) if not r.risk)
    d.cases.claim(token, case.case_id)
    d.cases.close(token, case.case_id, Outcome.NO_ACTION)
    with pytest.raises(Conflict, match="is closed: re-open it"):
        d.cases.claim(token, case.case_id)


def test_items_for_many_cases_at_once(desk_items: Staffed) -> None:
    d, token = desk_items.desk, desk_items.admin_token
    ids = [r.case_id for r in rows(desk_items)]
    found = d.queue.items_for(token, ids)
    assert sum(len(v) for v in found.values()) == 5
    assert all(view.case_id == case_id for case_id, views in found.items() for view in views)


def test_timeline_names_each_rule_with_its_own_level(desk_items: Staffed) -> None:
    d, token = desk_items.desk, desk_items.admin_token
    case = rows(desk_items, categories=frozenset({"self_harm"}))[0]
    risk_lines = [t.text for t in d.queue.detail(token, case.case_id).timeline if t.kind == "risk"]
    assert risk_lines and all(line.startswith("P1 by rule ") for line in risk_lines)
    assert any("(self_harm)" in line for line in risk_lines)


def test_a_force_sets_its_own_grade_catalogue(desk_items: Staffed) -> None:
    d, admin = desk_items.desk, desk_items.admin_token
    with pytest.raises(InvalidInput, match="should look like 'Immediate=15m'"):
        d.settings.set(admin, "thrive_grades", "Immediate; Priority=1h")
    d.settings.set(admin, "thrive_grades", "Emergency=10m; Priority=1h; Routine=2d")
    assert [(g.code, g.label) for g in d.cases.grades()] == [
        ("emergency", "Emergency"),
        ("priority", "Priority"),
        ("routine", "Routine"),
    ]
    token = desk_items.sign_in(desk_items.operator)
    case = rows(desk_items)[-1]  # a P4: due a day after arrival
    d.cases.claim(token, case.case_id)
    with pytest.raises(InvalidInput, match="emergency, priority, routine"):
        d.cases.assess(token, case.case_id, {**THRIVE, "grade": "immediate"})
    d.cases.assess(token, case.case_id, {**THRIVE, "grade": "emergency"})
    after = d.queue.detail(token, case.case_id).row
    assert after.due_at == case.opened_at + timedelta(minutes=10)


def test_response_targets_and_joining_window_are_settings(staffed: Staffed) -> None:
    d, admin = staffed.desk, staffed.admin_token
    with pytest.raises(InvalidInput, match="P1=15m"):
        d.settings.set(admin, "response_targets", "P1 fifteen")
    d.settings.set(admin, "response_targets", "P1=10m; P2=30m; P3=2h; P4=8h")
    d.settings.set(admin, "join_window_minutes", "10")
    staffed.clock.advance(minutes=30)
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice")
    d.importer.store(
        admin,
        [
            item("1", "When does the road reopen?", author="u1", minutes=1),
            item("2", "And the bus?", author="u1", minutes=20),  # 19 minutes later: a new case
        ],
        "settings",
    )
    found = sorted(rows(staffed), key=lambda r: r.opened_at)
    assert [r.item_count for r in found] == [1, 1]
    assert found[0].due_at - found[0].opened_at == timedelta(hours=8)  # P4 under the new table
    assert d.settings.get("response_targets") == "P1=10m; P2=30m; P3=2h; P4=8h"
