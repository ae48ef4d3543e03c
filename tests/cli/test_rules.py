"""``desk-admin rules ...``: a force measures its own rules before Desk uses them."""

from __future__ import annotations

import json
from pathlib import Path

from desk.core.risk import RiskCategory, RuleSet
from desk.services.desk import Desk
from desk.services.rules import draft_folder, in_use_folder
from tests.backend import same_database
from tests.cli.conftest import Cli, Triage
from tests.conftest import Staffed

SLUR_RULE = """
[[rule]]
id = "local.slur"
category = "hate"
severity = "medium"
description = "A slur this force sees"
phrases = ["zorblax"]
"""


def labelled(tmp_path: Path, *lines: dict[str, object]) -> Path:
    path = tmp_path / "ours.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def draft(staffed: Staffed, name: str, body: str) -> Path:
    folder = draft_folder(staffed.desk.profile)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def categories_after_reopening(staffed: Staffed, text: str) -> set[RiskCategory]:
    return {m.category for m in rules_after_reopening(staffed).evaluate(text)}


def rules_after_reopening(staffed: Staffed) -> RuleSet:
    reopened = Desk.open(staffed.desk.profile, staffed.clock, same_database(staffed.desk))
    reopened.close()
    return reopened.rules


def test_test_prints_the_table_for_the_corpus_and_the_forces_file(
    cli: Cli, staffed: Staffed, tmp_path: Path
) -> None:
    ours = labelled(
        tmp_path,
        {"text": "you lot are zorblax scum", "categories": ["hate"]},
        {"text": "what time does the front desk open", "categories": []},
    )
    draft(staffed, "local.toml", SLUR_RULE)
    in_use_folder(staffed.desk.profile).mkdir()  # none of the profile's own in use yet
    done = cli.signed(staffed.operator, "rules", "test", str(ours), "--misses")
    assert done.status == 0, done.err
    assert "Draft rules (shipped + local.toml)" in done.out
    assert "Rules in use" in done.out
    assert "threat_to_life" in done.out and "ordinary flagged" in done.out
    as_json = json.loads(cli.signed(staffed.operator, "rules", "test", str(ours), "--json").out)
    hate = as_json["drafts"]["categories"]["hate"]
    assert hate["labelled"] >= 1 and as_json["worse"] == []
    assert (
        as_json["drafts"]["categories"]["hate"]["recall"]
        > (as_json["in_use"]["categories"]["hate"]["recall"])
    )


def test_a_bad_labelled_file_is_named_with_its_line(
    cli: Cli, staffed: Staffed, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "hi", "categories": []}\n{"text": "x", "categories": ["nope"]}\n')
    done = cli.signed(staffed.operator, "rules", "test", str(bad))
    assert done.status == 2
    assert f"{bad}, line 2: unknown category 'nope'" in done.err


def test_a_broken_draft_is_refused_naming_file_and_rule(cli: Cli, staffed: Staffed) -> None:
    path = draft(staffed, "local.toml", SLUR_RULE.replace('"zorblax"', '"zorb*lax"'))
    done = cli.signed(staffed.operator, "rules", "test")
    assert done.status == 2
    assert str(path) in done.err and "local.slur" in done.err


def test_drafts_are_used_only_once_applied_and_applying_is_audited(
    cli: Cli, staffed: Staffed
) -> None:
    draft(staffed, "local.toml", SLUR_RULE)
    in_use_folder(staffed.desk.profile).mkdir()  # this profile already applies its rules
    assert RiskCategory.HATE not in categories_after_reopening(staffed, "total zorblax")
    refused = cli.signed(staffed.operator, "rules", "apply")
    assert refused.status != 0 and "may not" in refused.err
    done = cli.signed(staffed.admin, "rules", "apply")
    assert done.status == 0, done.err
    assert "Applied" in done.out
    assert RiskCategory.HATE in categories_after_reopening(staffed, "total zorblax")
    entries = cli.signed(staffed.admin, "audit", "list", "--json").out
    assert "rules.apply" in entries and "local.toml" in entries


def test_drafts_that_find_less_need_a_reason(cli: Cli, staffed: Staffed) -> None:
    draft(staffed, "local.toml", 'disable = ["selfharm.intent"]\n')
    in_use_folder(staffed.desk.profile).mkdir()
    refused = cli.signed(staffed.admin, "rules", "apply")
    assert refused.status == 2
    assert "self_harm finds" in refused.err and "--reason" in refused.err
    assert rules_after_reopening(staffed).get("selfharm.intent") is not None
    done = cli.signed(staffed.admin, "rules", "apply", "--reason", "replaced by our own list")
    assert done.status == 0, done.err
    assert "The drafts do worse" in done.out
    assert rules_after_reopening(staffed).get("selfharm.intent") is None
    assert "replaced by our own list" in cli.signed(staffed.admin, "audit", "list", "--json").out


