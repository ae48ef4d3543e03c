"""Which addresses from imported items Desk may offer to open: web addresses only.

An imported item's link and media references are whatever the file said. Only an absolute
``https`` or ``http`` address with a host is ever made clickable, and it opens in the browser,
outside Desk. Anything else (``file:``, a relative path, ``smb:``, ``javascript:``, ``data:``,
``ftp:``, ``mailto:``...) is kept and shown as text: a ``file:`` or relative link would load a
local file into the item view, and ``smb:`` hands the address to the desktop, which on Windows
can send the user's network credentials to the host named.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

WEB_SCHEMES = frozenset({"https", "http"})
MAX_LINK = 2048


def is_web_link(text: str) -> bool:
    """Tell whether ``text`` is an absolute http(s) address with a host, safe to offer.

    The scheme's case does not matter (``HTTPS://`` is fine). Spaces, control characters and
    backslashes anywhere refuse it: browsers and the desktop read those differently.
    """
    if not text or len(text) > MAX_LINK:
        return False
    if any(c.isspace() or c == "\\" or unicodedata.category(c)[0] == "C" for c in text):
        return False
    scheme, colon, rest = text.partition(":")
    if not colon or scheme.lower() not in WEB_SCHEMES or not rest.startswith("//"):
        return False
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(host)
