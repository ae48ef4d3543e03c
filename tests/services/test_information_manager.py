"""The information manager: retention, holds, subject access, evidence and the audit, checked in
the services; never working, answering or importing a case."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from desk.core.cases import Outcome
from desk.core.errors import PermissionDenied
from desk.core.items import Platform
from desk.core.retention import RecordClass
from desk.core.roles import Action, Role, may, parse_role
from desk.store.tables import Case, Item
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services.helpers import item


@pytest.fixture
def manager(staffed: Staffed) -> Person:
    """Ines, the force's information manager."""
    made = staffed.desk.accounts.add_user(
        staffed.admin_token, "ines", "Ines Info", Role.INFORMATION_MANAGER, USER_PASSWORD
    )
    return Person("ines", USER_PASSWORD, made.seed, Role.INFORMATION_MANAGER)


@pytest.fixture
def worked(staffed: Staffed) -> tuple[int, int]:
    """Two cases: one closed with no action (due for deletion after 90 days), one left open."""
    d = staffed.desk
    d.official_accounts.add(staffed.admin_token, Platform.X, "@ExampleshirePolice", "Police")
    d.importer.store(
        staffed.admin_token,
        [
            item("1", "Nothing to see", author="q1", handle="@quiet", thread="p1"),
            item("2", "Where is the station?", author="r1", handle="@resident", thread="p2"),
        ],
        "test",
    )
    with d.ctx.db.read() as s:
        quiet, still_open = (
            s.scalar(select(Item.case_id).where(Item.platform_id == p)) for p in ("1", "2")
        )
    assert quiet is not None and still_open is not None
    jo = staffed.sign_in(staffed.operator)
    d.cases.claim(jo, quiet)
    d.cases.close(jo, quiet, Outcome.NO_ACTION)
    return quiet, still_open


def test_the_role_is_named_as_people_type_it() -> None:
    assert parse_role("Information manager") is Role.INFORMATION_MANAGER
    assert parse_role("information-manager") is Role.INFORMATION_MANAGER
    assert not may(Role.INFORMATION_MANAGER, Action.WORK_CASES)
    assert may(Role.INFORMATION_MANAGER, Action.VIEW_QUEUE)  # to read what a bundle covers


def test_an_information_manager_runs_a_retention_review(
    staffed: Staffed, manager: Person, worked: tuple[int, int]
) -> None:
    quiet, still_open = worked
    staffed.clock.advance(days=91)
    ines = staffed.sign_in(manager)
    d = staffed.desk
    due = d.retention.due(ines)
    assert due.of(RecordClass.UNACTIONED).ids == (quiet,)
    batch = d.retention.approve(ines, due)
    assert batch.approved_by == "ines"
    d.retention.run(ines)
    hold = d.retention.add_hold(ines, "case", still_open, "IOPC request 2026/7")
    assert [h.id for h in d.retention.holds(ines)] == [hold.id]
    with d.ctx.db.read() as s:
        assert s.get(Case, quiet) is None
    assert d.audit.entries(ines, 5, "retention.run")  # and reads the audit log


def test_an_information_manager_keeps_the_register_and_exports_an_author(
    staffed: Staffed, manager: Person, worked: tuple[int, int], tmp_path: Path
) -> None:
    _quiet, still_open = worked
    ines = staffed.sign_in(manager)
    d = staffed.desk
    request = d.subject_access.add(
        ines, "Pat Resident", "uk_gdpr", date(2026, 11, 20), subject="x:@resident"
    )
    assert [r.id for r in d.subject_access.list(ines)] == [request.id]
    export = d.author_export.export(ines, "x:@resident", reviewed=True, request_id=request.id)
    assert "Where is the station?" in export.json_text()
    bundle = d.evidence.export(ines, still_open, tmp_path / "bundle")
    assert (bundle.folder / "manifest.json").exists()


def test_an_information_manager_may_not_claim_reply_or_import(
    staffed: Staffed, manager: Person, worked: tuple[int, int]
) -> None:
    _quiet, still_open = worked
    ines = staffed.sign_in(manager)
    d = staffed.desk
    assert d.queue.detail(ines, still_open).row.case_id == still_open  # reads the case
    with pytest.raises(PermissionDenied, match="information manager role may not work cases"):
        d.cases.claim(ines, still_open)
    with pytest.raises(PermissionDenied, match="may not work cases"):
        d.replies.reply(ines, still_open, "Hello from records")
    with pytest.raises(PermissionDenied, match="may not import items"):
        d.importer.store(ines, [item("9", "x", author="z", handle="@z", thread="p9")], "t")
    with pytest.raises(PermissionDenied, match="may not change settings"):
        d.settings.set(ines, "retention_rules", "unactioned=30d delete")
    with d.ctx.db.read() as s:
        case = s.get(Case, still_open)
        assert case is not None and case.owner_id is None
    assert d.replies.for_case(staffed.admin_token, still_open) == []


def test_an_operator_is_refused_the_register(staffed: Staffed) -> None:
    jo = staffed.sign_in(staffed.operator)
    with pytest.raises(PermissionDenied, match="operator role may not manage subject access"):
        staffed.desk.subject_access.list(jo)
    with pytest.raises(PermissionDenied):
        staffed.desk.author_export.export(jo, "x:@resident", reviewed=True)
