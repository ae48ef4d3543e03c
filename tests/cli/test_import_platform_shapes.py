"""``desk-admin import`` of recorded Bluesky, Mastodon and ActivityStreams payloads."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Triage

SHAPES = [
    # file, official account (platform, handle), extra arguments, format, items added
    ("bluesky-notifications.json", ("bluesky", "@shinyakato.dev"), (), "bluesky", 24),
    ("mastodon-grouped-notifications.json", ("mastodon", "@mastodonpy_test"), (), "mastodon", 5),
    ("mastodon-context.json", ("mastodon", "@test@mstdn.onosendai.jp"), (), "mastodon", 2),
    ("activitystreams-spec-ex27.json", ("mastodon", "@ExampleshirePolice@police.example"),
     ("--account", "@ExampleshirePolice@police.example"), "activitystreams", 1),
]  # fmt: skip


@pytest.mark.parametrize(("name", "account", "args", "fmt", "added"), SHAPES)
def test_a_recorded_payload_is_imported_once(
    triage: Triage,
    name: str,
    account: tuple[str, str],
    args: tuple[str, ...],
    fmt: str,
    added: int,
) -> None:
    triage.official(*account)
    path = triage.copy(name)
    done = triage.import_(path, *args)
    assert done.status == 0, done.err
    first = done.out.splitlines()[0]
    assert first.startswith(f"Imported {path} ({fmt}): ") and f"{added} added" in first
    cases = triage.queue("--limit", "0")
    assert sum(len(c["items"]) for c in cases) == added
    again = triage.import_(path, *args)
    assert again.status == 0, again.err
    assert "0 added" in again.out.splitlines()[0]
    assert triage.queue("--limit", "0") == cases


def test_a_broken_bluesky_file_is_refused_naming_the_path(triage: Triage) -> None:
    path = triage.folder / "broken.json"
    text = triage.copy("bluesky-notifications.json").read_text("utf-8")
    path.write_text(text.replace('"createdAt": "2023-09-04T04:00:35.516Z"', '"createdAt": 5'))
    done = triage.import_(path)
    assert done.status == 2
    assert "at $.notifications[2].record.createdAt" in done.err
    assert triage.queue("--limit", "0") == []
