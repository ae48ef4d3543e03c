"""The public list of official accounts, for the force's website: accessible HTML and CSV.

Only open public-engagement accounts appear, and only what the public should see (platform,
handle, name, area, link): never administrators, credentials or review dates. It is the one
Desk export that is not OFFICIAL-SENSITIVE: it is marked :data:`PUBLIC_MARKING` and is
written to be published.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from desk.core.csv_safety import write_csv

PUBLIC_MARKING = "OFFICIAL (for publication)"
FORCE_WIDE_TEXT = "Force-wide"
CSV_HEADER = ("Platform", "Account", "Name", "Area", "Link")

PLATFORM_NAMES = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "x": "X",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "nextdoor": "Nextdoor",
    "linkedin": "LinkedIn",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "whatsapp": "WhatsApp",
    "other": "Other",
}


@dataclass(frozen=True)
class PublicAccount:
    """One line of the public list."""

    platform: str  # the Platform value
    handle: str
    display_name: str
    area: str  # "" = force-wide
    link: str  # "" when none is recorded

    @property
    def platform_name(self) -> str:
        """The platform as people write it."""
        return PLATFORM_NAMES.get(self.platform, self.platform)


def _day(on: date) -> str:
    return f"{on.day} {on:%B %Y}"


def sort_key(account: PublicAccount) -> tuple[str, str, str]:
    """The list's order: platform, then area (force-wide first), then handle."""
    return (account.platform_name.casefold(), account.area.casefold(), account.handle.casefold())


def render_html(accounts: Sequence[PublicAccount], force: str, updated: date) -> str:
    """Return the list as a whole, accessible HTML page (UTF-8, every value escaped)."""
    f = escape(force)
    rows = []
    for a in sorted(accounts, key=sort_key):
        label = escape(a.handle)
        if a.link:
            # the link text says where it goes: the account and its platform
            cell = (
                f'<a href="{escape(a.link, quote=True)}">{label} on {escape(a.platform_name)}</a>'
            )
        else:
            cell = label
        rows.append(
            "      <tr>\n"
            f"        <td>{escape(a.platform_name)}</td>\n"
            f"        <td>{cell}</td>\n"
            f"        <td>{escape(a.display_name)}</td>\n"
            f"        <td>{escape(a.area or FORCE_WIDE_TEXT)}</td>\n"
            "      </tr>"
        )
    body = (
        "\n".join(rows) if rows else '      <tr>\n        <td colspan="4">None.</td>\n      </tr>'
    )
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="protective-marking" content="{escape(PUBLIC_MARKING, quote=True)}">
  <title>Official social media accounts: {f}</title>
</head>
<body>
<main>
  <h1>Official social media accounts of {f}</h1>
  <p>These are the only social media accounts that {f} runs. An account that is not listed
  here is not ours, whatever its name or picture: do not send it personal details, and please
  report it to the platform. To report a crime, call 999 in an emergency or 101 otherwise.</p>
  <p>Last updated {_day(updated)}.</p>
  <table>
    <caption>{len(accounts)} official {"account" if len(accounts) == 1 else "accounts"} of {f},
    by platform (last updated {_day(updated)})</caption>
    <thead>
      <tr>
        <th scope="col">Platform</th>
        <th scope="col">Account</th>
        <th scope="col">Name</th>
        <th scope="col">Area</th>
      </tr>
    </thead>
    <tbody>
{body}
    </tbody>
  </table>
</main>
</body>
</html>
"""


def render_csv(accounts: Sequence[PublicAccount]) -> str:
    """Return the list as CSV (formula-safe, marked for publication)."""
    out = io.StringIO()
    write_csv(
        out,
        CSV_HEADER,
        (
            (a.platform_name, a.handle, a.display_name, a.area or FORCE_WIDE_TEXT, a.link)
            for a in sorted(accounts, key=sort_key)
        ),
        PUBLIC_MARKING,
    )
    return out.getvalue()
