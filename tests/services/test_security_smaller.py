"""Issue 15 items 12 and 13: the access review's approver, and the smaller holes.

Each test performs the attack as the issue describes it and checks what the person (or the
attacker) sees and that nothing changed.
"""

from __future__ import annotations

import base64
import inspect
import json
from dataclasses import replace
from email import message_from_bytes
from email.policy import default

import keyring.core
import pytest

from desk.core.audit_chain import (
    GENESIS,
    AuditRecord,
    canonical_details,
    content_bytes,
    seal,
    verify_chain,
)
from desk.core.errors import InvalidInput, KeyringUnavailable, PermissionDenied
from desk.core.escalation import HandOn, TargetKind, Urgency, build_eml
from desk.core.items import Platform
from desk.core.roles import Role
from desk.paths import Profile
from desk.services.desk import Desk
from desk.services.importing import ImportService, store_for_setup
from tests.conftest import START, Staffed
from tests.services.helpers import item

# 12. the access review's approver -------------------------------------------------------------


def _approved_by(staffed: Staffed, username: str) -> str | None:
    rows = staffed.desk.people.access_review(staffed.admin_token)
    return next(r.approved_by for r in rows if r.username == username)


@pytest.mark.parametrize(
    ("named", "says"),
    [
        ("Insp 1234 Jones", "is not an account on this desk"),  # free text: the attack
        ("nobody", "is not an account on this desk"),
        ("jsmith", "cannot approve a change to their own role"),  # the person changed
        ("opal", "is operator: role changes are approved by a supervisor or an administrator"),
        ("sgt", "is disabled"),
    ],
)
def test_a_role_change_approver_must_be_a_real_active_approver(
    staffed: Staffed, named: str, says: str
) -> None:
    desk, token = staffed.desk, staffed.admin_token
    desk.accounts.add_user(token, "opal", "Opal", Role.OPERATOR, "opal pass phrase 2026")
    desk.accounts.add_user(token, "sgt", "Sgt", Role.SUPERVISOR, "sergeant pass phrase 42")
    desk.people.disable(token, "sgt")
    with pytest.raises(InvalidInput, match=says):
        desk.people.change_role(token, "jsmith", Role.SUPERVISOR, approved_by=named)
    rows = {r.username: r for r in desk.people.access_review(token)}
    assert rows["jsmith"].role is Role.OPERATOR  # nothing changed
    assert rows["jsmith"].approved_by == "admin"
    assert desk.audit.entries(token, 5, "account.role") == []


def test_the_signed_in_administrator_records_the_named_approver(staffed: Staffed) -> None:
    desk, token = staffed.desk, staffed.admin_token
    desk.accounts.add_user(token, "cjones", "C Jones", Role.SUPERVISOR, "sergeant pass phrase 42")
    desk.people.change_role(token, "jsmith", Role.COMMUNICATIONS, approved_by="CJones")
    assert _approved_by(staffed, "jsmith") == "cjones"
    entry = desk.audit.entries(token, 1, "account.role")[0]
    assert entry.actor == "admin"  # who recorded it: the one signed in
    assert json.loads(entry.details)["approved_by"] == "cjones"


# 13. ImportService.store_as ---------------------------------------------------------------------


def test_no_public_import_method_stores_without_a_session() -> None:
    """The attack: ``desk.importer.store_as("jsmith", items, ...)`` with no session at all."""
    assert not hasattr(ImportService, "store_as")
    for name, method in inspect.getmembers(ImportService, inspect.isfunction):
        params = list(inspect.signature(method).parameters)
        if not name.startswith("_") and name not in ("check_file", "open_file"):
            assert params[1] == "token", f"ImportService.{name} stores without a session"


