"""The GUI floor keeps its shape: small modules, no import cycle, no reach into privates."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

GUI = Path(__file__).resolve().parents[1] / "desk" / "gui"
MOST_LINES = 520  # "about 500": a module past this is doing two jobs


def gui_modules() -> list[Path]:
    """The hand-written GUI modules (generated forms aside)."""
    return sorted(p for p in GUI.rglob("*.py") if "forms" not in p.relative_to(GUI).parts)


def test_no_gui_module_is_doing_two_jobs() -> None:
    long = {
        str(p.relative_to(GUI)): n
        for p in gui_modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    }
    assert long == {}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle among the modules of ``edges`` (each found once, from any member)."""
    found: list[list[str]] = []
    seen: set[frozenset[str]] = set()

    def walk(start: str, node: str, path: list[str]) -> None:
        for nxt in sorted(edges.get(node, ())):
            if nxt == start:
                key = frozenset(path)
                if key not in seen:
                    seen.add(key)
                    found.append([*path, start])
            elif nxt not in path and nxt > start:  # each cycle from its smallest member
                walk(start, nxt, [*path, nxt])

    for module in sorted(edges):
        walk(module, module, [module])
    return found


def test_no_import_cycle_inside_the_gui() -> None:
    graph = grimp.build_graph("desk")  # type-checking imports count: a cycle is a cycle
    gui = {m for m in graph.modules if m.startswith("desk.gui.") and ".forms" not in m}
    edges = {m: graph.find_modules_directly_imported_by(m) & gui for m in gui}
    assert cycles(edges) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def private_reaches(source: str) -> list[str]:
    """``x._name`` where ``x`` is not ``self``, ``cls`` or ``super()``: another's private member."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Attribute):
            continue
        name = node.attr
        if not name.startswith("_") or name.startswith("__"):
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
            continue
        if isinstance(owner, ast.Call) and getattr(owner.func, "id", "") == "super":
            continue
        found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_no_gui_module_reaches_into_another_objects_private_members() -> None:
    reaches = {
        str(p.relative_to(GUI)): hits
        for p in gui_modules()
        if (hits := private_reaches(p.read_text(encoding="utf-8")))
    }
    assert reaches == {}


def test_the_private_reach_finder_tells_mine_from_another_objects() -> None:
    assert private_reaches("self._a\nsuper()._b\ncls._c\nx.__dict__") == []
    assert private_reaches("window._needs.update(x)") == ["line 1: window._needs"]
