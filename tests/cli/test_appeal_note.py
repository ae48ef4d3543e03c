"""``desk-admin appeal mark --note``: the link to the platform post goes with the appeal."""

from __future__ import annotations

from desk.services.signin import CLI as CLI_SESSION
from tests.cli.conftest import Cli
from tests.services.test_retention import Desked, desked  # noqa: F401  (fixture)

LINK = "https://x.example/ExampleshirePolice/status/5"


def test_an_appeal_is_marked_with_its_link(cli: Cli, desked: Desked) -> None:  # noqa: F811
    jo = desked.staffed.sign_in(desked.staffed.operator, CLI_SESSION)
    marked = cli(
        "appeal",
        "mark",
        str(desked.still_open),
        "--ends",
        "2026-12-01T18:00Z",
        "--note",
        LINK,
        session=jo,
    )
    assert marked.status == 0, marked.err
    sue = desked.sue_token()
    assert [a.note for a in desked.staffed.desk.retention.appeals(sue)] == [LINK]
