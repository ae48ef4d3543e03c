"""A tiny reference connector, installed only by tests (through a test-only entry point)."""

from __future__ import annotations

from desk.connectors.base import ConnectorAction, ConnectorResult
from desk.core.moderation import ModerationKind

APPLIED: list[ConnectorAction] = []


class ReferenceConnector:
    """Applies hides and deletes on X by remembering them; anything else stays manual."""

    name = "reference-x"
    platforms = frozenset({"x"})

    def supports(self, kind: ModerationKind) -> bool:
        """Hides and deletes only."""
        return kind in (ModerationKind.HIDE, ModerationKind.DELETE)

    def apply(self, action: ConnectorAction) -> ConnectorResult:
        """Remember the action; answer with a platform reference."""
        APPLIED.append(action)
        return ConnectorResult(True, reference=f"ref-{len(APPLIED)}")


class RefusingConnector(ReferenceConnector):
    """A connector whose platform refuses every action."""

    name = "refusing-x"

    def apply(self, action: ConnectorAction) -> ConnectorResult:
        """Refuse."""
        return ConnectorResult(False, message="rate limited")
