"""The template library, replies, reply approval and the no-cold-contact rule."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from desk.core.errors import Conflict, InvalidInput, PermissionDenied
from desk.core.items import ItemKind, Platform
from desk.core.queue_filter import QueueFilter
from desk.core.roles import Role
from desk.core.templates import TemplateKind, TemplateStatus
from desk.services.desk import Desk
from desk.store.tables import AuditEntry, Reply
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services.helpers import item

WELSH = "Diolch {author}: mae'r ŵyl â'r tŷ ŷd ar agor. Cyfeirnod {reference}."


@dataclass
class Replying:
    """A staffed desk with two official accounts, cases, and people in every role."""

    staffed: Staffed
    desk: Desk
    jo: str  # operator
    sue: str  # supervisor
    cat: str  # communications
    admin: str

    def case_of(self, summary_start: str) -> int:
        rows = self.desk.queue.page(self.admin, QueueFilter())
        return next(r.case_id for r in rows if r.summary.startswith(summary_start))


@pytest.fixture
def replying(staffed: Staffed) -> Replying:
    d, admin = staffed.desk, staffed.admin_token
    d.settings.set(admin, "force_name", "Exampleshire Police")
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.official_accounts.add(
        admin, Platform.FACEBOOK, "Exampleshire Police", "Exampleshire Police", False
    )
    d.official_accounts.add(admin, Platform.X, "@ExampleshireRoads", "Exampleshire Roads")
    d.importer.store(
        admin,
        [
            item("1", "What time does the road reopen?", author="u1", handle="@gus", minutes=1),
            item(
                "2",
                "Pryd mae'r ffordd yn agor eto? Diolch yn fawr iawn",
                author="u2",
                handle="@ffion_w",
                minutes=2,
            ),
            item(
                "3",
                "Lovely community event",
                author="u3",
                handle="Ian Moss",
                minutes=3,
                platform=Platform.FACEBOOK,
                account="Exampleshire Police",
                kind=ItemKind.COMMENT,
            ),
            item(
                "4",
                "Is the A30 shut?",
                author="u9",
                handle="@dora",
                minutes=4,
                account="@ExampleshireRoads",
                kind=ItemKind.MENTION,
            ),
        ],
        "test",
    )
    sue = d.accounts.add_user(admin, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD)
    cat = d.accounts.add_user(admin, "cjones", "Cat Jones", Role.COMMUNICATIONS, USER_PASSWORD)
    jo = staffed.sign_in(staffed.operator)
    return Replying(
        staffed,
        d,
        jo,
        staffed.sign_in(Person("sgreen", USER_PASSWORD, sue.seed, Role.SUPERVISOR)),
        staffed.sign_in(Person("cjones", USER_PASSWORD, cat.seed, Role.COMMUNICATIONS)),
        admin,
    )


def _claimed(r: Replying, start: str) -> int:
    case_id = r.case_of(start)
    r.desk.cases.claim(r.jo, case_id)
    return case_id


def test_the_default_library_is_installed_approved_and_in_both_languages(
    replying: Replying,
) -> None:
    shown = replying.desk.templates.list(replying.jo)
    keys = {v.key for v in shown}
    assert {"call-999-now", "hide-notice", "complaint-psd", "report-101-online"} <= keys
    assert {v.kind for v in shown} == set(TemplateKind)
    assert all(v.status is TemplateStatus.APPROVED and v.version == 1 for v in shown)
    assert all(v.text_cy.strip() and v.approved_by == "system" for v in shown)
    with replying.desk.ctx.db.write() as s:  # idempotent: nothing is missing now
        assert replying.desk.templates.install_defaults(s, "admin") == 0
    call = next(v for v in shown if v.key == "call-999-now")
    assert call.text_en.startswith("If you or someone else is in immediate danger, call 999 now")


def test_operators_see_only_approved_versions_and_retired_ones_vanish(replying: Replying) -> None:
    d, r = replying.desk, replying
    d.templates.create(
        r.cat, "road-closure", TemplateKind.PUBLIC_REPLY, "Road closure", "Hi {author}."
    )
    assert "road-closure" not in {v.key for v in d.templates.list(r.jo)}  # a draft
    everything = d.templates.list(r.cat, all_versions=True)
    assert ("road-closure", TemplateStatus.DRAFT) in {(v.key, v.status) for v in everything}
    with pytest.raises(PermissionDenied):
        d.templates.approve(r.jo, "road-closure", 1)
    d.templates.approve(r.cat, "road-closure", 1)
    d.templates.new_version(r.cat, "road-closure", "Hi {author}, the road is open again.")
    offered = {v.key: v for v in d.templates.list(r.jo, all_versions=True)}  # operators: no
    assert offered["road-closure"].version == 1
    d.templates.approve(r.sue, "road-closure", 2)
    versions = {
        v.version: v.status for v in d.templates.list(r.sue, all_versions=True)
        if v.key == "road-closure"
    }  # fmt: skip
    assert versions == {1: TemplateStatus.RETIRED, 2: TemplateStatus.APPROVED}
    assert {v.key: v.version for v in d.templates.list(r.jo)}["road-closure"] == 2
    d.templates.retire(r.sue, "road-closure", 2)
    assert "road-closure" not in {v.key for v in d.templates.list(r.jo)}
    case_id = _claimed(r, "What time")
    with pytest.raises(Conflict, match="no approved version"):
        d.templates.render(r.jo, case_id, "road-closure", "en")


def test_unknown_variables_are_refused_when_saving(replying: Replying) -> None:
    with pytest.raises(InvalidInput, match=r"unknown variable \{postcode\}"):
        replying.desk.templates.create(
            replying.cat, "bad", TemplateKind.PUBLIC_REPLY, "Bad", "Hi {author} in {postcode}."
        )
    assert "bad" not in {
        v.key for v in replying.desk.templates.list(replying.cat, all_versions=True)
    }


def test_render_fills_from_the_case_and_names_what_is_missing(replying: Replying) -> None:
    d, r = replying.desk, replying
    case_id = _claimed(r, "Pryd")
    filled = d.templates.render(r.jo, case_id, "public-reply-thanks", "cy")
    assert filled.usable
    assert "@ffion_w" in filled.rendering.text and f"DD-{case_id:06d}" in filled.rendering.text
    assert filled.rendering.text.endswith("– Exampleshire Police")  # the force_name setting
    hide = d.templates.render(r.jo, case_id, "hide-notice", "en")
    assert not hide.usable and hide.rendering.missing == ("rule",)
    chosen = d.templates.render(r.jo, case_id, "hide-notice", "en", rule="CG-1")
    assert chosen.usable
    assert "CG-1 (Abusive or threatening language)" in chosen.rendering.text


def test_without_the_force_name_a_template_that_signs_with_it_cannot_be_used(
    replying: Replying,
) -> None:
    d, r = replying.desk, replying
    case_id = _claimed(r, "Pryd")
    d.settings.set(r.admin, "force_name", "  ")  # cleared: no name at all
    filled = d.templates.render(r.jo, case_id, "call-999-now", "en")
    assert not filled.usable and filled.rendering.missing == ("force",)
    assert filled.rendering.text.endswith("– {force}")  # the preview shows what is missing
    assert "Digital desk" not in filled.rendering.text
    assert filled.problem == (
        "the force's name is not set ({force}): an administrator sets it "
        "(desk-admin settings set force_name NAME)"
    )
    with pytest.raises(InvalidInput, match="not template 'call-999-now' v1's wording"):
        d.replies.reply(r.jo, case_id, filled.rendering.text, template_key="call-999-now")
    d.settings.set(r.admin, "force_name", "Heddlu Enghraifft")
    assert d.templates.render(r.jo, case_id, "call-999-now", "cy").rendering.text.endswith(
        "– Heddlu Enghraifft"
    )


def test_a_template_reply_keeps_its_exact_text_and_version_on_the_case(replying: Replying) -> None:
    d, r = replying.desk, replying
    case_id = _claimed(r, "Pryd")
    filled = d.templates.render(r.jo, case_id, "call-999-now", "cy")
    view = d.replies.reply(
        r.jo, case_id, filled.rendering.text, language="cy", template_key="call-999-now"
    )
    assert view.status == "sent" and view.template_version == 1
    assert view.text == filled.rendering.text
    detail = d.queue.detail(r.jo, case_id)
    assert detail.row.status == "actioned"
    line = detail.timeline[-1]
    assert line.kind == "reply" and "template call-999-now v1" in line.text
    assert filled.rendering.text in line.text
    with d.ctx.db.read() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "case.reply")).all()
        assert json.loads(audit[-1].details)["version"] == 1
    with pytest.raises(InvalidInput, match="free-text reply"):
        d.replies.reply(r.jo, case_id, filled.rendering.text + " Edited.", language="cy",
                        template_key="call-999-now")  # fmt: skip


def test_free_text_replies_by_operators_wait_for_approval(replying: Replying) -> None:
    d, r = replying.desk, replying
    case_id = _claimed(r, "What time")
    view = d.replies.reply(r.jo, case_id, "The road reopens at 6pm, @gus.")
    assert view.status == "pending"
    assert [p.id for p in d.replies.pending(r.sue)] == [view.id]
    with pytest.raises(PermissionDenied):
        d.replies.pending(r.jo)
    with pytest.raises(InvalidInput, match="Say why"):
        d.replies.reject(r.cat, view.id, "")
    approved = d.replies.approve(r.cat, view.id, "Fine")
    assert approved.status == "sent" and approved.decided_by == "cjones"
    assert d.replies.pending(r.sue) == []
    second = d.replies.reply(r.jo, case_id, "Also the bus is diverted.")
    d.replies.reject(r.sue, second.id, "Check the bus company first")
    texts = [e.text for e in d.queue.detail(r.jo, case_id).timeline]
    assert any("approved" in t for t in texts)
    assert any("rejected: Check the bus company first" in t for t in texts)
    with pytest.raises(Conflict, match="not waiting"):
        d.replies.approve(r.sue, second.id)
    # a supervisor's own free text is sent at once (the setting names operators only)
    own = d.replies.reply(r.sue, case_id, "Thanks for your patience.")
    assert own.status == "sent"


def test_no_cold_contact_is_refused_with_the_reason_and_nothing_changes(
    replying: Replying,
) -> None:
    d, r = replying.desk, replying
    case_id = _claimed(r, "What time")
    # @ffion_w wrote on X too, but Ian Moss only wrote on Facebook: never contacted on X
    with pytest.raises(Conflict, match="never written to the desk on x"):
        d.replies.reply(r.jo, case_id, "Hello", recipient="Ian Moss")  # only on facebook
    with pytest.raises(Conflict, match="never cold-contacts"):
        d.replies.reply(r.jo, case_id, "Hello", recipient="@nobody")
    with d.ctx.db.read() as s:
        assert s.scalars(select(Reply)).all() == []


def test_replying_via_an_account_the_author_never_used_is_refused_then_overridden_once(
    replying: Replying,
) -> None:
    d, r = replying.desk, replying
    case_id = _claimed(r, "What time")  # @gus wrote to @ExampleshirePolice
    # @ffion_w also wrote to @ExampleshirePolice on X: a reply to her there is not cold
    assert d.replies.reply(r.sue, case_id, "Thanks", recipient="@ffion_w").status == "sent"
    # @dora wrote only to @ExampleshireRoads: not to be contacted from the police account
    with pytest.raises(PermissionDenied, match="ask a supervisor"):
        d.replies.reply(r.jo, case_id, "Hello", recipient="@dora", override_reason="Welfare")
    with pytest.raises(Conflict, match="they have not themselves written to Exampleshire Police"):
        d.replies.reply(r.sue, case_id, "Hello", recipient="@dora")
    done = d.replies.reply(
        r.sue, case_id, "Hello", recipient="@dora", override_reason="Welfare check agreed"
    )
    assert done.override_by == "sgreen" and done.override_reason == "Welfare check agreed"
    assert "overridden: Welfare check agreed" in d.queue.detail(r.sue, case_id).timeline[-1].text
    with pytest.raises(Conflict):  # the override was for that one message only
        d.replies.reply(r.sue, case_id, "Hello again", recipient="@dora")


def test_private_messages_are_refused_where_switched_off(replying: Replying) -> None:
    d, r = replying.desk, replying
    case_id = _claimed(r, "Lovely")
    with pytest.raises(Conflict, match="private messages are switched off"):
        d.replies.reply(r.sue, case_id, "Thanks", private=True, override_reason="Need to")
    assert d.replies.reply(r.sue, case_id, "Thanks", private=False).status == "sent"
    x_case = _claimed(r, "What time")
    assert d.replies.reply(r.sue, x_case, "Thanks", private=True).private


def test_replies_need_the_case_claimed_and_open(replying: Replying) -> None:
    d, r = replying.desk, replying
    case_id = r.case_of("What time")
    with pytest.raises(Conflict, match="Claim case"):
        d.replies.reply(r.jo, case_id, "Hi")


def test_export_import_round_trips_welsh_byte_exact_and_a_broken_dir_changes_nothing(
    replying: Replying, tmp_path: Path
) -> None:
    d, r = replying.desk, replying
    d.templates.create(
        r.cat, "welsh-test", TemplateKind.PUBLIC_REPLY, "Welsh", "Thanks {author}, {reference}.",
        WELSH,
    )  # fmt: skip
    first = tmp_path / "one"
    files = d.templates.export_dir(r.cat, first)
    assert len(files) == 11  # the 10 shipped (holding statement included) and welsh-test
    raw = (first / "welsh-test.json").read_bytes()
    assert "ŵyl â'r tŷ ŷd".encode() in raw
    summary = d.templates.import_dir(r.cat, first)  # nothing changed: nothing added
    assert summary.created == () and summary.new_versions == () and summary.unchanged == 11
    second = tmp_path / "two"
    d.templates.export_dir(r.cat, second)
    for path in files:
        assert (second / path.name).read_bytes() == path.read_bytes()

    data = json.loads(raw)
    data["text_cy"] = WELSH + " Newydd."
    (first / "welsh-test.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    broken = json.loads((first / "hide-notice.json").read_text("utf-8"))
    broken["text_en"] = "Hi {author}, see {postcode}."
    (first / "hide-notice.json").write_text(json.dumps(broken), "utf-8")
    with pytest.raises(InvalidInput, match=r"hide-notice\.json: field 'text_en'.*\{postcode\}"):
        d.templates.import_dir(r.cat, first)
    assert len(d.templates.list(r.cat, all_versions=True)) == 11  # nothing changed

    (first / "hide-notice.json").write_bytes((second / "hide-notice.json").read_bytes())
    summary = d.templates.import_dir(r.cat, first)
    assert summary.new_versions == ("welsh-test",)
    newest = next(v for v in d.templates.list(r.cat, all_versions=True) if v.key == "welsh-test")
    assert newest.version == 2 and newest.status is TemplateStatus.DRAFT
    assert newest.text_cy == WELSH + " Newydd."


def test_the_desk_setting_decides_whose_free_text_needs_approval(replying: Replying) -> None:
    d, r = replying.desk, replying
    assert d.settings.set(r.admin, "replies_needing_approval", "") == []
    case_id = _claimed(r, "What time")
    assert d.replies.reply(r.jo, case_id, "It reopens at 6pm.").status == "sent"
    assert d.settings.set(r.admin, "replies_needing_approval", "operator, supervisor") == [
        "operator",
        "supervisor",
    ]
    assert d.replies.reply(r.sue, case_id, "Thanks.").status == "pending"
    with pytest.raises(InvalidInput, match="Unknown role"):
        d.settings.set(r.admin, "replies_needing_approval", "operators")


def test_area_comes_from_the_neighbourhood_team_the_case_went_to(replying: Replying) -> None:
    from desk.core.escalation import TargetKind, Urgency

    d, r = replying.desk, replying
    d.templates.create(
        r.cat, "local-team", TemplateKind.PUBLIC_REPLY, "Local team",
        "Hi {author}, the {area} neighbourhood team has your message ({reference}).",
    )  # fmt: skip
    d.templates.approve(r.cat, "local-team", 1)
    case_id = _claimed(r, "What time")
    before = d.templates.render(r.jo, case_id, "local-team", "en")
    assert not before.usable and before.rendering.missing == ("area",)
    assert "{area}" in before.problem
    d.escalations.escalate(
        r.jo, case_id, TargetKind.NEIGHBOURHOOD, Urgency.TODAY, "Road closure", area="North"
    )
    after = d.templates.render(r.jo, case_id, "local-team", "en")
    assert after.usable
    assert after.rendering.text.startswith("Hi @gus, the North neighbourhood team has your message")
