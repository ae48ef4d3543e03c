"""The force's name is a setting: exports say who they are from, once it is set."""

from __future__ import annotations

from desk.core.escalation import TargetKind, Urgency
from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from desk.services.settings import desk_heading
from tests.conftest import START, Staffed
from tests.services.helpers import item


def test_exports_name_the_force_once_it_is_set(staffed: Staffed) -> None:
    d, admin = staffed.desk, staffed.admin_token
    staffed.clock.advance(minutes=10)
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.importer.store(admin, [item("1", "What time does the road reopen?", minutes=2)], "test")
    case_id = d.queue.page(admin, QueueFilter())[0].case_id
    assert desk_heading(d.ctx) == "Digital desk"  # not set: the desk alone, no invented force
    d.settings.set(admin, "force_name", "Exampleshire Police")
    assert desk_heading(d.ctx) == "Exampleshire Police · Digital desk"

    doc, _email = d.escalations.preview(admin, case_id, TargetKind.COMMAND, Urgency.HOUR, "x")
    assert doc.desk_name == "Exampleshire Police · Digital desk"
    report = d.handover.for_export(admin, START)
    assert report.desk_name == "Exampleshire Police · Digital desk"
    changes = d.audit.entries(admin, action_prefix="setting.change")
    assert changes[0].object == "setting:force_name"
