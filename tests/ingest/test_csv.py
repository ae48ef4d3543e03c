"""CSV exports through column mappings: the default mapping, a saved one, and refusals."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desk.core.errors import InvalidInput
from desk.core.items import ItemKind, Platform
from desk.ingest import AccountNeeded, CsvMapping, ImportCancelled, read_items
from desk.ingest.csv_format import DEFAULT_COLUMNS
from tests.ingest.helpers import DATA, refusal_of

DataFile = Callable[[str], Path]
HEADER = (
    "Platform,Account,Type,Message ID,Author ID,Author Handle,Author Name,Message,Link,Media,"
    "Thread ID,Posted At,Received At"
)


def test_default_mapping_reads_a_typical_export(data_file: DataFile) -> None:
    path = data_file("export.csv")
    batch = read_items(path)
    assert batch.format == "csv"
    items = batch.items
    assert [i.platform for i in items] == [
        Platform.FACEBOOK,
        Platform.X,
        Platform.X,
        Platform.INSTAGRAM,
        Platform.FACEBOOK,
    ]
    assert [i.kind for i in items] == [
        ItemKind.COMMENT,
        ItemKind.REPLY,
        ItemKind.DIRECT_MESSAGE,
        ItemKind.COMMENT,
        ItemKind.COMMENT,
    ]
    first = items[0]
    assert first.account == "Exampleshire Police (Facebook page)"
    assert first.author.handle == "Sarah Jenkins" and first.thread_id == "1029384756"
    assert first.received_at == datetime(2026, 11, 26, 8, 41, 40, tzinfo=UTC)
    assert items[1].received_at is None and items[1].author.display_name == "Dave"
    assert items[2].text.count("\n") == 2  # a quoted cell over three lines
    assert items[3].text == "" and items[3].media == (
        "https://cdn.example.com/ig/1.jpg",
        "https://cdn.example.com/ig/2.jpg",
    )
    assert items[4].text == 'Diolch yn fawr am y diweddariad, "da iawn" pawb'


def test_default_mapping_names_the_typical_headers() -> None:
    mapping = CsvMapping()
    assert list(mapping.columns.values()) == [c.strip() for c in HEADER.split(",")]
    assert mapping.columns == DEFAULT_COLUMNS


def test_saved_mapping_with_uk_times_and_semicolons(data_file: DataFile) -> None:
    mapping = CsvMapping.load(DATA / "semicolon-mapping.json")
    path = data_file("export-semicolon.csv")
    with pytest.raises(AccountNeeded) as caught:
        read_items(path, csv_mapping=mapping)
    assert caught.value.first == "row 4"
    items = read_items(path, csv_mapping=mapping, account="Exampleshire Police").items
    # 26/11/2026 21:45 in London is GMT; 26/06/2026 21:50 is BST (UTC+1)
    assert items[0].posted_at == datetime(2026, 11, 26, 21, 45, tzinfo=UTC)
    assert items[2].posted_at == datetime(2026, 6, 26, 20, 50, tzinfo=UTC)
    assert items[0].platform is Platform.FACEBOOK
    assert items[0].author.handle == items[0].author.display_name == "Bob Evans"
    assert items[2].account == "Exampleshire Police"


def test_mapping_round_trip(tmp_path: Path) -> None:
    mapping = CsvMapping(
        name="Ours",
        delimiter="\t",
        columns={**DEFAULT_COLUMNS, "text": "Body"},
        defaults={"account": "@ExampleshirePolice"},
        time_format="%Y-%m-%d %H:%M:%S%z",
        platform_values={"Meta": Platform.FACEBOOK},
        kind_values={"Wall Post": ItemKind.COMMENT},
    )
    path = tmp_path / "ours.json"
    mapping.save(path)
    assert json.loads(path.read_text(encoding="utf-8"))["columns"]["text"] == "Body"
    assert CsvMapping.load(path) == mapping


def test_own_spellings_and_defaults(tmp_path: Path) -> None:
    mapping = CsvMapping(
        columns={
            "id": "Ref",
            "author_id": "Who",
            "author_handle": "Who",
            "text": "Said",
            "posted_at": "When",
            "kind": "What",
        },
        defaults={"platform": "Meta", "account": "Exampleshire Police (Facebook page)"},
        platform_values={"Meta": Platform.FACEBOOK},
        kind_values={"Wall Post": ItemKind.COMMENT},
    )
    path = tmp_path / "own.csv"
    path.write_text(
        "Ref,Who,Said,When,What\n1,Ann,hello,2026-11-26T09:00:00Z,wall post\n"
        "2,Bob,hi,2026-11-26T09:00:00+00:00,DM\n",
        encoding="utf-8",
    )
    items = read_items(path, csv_mapping=mapping).items
    assert [(i.platform, i.kind, i.account) for i in items] == [
        (Platform.FACEBOOK, ItemKind.COMMENT, "Exampleshire Police (Facebook page)"),
        (Platform.FACEBOOK, ItemKind.DIRECT_MESSAGE, "Exampleshire Police (Facebook page)"),
    ]


def test_missing_mapped_column_is_named(data_file: DataFile) -> None:
    path = data_file("csv-missing-column.csv")
    refused = refusal_of(lambda: read_items(path))
    assert (refused.row, refused.column, refused.field) == (1, "Posted At", "posted_at")
    assert "column 'Posted At'" in refused.message and str(path) in refused.message
    assert "header has no such column" in refused.problem


@pytest.mark.parametrize(
    ("name", "row", "column", "field", "fragment"),
    [
        ("csv-naive-time.csv", 3, "Posted At", "posted_at", "has no timezone"),
        ("csv-unknown-platform.csv", 2, "Platform", "platform", "unknown value 'MySpace'"),
        ("csv-duplicates.csv", 4, None, "id", "already at row 2"),
        ("csv-ragged.csv", 2, None, None, "has 14 values but the header has 13 columns"),
    ],
)
def test_bad_rows_are_refused(
    data_file: DataFile,
    name: str,
    row: int,
    column: str | None,
    field: str | None,
    fragment: str,
) -> None:
    path = data_file(name)
    refused = refusal_of(lambda: read_items(path))
    assert (refused.row, refused.column, refused.field) == (row, column, field)
    assert fragment in refused.problem
    assert str(path) in refused.message and f"row {row}" in refused.message
    if column is not None:
        assert f"row {row}, column {column!r}" in refused.message


def test_multi_line_rows_are_numbered_as_a_spreadsheet_numbers_them(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text(
        HEADER + "\n"
        'Facebook,P,Comment,1,1,A,,"one\ntwo\nthree",,,,2026-11-26T08:00:00Z,\n'
        "Facebook,P,Comment,2,2,B,,fine,,,,yesterday,\n",
        encoding="utf-8",
    )
    refused = refusal_of(lambda: read_items(path))
    # the header is row 1; the row of three lines is row 2, however many lines it takes
    assert refused.row == 3 and refused.field == "posted_at"
    assert "'yesterday' is not a valid time" in refused.problem


def test_empty_required_cell(tmp_path: Path) -> None:
    path = tmp_path / "blank-id.csv"
    path.write_text(
        HEADER + "\nFacebook,P,Comment,,1,A,,hello,,,,2026-11-26T08:00:00Z,\n", encoding="utf-8"
    )
    refused = refusal_of(lambda: read_items(path))
    assert (refused.row, refused.column, refused.field) == (2, "Message ID", "id")
    assert refused.problem == "is missing"


def test_time_format_mismatch(tmp_path: Path) -> None:
    mapping = CsvMapping(time_format="%d/%m/%Y %H:%M", timezone="Europe/London")
    path = tmp_path / "uk.csv"
    path.write_text(
        HEADER + "\nFacebook,P,Comment,1,1,A,,hello,,,,2026-11-26T08:00:00Z,\n", encoding="utf-8"
    )
    refused = refusal_of(lambda: read_items(path, csv_mapping=mapping))
    assert "does not match the mapping's time format '%d/%m/%Y %H:%M'" in refused.problem


def test_header_only_is_an_empty_batch_and_empty_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text(HEADER + "\n", encoding="utf-8")
    assert read_items(path).items == []
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert refusal_of(lambda: read_items(empty)).problem == "the file is empty"


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "\nFacebook,P,Comment,1,1,A,,caf\xe9,,,,2026-11-26T08:00:00Z,\n").encode(
            "latin-1"
        )
    )
    refused = refusal_of(lambda: read_items(path))
    assert "is not utf-8-sig text" in refused.problem and refused.line is not None


def test_cancel_csv(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = [
        f"X,@ExampleshirePolice,Mention,{n},{n},@u{n},,hello {n},,,,2026-11-26T08:00:00Z,"
        for n in range(2100)
    ]
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    counts: list[int] = []
    assert len(read_items(path, progress=counts.append).items) == 2100
    assert counts == [1000, 2000, 2100]
    with pytest.raises(ImportCancelled):
        read_items(path, cancelled=lambda: True)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('{"columns": {"id": "ID"}}', "no column and no default for the required field"),
        ('{"delimiter": ",,"}', "delimiter"),
        ('{"timezone": "Mars/Olympus"}', "unknown time zone 'Mars/Olympus'"),
        ('{"colour": "red"}', "colour: is not a field of this format"),
        ('{"defaults": {"platform": "myspace"}}', "unknown platform 'myspace' in defaults"),
        ('{"columns": {"nonsense": "X"}}', "columns.nonsense"),
        ("{", "not valid JSON"),
    ],
)
def test_bad_mapping_files(tmp_path: Path, body: str, fragment: str) -> None:
    path = tmp_path / "mapping.json"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        CsvMapping.load(path)
    assert str(path) in caught.value.message and fragment in caught.value.message


def test_missing_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot be read"):
        CsvMapping.load(tmp_path / "none.json")


def test_timezone_applies_to_iso_times_without_offset(tmp_path: Path) -> None:
    mapping = CsvMapping(timezone="Europe/London")
    path = tmp_path / "local.csv"
    path.write_text(
        HEADER + "\nFacebook,P,Comment,1,1,A,,hello,,,,2026-06-26 21:50,2026-06-26T20:51:00Z\n",
        encoding="utf-8",
    )
    (item,) = read_items(path, csv_mapping=mapping).items
    assert item.posted_at == datetime(2026, 6, 26, 20, 50, tzinfo=UTC)
    assert item.received_at == datetime(2026, 6, 26, 20, 51, tzinfo=UTC)
