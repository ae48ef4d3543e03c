"""Every export carries the protective marking; every CSV writer neutralises formulas."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desk.core.escalation import TargetKind, Urgency, build_eml
from desk.core.items import Platform
from desk.core.roles import Role
from desk.gui.access_review import write_csv
from desk.render.pdf import write_pdf
from desk.services.people import AccessReviewRow
from desk.store.tables import Case
from tests.conftest import Staffed
from tests.services.helpers import item


def _pages(path: Path) -> list[str]:
    doc = QPdfDocument(None)
    doc.load(str(path))
    pages = [doc.getAllText(n).text() for n in range(doc.pageCount())]
    doc.close()
    return pages


def test_a_pdf_has_the_marking_at_the_head_and_foot_of_every_page(
    qtbot: QtBot, tmp_path: Path
) -> None:
    body = "".join(f"<h2>Part {n}</h2><p>{'words ' * 300}</p>" for n in range(6))
    out = write_pdf(tmp_path / "marked.pdf", "Marked", body, "OFFICIAL-SENSITIVE")
    pages = _pages(out)
    assert len(pages) > 1
    for text in pages:
        lines = [line for line in text.splitlines() if line.strip()]
        assert lines[0].strip() == "OFFICIAL-SENSITIVE", lines[:2]
        assert text.count("OFFICIAL-SENSITIVE") == 2


def test_an_escalation_eml_and_pdf_carry_the_set_marking(
    staffed: Staffed, qtbot: QtBot, tmp_path: Path
) -> None:
    d, admin = staffed.desk, staffed.admin_token
    d.settings.set(admin, "protective_marking", "OFFICIAL")
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.importer.store(admin, [item("1", "=cmd|' /C calc'!A0 help me", author="u1")], "test")
    with d.ctx.db.read() as s:
        case_id = s.scalars(select(Case.id)).one()
    doc, email = d.escalations.preview(admin, case_id, TargetKind.COMMAND, Urgency.HOUR, "Worried")
    assert doc.marking == "OFFICIAL"
    read = message_from_bytes(build_eml(doc, email).as_bytes(), policy=default)
    assert read["X-Protective-Marking"] == "OFFICIAL"
    body = read.get_body().get_content().splitlines()  # type: ignore[union-attr]
    assert body[0] == "OFFICIAL" and body[-1] == "OFFICIAL"


def test_the_access_review_csv_is_marked_and_formula_safe(tmp_path: Path) -> None:
    at = datetime(2026, 11, 26, 9, tzinfo=UTC)
    hostile = AccessReviewRow(
        "mallory", '=HYPERLINK("http://evil","click")', Role.OPERATOR, True, at, None, None,
        "@admin", None, False, False, 0,
    )  # fmt: skip
    out = tmp_path / "review.csv"
    write_csv(out, [hostile], "OFFICIAL-SENSITIVE")
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == rows[-1] == ["OFFICIAL-SENSITIVE"]
    assert rows[2][1] == '\'=HYPERLINK("http://evil","click")'
    assert rows[2][5] == "'@admin"


def test_template_json_exports_carry_the_marking_and_import_again(
    staffed: Staffed, tmp_path: Path
) -> None:
    d, admin = staffed.desk, staffed.admin_token
    written = d.templates.export_dir(admin, tmp_path / "templates")
    assert written
    data = json.loads(written[0].read_text(encoding="utf-8"))
    assert next(iter(data)) == "protective_marking"
    assert data["protective_marking"] == "OFFICIAL-SENSITIVE"
