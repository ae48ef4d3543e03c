"""The handover's words for a surge: a ratio against a real baseline, never 'x the usual 0.0'."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desk.core.handover import HandoverReport, SurgeWindow, render_text

START = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)


def report(*surges: SurgeWindow) -> HandoverReport:
    return HandoverReport(
        START, START + timedelta(hours=8), START + timedelta(hours=8), "Digital desk",
        [], 0, [], 0, [], list(surges), {}, [], [], {}, [], [],
    )  # fmt: skip


def test_a_surge_is_told_against_its_usual_arrivals() -> None:
    busy = SurgeWindow("x", START, START + timedelta(minutes=15), 60, 12.0, 5.0)
    quiet = SurgeWindow("facebook", START, START + timedelta(minutes=15), 12, 0.0, 12.0)
    text = render_text(report(busy, quiet))
    assert "x: 60 arrivals (5.0x the usual 12)" in text
    assert "facebook: 12 arrivals (usually fewer than one in that time)" in text
    assert "the usual 0" not in text
