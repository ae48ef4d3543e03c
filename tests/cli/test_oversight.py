"""``desk-admin qa ...`` and ``desk-admin dashboard``."""

from __future__ import annotations

import json

from tests.cli.conftest import Cli
from tests.conftest import Staffed
from tests.services.test_quality import Desk2


def test_qa_sample_list_review_results(cli: Cli, staffed: Staffed) -> None:
    qa = Desk2(staffed)
    drawn = cli.signed(qa.sue, "qa", "sample", "--month", qa.month, "--json")
    assert drawn.status == 0, drawn.err
    cases = json.loads(drawn.out)
    assert sorted({c["operator"] for c in cases}) == ["jsmith", "sbrown"]
    again = cli.signed(qa.sue, "qa", "sample", "--month", qa.month)
    assert again.status == 0 and again.out == f"Nothing new to sample for {qa.month}.\n"
    listed = cli.signed(qa.sue, "qa", "list", "--month", qa.month)
    assert listed.out.count("not reviewed") == 9
    first = cases[0]["id"]
    args = ("--thrive", "yes", "--grade", "yes", "--template", "n/a", "--target", "no")
    done = cli.signed(qa.sue, "qa", "review", str(first), *args, "--comment", "late reply")
    assert done.status == 0, done.err
    assert done.out.startswith(f"Recorded the review of case #{cases[0]['case']}")
    results = json.loads(cli.signed(qa.sue, "qa", "results", "--month", qa.month, "--json").out)
    mine = next(r for r in results if r["operator"] == cases[0]["operator"])
    assert mine["reviewed"] == 1
    assert mine["checks"]["target_met"] == {"passed": 0, "applicable": 1, "share": 0.0}
    assert mine["checks"]["right_template"]["applicable"] == 0
    table = cli.signed(qa.sue, "qa", "results", "--month", qa.month)
    assert "1/1 (100%)" in table.out and "0/1 (0%)" in table.out


def test_qa_refusals(cli: Cli, staffed: Staffed) -> None:
    qa = Desk2(staffed)
    operator = cli.signed(staffed.operator, "qa", "sample", "--month", qa.month)
    assert operator.status == 2
    assert "may not review quality" in operator.err
    bad_month = cli.signed(qa.sue, "qa", "sample", "--month", "November")
    assert bad_month.status == 2 and "YYYY-MM" in bad_month.err
    args = ("--thrive", "maybe", "--grade", "yes", "--template", "yes", "--target", "yes")
    bad_answer = cli.signed(qa.sue, "qa", "review", "1", *args)
    assert bad_answer.status == 2 and "yes, no or n/a" in bad_answer.err


def test_dashboard_json_and_text(cli: Cli, staffed: Staffed) -> None:
    qa = Desk2(staffed)
    data = json.loads(cli.signed(qa.sue, "dashboard", "--period", "7d", "--json").out)
    assert data["totals"]["arrivals"] == 12
    assert sum(data["arrivals"]["x"]) == 12
    p4 = next(r for r in data["response"] if r["priority"] == 4)
    assert p4["acted"] == 12 and p4["met"] == 12 and p4["met_share"] == 1.0
    text = cli.signed(qa.sue, "dashboard", "--period", "today")
    assert text.status == 0, text.err
    assert "Response targets met: 12 of 12 (100%)" in text.out
    refused = cli.signed(staffed.operator, "dashboard")
    assert refused.status == 2 and "may not view dashboard" in refused.err
    unknown = cli.signed(qa.sue, "dashboard", "--period", "fortnight")
    assert unknown.status == 2 and "Unknown period" in unknown.err
