"""Which addresses from imported items may be offered as links (issue 15 item 1)."""

from __future__ import annotations

import pytest

from desk.core.links import is_web_link


@pytest.mark.parametrize(
    "address",
    [
        "https://x.example/1",
        "http://x.example/a?b=c#d",
        "HTTPS://ok.example/x",
        "Https://ok.example:8443/x",
        "https://bücher.example/x",
    ],
)
def test_web_addresses_are_links(address: str) -> None:
    assert is_web_link(address)


@pytest.mark.parametrize(
    "address",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "../../x",
        "/etc/passwd",
        "x.jpg",
        "smb://host/share",
        "\\\\host\\share",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://host/x",
        "mailto:someone@example.org",
        "https:/x.example",  # no host
        "https:x.example",
        "https://",
        " https://x.example/1",  # a space before the scheme
        "https://x.example/a b",
        "https:\\\\x.example\\a",
        "https://x.example/\u202eexe.jpg",  # a right-to-left override
        "https://x.example/\x00",
        "https://[::1",  # not an address Python can read
        "",
        "https://x.example/" + "a" * 3000,
    ],
)
def test_anything_else_is_kept_as_text(address: str) -> None:
    assert not is_web_link(address)
