"""``desk-admin import`` of Facebook Graph responses recorded from the real server (issue 17)."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Triage

RECORDED = [
    # file, official page, items added, records passed over
    ("facebook-graph-comments-no-from.json", "Facebook", 5, 0),
    ("facebook-graph-comments-attachment.json", "Test Page", 5, 0),
    ("facebook-graph-page-feed.json", "Facebook for Developers", 0, 5),
]


@pytest.mark.parametrize(("name", "page", "added", "passed_over"), RECORDED)
def test_a_recorded_facebook_response_imports_once(
    triage: Triage, name: str, page: str, added: int, passed_over: int
) -> None:
    triage.official("facebook", page)
    path = triage.copy(name)
    done = triage.import_(path, "--account", page)
    assert done.status == 0, done.err
    lines = done.out.splitlines()
    assert lines[0] == (
        f"Imported {path} (facebook_graph): {added} items read, {added} added, "
        "0 duplicates skipped (already on the desk)."
    )
    if passed_over:
        assert lines[1] == f"Passed over {passed_over} records:"
        assert "(first at $.data[0])" in lines[2]
    shown = [i for case in triage.queue("--limit", "0") for i in case["items"]]
    assert len(shown) == added and {i["account"] for i in shown} <= {page}
    again = triage.import_(path, "--account", page)
    assert again.status == 0, again.err
    assert f"{added} items read, 0 added, {added} duplicates skipped" in again.out
    assert len([i for case in triage.queue("--limit", "0") for i in case["items"]]) == added
