"""Which templates are offered first: by the case's risk and platform, then the search words."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from desk.core.items import Platform
from desk.core.template_ranking import (
    EMERGENCY_TEMPLATE,
    REPLY_LIMITS,
    matches,
    rank,
    reply_limit,
    suited_kinds,
)
from desk.core.templates import TemplateKind

SHIPPED = Path(__file__).parents[2] / "resources" / "templates"


@dataclass(frozen=True)
class T:
    key: str
    kind: TemplateKind
    title: str
    text_en: str
    text_cy: str = ""


def shipped() -> list[T]:
    """The templates Desk ships, by title (as the services list them)."""
    found = []
    for path in sorted(SHIPPED.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        found.append(
            T(data["key"], TemplateKind(data["kind"]), data["title"], data["text_en"],
              data.get("text_cy", ""))
        )  # fmt: skip
    return sorted(found, key=lambda t: t.title)


def keys(templates: list[T]) -> list[str]:
    return [t.key for t in templates]


def test_a_search_ranks_the_templates_with_the_words_in_their_title_first() -> None:
    found = keys(rank(shipped(), query="999"))
    assert found[0] == EMERGENCY_TEMPLATE
    assert "report-101-online" in found  # 999 in its wording only: after
    assert "public-reply-thanks" not in found  # no 999 anywhere
    assert keys(rank(shipped(), query="nothing-like-this")) == []


def test_a_threat_to_life_puts_the_999_signpost_first_and_an_appeal_last() -> None:
    for risk in (("threat_to_life",), ("self_harm",), ("crime_in_progress", "hate")):
        found = keys(rank(shipped(), risk=risk, platform="x"))
        assert found[0] == EMERGENCY_TEMPLATE, risk
        assert found[-1] == "appeal-acknowledgement", risk


def test_the_risk_and_the_item_choose_the_kind() -> None:
    assert keys(rank(shipped(), risk=("hate",)))[0] == "hide-notice"
    assert keys(rank(shipped(), risk=("conduct_complaint",)))[0] == "complaint-psd"
    assert keys(rank(shipped(), risk=("personal_data",)))[0] == "deletion-notice"
    assert keys(rank(shipped(), platform="x", item_kind="direct_message"))[0] == (
        "private-reply-received"
    )
    assert keys(rank(shipped(), platform="whatsapp"))[0] == "private-reply-received"
    assert keys(rank(shipped()))[0] == "public-reply-thanks"  # no risk: an everyday reply
    kinds = suited_kinds(("hate", "self_harm"))
    assert len(kinds) == len(set(kinds)) == len(TemplateKind)


def test_a_template_too_long_for_the_platform_comes_after_one_that_fits() -> None:
    short = T("short", TemplateKind.PUBLIC_REPLY, "B short", "x" * 100)
    long = T("long", TemplateKind.PUBLIC_REPLY, "A long", "x" * 400)
    assert keys(rank([long, short], platform="x")) == ["short", "long"]
    assert keys(rank([long, short], platform="facebook")) == ["long", "short"]  # by title


def test_matches_says_where_the_words_are() -> None:
    t = T("call-999-now", TemplateKind.REDIRECT, "Signpost: call 999 now", "Call 999.")
    assert matches(t, ["999"]) == 0
    assert matches(t, ["call", "danger"]) is None
    assert matches(t, ["999", "999."]) == 1


@pytest.mark.parametrize(("platform", "limit"), [("x", 280), (Platform.BLUESKY, 300)])
def test_reply_limits(platform: str, limit: int) -> None:
    assert reply_limit(platform) == limit
    assert reply_limit("other") is None and reply_limit("no-such-platform") is None
    assert all(n > 0 for n in REPLY_LIMITS.values())
