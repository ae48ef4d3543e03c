"""``settings list`` and ``settings set``: desk-wide settings."""

from __future__ import annotations

import json

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.output import clean, table, write_json
from desk.core.roles import Action
from desk.services.settings import FORCE_NAME_UNSET, SETTINGS

_KEYS = ", ".join(SETTINGS)


def add_parsers(sub: Subparsers) -> None:
    """Add the ``settings`` commands."""
    settings = command(sub, "settings", "show and change desk-wide settings")
    settings_sub = group(settings, "settings_command", "SETTINGS_COMMAND")

    listing = command(settings_sub, "list", "show every setting, its value and meaning")
    json_flag(listing)
    listing.set_defaults(handler=run_list)

    change = command(
        settings_sub,
        "set",
        "change a setting (administrators only)",
        "Change a setting; the change is audited. Settings: "
        + "; ".join(f"{k}: {spec.description.lower()}" for k, spec in SETTINGS.items())
        + ".",
    )
    change.add_argument("key", metavar="KEY", choices=list(SETTINGS), help=f"one of: {_KEYS}")
    change.add_argument("value", metavar="VALUE", help="the new value")
    change.set_defaults(handler=run_set)


def _shown(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _quoted(value: object) -> str:
    return clean(json.dumps(value, ensure_ascii=False))


def run_list(inv: Invocation) -> int:
    """Print every setting."""
    with auth.acting(inv):
        values = inv.desk.settings.all()
    if inv.args.json:
        write_json(inv.console.stdout, values)
        return EXIT_OK
    rows = [(k, _shown(v) or "(not set)", SETTINGS[k].description) for k, v in values.items()]
    inv.console.out(table(("key", "value", "description"), rows))
    if not str(values.get("force_name", "")).strip():
        inv.console.note(FORCE_NAME_UNSET)
    return EXIT_OK


def run_set(inv: Invocation) -> int:
    """Change one setting and say what it was."""
    key: str = inv.args.key
    text: str = inv.args.value
    # the role first, then the value: the allowed range is no one's business but an
    # administrator's (a bad value is refused by the service, nothing changes)
    with auth.acting(inv, Action.CHANGE_SETTINGS) as acting:
        before = inv.desk.settings.get(key)
        after = inv.desk.settings.set(acting.token, key, text)
    inv.console.out(f"Set {key} to {_quoted(after)} (was {_quoted(before)}).")
    return EXIT_OK
