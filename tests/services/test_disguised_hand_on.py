"""Issue 17: an escalation's hand-on document shows disguising characters as tokens, so text
handed to another team can neither hide words nor be drawn backwards; the item keeps them."""

from __future__ import annotations

from desk.core.escalation import TargetKind, Urgency
from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from tests.conftest import Staffed
from tests.services.helpers import item


def test_hand_on_text_is_neutralised_and_the_item_kept(staffed: Staffed) -> None:
    desk, admin = staffed.desk, staffed.admin_token
    desk.official_accounts.add(admin, Platform.X, "@ExampleshirePolice")
    text = "going to k\u200bill myself, see statement\u202efdp.exe"
    desk.importer.store(admin, [item("h1", text)], "test")
    (row,) = desk.queue.page(admin, QueueFilter())
    doc, _email = desk.escalations.preview(
        admin, row.case_id, TargetKind.COMMAND, Urgency.HOUR, "x"
    )
    assert "k⟦ZWSP⟧ill" in doc.item_text and "statement⟦RLO⟧fdp.exe" in doc.item_text
    assert "\u200b" not in doc.item_text and "\u202e" not in doc.item_text
    assert desk.queue.detail(admin, row.case_id).items[0].text == text
