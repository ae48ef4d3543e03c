"""A supervisor sees who a case can be given to: active people who work cases."""

from __future__ import annotations

import pytest

from desk.core.errors import PermissionDenied
from desk.core.roles import Role
from tests.conftest import Person, Staffed, next_code


def test_a_supervisor_lists_active_people_who_work_cases(staffed: Staffed) -> None:
    d, admin = staffed.desk, staffed.admin_token
    sup = d.accounts.add_user(admin, "sgt", "Sgt Evans", Role.SUPERVISOR, "a long pass phrase 99")
    d.accounts.add_user(admin, "comms", "Comms Team", Role.COMMUNICATIONS, "a long pass phrase 98")
    d.accounts.add_user(admin, "gone", "Gone Person", Role.OPERATOR, "a long pass phrase 97")
    d.accounts.disable(admin, "gone")
    person = Person("sgt", "a long pass phrase 99", sup.seed, Role.SUPERVISOR)
    token = d.signin.sign_in(
        person.username, person.password, next_code(person.seed, staffed.clock)
    ).token
    people = d.cases.assignable(token)
    assert [p[0] for p in people] == ["comms", "jsmith", "sgt"]  # not the admin, not "gone"
    assert ("jsmith", "Jo Smith", ("en",)) in people


def test_an_operator_may_not_list_them(staffed: Staffed) -> None:
    token = staffed.sign_in(staffed.operator)
    with pytest.raises(PermissionDenied):
        staffed.desk.cases.assignable(token)