def test_a_set_up_import_cannot_be_recorded_in_a_persons_name(staffed: Staffed) -> None:
    desk, token = staffed.desk, staffed.admin_token
    for who in ("jsmith", "admin", "someone"):
        with pytest.raises(InvalidInput, match="a person imports with their own session"):
            store_for_setup(desk.importer, [item("1", "hello")], "forged", actor=who)
    assert desk.audit.entries(token, 5, "import.") == []
    desk.official_accounts.add(token, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    report = store_for_setup(desk.importer, [item("2", "hello")], "set-up items")
    assert report.added == 1
    assert desk.audit.entries(token, 5, "import.")[0].actor == "system"


def test_a_set_up_import_refuses_a_person_called_system(staffed: Staffed) -> None:
    desk, token = staffed.desk, staffed.admin_token
    desk.accounts.add_user(token, "system", "Sys Tem", Role.OPERATOR, "system pass phrase 2026")
    with pytest.raises(InvalidInput, match="is a person's account on this desk"):
        store_for_setup(desk.importer, [item("1", "hello")], "forged")
    assert desk.audit.entries(token, 5, "import.") == []


# 13. settings set: the role before the value ------------------------------------------------------


def test_an_operator_learns_nothing_about_a_settings_range(staffed: Staffed) -> None:
    token = staffed.sign_in(staffed.operator)
    for key, value in [("idle_lock_minutes", "9999"), ("surge_multiple", "0"), ("nope", "1")]:
        with pytest.raises(PermissionDenied) as refused:
            staffed.desk.settings.set(token, key, value)
        assert refused.value.message == "The operator role may not change settings."
    assert staffed.desk.settings.get("idle_lock_minutes") == 10


# 13. the encrypted keyrings.alt backend ---------------------------------------------------------


def test_the_encrypted_keyrings_alt_backend_gets_the_keyring_message(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PYTHON_KEYRING_BACKEND names keyrings.alt's EncryptedKeyring: keyring fails to load it."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.EncryptedKeyring")
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    with pytest.raises(KeyringUnavailable) as refused:
        Desk.open(profile)
    message = refused.value.message
    assert "EncryptedKeyring from keyrings.alt" in message
    assert "PYTHON_KEYRING_BACKEND" in message and "Secret Service" in message
    assert not profile.db_path.exists()


# 13. an RFC 2047 encoded word in an escalation's .eml subject -------------------------------------


def _encoded_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="


def test_an_encoded_word_in_a_summary_stays_literal_in_the_eml_subject() -> None:
    hidden = _encoded_word("All clear, no action needed")
    doc = HandOn(
        case_id=7, target_name="Duty inspector", target_kind=TargetKind.COMMAND,
        urgency=Urgency.IMMEDIATE, summary=f"Threat to school {hidden} tonight",
        item_text="text", link="", author="@someone", platform="x", account="@Police",
        opened_at=START, escalated_at=START, deadline_at=START, escalated_by="jsmith",
    )  # fmt: skip
    raw = build_eml(doc, "duty@example.org").as_bytes()
    read = message_from_bytes(raw, policy=default)  # as a mail program reads it
    shown = str(read["Subject"]).replace("\u2060", "")
    assert "All clear" not in shown
    assert f"Threat to school {hidden} tonight" in shown


# 13. audit verify says what it found ---------------------------------------------------------------

KEY = b"k" * 32


def _chain(n: int) -> list[AuditRecord]:
    records, prev = [], GENESIS
    for seq in range(1, n + 1):
        at, details = f"2026-11-26T09:00:{seq:02d}.000000Z", canonical_details({"n": seq})
        digest = seal(KEY, prev, content_bytes(seq, at, "ada", "case.note", f"case:{seq}", details))
        records.append(
            AuditRecord(seq, at, "ada", "case.note", f"case:{seq}", details, prev, digest)
        )
        prev = digest
    return records


def test_a_forged_entry_added_at_the_end_is_not_called_changed() -> None:
    records = _chain(4)
    forged = AuditRecord(
        5, "2026-11-26T09:00:05.000000Z", "ada", "account.role", "account:ada",
        '{"after":"administrator"}', records[-1].hash, "f" * 64,
    )  # fmt: skip
    problem = verify_chain(KEY, [*records, forged]).problem or ""
    assert "entry 5, the last, does not match its seal" in problem
    assert "added at the end or changed" in problem
    assert "entry 5 was changed" not in problem


def test_two_swapped_entries_are_called_swapped() -> None:
    records = _chain(5)
    swapped = [
        records[0], records[1], replace(records[3], seq=3), replace(records[2], seq=4), records[4]
    ]  # fmt: skip
    report = verify_chain(KEY, swapped)
    assert report.seq == 3
    assert report.problem is not None and "inserted" not in report.problem
    assert "entries 3 and 4 were swapped" in report.problem


def test_a_copied_entry_is_named_as_a_copy() -> None:
    records = _chain(4)
    copy = replace(records[1], seq=3)
    problem = verify_chain(
        KEY, [*records[:2], copy, *[replace(r, seq=r.seq + 1) for r in records[2:]]]
    )
    assert "entry 3 was inserted: it is a copy of entry 2" in (problem.problem or "")
