"""The continuity pack and the open cases export: contents, marking, access, audit, CSV safety."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from desk.core.errors import InvalidInput, PermissionDenied
from desk.core.items import Platform
from desk.core.roles import Role
from desk.store.tables import AuditEntry
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services.helpers import item


def _person(staffed: Staffed, name: str, role: Role) -> str:
    enrol = staffed.desk.accounts.add_user(
        staffed.admin_token, name, name.title(), role, USER_PASSWORD
    )
    return staffed.sign_in(Person(name, USER_PASSWORD, enrol.seed, role))


@pytest.fixture
def working(staffed: Staffed) -> Staffed:
    """Two open cases on X (one a formula-looking message), one closed; the force is named."""
    d, token = staffed.desk, staffed.admin_token
    d.settings.set(token, "force_name", "Exampleshire Police")
    d.settings.set(token, "continuity_contacts", "IT service desk=0300 000 0000")
    d.official_accounts.add(token, Platform.X, "@ExampleshirePolice")
    d.importer.store(
        token,
        [
            item("x1", "I want to end it all tonight", author="a1", handle="@sad", thread=None),
            item("x2", '=HYPERLINK("http://evil")', author="a2", handle="@trick", thread=None),
        ],
        "test",
    )
    return staffed


def _audit(staffed: Staffed, action: str) -> list[AuditEntry]:
    with staffed.desk.ctx.db.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_supervisors_pack_holds_every_section_dated_and_marked(working: Staffed) -> None:
    d = working.desk
    sup = _person(working, "sgreen", Role.SUPERVISOR)
    op = working.sign_in(working.operator)
    d.outages.start(op, "facebook", actions="Holding statement posted on X")
    doc = d.continuity.pack(sup)
    html = doc.html
    assert doc.includes_cases and doc.marking == "OFFICIAL-SENSITIVE"
    assert html.count("OFFICIAL-SENSITIVE") == 2  # head and foot of the document
    for heading in (
        "Outages now",
        "Where to send people instead (channel shift)",
        "Escalation and continuity contacts",
        "Holding statements",
        "Official accounts (the public list)",
        "Open cases",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert html.count("As at Thu 26 Nov 2026") == 6  # every section dated
    assert "Call 101" in html and "Call 999 now" in html  # channel shift defaults
    assert "IT service desk" in html and "0300 000 0000" in html
    assert "Safeguarding" in html  # escalation targets shipped with Desk
    assert "Holding statement: messages may not reach us" in html
    assert "– Exampleshire Police" in html  # {force} filled in
    assert "@ExampleshirePolice" in html
    assert "Facebook: since" in html and "Holding statement posted on X" in html
    assert "DD-000001" in html and "@sad" in html and "I want to end it all tonight" in html
    assert "unclaimed" in html
    (entry,) = _audit(working, "continuity.pack")
    assert entry.actor == "sgreen" and json.loads(entry.details)["open_cases"] == 2


def test_an_operators_pack_leaves_the_open_cases_out_and_says_why(working: Staffed) -> None:
    d = working.desk
    op = working.sign_in(working.operator)
    doc = d.continuity.pack(op)
    assert not doc.includes_cases
    assert "@sad" not in doc.html and "end it all" not in doc.html
    assert "Not included: the open cases are personal data" in doc.html
    assert "(your role: operator)" in doc.html
    with pytest.raises(PermissionDenied, match="may not print the open cases"):
        d.continuity.pack(op, with_cases=True)
    (entry,) = _audit(working, "continuity.pack")
    assert json.loads(entry.details)["open_cases"] is None
    assert not d.continuity.may_include_cases(op)


def test_open_cases_csv_is_marked_formula_safe_and_audited(working: Staffed) -> None:
    d = working.desk
    im = _person(working, "imgr", Role.INFORMATION_MANAGER)
    export = d.continuity.open_cases(im, "csv")
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0] == ["OFFICIAL-SENSITIVE"] and rows[-1] == ["OFFICIAL-SENSITIVE"]
    assert rows[1][0] == "Case" and rows[1][-1] == "Excerpt"
    cells = [c for row in rows for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert '\'=HYPERLINK("http://evil")' in cells
    assert "'@trick" in cells  # a handle starting with @ is quoted too
    assert len(rows) == 2 + 2 + 1 - 1 + 1  # marking, header, 2 cases, marking
    (entry,) = _audit(working, "continuity.open_cases")
    assert json.loads(entry.details) == {"format": "csv", "open_cases": 2}


def test_open_cases_are_refused_to_an_operator_and_a_bad_format_is_named(
    working: Staffed,
) -> None:
    d = working.desk
    op = working.sign_in(working.operator)
    with pytest.raises(PermissionDenied):
        d.continuity.open_cases(op, "csv")
    with pytest.raises(InvalidInput, match="Unknown format 'xls': use csv or pdf"):
        d.continuity.open_cases(working.admin_token, "xls")
    assert _audit(working, "continuity.open_cases") == []


def test_open_cases_pdf_html_has_only_the_cases(working: Staffed) -> None:
    export = working.desk.continuity.open_cases(working.admin_token, "pdf")
    assert "<h2>Open cases</h2>" in export.text and "DD-000002" in export.text
    assert "Holding statements" not in export.text
    # the PDF writer marks the head and foot of every page: the document itself does not
    # (tests/services/test_continuity_pdf.py reads the pages)
    assert "OFFICIAL-SENSITIVE" not in export.text


def test_channel_shift_setting_is_checked_and_audited(staffed: Staffed) -> None:
    d, token = staffed.desk, staffed.admin_token
    with pytest.raises(InvalidInput, match="should look like 'Non-emergency=Call 101'"):
        d.settings.set(token, "channel_shift", "Call 101")
    saved = d.settings.set(token, "channel_shift", "Non-emergency = Call  101 ;\nOnline=website")
    assert saved == "Non-emergency=Call 101; Online=website"
    entries = _audit(staffed, "setting.change")
    assert entries[-1].object == "setting:channel_shift"
    assert "Online=website" in staffed.desk.continuity.pack(token).html.replace("</td><td>", "=")
