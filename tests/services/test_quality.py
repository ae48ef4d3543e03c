"""Quality assurance: a month's sample per operator, reviews against the checklist, results."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desk.core.cases import Outcome
from desk.core.errors import Conflict, InvalidInput, PermissionDenied
from desk.core.items import Platform
from desk.core.quality import draw, parse_month
from desk.core.roles import Role
from desk.store.tables import AuditEntry, Case, QualityReview
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services.helpers import item


class Desk2:
    """A staffed desk with two operators who closed cases this month, and a supervisor."""

    def __init__(self, staffed: Staffed) -> None:
        self.staffed = staffed
        d, admin = staffed.desk, staffed.admin_token
        sam = d.accounts.add_user(admin, "sbrown", "Sam Brown", Role.OPERATOR, USER_PASSWORD)
        sue = d.accounts.add_user(admin, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD)
        self.sam = Person("sbrown", USER_PASSWORD, sam.seed, Role.OPERATOR)
        self.sue = Person("sgreen", USER_PASSWORD, sue.seed, Role.SUPERVISOR)
        d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice")
        d.importer.store(
            admin,
            [
                item(f"q{i}", f"question {i} about parking", author=f"a{i}", thread=None)
                for i in range(12)
            ],
            "test",
        )
        with d.ctx.db.read() as s:
            ids = list(s.scalars(select(Case.id).order_by(Case.id)))
        jo = staffed.sign_in(staffed.operator)
        sam_token = staffed.sign_in(self.sam)
        # Jo closes eight cases, Sam four
        for i, case_id in enumerate(ids):
            token = jo if i < 8 else sam_token
            d.cases.claim(token, case_id)
            d.cases.close(token, case_id, Outcome.NO_ACTION, "answered")
        self.jo_cases, self.sam_cases = set(ids[:8]), set(ids[8:])
        self.sue_token = staffed.sign_in(self.sue)
        self.month = staffed.clock.now().strftime("%Y-%m")


@pytest.fixture
def qa(staffed: Staffed) -> Desk2:
    return Desk2(staffed)


def test_month_parsing_and_a_repeatable_draw() -> None:
    assert parse_month("2026-11")[1:] == (
        parse_month("2026-11")[1],
        parse_month("2026-12")[1],
    )
    assert parse_month("2026-12")[2].year == 2027
    with pytest.raises(InvalidInput, match="YYYY-MM"):
        parse_month("Nov 2026")
    assert draw(list(range(100)), 5, "2026-11:3:0") == draw(list(range(100)), 5, "2026-11:3:0")
    assert len(draw([1, 2], 5, "x")) == 2


def test_sample_draws_per_operator_and_never_twice(qa: Desk2) -> None:
    d = qa.staffed.desk
    drawn = d.quality.sample(qa.sue_token, qa.month)
    by_operator: dict[str, set[int]] = {}
    for s in drawn:
        by_operator.setdefault(s.operator, set()).add(s.case_id)
    assert len(by_operator["jsmith"]) == 5 and by_operator["jsmith"] <= qa.jo_cases
    assert by_operator["sbrown"] == qa.sam_cases  # only four to choose from
    assert all(s.sampled_by == "sgreen" for s in drawn)
    # drawing again adds nothing: the sample is full, and sampled cases are never drawn again
    assert d.quality.sample(qa.sue_token, qa.month) == []
    # with a bigger setting, Jo's sample is topped up from the cases not yet drawn
    d.settings.set(qa.staffed.sign_in(qa.staffed.admin), "qa_samples_per_month", "7")
    more = d.quality.sample(qa.sue_token, qa.month)
    assert [s.operator for s in more] == ["jsmith", "jsmith"]
    assert not {s.case_id for s in more} & by_operator["jsmith"]
    with d.ctx.db.read() as s:
        assert s.scalar(select(QualityReview).where(QualityReview.month != qa.month)) is None
        audits = list(
            s.scalars(select(AuditEntry.object).where(AuditEntry.action == "quality.sample"))
        )
    assert audits == [f"month:{qa.month}"] * 3


def test_review_is_recorded_and_results_show_shares(qa: Desk2) -> None:
    d = qa.staffed.desk
    drawn = d.quality.sample(qa.sue_token, qa.month)
    jo = [s for s in drawn if s.operator == "jsmith"]
    d.quality.review(qa.sue_token, jo[0].id, True, True, None, False, "no reply needed")
    done = d.quality.review(qa.sue_token, jo[1].id, True, False, True, True)
    assert done.reviewed and done.reviewer == "sgreen"
    listed = {s.id: s for s in d.quality.samples(qa.sue_token, qa.month)}
    assert listed[jo[0].id].answers == {
        "thrive_complete": True,
        "grade_justified": True,
        "right_template": None,
        "target_met": False,
    }
    assert listed[jo[0].id].comment == "no reply needed"
    results = {r.operator: r for r in d.quality.results(qa.sue_token, qa.month)}
    jo_result = results["jsmith"]
    assert (jo_result.sampled, jo_result.reviewed) == (5, 2)
    assert jo_result.checks["thrive_complete"].share == 1.0
    assert jo_result.checks["grade_justified"].share == 0.5
    assert (
        jo_result.checks["right_template"].passed,
        jo_result.checks["right_template"].applicable,
    ) == (1, 1)
    assert jo_result.checks["target_met"].share == 0.5
    assert (results["sbrown"].sampled, results["sbrown"].reviewed) == (4, 0)
    assert results["sbrown"].checks["target_met"].share is None
    with d.ctx.db.read() as s:
        reviews = list(
            s.scalars(select(AuditEntry.actor).where(AuditEntry.action == "quality.review"))
        )
    assert reviews == ["sgreen", "sgreen"]


def test_refusals(qa: Desk2) -> None:
    d = qa.staffed.desk
    operator = qa.staffed.sign_in(qa.staffed.operator)
    with pytest.raises(PermissionDenied):
        d.quality.sample(operator, qa.month)
    with pytest.raises(PermissionDenied):
        d.quality.results(operator, qa.month)
    with pytest.raises(InvalidInput, match="has not started"):
        d.quality.sample(qa.sue_token, "2099-01")
    drawn = d.quality.sample(qa.sue_token, qa.month)
    with pytest.raises(InvalidInput, match="over 4000"):
        d.quality.review(qa.sue_token, drawn[0].id, True, True, True, True, "x" * 4001)
    assert not d.quality.samples(qa.sue_token, qa.month)[0].reviewed
    # a supervisor who closed a case cannot review their own work
    sue_case = drawn[0].case_id
    with d.ctx.db.write() as s:
        row = s.scalar(select(QualityReview).where(QualityReview.case_id == sue_case))
        assert row is not None
        row.operator_id = qa.staffed.desk.signin.authorize(qa.sue_token).account_id
    with pytest.raises(Conflict, match="your own case"):
        d.quality.review(qa.sue_token, drawn[0].id, True, True, True, True)


def test_last_month_is_sampled_from_its_own_closures(qa: Desk2) -> None:
    qa.staffed.clock.advance(days=40)
    token = qa.staffed.sign_in(qa.sue)
    this_month = qa.staffed.clock.now().strftime("%Y-%m")
    assert qa.staffed.desk.quality.sample(token, this_month) == []
    assert len(qa.staffed.desk.quality.sample(token, qa.month)) == 9
