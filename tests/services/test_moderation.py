"""Moderation by the guidelines: recorded with rule and explanation, the author's record,
connectors found through entry points, and who may do what."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desk.connectors.base import ConnectorRegistry
from desk.core.cases import Outcome
from desk.core.errors import Conflict, InvalidInput, PermissionDenied
from desk.core.items import Platform
from desk.core.moderation import ModerationKind
from desk.core.roles import Role
from desk.services.desk import Desk
from desk.services.guidelines import default_guidelines
from desk.store.tables import AuditEntry, Case, CaseEvent, Item, ModerationAction
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services import reference_connector
from tests.services.helpers import item

HIDE = ModerationKind.HIDE


@pytest.fixture
def worked(staffed: Staffed) -> Staffed:
    """Five cases: three by @troll (on X, in three threads), one by another, one on Facebook."""
    d, admin = staffed.desk, staffed.admin_token
    staffed.clock.advance(minutes=10)
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.official_accounts.add(admin, Platform.FACEBOOK, "Exampleshire Police")
    d.importer.store(
        admin,
        [
            item("1", "You lot are useless idiots", author="t1", handle="@troll", thread="p1"),
            item("2", "Still useless", author="t1", handle="@troll", thread="p2", minutes=1),
            item("3", "Useless again", author="t1", handle="@troll", thread="p3", minutes=2),
            item("4", "Thanks for the update", author="u2", handle="@kind", minutes=3),
            item(
                "5",
                "Buy cheap followers at spam.example",
                author="f1",
                handle="Spam Co",
                minutes=4,
                platform=Platform.FACEBOOK,
                account="Exampleshire Police",
            ),
        ],
        "test",
    )
    return staffed


def case_of(desk: Desk, platform_id: str) -> int:
    with desk.ctx.db.read() as s:
        found = s.scalar(select(Item.case_id).where(Item.platform_id == platform_id))
        assert found is not None
        return found


def count(desk: Desk, table: type) -> int:
    with desk.ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(table)) or 0


def timeline(desk: Desk, case_id: int) -> list[str]:
    with desk.ctx.db.read() as s:
        return list(
            s.scalars(
                select(CaseEvent.text).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
            )
        )


@pytest.fixture
def jo(worked: Staffed) -> str:
    return worked.sign_in(worked.operator)


def claimed(worked: Staffed, token: str, *pids: str) -> list[int]:
    ids = [case_of(worked.desk, pid) for pid in pids]
    for case_id in ids:
        worked.desk.cases.claim(token, case_id)
    return ids


def test_the_shipped_guidelines_are_installed_once_with_an_audit_entry(staffed: Staffed) -> None:
    d = staffed.desk
    shown = d.guidelines.list(staffed.admin_token)
    assert [g.code for g in shown] == [f"CG-{n}" for n in range(1, 9)]
    assert all(g.public_text and g.public_text_cy for g in shown)
    assert "999" in next(g for g in shown if g.code == "CG-8").public_text
    entries = d.audit.entries(staffed.admin_token, action_prefix="guideline.install_defaults")
    assert len(entries) == 1
    with d.ctx.db.write() as s:
        assert d.guidelines.install_defaults(s, "admin") == 0  # nothing missing: nothing added
    assert len(d.audit.entries(staffed.admin_token, action_prefix="guideline.")) == 1
    assert len(default_guidelines()) == 8


def test_a_hide_is_recorded_with_rule_explanation_timeline_and_audit(
    worked: Staffed, jo: str
) -> None:
    d = worked.desk
    (case_id,) = claimed(worked, jo, "1")
    done = d.moderation.act(jo, case_id, HIDE, "cg-1", "  Hidden: abuse is not welcome here. ")
    assert done.manual and done.applied_via == "manual"
    assert done.link == "https://x.example/1"
    assert done.explanation == "Hidden: abuse is not welcome here."
    with d.ctx.db.read() as s:
        row = s.scalars(select(ModerationAction)).one()
        assert (row.action, row.guideline_code, row.actor) == ("hide", "CG-1", "jsmith")
        assert row.explanation == "Hidden: abuse is not welcome here."
        case = s.get(Case, case_id)
        assert case is not None and case.status == "actioned"
        assert case.first_action_at == worked.clock.now()
    assert timeline(d, case_id)[-1] == (
        "Hidden under CG-1 (Abusive or threatening language) · to finish by hand on the platform"
    )
    (entry,) = d.audit.entries(worked.admin_token, action_prefix="case.moderate")
    assert entry.object == f"case:{case_id}"
    assert '"rule": "CG-1"' in entry.details or "CG-1" in str(entry.details)


def test_an_unknown_or_retired_rule_is_refused_and_nothing_changes(
    worked: Staffed, jo: str
) -> None:
    d = worked.desk
    (case_id,) = claimed(worked, jo, "1")
    d.guidelines.retire(worked.admin_token, "CG-5")
    before = (count(d, ModerationAction), count(d, AuditEntry), timeline(d, case_id))
    with pytest.raises(InvalidInput, match="There is no community guideline CG-99"):
        d.moderation.act(jo, case_id, HIDE, "CG-99", "text")
    with pytest.raises(InvalidInput, match=r"CG-5 \(Spam, advertising and scams\) is retired"):
        d.moderation.act(jo, case_id, HIDE, "CG-5", "text")
    with pytest.raises(InvalidInput, match="a hide needs the explanation"):
        d.moderation.act(jo, case_id, HIDE, "CG-1", "  ")
    with pytest.raises(InvalidInput, match="not part of case"):
        d.moderation.act(jo, case_id, HIDE, "CG-1", "x", item_id=case_of(d, "4") + 99)
    assert (count(d, ModerationAction), count(d, AuditEntry), timeline(d, case_id)) == before


def test_a_case_must_be_claimed_and_open_to_be_moderated(worked: Staffed, jo: str) -> None:
    d = worked.desk
    case_id = case_of(d, "4")
    with pytest.raises(Conflict, match=f"Claim case #{case_id} before moderating it"):
        d.moderation.act(jo, case_id, HIDE, "CG-1", "x")
    d.cases.claim(jo, case_id)
    d.cases.close(jo, case_id, Outcome.NO_ACTION)
    with pytest.raises(Conflict, match="is closed: re-open it"):
        d.moderation.act(jo, case_id, HIDE, "CG-1", "x")
    assert count(d, ModerationAction) == 0


def test_the_authors_record_spans_cases_and_marks_repeat_offenders(
    worked: Staffed, jo: str
) -> None:
    d = worked.desk
    first, second, third = claimed(worked, jo, "1", "2", "3")
    d.moderation.act(jo, first, HIDE, "CG-1", "Abuse")
    d.moderation.act(jo, first, ModerationKind.UNHIDE, "CG-1", "")  # on appeal: not counted
    worked.clock.advance(days=2)
    jo = worked.sign_in(worked.operator)  # a new shift
    d.moderation.act(jo, second, ModerationKind.BLOCK, "CG-1", "Abuse again")
    record = d.moderation.author_record_for_case(jo, third)
    assert (record.handle, record.against, record.repeat_offender) == ("@troll", 2, False)
    assert [a.kind for a in record.actions] == ["block", "unhide", "hide"]
    assert [a.kind for a in record.counted] == ["block", "hide"]
    assert record.cases == (second, first)

    d.moderation.act(jo, third, ModerationKind.REPORT, "CG-1", "")
    record = d.moderation.author_record(jo, record.author_id)
    assert (record.against, record.recent, record.repeat_offender) == (3, 3, True)
    # another author's record is their own
    other = d.moderation.author_record_for_case(jo, case_of(d, "4"))
    assert (other.handle, other.against, other.repeat_offender) == ("@kind", 0, False)
    # 90 days on, the old actions no longer make a repeat offender; they stay on the record
    worked.clock.advance(days=91)
    jo = worked.sign_in(worked.operator)
    later = d.moderation.author_record(jo, record.author_id)
    assert (later.against, later.recent, later.repeat_offender) == (3, 0, False)


@pytest.fixture
def installed_connector(tmp_path: Path, worked: Staffed) -> Iterator[Desk]:
    """Install the reference connector through a test-only entry point (a dist-info on the path)."""
    info = tmp_path / "site" / "desk_reference_connector-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: desk-reference-connector\nVersion: 1.0\n"
    )
    (info / "entry_points.txt").write_text(
        "[desk.connectors]\nreference = tests.services.reference_connector:ReferenceConnector\n"
    )
    sys.path.insert(0, str(info.parent))
    worked.desk.moderation.connectors.rediscover()
    reference_connector.APPLIED.clear()
    yield worked.desk
    sys.path.remove(str(info.parent))
    worked.desk.moderation.connectors.rediscover()


def test_an_installed_connector_applies_what_it_supports_on_its_platform(
    installed_connector: Desk, worked: Staffed, jo: str
) -> None:
    d = installed_connector
    x_case, fb_case = claimed(worked, jo, "1", "5")
    assert d.moderation.connector_for(jo, x_case, HIDE) == "reference-x"
    assert d.moderation.connector_for(jo, x_case, ModerationKind.BLOCK) is None
    assert d.moderation.connector_for(jo, fb_case, HIDE) is None

    done = d.moderation.act(jo, x_case, HIDE, "CG-1", "Abuse")
    assert (done.applied_via, done.manual) == ("reference-x", False)
    (sent,) = reference_connector.APPLIED
    assert (sent.item_platform_id, sent.author_handle, sent.guideline_code) == (
        "1",
        "@troll",
        "CG-1",
    )
    assert timeline(d, x_case)[-1].endswith("applied through reference-x")
    # not supported, or another platform: manual
    assert d.moderation.act(jo, x_case, ModerationKind.BLOCK, "CG-1", "Blocked").manual
    assert d.moderation.act(jo, fb_case, HIDE, "CG-5", "Spam").manual
    with d.ctx.db.read() as s:
        assert list(
            s.scalars(select(ModerationAction.applied_via).order_by(ModerationAction.id))
        ) == [
            "reference-x",
            "manual",
            "manual",
        ]


def test_without_a_connector_every_action_is_manual_and_a_refusal_is_said(
    worked: Staffed, jo: str
) -> None:
    d = worked.desk
    (case_id,) = claimed(worked, jo, "1")
    assert d.moderation.connector_for(jo, case_id, HIDE) is None
    d.moderation.connectors = ConnectorRegistry([reference_connector.RefusingConnector()])
    done = d.moderation.act(jo, case_id, HIDE, "CG-1", "Abuse")
    assert done.manual
    assert done.message == "The refusing-x connector could not do it (rate limited)."


def test_operators_moderate_but_only_admins_and_comms_keep_the_guidelines(
    worked: Staffed, jo: str
) -> None:
    d = worked.desk
    with pytest.raises(PermissionDenied):
        d.guidelines.add(jo, "CG-9", "Off topic", "We hide posts that are off topic.")
    with pytest.raises(PermissionDenied):
        d.guidelines.retire(jo, "CG-1")
    comms = d.accounts.add_user(
        worked.admin_token, "ccomms", "Cy Comms", Role.COMMUNICATIONS, USER_PASSWORD
    )
    token = worked.sign_in(Person("ccomms", USER_PASSWORD, comms.seed, Role.COMMUNICATIONS))
    added = d.guidelines.add(token, "cg-10", "Off topic", " We hide posts that are off topic. ")
    assert (added.code, added.public_text) == ("CG-10", "We hide posts that are off topic.")
    with pytest.raises(Conflict, match="CG-10 already exists"):
        d.guidelines.add(token, "CG-10", "Again", "Text")
    d.guidelines.edit(token, "CG-10", public_text_cy="Rydym yn cuddio negeseuon oddi ar y pwnc.")
    assert [g.code for g in d.guidelines.list(jo)][-2:] == ["CG-8", "CG-10"]  # in number order
    d.guidelines.retire(token, "CG-10")
    assert "CG-10" not in [g.code for g in d.guidelines.list(jo)]
    assert "CG-10" in [g.code for g in d.guidelines.list(jo, include_retired=True)]
    actions = [e.action for e in d.audit.entries(worked.admin_token, action_prefix="guideline.")]
    assert actions[:3] == ["guideline.retire", "guideline.edit", "guideline.add"]
    # the operator moderates
    (case_id,) = claimed(worked, jo, "1")
    d.moderation.act(jo, case_id, ModerationKind.BLOCK, "CG-1", "Blocked for abuse")
    assert count(d, ModerationAction) == 1
