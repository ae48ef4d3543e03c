"""The name of this computer, as a session records it (read by the window and desk-admin)."""

from __future__ import annotations

import platform
import socket


def this_workstation() -> str:
    """Return this computer's host name ('' when the system does not say)."""
    try:
        return platform.node() or socket.gethostname()
    except OSError:
        return ""
