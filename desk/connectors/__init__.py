"""Platform connectors: plug-ins that apply a moderation action through a platform's API.

A connector is installed as a package that declares an entry point in the group
``desk.connectors`` (see :mod:`desk.connectors.base`). Without one for a platform, Desk
records the action as "manual": the operator finishes it on the platform.
"""

from desk.connectors.base import (
    ENTRY_POINT_GROUP,
    MANUAL,
    Connector,
    ConnectorAction,
    ConnectorRegistry,
    ConnectorResult,
    discover,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "MANUAL",
    "Connector",
    "ConnectorAction",
    "ConnectorRegistry",
    "ConnectorResult",
    "discover",
]
