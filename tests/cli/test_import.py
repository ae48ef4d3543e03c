"""``desk-admin import``: real files in every format, good and broken, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desk.cli import importing
from desk.ingest import CsvMapping, read_items
from desk.services.official_accounts import parse_platform
from tests.cli.conftest import DATA, Triage
from tests.conftest import current_code

PAGE = "Exampleshire Police (Facebook page)"
ACCOUNTS = [
    ("facebook", PAGE),
    ("x", "@ExampleshirePolice"),
    ("x", "@ExampleshireCops_North"),
    ("instagram", "@exampleshirepolice"),
    ("nextdoor", "Exampleshire Police – Teignbridge"),
    ("mastodon", "@ExampleshirePolice@police.example"),
    ("bluesky", "@ExampleshirePolice"),
]


@pytest.fixture
def force(triage: Triage) -> Triage:
    """The triage desk with the force's official accounts, added through desk-admin."""
    for platform, handle in ACCOUNTS:
        triage.official(platform, handle)
    return triage


def _expected(path: Path, args: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """What the ingest library reads from the file, as the queue should show it."""
    options = dict(zip(args[::2], args[1::2], strict=True))
    mapping = options.get("--mapping")
    platform = options.get("--platform")
    batch = read_items(
        path,
        options.get("--format"),
        account=options.get("--account"),
        csv_mapping=CsvMapping.load(Path(mapping)) if mapping else None,
        platform=parse_platform(platform) if platform else None,
    )
    return sorted(
        (i.platform.value, i.account or (i.addressed or (None,))[0], i.kind.value,
         i.author.handle, i.text)
        for i in batch.items
    )  # fmt: skip


def _shown(force: Triage) -> list[tuple[Any, ...]]:
    return sorted(
        (i["platform"], i["account"], i["kind"], i["author"], i["text"])
        for case in force.queue("--limit", "0")
        for i in case["items"]
    )


GOOD = [
    # file, extra arguments, format, items, records passed over
    ("desk-items.jsonl", (), "jsonl", 6, 0),
    ("export.csv", (), "csv", 5, 0),
    ("export-semicolon.csv", ("--mapping", "semicolon-mapping.json", "--account", PAGE), "csv",
     3, 0),
    ("activitystreams-outbox.json", ("--account", "@ExampleshirePolice@police.example"),
     "activitystreams", 3, 1),
    ("activitystreams.jsonl", ("--platform", "bluesky", "--account", "@ExampleshirePolice"),
     "activitystreams", 2, 1),
    ("mastodon-statuses.json", (), "mastodon", 2, 0),
    ("mastodon-notifications.json", (), "mastodon", 1, 2),
    ("x-v2.json", (), "x_v2", 2, 1),
    ("x-v2.json", ("--format", "x_v2"), "x_v2", 2, 1),
    ("facebook-comments.json", ("--account", PAGE), "facebook_graph", 3, 0),
]  # fmt: skip


@pytest.mark.parametrize(("name", "args", "fmt", "count", "passed_over"), GOOD)
def test_a_good_file_in_each_format_is_imported_whole(
    triage: Triage, name: str, args: tuple[str, ...], fmt: str, count: int, passed_over: int
) -> None:
    force = triage
    path = force.copy(name)
    args = tuple(str(force.copy(a)) if a.endswith("-mapping.json") else a for a in args)
    expected = _expected(path, args)
    for platform, account in sorted({(e[0], e[1]) for e in expected}):
        force.official(platform, account)  # just the accounts this file needs
    done = force.import_(path, *args)
    assert done.status == 0, done.err
    lines = done.out.splitlines()
    items = "item" if count == 1 else "items"
    assert lines[0] == (
        f"Imported {path} ({fmt}): {count} {items} read, {count} added, 0 duplicates skipped "
        "(already on the desk)."
    )
    if passed_over:
        records = "record" if passed_over == 1 else "records"
        assert lines[1] == f"Passed over {passed_over} {records}:"
        assert lines[2].startswith("  ") and "(first at " in lines[2]
    opened, joined = (int(n) for n in lines[-2].removeprefix("Cases: ").split()[::2])
    assert lines[-2] == f"Cases: {opened} opened, {joined} joined."
    assert opened + joined == count
    by_priority = lines[-1].removeprefix("Added items by priority: ").rstrip(".").split(", ")
    assert [p.split()[0] for p in by_priority] == ["P1", "P2", "P3", "P4"]
    assert sum(int(p.split()[1]) for p in by_priority) == count
    assert done.err == ""
    assert _shown(force) == expected
    assert len(force.queue("--limit", "0")) == opened


def test_the_items_keep_what_the_file_says(force: Triage) -> None:
    path = force.copy("desk-items.jsonl")
    assert force.import_(path).status == 0
    cases = {c["items"][0]["text"][:20]: c for c in force.queue()}
    welsh = cases["Diolch yn fawr am y "]
    assert welsh["language"] == "cy" and welsh["items"][0]["language"] == "cy"
    assert welsh["author"] == "Gareth Hughes" and welsh["platform"] == "facebook"
    dm = cases["I don't want to post"]
    assert dm["account"] == "@ExampleshireCops_North" and dm["kind"] == "direct_message"
    assert dm["items"][0]["posted_at"] == "2026-11-26T09:15:00Z"  # +01:00 stored in UTC
    first = cases["Is the A38 still clo"]["items"][0]
    assert first["received_at"] == "2026-11-26T08:41:40Z"
    assert first["link"].startswith("https://www.facebook.com/ExampleshirePolice/posts/")
    photo = cases[""]["items"][0]
    assert photo["media"] == ["https://cdn.example.com/ig/17998877665544332.jpg"]


BROKEN = [
    # file, extra arguments, what the message must say besides the file
    ("bad-json-line3.jsonl", (), ["line 3", "not valid JSON"]),
    ("truncated.jsonl", (), ["line 2", "cut short"]),
    ("missing-field.jsonl", (), ["line 2", "field 'author_handle'", "is missing"]),
    ("unknown-field.jsonl", (), ["line 1", "field '"]),
    ("naive-time.jsonl", (), ["line 2", "field 'posted_at'", "no timezone"]),
    ("wrong-type.jsonl", (), ["line 3", "field 'id'", "should be text"]),
    ("duplicates.jsonl", (), ["line 4", "field 'id'", "already at line 1"]),
    ("empty-text.jsonl", (), ["line 1", "field 'text'"]),
    ("unknown-platform.jsonl", (), ["line 1", "field 'platform'", "'myspace'"]),
    ("empty.jsonl", (), ["the file is empty"]),
    ("blank.jsonl", (), ["the file is empty"]),
    ("csv-missing-column.csv", (), ["row 1, column 'Posted At'", "field 'posted_at'"]),
    ("csv-naive-time.csv", (), ["row 3, column 'Posted At'", "no timezone"]),
    ("csv-ragged.csv", (), ["row 2", "14 values"]),
    ("csv-duplicates.csv", (), ["row 4", "field 'id'", "already at row 2"]),
    ("csv-unknown-platform.csv", (), ["row 2", "field 'platform'", "'MySpace'"]),
    ("activitystreams-missing-published.json", (),
     ["at $.orderedItems[1].object.published", "field 'published'", "'yesterday'"]),
    ("mastodon-wrong-type.json", (), ["at $[1].account.acct", "should be text"]),
    ("x-v2-missing-author.json", (), ["at $.data[2].author_id", "includes.users"]),
    ("x-v2-no-created-at.json", (), ["at $.data[1].created_at", "is missing"]),
    ("x-v2-truncated.json", (), ["line 16", "cut short"]),
    ("facebook-naive-time.json", ("--account", PAGE),
     ["at $.data[3].created_time", "field 'created_time'", "no timezone"]),
    ("ambiguous.json", (), ["cannot tell its format", "--format"]),
    ("unknown-object.json", (), ["cannot tell its format", "--format"]),
    ("notes.txt", (), ["cannot tell its format", "--format"]),
    ("x-v2.json", ("--format", "mastodon"), ["should be a list of statuses"]),
    ("desk-items.jsonl", ("--format", "csv"), ["row 1"]),
]  # fmt: skip


def test_a_broken_file_in_any_format_is_refused_whole_and_nothing_is_stored(
    force: Triage,
) -> None:
    assert sorted({name for name, _, _ in BROKEN} - {p.name for p in DATA.iterdir()}) == []
    assert force.import_(force.copy("x-v2.json")).status == 0
    before = force.queue("--limit", "0")
    problems = []
    for name, args, fragments in BROKEN:
        path = force.copy(name)
        done = force.import_(path, *args)
        wanted = [f"desk-admin: error: Cannot import {path}", *fragments]
        missing = [f for f in wanted if f not in done.err]
        if done.status != 2 or done.out or missing or done.err.count("\n") != 1:
            problems.append(f"{name}: status {done.status}, missing {missing}: {done.err!r}")
    assert problems == []
    assert force.queue("--limit", "0") == before
    imports = force.staffed.desk.audit.entries(force.staffed.admin_token, 200, "import.")
    assert len(imports) == 1


def test_a_record_on_an_unknown_account_refuses_the_whole_file_at_storing(force: Triage) -> None:
    records = [
        {"platform": "x", "account": "@ExampleshirePolice", "kind": "mention", "id": str(n),
         "author_id": str(n), "author_handle": f"@person{n}", "text": f"hello {n}",
         "posted_at": "2026-11-26T08:00:00Z"}
        for n in (1, 2, 3)
    ]  # fmt: skip
    records[2]["account"] = "@SomeoneElse"
    path = force.jsonl("mixed.jsonl", records)
    refused = force.import_(path)
    assert refused.status == 2
    assert refused.err == (
        f"desk-admin: error: Cannot import {path}: Line 3: '@SomeoneElse' is not an official "
        "account on x. An administrator adds it first ('desk-admin official-account add x "
        "@SomeoneElse'). Nothing was imported.\n"
    )
    assert force.queue() == []  # the first two records were stored in the same transaction
    force.official("x", "@SomeoneElse")
    done = force.import_(path)
    assert done.status == 0, done.err
    assert "3 items read, 3 added" in done.out
    assert [c["account"] for c in force.queue()] == [
        "@ExampleshirePolice", "@ExampleshirePolice", "@SomeoneElse",
    ]  # fmt: skip


def test_a_file_that_does_not_name_its_account_asks_for_account(force: Triage) -> None:
    path = force.copy("facebook-comments.json")
    asked = force.import_(path)
    assert asked.status == 2
    assert asked.out == ""
    assert asked.err == (
        f"desk-admin: error: Cannot import {path}: 3 items do not say which official account "
        "they arrived on (the first at $.data[0]). Say which with --account HANDLE, e.g. "
        f"'desk-admin import {path} --account HANDLE' ('desk-admin official-account list' "
        "shows the handles). Nothing was imported.\n"
    )
    assert force.queue() == []

    unknown = force.import_(path, "--account", "Exampleshire Police North")
    assert unknown.status == 2
    assert "'Exampleshire Police North' is not an official account on facebook" in unknown.err
    assert force.queue() == []

    done = force.import_(path, "--account", PAGE)
    assert done.status == 0, done.err
    cases = force.queue()
    assert {i["account"] for c in cases for i in c["items"]} == {PAGE}
    reply = next(i for c in cases for i in c["items"] if i["kind"] == "reply")
    assert reply["author"] == "Mike Ward" and reply["thread_id"] == "1029384756_5566778899"


def test_account_fills_in_only_the_records_that_do_not_say(force: Triage) -> None:
    north = "Exampleshire Police North (Facebook page)"
    force.official("facebook", north)
    path = force.copy("no-account.jsonl")
    one = force.import_(path)
    assert (
        one.status == 2 and "2 items do not say" in one.err and "(the first at line 1)" in one.err
    )
    done = force.import_(path, "--account", PAGE)
    assert done.status == 0, done.err
    by_author = {c["author"]: c["account"] for c in force.queue()}
    assert by_author == {"Jo Bloggs": PAGE, "Sam Smith": PAGE, "Priya Patel": north}


def test_a_csv_export_through_a_saved_mapping(force: Triage) -> None:
    path = force.copy("export-semicolon.csv")
    mapping = force.copy("semicolon-mapping.json")
    without = force.import_(path)
    assert without.status == 2
    assert "column 'Platform'" in without.err  # the default mapping does not fit this export
    asked = force.import_(path, "--mapping", str(mapping))
    assert asked.status == 2 and "(the first at row 4)" in asked.err
    done = force.import_(path, "--mapping", str(mapping), "--account", PAGE)
    assert done.status == 0, done.err
    cases = force.queue()  # no received times: all arrived now, so in file order
    assert [c["author"] for c in cases] == ["Bob Evans", "Carol White", "Dan Black"]
    assert [c["account"] for c in cases] == [PAGE, PAGE, PAGE]
    # 26/11/2026 21:45 in Europe/London is 21:45 UTC; 26/06/2026 21:50 is BST, 20:50 UTC
    assert [c["items"][0]["posted_at"] for c in cases] == [
        "2026-11-26T21:45:00Z", "2026-11-26T21:47:00Z", "2026-06-26T20:50:00Z",
    ]  # fmt: skip


def test_a_bad_mapping_is_refused_before_anything_is_read(force: Triage) -> None:
    path = force.copy("export.csv")
    broken = force.write("broken-mapping.json", '{"delimiter": ";;"}')
    refused = force.import_(path, "--mapping", str(broken))
    assert refused.status == 2
    assert f"CSV mapping {broken}: delimiter:" in refused.err
    missing = force.import_(path, "--mapping", str(force.folder / "nowhere.json"))
    assert missing.status == 2 and "cannot be read" in missing.err
    not_csv = force.import_(force.copy("x-v2.json"), "--mapping", str(broken))
    assert not_csv.status == 2
    assert "--mapping is for CSV files, but" in not_csv.err and "is read as x_v2" in not_csv.err
    assert force.queue() == []


def test_a_missing_file_or_a_folder_is_refused(force: Triage) -> None:
    gone = force.import_(force.folder / "gone.jsonl")
    assert gone.status == 2
    assert (
        gone.err
        == f"desk-admin: error: Cannot import {force.folder / 'gone.jsonl'}: does not exist\n"
    )
    folder = force.import_(force.folder)
    assert folder.status == 2 and "is a folder, not a file" in folder.err


def test_an_unknown_format_is_a_usage_error(force: Triage) -> None:
    bad = force.import_(force.copy("x-v2.json"), "--format", "xml")
    assert bad.status == 2
    assert "argument --format: invalid choice: 'xml'" in bad.err


def test_reimporting_adds_nothing_and_leaves_triaged_cases_alone(force: Triage) -> None:
    path = force.copy("desk-items.jsonl")
    first = force.import_(path)
    assert "6 items read, 6 added, 0 duplicates skipped" in first.out
    cases = {c["author"]: c["case_id"] for c in force.queue()}
    review, sarah = cases["Margaret P."], cases["Sarah Jenkins"]
    cli, jo = force.cli, force.jo
    for argv in (("claim", str(review)), ("note", str(review), "Thanked her"),
                 ("close", str(review), "--outcome", "replied")):  # fmt: skip
        assert cli("case", *argv, session=jo).status == 0
    closed = force.show(review)
    before = force.queue("--limit", "0")

    force.cli.clock.advance(minutes=5)
    again = force.import_(path)
    assert again.status == 0, again.err
    assert again.out.splitlines()[0] == (
        f"Imported {path} (jsonl): 6 items read, 0 added, 6 duplicates skipped (already on "
        "the desk)."
    )
    assert "Cases: 0 opened, 0 joined." in again.out
    assert force.queue("--limit", "0") == before
    assert force.show(review) == closed

    # a later export holds the same items and one new one in Sarah's thread: only that is added
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    newer = {**records[0], "id": "1029384756_5566778999", "text": "Still closed?",
             "posted_at": "2026-11-26T09:30:00Z", "received_at": "2026-11-26T09:30:10Z"}  # fmt: skip
    later = force.jsonl("later.jsonl", [*records, newer])
    third = force.import_(later)
    assert third.status == 0, third.err
    assert "7 items read, 1 added, 6 duplicates skipped" in third.out
    assert "Cases: 0 opened, 1 joined." in third.out
    assert force.show(review) == closed
    joined = force.show(sarah)
    assert joined["item_count"] == 2
    assert [i["text"] for i in joined["items"]][-1] == "Still closed?"


def test_a_refused_file_spends_no_one_time_code(force: Triage) -> None:
    cli, jo = force.cli, force.staffed.operator
    cli.clock.advance(seconds=30)
    code = current_code(jo.seed, cli.clock)
    signed = ("--user", "jsmith", "--password-stdin", "--code", code)
    refused = cli(*signed, "import", str(force.copy("naive-time.jsonl")), stdin=jo.password + "\n")
    assert refused.status == 2 and "no timezone" in refused.err
    done = cli(*signed, "import", str(force.copy("x-v2.json")), stdin=jo.password + "\n")
    assert done.status == 0, done.err
    assert "2 items read, 2 added" in done.out


def test_a_communications_officer_may_not_import(force: Triage) -> None:
    from desk.core.roles import Role
    from tests.conftest import USER_PASSWORD, Person

    staffed = force.staffed
    enrol = staffed.desk.accounts.add_user(
        staffed.admin_token, "comms", "Cam Comms", Role.COMMUNICATIONS, USER_PASSWORD
    )
    token = force.cli.login(Person("comms", USER_PASSWORD, enrol.seed, Role.COMMUNICATIONS))
    refused = force.import_(force.copy("x-v2.json"), session=token)
    assert refused.status == 2
    assert refused.err == "desk-admin: error: The communications role may not import items.\n"


def test_a_large_file_shows_progress_on_stderr(
    force: Triage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "PROGRESS_FROM", 1000)
    monkeypatch.setattr(importing, "PROGRESS_STEP", 1000)
    records = [
        {"platform": "x", "account": "@ExampleshirePolice", "kind": "mention", "id": f"p{n}",
         "author_id": f"a{n % 100}", "author_handle": f"@person{n % 100}",
         "text": f"Message number {n}", "thread_id": f"t{n % 100}",
         "posted_at": "2026-11-26T08:00:00Z"}
        for n in range(2000)
    ]  # fmt: skip
    path = force.jsonl("big.jsonl", records)
    done = force.import_(path)
    assert done.status == 0, done.err
    assert "2000 items read, 2000 added" in done.out
    assert "Cases: 100 opened, 1900 joined." in done.out
    # signed in with DESK_SESSION, the file is read once, each record checked as it is stored
    assert done.err.splitlines() == [f"desk-admin: read {path}: 2,000 records..."]


def test_every_unknown_account_is_named_in_one_refusal(force: Triage) -> None:
    lines = [
        {"platform": platform, "account": account, "kind": "mention", "id": f"n{n}",
         "author_id": f"a{n}", "author_handle": f"@a{n}", "text": "hello",
         "posted_at": "2026-11-26T08:00:00Z"}
        for n, (platform, account) in enumerate(
            [("x", "@ExampleshirePolice"), ("x", "@Stranger"), ("tiktok", "@force"),
             ("x", "@Stranger")]
        )
    ]  # fmt: skip
    path = force.write("strangers.jsonl", "".join(json.dumps(r) + "\n" for r in lines))
    refused = force.import_(path)
    assert refused.status == 2
    assert refused.err == (
        f"desk-admin: error: Cannot import {path}: 2 accounts named in the file are not "
        "official accounts: '@Stranger' on x (first at line 2), '@force' on tiktok (first "
        "at line 3). An administrator adds them first ('desk-admin official-account add x "
        "@Stranger'; 'desk-admin official-account add tiktok @force'). Nothing was imported.\n"
    )
    assert force.queue() == []
