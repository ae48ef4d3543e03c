"""``desk-admin import FILE --mapping NAME`` and ``desk-admin import mappings list`` (issue 17):
a CSV mapping saved from the Import dialog is used by name on the command line."""

from __future__ import annotations

from desk.services.csv_mappings import CsvMapping
from tests.cli.conftest import Triage

HEADER = "Channel;Handle;Msg Type;Message Id;User Id;User;Body;Created (UK)"
ROWS = [
    "Twitter;@ExampleshirePolice;Mention;t-1;u1;@resident1;The road is flooded;26/11/2026 09:14",
    "Twitter;@ExampleshirePolice;Reply;t-2;u2;@resident2;Thanks for the update;26/11/2026 09:20",
]
MAPPING = CsvMapping.model_validate(
    {
        "name": "Inbox tool",
        "delimiter": ";",
        "columns": {
            "platform": "Channel",
            "account": "Handle",
            "kind": "Msg Type",
            "id": "Message Id",
            "author_id": "User Id",
            "author_handle": "User",
            "text": "Body",
            "posted_at": "Created (UK)",
        },
        "time_format": "%d/%m/%Y %H:%M",
        "timezone": "Europe/London",
    }
)


def test_import_through_a_saved_mapping_by_name(triage: Triage) -> None:
    triage.official("x", "@ExampleshirePolice")
    path = triage.write("inbox.csv", "\n".join([HEADER, *ROWS]) + "\n")
    unknown = triage.import_(path, "--mapping", "Inbox tool")
    assert unknown.status != 0
    assert "no saved CSV mapping called 'Inbox tool'" in unknown.err
    assert "desk-admin import mappings list" in unknown.err
    triage.staffed.desk.csv_mappings.save(triage.staffed.admin_token, MAPPING)
    done = triage.import_(path, "--mapping", "inbox TOOL")
    assert done.status == 0, done.err
    assert "2 added" in done.out
    assert [c["author"] for c in triage.queue()] == ["@resident1", "@resident2"]
    again = triage.import_(path, "--mapping", "Inbox tool")
    assert again.status == 0 and "0 added" in again.out


def test_mappings_list(triage: Triage) -> None:
    empty = triage.cli("import", "mappings", "list", session=triage.jo)
    assert empty.status == 0 and "No saved CSV mappings yet" in empty.out
    triage.staffed.desk.csv_mappings.save(triage.staffed.admin_token, MAPPING)
    listed = triage.cli("import", "mappings", "list", session=triage.jo)
    assert listed.status == 0, listed.err
    assert "Inbox tool" in listed.out and "posted_at=Created (UK)" in listed.out
    wrong = triage.cli("import", "export.csv", "list", session=triage.jo)
    assert wrong.status != 0 and "import mappings list" in wrong.err
