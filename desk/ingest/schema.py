"""Keep resources/schemas/desk-item.schema.json equal to the record model it describes.

python -m desk.ingest.schema --write   # regenerate the file
python -m desk.ingest.schema --check   # exit 1 if the file is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desk.ingest.records import SCHEMA_ID, DeskItemRecord

__all__ = ["SCHEMA_PATH", "desk_item_schema", "main", "schema_text"]

SCHEMA_PATH = (
    Path(__file__).resolve().parents[2] / "resources" / "schemas" / "desk-item.schema.json"
)
"""Where the schema lives in a checkout (the wheel carries it under desk/_resources)."""


def desk_item_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of one line of Desk's JSON Lines format."""
    schema = DeskItemRecord.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def schema_text() -> str:
    """The schema as the file holds it."""
    return json.dumps(desk_item_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write or check the schema file; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m desk.ingest.schema", description=__doc__)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="regenerate the schema file")
    action.add_argument("--check", action="store_true", help="fail if the file is out of date")
    parser.add_argument("--path", type=Path, default=SCHEMA_PATH, help="the schema file")
    args = parser.parse_args(argv)
    path: Path = args.path
    if args.write:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(schema_text(), encoding="utf-8")
        print(f"wrote {path}")
        return 0
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if current != schema_text():
        print(f"{path} is out of date: run python -m desk.ingest.schema --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
