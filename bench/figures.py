"""One figure: Desk's median, the raw limit's median, their ratio, the unit and the goal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Figure:
    """A measured figure (or one that could not be measured, with ``note`` saying why).

    ``desk`` and ``limit`` are None when the figure was not measured: it never shows a made-up
    number. ``parts`` are sub-figures printed under it and nested in its JSON object.
    """

    name: str
    unit: str
    desk: float | None = None
    limit: float | None = None
    note: str = ""
    goal: str = ""
    met: bool | None = None
    parts: dict[str, Figure] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)  # more JSON, not printed

    @property
    def ratio(self) -> float | None:
        """Desk over the limit; None when either is missing."""
        if self.desk is None or self.limit is None or self.limit <= 0:
            return None
        return self.desk / self.limit

    @property
    def measured(self) -> bool:
        """Whether Desk's own figure was measured."""
        return self.desk is not None

    def to_json(self) -> dict[str, Any]:
        """The figure as one JSON object: desk, limit, ratio, unit, then the rest."""
        out: dict[str, Any] = {
            "desk": _round(self.desk),
            "limit": _round(self.limit),
            "ratio": _round(self.ratio),
            "unit": self.unit,
        }
        if self.goal:
            out["goal"] = self.goal
            out["met"] = self.met
        if self.note:
            out["note"] = self.note
        for key, part in self.parts.items():
            out[key] = part.to_json()
        out.update(self.details)
        return out


def _round(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.6g}")


def _show(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "items/s":
        return f"{value:,.0f}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"


def table(figures: list[Figure]) -> str:
    """Render the figures as an aligned text table, one row per figure (and part)."""
    rows = [("figure", "desk", "limit", "ratio", "unit", "goal", "note")]
    for fig in figures:
        rows.append(_row(fig.name, fig))
        rows.extend(_row(f"  {key}", part) for key, part in fig.parts.items())
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    lines = []
    for r in rows:
        cells = [r[0].ljust(widths[0])]
        cells += [r[i].rjust(widths[i]) for i in (1, 2, 3)]
        cells += [r[4].ljust(widths[4]), r[5].ljust(widths[5]), r[6]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _row(label: str, fig: Figure) -> tuple[str, str, str, str, str, str, str]:
    ratio = fig.ratio
    goal = ""
    if fig.goal:
        verdict = "" if fig.met is None else (" met" if fig.met else " MISSED")
        goal = fig.goal + verdict
    return (
        label,
        _show(fig.desk, fig.unit),
        _show(fig.limit, fig.unit),
        "—" if ratio is None else f"{ratio:.2f}x",
        fig.unit,
        goal,
        fig.note,
    )
