"""A strict check of a generated HTML page with the standard library's parser.

No html5lib here: the page is parsed into a tree, and anything a validator would flag in
pages Desk writes (an unclosed or stray tag, bad nesting, a missing doctype, language, title
or charset) fails the check. Then the caller asserts the accessibility structure on the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip


@dataclass
class Node:
    """An element: its tag, attributes, children and text."""

    tag: str
    attrs: dict[str, str | None]
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All the text inside, whitespace collapsed."""
        parts = list(self.texts)
        for child in self.children:
            parts.append(child.text)
        return " ".join(" ".join(parts).split())

    def find_all(self, tag: str) -> list[Node]:
        """Every element with this tag below, in document order."""
        found = []
        for child in self.children:
            if child.tag == tag:
                found.append(child)
            found.extend(child.find_all(tag))
        return found


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root
        self.doctype: str | None = None
        self.problems: list[str] = []

    def handle_decl(self, decl: str) -> None:
        if self.root.children or self.doctype is not None:
            self.problems.append("the doctype is not first")
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [a for a, _ in attrs]
        if len(names) != len(set(names)):
            self.problems.append(f"<{tag}> repeats an attribute")
        node = Node(tag, dict(attrs), parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, dict(attrs), parent=self.current))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"</{tag}> closes a void element")
            return
        if self.current.tag != tag:
            self.problems.append(f"</{tag}> closes <{self.current.tag}>")
            return
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.texts.append(data)


def parse_strict(page: str) -> Node:
    """Return the page's <html> element, or fail naming every structural problem."""
    builder = _Builder()
    builder.feed(page)
    builder.close()
    problems = list(builder.problems)
    if builder.current is not builder.root:
        problems.append(f"<{builder.current.tag}> is never closed")
    if (builder.doctype or "").lower() != "doctype html":
        problems.append("no <!DOCTYPE html>")
    (html,) = [n for n in builder.root.children if n.tag == "html"] or [None]
    if html is None:
        raise AssertionError("no <html> element")
    if [c.tag for c in html.children] != ["head", "body"]:
        problems.append("<html> must hold <head> then <body>")
    heads = html.find_all("head")
    if heads:
        head = heads[0]
        if not any(
            (m.attrs.get("charset") or "").lower() == "utf-8" for m in head.find_all("meta")
        ):
            problems.append("no <meta charset='utf-8'>")
        titles = head.find_all("title")
        if len(titles) != 1 or not titles[0].text:
            problems.append("the page needs one non-empty <title>")
    assert not problems, problems
    return html
