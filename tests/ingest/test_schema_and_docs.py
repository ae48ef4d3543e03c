"""The JSON Schema file and the documented examples stay true to the code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from desk.ingest import CsvMapping, ImportRefused, read_items
from desk.ingest.jsonl_format import DeskItemRecord
from desk.ingest.schema import SCHEMA_PATH, desk_item_schema, main, schema_text
from desk.resources import resource_path

DOC = Path(__file__).resolve().parents[2] / "docs" / "import-format.md"
FENCE = re.compile(
    r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```\n(?P<after>.*?)(?=^```|\Z)", re.S | re.M
)


def blocks(info: str) -> list[tuple[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    return [
        (m.group("body"), m.group("after"))
        for m in FENCE.finditer(text)
        if m.group("info").strip() == info
    ]


def test_schema_file_equals_the_model() -> None:
    shipped = json.loads(resource_path("schemas", "desk-item.schema.json").read_text("utf-8"))
    assert shipped == desk_item_schema()
    schema = DeskItemRecord.model_json_schema()
    assert {k: v for k, v in shipped.items() if not k.startswith("$s") and k != "$id"} == schema
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text()


def test_schema_says_what_matters() -> None:
    schema = desk_item_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {
        "platform",
        "kind",
        "id",
        "author_id",
        "author_handle",
        "text",
        "posted_at",
    }
    assert schema["properties"]["posted_at"]["format"] == "date-time"
    assert schema["properties"]["id"]["type"] == "string"


def test_schema_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "schema.json"
    assert main(["--check", "--path", str(path)]) == 1
    assert main(["--write", "--path", str(path)]) == 0
    assert main(["--check", "--path", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == schema_text()
    path.write_text("{}", encoding="utf-8")
    assert main(["--check", "--path", str(path)]) == 1
    assert "out of date" in capsys.readouterr().err


def test_documented_examples_import(tmp_path: Path) -> None:
    examples = blocks("jsonl")
    assert len(examples) >= 2
    for n, (body, _) in enumerate(examples):
        path = tmp_path / f"example-{n}.jsonl"
        path.write_text(body, encoding="utf-8")
        batch = read_items(path, account="@ExampleshirePolice")
        assert len(batch.items) == len(body.strip().splitlines())


def test_documented_refusals_are_refused_as_described(tmp_path: Path) -> None:
    examples = blocks("jsonl refused")
    assert len(examples) >= 2
    for n, (body, after) in enumerate(examples):
        path = tmp_path / f"refused-{n}.jsonl"
        path.write_text(body, encoding="utf-8")
        with pytest.raises(ImportRefused) as caught:
            read_items(path)
        (described,) = re.findall(r"`([^`]+)`", after.strip().split("\n\n")[0])
        assert " ".join(described.split()) in caught.value.message


def test_documented_mapping_loads(tmp_path: Path) -> None:
    ((body, _),) = blocks("json csv-mapping")
    path = tmp_path / "mapping.json"
    path.write_text(body, encoding="utf-8")
    mapping = CsvMapping.load(path)
    assert mapping.delimiter == ";" and mapping.timezone == "Europe/London"


def test_documented_default_header_is_the_default_mapping() -> None:
    ((body, _),) = blocks("text")
    assert [h.strip() for h in body.strip().split(",")] == list(CsvMapping().columns.values())
