"""A case carries a version: a change made from a stale view is refused, naming who and when."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from desk.core.cases import Outcome
from desk.core.errors import Conflict
from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from desk.core.roles import Role
from desk.services.case_work import StaleCase
from desk.store.tables import Case
from tests.conftest import Person, Staffed
from tests.services.helpers import item


@pytest.fixture
def one_case(staffed: Staffed) -> tuple[Staffed, int]:
    d, admin = staffed.desk, staffed.admin_token
    staffed.clock.advance(minutes=10)
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.importer.store(admin, [item("1", "Is the road open yet?", author="u1", minutes=1)], "t")
    case_id = d.queue.page(admin, QueueFilter())[0].case_id
    return staffed, case_id


def _version(staffed: Staffed, token: str, case_id: int) -> int:
    version = staffed.desk.queue.detail(token, case_id).version
    assert version is not None
    return version


def _colleague(staffed: Staffed, username: str, role: Role = Role.OPERATOR) -> str:
    """Add a colleague with ``role``, signed in; return their session token."""
    password = staffed.operator.password
    made = staffed.desk.accounts.add_user(
        staffed.admin_token, username, "A Colleague", role, password
    )
    return staffed.sign_in(Person(username, password, made.seed, role))


def test_every_write_to_a_case_bumps_its_version(one_case: tuple[Staffed, int]) -> None:
    staffed, case_id = one_case
    d, token = staffed.desk, staffed.sign_in(staffed.operator)
    assert _version(staffed, token, case_id) == 1
    d.cases.claim(token, case_id)
    assert _version(staffed, token, case_id) == 2
    d.cases.release(token, case_id)
    assert _version(staffed, token, case_id) == 3
    # a new item from the same author joins the case: a view from before it is stale
    d.importer.store(staffed.admin_token, [item("2", "Hello?", author="u1", minutes=2)], "t2")
    assert _version(staffed, token, case_id) == 4


def test_a_stale_close_is_refused_naming_who_changed_the_case(
    one_case: tuple[Staffed, int],
) -> None:
    staffed, case_id = one_case
    d = staffed.desk
    jo = staffed.sign_in(staffed.operator)
    kim = _colleague(staffed, "kwong", Role.SUPERVISOR)
    d.cases.claim(jo, case_id)
    seen = _version(staffed, kim, case_id)  # the supervisor opens Jo's case...
    staffed.clock.advance(minutes=3)
    d.cases.close(jo, case_id, Outcome.REPLIED)  # ...Jo closes it...
    d.cases.reopen(jo, case_id, "they wrote again")  # ...and re-opens it...
    before = d.audit.entries(staffed.admin_token, limit=1, action_prefix="case.")[0].seq
    with pytest.raises(StaleCase) as refused:  # ...and the supervisor, not looking again, closes
        d.cases.close(kim, case_id, Outcome.NO_ACTION, expected_version=seen)
    message = refused.value.message
    assert message.startswith(f"Case #{case_id} was changed by jsmith at ")
    assert "(re-opened) after you opened it: look again before you act." in message
    assert isinstance(refused.value, Conflict) and refused.value.case_id == case_id
    detail = d.queue.detail(jo, case_id)
    assert detail.row.status != "closed" and detail.row.owner == "jsmith"  # nothing changed
    assert d.audit.entries(staffed.admin_token, limit=1, action_prefix="case.")[0].seq == before


def test_a_current_version_is_accepted_and_a_stale_claim_refused(
    one_case: tuple[Staffed, int],
) -> None:
    staffed, case_id = one_case
    d = staffed.desk
    jo = staffed.sign_in(staffed.operator)
    seen = _version(staffed, jo, case_id)
    d.importer.store(staffed.admin_token, [item("2", "Hello?", author="u1", minutes=2)], "t2")
    with pytest.raises(StaleCase, match=r"changed after you opened it \(new items may have"):
        d.cases.claim(jo, case_id, expected_version=seen)
    assert d.queue.detail(jo, case_id).row.owner is None
    d.cases.claim(jo, case_id, expected_version=_version(staffed, jo, case_id))
    assert d.queue.detail(jo, case_id).row.owner == "jsmith"


def test_a_claim_from_a_stale_view_names_the_owner(one_case: tuple[Staffed, int]) -> None:
    staffed, case_id = one_case
    d = staffed.desk
    jo = staffed.sign_in(staffed.operator)
    sam = _colleague(staffed, "sbrown")
    seen = _version(staffed, sam, case_id)
    d.cases.claim(jo, case_id)
    with pytest.raises(Conflict, match="already owned by jsmith"):
        d.cases.claim(sam, case_id, expected_version=seen)


def test_a_row_changed_under_a_unit_of_work_refuses_it_whole(
    one_case: tuple[Staffed, int],
) -> None:
    """What PostgreSQL does when two workstations write one case at once (no file lock)."""
    staffed, case_id = one_case
    db = staffed.desk.ctx.db

    def write_over_a_change() -> None:
        with db.write() as s:
            case = s.get(Case, case_id)
            assert case is not None
            # another writer's committed change, as the row now stands
            s.execute(
                update(Case)
                .where(Case.id == case_id)
                .values(version=Case.version + 1)
                .execution_options(synchronize_session=False)
            )
            case.notable = "mine"

    with pytest.raises(Conflict, match="Someone else changed this at the same moment"):
        write_over_a_change()
    with db.read() as s:
        assert s.scalar(select(Case.notable).where(Case.id == case_id)) == ""
