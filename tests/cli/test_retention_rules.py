"""``desk-admin retention rules``: the force's periods shown, set by an administrator (audited),
a wrong value refused naming its class; and the information manager added from the command
line, who reviews retention and keeps the register but never works a case."""

from __future__ import annotations

import json
import re

from desk.core.retention import EndAction, RecordClass
from desk.core.roles import Role
from tests.cli.conftest import Cli
from tests.conftest import Person, Staffed

NEW_PASSWORD = "records are kept 2026 only as long as needed"


def test_the_rules_are_shown_with_their_defaults(cli: Cli, staffed: Staffed) -> None:
    shown = cli.signed(staffed.operator, "retention", "rules")
    assert shown.status == 0, shown.err
    assert re.search(r"^unactioned +90d +delete +90d delete +1d$", shown.out, re.MULTILINE)
    assert re.search(r"^moderation +2y +anonymise +2y anonymise +91d$", shown.out, re.MULTILINE)
    assert re.search(r"^audit +7y ", shown.out, re.MULTILINE)
    as_json = json.loads(cli.signed(staffed.operator, "retention", "rules", "--json").out)
    assert as_json["handovers"] == {
        "days": 730,
        "period": "2y",
        "action": "delete",
        "default": "2y delete",
        "minimum_days": 1,
        "actions": ["delete"],
        "runs": True,
    }


def test_an_administrator_sets_periods_in_one_audited_change(cli: Cli, staffed: Staffed) -> None:
    done = cli.signed(staffed.admin, "retention", "rules", "--set", "unactioned=30",
                      "--set", "escalated=7y:anonymise", "--set", "replies=6m:delete")  # fmt: skip
    assert done.status == 0, done.err
    assert done.out.splitlines() == [
        "Set unactioned to 30d delete (was 90d delete).",
        "Set escalated to 7y anonymise (was 6y anonymise).",
        "Set replies to 180d delete (was 2y anonymise).",
    ]
    rules = staffed.desk.retention.rules()
    assert rules[RecordClass.UNACTIONED].days == 30
    assert rules[RecordClass.REPLIES].action is EndAction.DELETE
    assert rules[RecordClass.ACTIONED].days == 2 * 365  # not named: unchanged
    changes = staffed.desk.audit.entries(staffed.admin_token, 10, "setting.change")
    assert [c.object for c in changes] == ["setting:retention_rules"]


def test_a_wrong_value_names_its_class_and_changes_nothing(cli: Cli, staffed: Staffed) -> None:
    before = staffed.desk.retention.rules()
    for change, said in [
        ("moderation=30d", "moderation must be kept at least 91d"),
        ("backups=1y:anonymise", "backups can only be deleted"),
        ("replies=soon", "replies: 'soon' is not a period"),
        ("replies=200y", "replies: '200y' is outside 1 day to 100 years"),
        ("emails=1y", "Unknown record class 'emails'"),
        ("signins=1y:shred", "Unknown end action 'shred' for signins"),
    ]:
        bad = cli.signed(staffed.admin, "retention", "rules", "--set", change)
        assert bad.status == 2, change
        assert said in bad.err, bad.err
    assert staffed.desk.retention.rules() == before
    assert staffed.desk.audit.entries(staffed.admin_token, 10, "setting.change") == []


def test_only_an_administrator_sets_them(cli: Cli, staffed: Staffed) -> None:
    refused = cli.signed(staffed.operator, "retention", "rules", "--set", "unactioned=30d")
    assert refused.status == 2
    assert "The operator role may not change settings." in refused.err
    assert staffed.desk.retention.rules()[RecordClass.UNACTIONED].days == 90


def test_an_information_manager_is_added_and_does_records_work_only(
    cli: Cli, staffed: Staffed
) -> None:
    added = cli.signed(staffed.admin, "user", "add", "ines", "--role", "information manager",
                       "--display-name", "Ines Info", more=(NEW_PASSWORD,))  # fmt: skip
    assert added.status == 0, added.err
    assert "Added ines as information_manager." in added.out
    ines = Person("ines", NEW_PASSWORD, added.seed, Role.INFORMATION_MANAGER)
    due = cli.signed(ines, "retention", "due")
    assert due.status == 0, due.err
    register = cli.signed(ines, "sar", "list")
    assert register.status == 0, register.err
    claim = cli.signed(ines, "case", "claim", "1")
    assert claim.status == 2
    assert "The information manager role may not work cases." in claim.err
    listed = json.loads(cli.signed(staffed.admin, "user", "list", "--json").out)
    assert {"username": "ines", "role": "information_manager"}.items() <= next(
        u for u in listed if u["username"] == "ines"
    ).items()
