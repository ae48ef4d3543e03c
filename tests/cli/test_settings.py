"""``desk-admin settings ...``."""

from __future__ import annotations

import json
import re

from tests.cli.conftest import Cli
from tests.conftest import Staffed


def test_anyone_signed_in_can_list_settings(cli: Cli, staffed: Staffed) -> None:
    listed = cli.signed(staffed.operator, "settings", "list")
    assert listed.status == 0, listed.err
    assert re.search(r"^idle_lock_minutes +10 ", listed.out, re.MULTILINE)
    assert re.search(r"^desk_name +Digital desk ", listed.out, re.MULTILINE)
    assert re.search(r"^force_name +\(not set\) ", listed.out, re.MULTILINE)
    assert "The force's name is not set: replies from templates" in listed.err
    as_json = json.loads(cli.signed(staffed.operator, "settings", "list", "--json").out)
    assert as_json == as_json | {
        "idle_lock_minutes": 10,
        "desk_name": "Digital desk",
        "drop_folder": "",
        "response_targets": "P1=15m; P2=1h; P3=4h; P4=24h",
        "join_window_minutes": 120,
        "thrive_grades": "Immediate=15m; Priority=1h; Scheduled=1d; "
        "Resolution without deployment=2d; Appointment=7d",
        "surge_multiple": 3.0,
        "escalation_deadlines": "immediate=15m; hour=1h; today=8h",
        "shift_patterns": "07:00-15:00, 15:00-23:00, 23:00-07:00",
        "qa_samples_per_month": 5,
        "force_name": "",
        "replies_needing_approval": ["operator"],
    }
    assert set(as_json) >= {"force_name", "desk_name", "idle_lock_minutes"}


def test_the_force_name_is_set_once_and_then_no_longer_asked_for(
    cli: Cli, staffed: Staffed
) -> None:
    done = cli.signed(staffed.admin, "settings", "set", "force_name", " Exampleshire  Police ")
    assert done.out == 'Set force_name to "Exampleshire Police" (was "").\n'
    listed = cli.signed(staffed.operator, "settings", "list")
    assert re.search(r"^force_name +Exampleshire Police ", listed.out, re.MULTILINE)
    assert "force's name is not set" not in listed.err
    long = cli.signed(staffed.admin, "settings", "set", "force_name", "x" * 81)
    assert long.status == 2 and "at most 80 characters" in long.err


def test_an_admin_changes_a_setting_and_it_is_audited(cli: Cli, staffed: Staffed) -> None:
    done = cli.signed(staffed.admin, "settings", "set", "idle_lock_minutes", "15")
    assert done.status == 0, done.err
    assert done.out == "Set idle_lock_minutes to 15 (was 10).\n"
    assert staffed.desk.settings.get("idle_lock_minutes") == 15
    named = cli.signed(staffed.admin, "settings", "set", "desk_name", "  Nörth desk ")
    assert named.out == 'Set desk_name to "Nörth desk" (was "Digital desk").\n'
    changes = staffed.desk.audit.entries(staffed.admin_token, action_prefix="setting.")
    assert [c.object for c in changes] == ["setting:desk_name", "setting:idle_lock_minutes"]


def test_an_operator_may_not_change_settings(cli: Cli, staffed: Staffed) -> None:
    done = cli.signed(staffed.operator, "settings", "set", "desk_name", "Mine")
    assert done.status == 2
    assert "The operator role may not change settings." in done.err
    assert staffed.desk.settings.get("desk_name") == "Digital desk"


def test_a_bad_value_is_refused_after_the_role_check_and_a_bad_key_at_once(
    cli: Cli, staffed: Staffed
) -> None:
    # the value is checked only for someone who may change settings (issue 15 item 13)
    bad = cli.signed(staffed.admin, "settings", "set", "idle_lock_minutes", "lots")
    assert bad.status == 2
    assert bad.err == "desk-admin: error: 'lots' is not a whole number of minutes.\n"
    assert staffed.desk.settings.get("idle_lock_minutes") == 10
    code = "123456"  # never checked: an unknown key is a usage error
    args = ("--user", "admin", "--password-stdin", "--code", code, "settings", "set")
    unknown = cli(*args, "colour", "red", stdin=staffed.admin.password + "\n")
    assert unknown.status == 2
    assert "invalid choice: 'colour'" in unknown.err
    failures = staffed.desk.audit.entries(staffed.admin_token, action_prefix="signin.failure")
    assert failures == []
