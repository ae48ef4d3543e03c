"""F1: every keyboard shortcut, read from the menus' actions so the list cannot drift."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QMenuBar, QWidget

from desk.gui.forms.ui_shortcuts_dialog import Ui_ShortcutsDialog
from desk.gui.keys import action_name, shortcut_text


@dataclass(frozen=True)
class ShortcutRow:
    """One action and its keys."""

    menu: str
    name: str
    keys: str
    enabled: bool


def shortcut_rows(menubar: QMenuBar) -> list[ShortcutRow]:
    """Return every menu action that has a shortcut, menu by menu, in menu order."""
    rows: list[ShortcutRow] = []

    def walk(menu: QMenu, title: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, title)
            elif not action.isSeparator() and shortcut_text(action):
                rows.append(
                    ShortcutRow(
                        title, action_name(action), shortcut_text(action), action.isEnabled()
                    )
                )

    for top in menubar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, action_name(top))
    return rows


class ShortcutsDialog(QDialog):
    """The cheat sheet."""

    def __init__(self, menubar: QMenuBar, extra: list[tuple[str, str]], parent: QWidget | None):
        super().__init__(parent)
        self.ui = Ui_ShortcutsDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.rows = shortcut_rows(menubar)
        self.extra = extra
        self.ui.shortcutsView.setHtml(self._html())

    def _html(self) -> str:
        parts = ["<table cellspacing='0' cellpadding='4' width='100%'>"]
        menu = None
        for row in self.rows:
            if row.menu != menu:
                menu = row.menu
                parts.append(
                    f"<tr><td colspan='2' style='padding-top:10px'><b>{html.escape(menu)}</b>"
                    "</td></tr>"
                )
            note = "" if row.enabled else html.escape(" " + self.tr("(not available now)"))
            parts.append(
                f"<tr><td width='60%'>{html.escape(row.name)}"
                f"<span style='color:#5c5c5c'>{note}</span></td>"
                f"<td><b>{html.escape(row.keys)}</b></td></tr>"
            )
        parts.append(
            f"<tr><td colspan='2' style='padding-top:10px'><b>{html.escape(self.tr('Anywhere'))}"
            "</b></td></tr>"
        )
        for name, keys in self.extra:
            parts.append(
                f"<tr><td>{html.escape(name)}</td><td><b>{html.escape(keys)}</b></td></tr>"
            )
        parts.append("</table>")
        return "".join(parts)

    def text(self) -> str:
        """Return the sheet as plain text (what a person reads)."""
        return self.ui.shortcutsView.toPlainText()


def all_actions(window: QWidget) -> list[QAction]:
    """Return every action of ``window`` (for checks that every shortcut is listed)."""
    return window.findChildren(QAction)
