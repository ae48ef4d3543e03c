"""Saved CSV mappings (issue 17): a tool's export Desk has no mapping for, previewed, mapped,
checked against every row, saved by name (audited) and used by the import and the drop folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desk.core.errors import InvalidInput, NotFound, PermissionDenied
from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from desk.core.roles import Role
from desk.services.csv_mappings import CsvMapping, CsvMappingService, mapping_from_file_name
from desk.services.importing import ImportSource
from tests.conftest import USER_PASSWORD, Person, Staffed

HEADER = "Channel,Handle,Msg Type,Message Id,User Id,User,Display Name,Body,Created (UK)"
ROWS = [
    "Twitter,@ExampleshirePolice,Mention,t-1,u1,@resident1,Res One,The road is flooded,"
    "26/11/2026 09:14",
    "Twitter,@ExampleshirePolice,Reply,t-2,u2,@resident2,Res Two,Thanks for the update,"
    "26/11/2026 09:20",
    "Twitter,@ExampleshirePolice,Mention,t-3,u3,@resident3,Res Three,Lights out on the A30,"
    "26/06/2026 21:50",
]
COLUMNS = {
    "platform": "Channel",
    "account": "Handle",
    "kind": "Msg Type",
    "id": "Message Id",
    "author_id": "User Id",
    "author_handle": "User",
    "author_name": "Display Name",
    "text": "Body",
    "posted_at": "Created (UK)",
}


def mapping(name: str = "Inbox tool", **changes: object) -> CsvMapping:
    settings: dict[str, object] = {
        "name": name,
        "columns": COLUMNS,
        "time_format": "%d/%m/%Y %H:%M",
        "timezone": "Europe/London",
    }
    settings.update(changes)
    return CsvMapping.model_validate(settings)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "inbox-export.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def test_preview_shows_columns_and_first_rows_and_guesses_the_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text("A;B;C\n1;2;3\n4;5;6\n", encoding="utf-8")
    seen = CsvMappingService.preview(path)
    assert seen.delimiter == ";" and seen.header == ("A", "B", "C")
    assert seen.rows == (("1", "2", "3"), ("4", "5", "6"))


def test_guess_maps_headers_that_already_name_desk_fields(staffed: Staffed) -> None:
    guessed = staffed.desk.csv_mappings.guess(("Platform", "message id", "Text", "Posted at"))
    assert guessed == {"platform": "Platform", "id": "message id", "text": "Text",
                       "posted_at": "Posted at"}  # fmt: skip


def test_check_reads_every_row_and_names_row_and_column(staffed: Staffed, export: Path) -> None:
    good = staffed.desk.csv_mappings.check(export, mapping())
    assert good.ok and good.rows == 3
    iso = staffed.desk.csv_mappings.check(export, mapping(time_format=None, timezone=None))
    assert not iso.ok and iso.rows == 3
    assert [(p.row, p.column) for p in iso.problems] == [(r, "Created (UK)") for r in (2, 3, 4)]
    assert "not a valid time" in iso.problems[0].problem
    assert iso.problems[0].place == "row 2, column 'Created (UK)'"
    missing = staffed.desk.csv_mappings.check(
        export, mapping(columns={**COLUMNS, "text": "Message"})
    )
    assert [(p.row, p.column, p.field) for p in missing.problems] == [(1, "Message", "text")]
    assert staffed.desk.queue.count(staffed.admin_token, QueueFilter()) == 0  # nothing stored


def test_saved_by_name_listed_audited_and_used_to_import(staffed: Staffed, export: Path) -> None:
    desk, admin = staffed.desk, staffed.admin_token
    desk.official_accounts.add(admin, Platform.X, "@ExampleshirePolice")
    saved = desk.csv_mappings.save(admin, mapping("  Inbox   tool "))
    assert saved.name == "Inbox tool" and desk.csv_mappings.names() == ["Inbox tool"]
    assert desk.csv_mappings.named("inbox TOOL") == saved
    entries = desk.audit.entries(admin, action_prefix="csv_mapping.")
    assert [(e.action, e.object) for e in entries] == [
        ("csv_mapping.save", "csv_mapping:Inbox tool")
    ]
    done = desk.importer.import_file(admin, ImportSource(export, mapping=saved))
    assert done.report.added == 3
    again = desk.importer.import_file(admin, ImportSource(export, mapping=saved))
    assert again.report.added == 0 and again.report.duplicates == 3
    # replacing keeps one of that name; removing is audited too
    desk.csv_mappings.save(admin, mapping("INBOX TOOL", delimiter=","))
    assert desk.csv_mappings.names() == ["INBOX TOOL"]
    desk.csv_mappings.delete(admin, "inbox tool")
    assert desk.csv_mappings.names() == []
    actions = [e.action for e in desk.audit.entries(admin, action_prefix="csv_mapping.")]
    assert sorted(actions) == ["csv_mapping.delete", "csv_mapping.save", "csv_mapping.save"]


def test_bad_names_and_unknown_mappings_are_refused(staffed: Staffed) -> None:
    desk, admin = staffed.desk, staffed.admin_token
    for name, fragment in (("[x]", "[ or ]"), ("x" * 81, "too long")):
        with pytest.raises(InvalidInput, match=fragment.replace("[", r"\[")):
            desk.csv_mappings.save(admin, mapping(name))
    assert desk.csv_mappings.names() == []
    desk.csv_mappings.save(admin, mapping("Orlo"))
    with pytest.raises(NotFound, match="saved mappings: 'Orlo'"):
        desk.csv_mappings.named("Sprout")


def test_saving_needs_the_import_permission(staffed: Staffed) -> None:
    made = staffed.desk.accounts.add_user(
        staffed.admin_token, "comms", "Cam Comms", Role.COMMUNICATIONS, USER_PASSWORD
    )
    token = staffed.sign_in(Person("comms", USER_PASSWORD, made.seed, Role.COMMUNICATIONS))
    with pytest.raises(PermissionDenied):
        staffed.desk.csv_mappings.save(token, mapping())
    assert staffed.desk.csv_mappings.names() == []


def test_file_name_names_the_mapping() -> None:
    assert mapping_from_file_name("[Inbox  tool] export 6 Dec.csv") == "Inbox tool"
    assert mapping_from_file_name("export.csv") is None


def test_the_drop_folder_uses_the_mapping_the_file_names(
    staffed: Staffed, folder: Path, export: Path
) -> None:
    staffed.desk.csv_mappings.save(staffed.admin_token, mapping())
    dropped = folder / "[Inbox tool] export.csv"
    dropped.write_bytes(export.read_bytes())
    unknown = folder / "[Sprout] export.csv"
    unknown.write_bytes(export.read_bytes())
    old = staffed.clock.now().timestamp() - 60
    for path in (dropped, unknown):
        os.utime(path, (old, old))
    results = {r.name: r for r in staffed.desk.drop_folder.scan(staffed.admin_token)}
    done = results[dropped.name]
    assert done.report is not None and done.report.added == 3
    refused = results[unknown.name]
    assert refused.report is None and "no saved CSV mapping called 'Sprout'" in (
        refused.problem or ""
    )
    assert staffed.desk.queue.count(staffed.admin_token, QueueFilter()) == 3
