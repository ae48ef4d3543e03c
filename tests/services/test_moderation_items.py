"""Moderation knows the item: what applies to its kind, platform and state, the guideline its
risk suggests, and that only the case's owner may open a moderation dialog on it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desk.core.errors import Conflict
from desk.core.items import ItemKind, Platform
from desk.core.moderation import AuthorState, ItemState, ModerationKind
from desk.core.roles import Role
from desk.store.tables import ModerationAction
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services.helpers import item
from tests.services.test_moderation import case_of

K = ModerationKind
HATE = "Send them all back where they came from, vermin"


@pytest.fixture
def mixed(staffed: Staffed) -> Staffed:
    """A Facebook direct message and comment, and an X reply; two of them hateful."""
    d, admin = staffed.desk, staffed.admin_token
    staffed.clock.advance(minutes=10)
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.official_accounts.add(admin, Platform.FACEBOOK, "Exampleshire Police")
    fb, page = Platform.FACEBOOK, "Exampleshire Police"
    d.importer.store(
        admin,
        [
            item("dm", HATE, author="f1", handle="Dee", platform=fb, account=page,
                 kind=ItemKind.DIRECT_MESSAGE),
            item("c", "You lot are useless idiots", author="f2", handle="Cal", minutes=1,
                 platform=fb, account=page, kind=ItemKind.COMMENT),
            item("x", HATE, author="t1", handle="@troll", minutes=2),
        ],
        "test",
    )  # fmt: skip
    return staffed


def actions(staffed: Staffed) -> int:
    with staffed.desk.ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(ModerationAction)) or 0


def test_delete_on_a_direct_message_is_refused_and_the_dialog_learns_the_item_kind(
    mixed: Staffed,
) -> None:
    d, jo = mixed.desk, mixed.sign_in(mixed.operator)
    dm = case_of(d, "dm")
    d.cases.claim(jo, dm)
    with pytest.raises(Conflict, match="A direct message cannot be deleted: it is not public"):
        d.moderation.prepare(jo, dm, K.DELETE)
    with pytest.raises(Conflict, match="A direct message cannot be hidden"):
        d.moderation.act(jo, dm, K.HIDE, "CG-2", "Hidden")
    assert actions(mixed) == 0
    plan = d.moderation.prepare(jo, dm, K.BLOCK)
    assert plan.options.item_kind is ItemKind.DIRECT_MESSAGE
    assert plan.options.item_noun == "direct message"
    assert plan.options.applicable == (K.BLOCK, K.RESTRICT, K.REPORT)
    assert plan.has_link and plan.connector is None
    assert [g.code for g in plan.guidelines][:2] == ["CG-1", "CG-2"]


def test_the_default_guideline_follows_the_matched_risk(mixed: Staffed) -> None:
    d, jo = mixed.desk, mixed.sign_in(mixed.operator)
    dm, comment, x = (case_of(d, pid) for pid in ("dm", "c", "x"))
    for case_id in (dm, comment, x):
        d.cases.claim(jo, case_id)
    assert d.moderation.prepare(jo, x, K.HIDE).default_guideline == "CG-2"  # hate
    assert d.moderation.prepare(jo, dm, K.REPORT).default_guideline == "CG-2"
    assert d.moderation.prepare(jo, comment, K.HIDE).default_guideline == "CG-1"  # officer abuse
    # a retired guideline is not suggested
    d.guidelines.retire(mixed.admin_token, "CG-2")
    assert d.moderation.prepare(jo, x, K.HIDE).default_guideline is None


def test_only_the_owner_may_open_a_moderation_dialog(mixed: Staffed) -> None:
    d, admin = mixed.desk, mixed.admin_token
    jo = mixed.sign_in(mixed.operator)
    other = d.accounts.add_user(admin, "kpatel", "Kim Patel", Role.OPERATOR, USER_PASSWORD)
    kim = mixed.sign_in(Person("kpatel", USER_PASSWORD, other.seed, Role.OPERATOR))
    comment = case_of(d, "c")
    with pytest.raises(Conflict, match=f"Claim case #{comment} before moderating it"):
        d.moderation.prepare(jo, comment, K.HIDE)
    d.cases.claim(jo, comment)
    with pytest.raises(Conflict, match=f"Case #{comment} is owned by jsmith"):
        d.moderation.prepare(kim, comment, K.HIDE)
    seen = d.moderation.options(kim, comment)  # the window may still show why
    assert seen.case_refusal == f"Case #{comment} is owned by jsmith."
    assert seen.why_not(K.HIDE) == seen.case_refusal
    assert d.moderation.prepare(jo, comment, K.HIDE).kind is K.HIDE


def test_the_platform_decides_too(mixed: Staffed) -> None:
    d, jo = mixed.desk, mixed.sign_in(mixed.operator)
    x = case_of(d, "x")
    d.cases.claim(jo, x)
    with pytest.raises(Conflict, match="On X the force's account cannot delete a reply"):
        d.moderation.prepare(jo, x, K.DELETE)
    assert d.moderation.options(jo, x).applicable == (K.HIDE, K.BLOCK, K.REPORT)


def test_an_action_that_does_not_fit_the_items_state_is_refused(mixed: Staffed) -> None:
    d, jo = mixed.desk, mixed.sign_in(mixed.operator)
    comment = case_of(d, "c")
    d.cases.claim(jo, comment)
    # never hidden: nothing to unhide, and nothing goes on the author's record
    with pytest.raises(Conflict, match="This comment is not hidden: there is nothing to unhide"):
        d.moderation.act(jo, comment, K.UNHIDE, "CG-1", "")
    with pytest.raises(Conflict, match="not hidden"):
        d.moderation.prepare(jo, comment, K.UNHIDE)
    assert actions(mixed) == 0
    assert d.moderation.author_record_for_case(jo, comment).actions == ()

    d.moderation.act(jo, comment, K.HIDE, "CG-1", "Hidden: abuse")
    with pytest.raises(Conflict, match="This comment is already hidden"):
        d.moderation.act(jo, comment, K.HIDE, "CG-1", "Hidden again")
    assert d.moderation.options(jo, comment).item_state is ItemState.HIDDEN
    d.moderation.act(jo, comment, K.UNHIDE, "CG-1", "")  # on appeal
    d.moderation.act(jo, comment, K.DELETE, "CG-1", "Removed: abuse")
    opts = d.moderation.options(jo, comment)
    assert opts.item_state is ItemState.DELETED
    assert opts.applicable == (K.BLOCK, K.RESTRICT, K.REPORT)
    with pytest.raises(Conflict, match="This comment was deleted: it cannot be hidden any more"):
        d.moderation.act(jo, comment, K.HIDE, "CG-1", "x")

    d.moderation.act(jo, comment, K.BLOCK, "CG-1", "Blocked")
    assert d.moderation.options(jo, comment).author_state is AuthorState.BLOCKED
    with pytest.raises(Conflict, match="already blocked"):
        d.moderation.prepare(jo, comment, K.BLOCK)
    record = d.moderation.author_record_for_case(jo, comment)
    assert record.against == 3  # hide, delete, block: the unhide does not count
    assert [a.kind for a in record.counted] == ["block", "delete", "hide"]
