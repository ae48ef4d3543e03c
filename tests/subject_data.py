"""A desk holding one resident's words worked through every part of Desk (subject access tests).

Pat Resident (@patresident on X) wrote three items in one thread; one names a neighbour
(@kimneighbour, who also wrote) and gives an email address. Jo worked Pat's case: a note, a
THRIVE assessment, a reply, a hide and an escalation. Kim's own case is left open.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from desk.core.escalation import TargetKind, Urgency
from desk.core.items import Platform
from desk.core.moderation import ModerationKind
from desk.core.roles import Role
from desk.store.tables import Item
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services.helpers import item

PAT_HANDLE = "@patresident"
PAT_NAME = "Patresident"  # the helpers make a display name from the handle
KIM_HANDLE = "@kimneighbour"
PAT_TEXTS = (
    "Zebra crossing lights on Quillfield Road broken again",
    "My neighbour @kimneighbour saw it too, mail me at pat.r@example.com",
    "Thanks, the lollipop warden at Quillfield is back",
)
KIM_TEXT = "Agree about Quillfield Road, xylophone noises from the lights"
NOTE = "Spoke to highways about Quillfield Road lights"
REPLY = "Thanks Pat, highways have been told about the crossing lights."
THRIVE = {
    "threat": "Low threat from faulty lights",
    "harm": "Pedestrian harm possible",
    "risk": "Moderate risk at school times",
    "investigation": "None needed",
    "vulnerability": "Children crossing",
    "engagement": "Reply and pass to highways",
    "grade": "scheduled",
}
ESCALATION = "Crossing lights fault reported by resident"
HIDE = "Hidden: personal contact details posted publicly"


@dataclass
class Subject:
    """What the scenario made."""

    staffed: Staffed
    sue: Person
    jo: str
    pat_case: int
    kim_case: int
    pat_items: list[int]
    kim_item: int


def worked_subject(staffed: Staffed) -> Subject:
    """Import Pat's and Kim's items and work Pat's case through every kind of record."""
    d, admin = staffed.desk, staffed.admin_token
    enrol = d.accounts.add_user(admin, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD)
    sue = Person("sgreen", USER_PASSWORD, enrol.seed, Role.SUPERVISOR)
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    staffed.clock.advance(minutes=5)
    d.importer.store(
        admin,
        [
            *(
                item(f"p{n}", text, author="pat1", handle=PAT_HANDLE, minutes=n)
                for n, text in enumerate(PAT_TEXTS)
            ),
            item("k1", KIM_TEXT, author="kim1", handle=KIM_HANDLE, minutes=4),
        ],
        "test",
    )
    with d.ctx.db.read() as s:
        rows = list(s.scalars(select(Item).order_by(Item.id)))
    pat = [r for r in rows if r.platform_id.startswith("p")]
    kim = next(r for r in rows if r.platform_id == "k1")
    case_id = pat[0].case_id
    jo = staffed.sign_in(staffed.operator)
    d.cases.claim(jo, case_id)
    d.cases.add_note(jo, case_id, NOTE)
    d.cases.assess(jo, case_id, THRIVE)
    d.replies.reply(jo, case_id, REPLY)
    d.moderation.act(jo, case_id, ModerationKind.HIDE, "CG-1", HIDE, item_id=pat[1].id)
    d.escalations.escalate(jo, case_id, TargetKind.COMMUNICATIONS, Urgency.TODAY, ESCALATION)
    return Subject(staffed, sue, jo, case_id, kim.case_id, [r.id for r in pat], kim.id)