def test_a_profile_that_never_applied_keeps_using_its_rules_folder(staffed: Staffed) -> None:
    draft(staffed, "local.toml", SLUR_RULE)  # as a force had it before rules were measured
    assert not in_use_folder(staffed.desk.profile).exists()
    assert RiskCategory.HATE in categories_after_reopening(staffed, "total zorblax")


# --- the operators' own judgement becomes test cases ------------------------------------------

MISSED = "tbh cant see the point of anything now, been saving up my meds"
ITEMS = [
    {"platform": "x", "account": "@ExampleshirePolice", "kind": "mention", "id": "1",
     "author_id": "11", "author_handle": "@low", "text": MISSED,
     "posted_at": "2026-11-26T08:30:00Z"},
    {"platform": "x", "account": "@ExampleshirePolice", "kind": "mention", "id": "2",
     "author_id": "12", "author_handle": "@commuter", "text": "Is the A38 open yet?",
     "posted_at": "2026-11-26T08:40:00Z"},
]  # fmt: skip
THRIVE = ("--threat", "t", "--harm", "h", "--risk", "r", "--investigation", "i",
          "--vulnerability", "v", "--engagement", "e", "--grade", "immediate")  # fmt: skip


def test_an_operators_risk_seen_is_exported_as_a_labelled_message(
    triage: Triage, tmp_path: Path
) -> None:
    cli, jo = triage.cli, triage.jo
    triage.official("x", "@ExampleshirePolice")
    assert triage.import_(triage.jsonl("items.jsonl", ITEMS)).status == 0
    for case in ("1", "2"):
        assert cli("case", "claim", case, session=jo).status == 0
    bad = cli("case", "assess", "1", *THRIVE, "--risk-seen", "sadness", session=jo)
    assert bad.status == 2 and "unknown category 'sadness'" in bad.err
    seen = cli("case", "assess", "1", *THRIVE, "--risk-seen", "self_harm", session=jo)
    assert seen.status == 0, seen.err
    assert "Risk seen: self_harm" in cli("case", "show", "1", session=jo).out
    none = cli("case", "assess", "2", *THRIVE, "--risk-seen", "none", session=jo)
    assert none.status == 0, none.err

    refused = cli("rules", "export-feedback", session=jo)
    assert refused.status != 0 and "may not" in refused.err
    out = tmp_path / "feedback.jsonl"
    done = cli("rules", "export-feedback", "--output", str(out), session=triage.admin)
    assert done.status == 0, done.err
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_text = {line["text"]: line for line in lines}
    assert by_text[MISSED]["categories"] == ["self_harm"]
    assert by_text["Is the A38 open yet?"]["categories"] == []
    assert "Wrote 2 judged cases" in done.err
    misses = cli("rules", "export-feedback", "--misses-only", session=triage.admin)
    assert [json.loads(line)["text"] for line in misses.out.splitlines()] == (
        [MISSED] if "self_harm" not in by_text[MISSED]["rules"] else []
    )
    # the export is a labelled file that 'rules test' reads
    tested = cli("rules", "test", str(out), "--json", session=jo)
    assert tested.status == 0, tested.err
    assert "export_feedback" in cli("audit", "list", "--json", session=triage.admin).out


def test_export_feedback_to_a_folder_is_refused_and_writes_nothing(
    cli: Cli, staffed: Staffed, tmp_path: Path
) -> None:
    done = cli.signed(staffed.admin, "rules", "export-feedback", "--output", str(tmp_path))
    assert done.status == 2 and "is a folder" in done.err
    assert list(tmp_path.glob("*.partial")) == []


def test_every_exported_feedback_line_carries_the_protective_marking(
    triage: Triage, tmp_path: Path
) -> None:
    cli, jo = triage.cli, triage.jo
    triage.official("x", "@ExampleshirePolice")
    assert triage.import_(triage.jsonl("items.jsonl", ITEMS)).status == 0
    for case in ("1", "2"):
        assert cli("case", "claim", case, session=jo).status == 0
        seen = cli("case", "assess", case, *THRIVE, "--risk-seen", "none", session=jo)
        assert seen.status == 0, seen.err
    default = cli("rules", "export-feedback", session=triage.admin)
    lines = [json.loads(line) for line in default.out.splitlines()]
    assert len(lines) == 2
    assert all(line["protective_marking"] == "OFFICIAL-SENSITIVE" for line in lines)
    # the force's own marking, first in every line, so a line read alone is marked
    changed = cli("settings", "set", "protective_marking", "OFFICIAL", session=triage.admin)
    assert changed.status == 0, changed.err
    out = tmp_path / "feedback.jsonl"
    assert cli("rules", "export-feedback", "--output", str(out), session=triage.admin).status == 0
    raw = out.read_text(encoding="utf-8").splitlines()
    assert len(raw) == 2
    assert all(line.startswith('{"protective_marking": "OFFICIAL", ') for line in raw)
    # still a labelled file that 'rules test' reads
    assert cli("rules", "test", str(out), "--json", session=jo).status == 0
