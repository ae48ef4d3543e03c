"""desk-admin guidelines, moderate and author: the same rules as the window."""

from __future__ import annotations

import json

import pytest

from desk.core.items import Platform
from tests.cli.conftest import Triage
from tests.services.helpers import item


@pytest.fixture
def cases(triage: Triage) -> list[int]:
    """Two cases by @troll on X (claimed by Jo) and one by @kind."""
    d, admin = triage.staffed.desk, triage.staffed.admin_token
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.importer.store(
        admin,
        [
            item("1", "You lot are useless", author="t1", handle="@troll", thread="p1"),
            item("2", "Still useless", author="t1", handle="@troll", thread="p2", minutes=1),
            item("3", "Thank you", author="u2", handle="@kind", thread="p3", minutes=2),
        ],
        "test",
    )
    ids = sorted(row["case_id"] for row in triage.queue())
    for case_id in ids[:2]:
        assert triage.cli("case", "claim", str(case_id), session=triage.jo).status == 0
    return ids


def test_guidelines_list_as_json_and_table(triage: Triage) -> None:
    done = triage.cli("guidelines", "list", "--json", session=triage.jo)
    assert done.status == 0, done.err
    listed = json.loads(done.out)
    assert [g["code"] for g in listed] == [f"CG-{n}" for n in range(1, 9)]
    assert listed[2]["title"] == "Personal information (doxxing)"
    assert listed[2]["public_text_cy"].startswith("Peidiwch â rhannu")
    table = triage.cli("guidelines", "list", session=triage.jo).out
    assert "CG-4  Live court cases (contempt of court)" in table


def test_admins_add_and_retire_guidelines_operators_may_not(triage: Triage) -> None:
    refused = triage.cli(
        "guidelines", "add", "CG-9", "--title", "Off topic", "--text", "x", session=triage.jo
    )
    assert refused.status == 2
    assert "may not manage guidelines" in refused.err
    added = triage.cli(
        "guidelines",
        "add",
        "cg-9",
        "--title",
        "Off topic",
        "--text",
        "We hide posts that are off topic.",
        session=triage.admin,
    )
    assert (added.status, added.out) == (0, "Added guideline CG-9: Off topic.\n")
    bad = triage.cli(
        "guidelines", "add", "nine", "--title", "t", "--text", "x", session=triage.admin
    )
    assert bad.status == 2 and "'nine' is not a guideline code" in bad.err
    retired = triage.cli("guidelines", "retire", "CG-9", session=triage.admin)
    assert retired.status == 0, retired.err
    shown = json.loads(triage.cli("guidelines", "list", "--all", "--json", session=triage.jo).out)
    assert shown[-1]["code"] == "CG-9" and shown[-1]["active"] is False


def test_moderate_records_and_says_how_to_finish_on_the_platform(
    triage: Triage, cases: list[int]
) -> None:
    first = cases[0]
    done = triage.cli(
        "moderate",
        str(first),
        "--action",
        "hide",
        "--rule",
        "CG-1",
        "--explanation",
        "Hidden: abuse is not welcome.",
        session=triage.jo,
    )
    assert done.status == 0, done.err
    assert done.out.splitlines() == [
        f"Recorded hide under CG-1 on case #{first}.",
        "Finish it on the platform at https://x.example/1, giving this explanation:",
        "  Hidden: abuse is not welcome.",
    ]
    shown = triage.show(first)
    assert shown["timeline"][-1]["text"].startswith("Hidden under CG-1")


def test_moderate_refuses_an_unknown_rule_a_missing_explanation_and_a_bad_action(
    triage: Triage, cases: list[int]
) -> None:
    first = str(cases[0])
    unknown = triage.cli(
        "moderate", first, "--action", "hide", "--rule", "CG-42", "--explanation", "x",
        session=triage.jo,
    )  # fmt: skip
    assert unknown.status == 2 and "There is no community guideline CG-42" in unknown.err
    bare = triage.cli("moderate", first, "--action", "delete", "--rule", "CG-1", session=triage.jo)
    assert bare.status == 2 and "a delete needs the explanation given to them" in bare.err
    wrong = triage.cli("moderate", first, "--action", "ban", "--rule", "CG-1", session=triage.jo)
    assert wrong.status == 2 and "use one of hide, unhide, delete" in wrong.err
    record = json.loads(triage.cli("author", first, "--json", session=triage.jo).out)
    assert record["actions"] == []


def test_author_shows_the_record_across_cases_and_marks_repeat_offenders(
    triage: Triage, cases: list[int]
) -> None:
    first, second, third = cases
    for case_id, action in ((first, "hide"), (second, "block"), (second, "report")):
        done = triage.cli(
            "moderate", str(case_id), "--action", action, "--rule", "CG-1",
            "--explanation", "Abuse", session=triage.jo,
        )  # fmt: skip
        assert done.status == 0, done.err
    record = json.loads(triage.cli("author", f"#{first}", "--json", session=triage.jo).out)
    assert record["handle"] == "@troll"
    assert (record["actions_against"], record["repeat_offender"]) == (3, True)
    assert [a["action"] for a in record["actions"]] == ["report", "block", "hide"]
    assert record["cases"] == [second, first]
    text = triage.cli("author", f"author:{record['author_id']}", session=triage.jo).out
    assert "3 moderation actions against them, 3 in the last 90 days  REPEAT OFFENDER" in text
    other = json.loads(triage.cli("author", str(third), "--json", session=triage.jo).out)
    assert (other["handle"], other["actions_against"], other["repeat_offender"]) == (
        "@kind",
        0,
        False,
    )


def test_moderate_refuses_what_does_not_fit_the_item(triage: Triage, cases: list[int]) -> None:
    first = str(cases[0])
    unhide = triage.cli("moderate", first, "--action", "unhide", "--rule", "CG-1",
                        session=triage.jo)  # fmt: skip
    assert unhide.status == 2
    assert "This reply is not hidden: there is nothing to unhide." in unhide.err
    delete = triage.cli("moderate", first, "--action", "delete", "--rule", "CG-1",
                        "--explanation", "Removed", session=triage.jo)  # fmt: skip
    assert delete.status == 2 and "On X the force's account cannot delete a reply" in delete.err
    record = json.loads(triage.cli("author", first, "--json", session=triage.jo).out)
    assert record["actions"] == [] and record["actions_against"] == 0
