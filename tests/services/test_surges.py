"""A surge banner when arrivals jump; similar cases grouped and closed as one action."""

from __future__ import annotations

import pytest

from desk.core.cases import Outcome
from desk.core.errors import Conflict
from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from desk.core.roles import Role
from desk.core.similarity import fingerprint
from desk.core.surge import assess_surge
from tests.conftest import START, Person, Staffed
from tests.services.helpers import item

CAMPAIGN = (
    "Why are the police wasting money on this instead of catching burglars in our town centre?"
)


def test_fingerprint_ignores_case_links_mentions_and_punctuation() -> None:
    one = fingerprint(CAMPAIGN + " https://t.co/abc @ExampleshirePolice")
    two = fingerprint(CAMPAIGN.upper().replace("?", "!!"))
    assert one and one == two
    assert fingerprint("short text") == ""
    assert fingerprint(CAMPAIGN.replace("burglars", "speeders")) != one


def test_surge_arithmetic() -> None:
    assert assess_surge("x", 40, [10, 8, 12]) is not None
    assert assess_surge("x", 25, [10, 8, 12]) is None  # 2.5x, under the 3x default
    assert assess_surge("x", 9, [0, 0]) is None  # too few to call a surge


@pytest.fixture
def campaign(staffed: Staffed) -> Staffed:
    d, token = staffed.desk, staffed.admin_token
    d.official_accounts.add(token, Platform.X, "@ExampleshirePolice")
    staffed.clock.advance(days=8)
    token = staffed.admin_token = staffed.sign_in(staffed.admin)
    now = (staffed.clock.now() - START).total_seconds() / 60
    # five arrivals in this quarter-hour on each of the last three days, then a wave of 30
    quiet = [
        item(
            f"q{day}{i}",
            f"question number {i}",
            author=f"q{i}",
            thread=None,
            minutes=now - 60 * 24 * day - 5,
        )
        for day in (1, 2, 3)
        for i in range(5)
    ]
    wave = [
        # each copy carries its own link, as shared copies do (a number, "#13", could be read
        # as risk by the statistical model: this campaign is benign)
        item(
            f"w{i}",
            CAMPAIGN + f" https://t.co/c{i:03x}",
            author=f"w{i}",
            thread=None,
            minutes=now - 3,
        )
        for i in range(30)
    ]
    d.importer.store(token, quiet + wave, "campaign")
    return staffed


def test_surge_is_reported_per_platform(campaign: Staffed) -> None:
    surges = {s.platform: s for s in campaign.desk.surges.surges(campaign.admin_token)}
    assert surges["x"].arrivals == 30
    assert surges["x"].multiple == 14.0  # 30 against 15 over the trailing 7 days
    assert "all" in surges


def test_group_close_gives_each_case_its_own_record(campaign: Staffed) -> None:
    d = campaign.desk
    token = campaign.sign_in(campaign.operator)
    first = d.queue.page(token, QueueFilter(search="burglars"), limit=1)[0]
    group = d.surges.similar(token, first.case_id)
    assert len(group) == 30
    assert d.surges.close_group(token, group, Outcome.NO_ACTION, "copy-paste campaign") == 30
    assert (
        d.queue.count(token, QueueFilter(search="burglars", statuses=frozenset({"closed"}))) == 30
    )
    closes = d.audit.entries(campaign.admin_token, 100, "case.close")
    assert len(closes) == 30
    assert len({e.object for e in closes}) == 30


def test_group_close_is_all_or_nothing(campaign: Staffed) -> None:
    d = campaign.desk
    op = campaign.sign_in(campaign.operator)
    group = d.surges.similar(
        op, d.queue.page(op, QueueFilter(search="burglars"), limit=1)[0].case_id
    )
    d.cases.claim(op, group[5])
    other = d.accounts.add_user(
        campaign.admin_token, "kjones", "Kim", Role.OPERATOR, "second operator phrase"
    )
    kim = campaign.sign_in(Person("kjones", "second operator phrase", other.seed, Role.OPERATOR))
    with pytest.raises(Conflict, match="owned by jsmith"):
        d.surges.close_group(kim, group, Outcome.NO_ACTION, "")
    assert d.queue.count(op, QueueFilter(statuses=frozenset({"closed"}))) == 0
