"""CSV cells a spreadsheet would run as formulas are neutralised; the marking frames the file."""

from __future__ import annotations

import csv
import io

import pytest

from desk.core.csv_safety import safe_cell, write_csv


@pytest.mark.parametrize(
    "hostile",
    ['=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"],
)
def test_a_formula_start_is_prefixed_with_a_quote(hostile: str) -> None:
    assert safe_cell(hostile) == "'" + hostile


@pytest.mark.parametrize("plain", ["hello", "", "1", "a=b", " =1", "'quoted", None, 42])
def test_other_cells_are_left_as_they_are(plain: object) -> None:
    assert safe_cell(plain) == ("" if plain is None else str(plain))


def test_write_csv_marks_first_and_last_row_and_neutralises_every_cell() -> None:
    out = io.StringIO(newline="")
    count = write_csv(out, ["name", "=note"], [["@jo", "=1+1"], ["ok", "-3"]], "OFFICIAL")
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert count == 2
    assert rows == [
        ["OFFICIAL"],
        ["name", "'=note"],
        ["'@jo", "'=1+1"],
        ["ok", "'-3"],
        ["OFFICIAL"],
    ]
