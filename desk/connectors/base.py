"""The connector interface, and finding the connectors installed through entry points.

A force whose platform offers a moderation API installs a package that declares, in its
``pyproject.toml``::

    [project.entry-points."desk.connectors"]
    exampleshire-x = "exampleshire_connectors.x:XConnector"

The entry point names a class (made with no arguments) or an object with the attributes of
:class:`Connector`. Desk asks the first connector that covers the case's platform and
``supports`` the kind of action to ``apply`` it; otherwise the action is "manual".
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Protocol, runtime_checkable

from desk.core.moderation import ModerationKind

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "desk.connectors"
MANUAL = "manual"


@dataclass(frozen=True)
class ConnectorAction:
    """What a connector is asked to do on the platform."""

    kind: ModerationKind
    platform: str
    official_account: str
    item_platform_id: str | None
    item_link: str | None
    author_platform_id: str
    author_handle: str
    guideline_code: str
    explanation: str


@dataclass(frozen=True)
class ConnectorResult:
    """What the platform answered: ``applied`` False means the operator must finish it."""

    applied: bool
    reference: str = ""
    message: str = ""


@runtime_checkable
class Connector(Protocol):
    """A platform's moderation API, as Desk uses it."""

    name: str
    platforms: frozenset[str]

    def supports(self, kind: ModerationKind) -> bool:
        """Tell whether this connector can apply ``kind`` of action."""
        ...

    def apply(self, action: ConnectorAction) -> ConnectorResult:
        """Apply ``action`` on the platform (raising or answering not applied on failure)."""
        ...


def _load(entry: EntryPoint) -> Connector | None:
    try:
        found = entry.load()
        made = found() if isinstance(found, type) else found
    except Exception as exc:  # a broken plug-in must not stop the desk
        log.warning("connector %s could not be loaded: %s", entry.name, type(exc).__name__)
        return None
    if not isinstance(made, Connector) or not str(getattr(made, "name", "")).strip():
        log.warning("connector %s does not have Desk's connector interface", entry.name)
        return None
    return made


def discover() -> list[Connector]:
    """Return the connectors installed through the ``desk.connectors`` entry points."""
    found = [_load(e) for e in entry_points(group=ENTRY_POINT_GROUP)]
    return sorted((c for c in found if c is not None), key=lambda c: c.name)


class ConnectorRegistry:
    """The connectors a desk uses: discovered once when first asked, or given (for tests)."""

    def __init__(self, connectors: Iterable[Connector] | None = None) -> None:
        self._connectors: list[Connector] | None = None if connectors is None else list(connectors)

    @property
    def connectors(self) -> list[Connector]:
        """The connectors known, discovering the installed ones on first use."""
        if self._connectors is None:
            self._connectors = discover()
            names = ", ".join(c.name for c in self._connectors) or "none"
            log.info("moderation connectors installed: %s", names)
        return self._connectors

    def rediscover(self) -> None:
        """Look for installed connectors again on the next use."""
        self._connectors = None

    def for_action(self, platform: str, kind: ModerationKind) -> Connector | None:
        """Return the connector that applies ``kind`` on ``platform``, or None (manual)."""
        for connector in self.connectors:
            if platform in connector.platforms and connector.supports(kind):
                return connector
        return None
