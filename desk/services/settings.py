"""Desk-wide settings: validated, and every change audited."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from desk.core import signin_policy
from desk.core.account_register import DEFAULT_REVIEW_DAYS, parse_review_days
from desk.core.backup_schedule import DEFAULT_SCHEDULE, format_schedule, parse_schedule
from desk.core.continuity import DEFAULT_CHANNEL_SHIFT, format_signposts, parse_signposts
from desk.core.errors import InvalidInput
from desk.core.escalation import DEFAULT_DEADLINES, format_deadlines, parse_deadlines
from desk.core.marking import DEFAULT_MARKING, parse_marking
from desk.core.quality import DEFAULT_SAMPLES_PER_MONTH, parse_samples_per_month
from desk.core.retention import (
    DEFAULT_RULES_TEXT,
    EndAction,
    RecordClass,
    Rule,
    format_period,
    format_rules,
    parse_rules,
)
from desk.core.roles import Action, parse_role
from desk.core.shifts import DEFAULT_PATTERN_TEXT, format_pattern, parse_pattern
from desk.core.targets import DEFAULT_TARGETS_TEXT, format_targets, parse_targets
from desk.core.third_party_apps import DEFAULT_APP_REVIEW_DAYS, parse_app_review_days
from desk.core.thrive import DEFAULT_GRADES, format_grades, parse_grades
from desk.services.context import DeskContext
from desk.services.drop_folder import check_drop_folder
from desk.services.signin import SignInService
from desk.store.tables import Setting


@dataclass(frozen=True)
class SettingSpec:
    """A setting's meaning, default and check."""

    description: str
    default: Any
    parse: Callable[[str], Any]


def _minutes_between(low: int, high: int) -> Callable[[str], int]:
    """Return a parser for a whole number of minutes from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise InvalidInput(f"{text!r} is not a whole number of minutes.") from None
        if not low <= value <= high:
            raise InvalidInput(f"{value} minutes is outside {low} to {high}.")
        return value

    return parse


def _days_between(low: int, high: int) -> Callable[[str], int]:
    """Return a parser for a whole number of days from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise InvalidInput(f"{text!r} is not a whole number of days.") from None
        if not low <= value <= high:
            raise InvalidInput(f"{value} days is outside {low} to {high}.")
        return value

    return parse


def _name(text: str) -> str:
    value = text.strip()
    if not 1 <= len(value) <= 80:
        raise InvalidInput("The desk name must be 1 to 80 characters.")
    return value


def _force_name(text: str) -> str:
    value = " ".join(text.split())
    if len(value) > 80:
        raise InvalidInput("The force's name must be at most 80 characters.")
    return value


def force_name(ctx: DeskContext) -> str:
    """Return the force's name as replies and exports say it ('' while no one has set it)."""
    return str(ctx.setting("force_name", "") or "").strip()


def protective_marking(ctx: DeskContext) -> str:
    """Return the protective marking every export carries (OFFICIAL-SENSITIVE by default)."""
    return str(ctx.setting("protective_marking", DEFAULT_MARKING) or DEFAULT_MARKING)


def desk_heading(ctx: DeskContext) -> str:
    """Return who an export is from: "Exampleshire Police · Digital desk" (or the desk alone)."""
    desk = str(ctx.setting("desk_name", "Digital desk"))
    force = force_name(ctx)
    return f"{force} · {desk}" if force else desk


FORCE_NAME_UNSET = (
    "The force's name is not set: replies from templates that sign with {force} cannot be sent "
    'until an administrator sets it (desk-admin settings set force_name "Exampleshire Police").'
)


def _drop_folder(text: str) -> str:
    return check_drop_folder(text) if text.strip() else ""


def _on_off(text: str) -> bool:
    value = text.strip().lower()
    if value in ("on", "yes", "true", "1"):
        return True
    if value in ("off", "no", "false", "0"):
        return False
    raise InvalidInput(f"{text!r} is not 'on' or 'off'.")


def _multiple(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a number.") from None
    if not 1.5 <= value <= 50:
        raise InvalidInput(f"{value} is outside 1.5 to 50.")
    return value


def _targets(text: str) -> str:
    return format_targets(parse_targets(text))


def _shift_patterns(text: str) -> str:
    return format_pattern(parse_pattern(text))


def _grades(text: str) -> str:
    return format_grades(parse_grades(text))


def _roles(text: str) -> list[str]:
    return [parse_role(r).value for r in text.replace(";", ",").split(",") if r.strip()]


def _deadlines(text: str) -> str:
    return format_deadlines(parse_deadlines(text))


SETTINGS: dict[str, SettingSpec] = {
    "idle_lock_minutes": SettingSpec(
        "Minutes without input before the window locks",
        signin_policy.DEFAULT_IDLE_LOCK_MINUTES,
        _minutes_between(1, 240),
    ),
    "desk_name": SettingSpec("The desk's name, shown in titles", "Digital desk", _name),
    "drop_folder": SettingSpec(
        "A folder whose files are imported automatically ('' for none)", "", _drop_folder
    ),
    "response_targets": SettingSpec(
        "Response target for each priority ('P1=15m; P2=1h; P3=4h; P4=24h')",
        DEFAULT_TARGETS_TEXT,
        _targets,
    ),
    "join_window_minutes": SettingSpec(
        "An author's items in one thread join their open case within this many minutes",
        120,
        _minutes_between(1, 1440),
    ),
    "thrive_grades": SettingSpec(
        "The THRIVE grades and their response targets ('Immediate=15m; Priority=1h; ...')",
        format_grades(DEFAULT_GRADES),
        _grades,
    ),
    "surge_multiple": SettingSpec(
        "How many times the usual arrival rate counts as a surge", 3.0, _multiple
    ),
    "shift_patterns": SettingSpec(
        "The shifts, UK local time ('07:00-15:00, 15:00-23:00, 23:00-07:00')",
        DEFAULT_PATTERN_TEXT,
        _shift_patterns,
    ),
    "force_name": SettingSpec(
        "The force's name, as replies ({force} in templates) and exports say it; until it is "
        "set, templates that sign with it cannot be used",
        "",
        _force_name,
    ),
    "replies_needing_approval": SettingSpec(
        "Roles whose free-text replies wait for approval ('operator', 'operator,communications'"
        " or '' for none)",
        ["operator"],
        _roles,
    ),
    "escalation_deadlines": SettingSpec(
        "How soon each escalation urgency must be acknowledged ('immediate=15m; hour=1h; ...')",
        format_deadlines(DEFAULT_DEADLINES),
        _deadlines,
    ),
    "new_p1_sound": SettingSpec(
        "Sound an alert when a new P1 case arrives while Desk is not the active window "
        "('on' or 'off')",
        False,
        _on_off,
    ),
    "qa_samples_per_month": SettingSpec(
        "Closed cases sampled per operator per month for quality review",
        DEFAULT_SAMPLES_PER_MONTH,
        parse_samples_per_month,
    ),
    "protective_marking": SettingSpec(
        "The protective marking in the header and footer of every export",
        DEFAULT_MARKING,
        parse_marking,
    ),
    "retention_rules": SettingSpec(
        "How long each record class is kept and what happens at its end "
        "('unactioned=90d delete; actioned=2y anonymise; ...'; see docs/retention.md)",
        DEFAULT_RULES_TEXT,
        lambda text: format_rules(parse_rules(text)),
    ),
    "account_review_days": SettingSpec(
        "Days between security reviews of each official account (default 90: quarterly; "
        "see docs/account-estate.md)",
        DEFAULT_REVIEW_DAYS,
        parse_review_days,
    ),
    "app_review_days": SettingSpec(
        "Days between reviews of each third-party app with access to official accounts "
        "(default 90: quarterly; see docs/account-estate.md)",
        DEFAULT_APP_REVIEW_DAYS,
        parse_app_review_days,
    ),
    "channel_shift": SettingSpec(
        "Where to send people instead while Desk or a platform is down, printed in the "
        "continuity pack ('Non-emergency=Call 101; Report online=...')",
        DEFAULT_CHANNEL_SHIFT,
        lambda text: format_signposts(parse_signposts(text)),
    ),
    "continuity_contacts": SettingSpec(
        "Who to call when Desk itself is down, printed in the continuity pack "
        "('IT service desk=0300 000 0000; Duty inspector=...'; '' for none)",
        "",
        lambda text: format_signposts(parse_signposts(text)),
    ),
    "backup_schedule": SettingSpec(
        "Scheduled backups into the profile's backups folder: how often and how many to keep "
        "('every 6h, keep 28', or 'off'; see docs/backup.md)",
        format_schedule(DEFAULT_SCHEDULE),
        lambda text: format_schedule(parse_schedule(text)),
    ),
    "impersonation_report_days": SettingSpec(
        "Days a fake account reported to its platform may wait for an outcome before "
        "supervisors are reminded",
        14,
        _days_between(1, 365),
    ),
}


class SettingsService:
    """Reads and changes desk-wide settings."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def get(self, key: str) -> Any:
        """Return a known setting's current value."""
        return self.ctx.setting(key, SETTINGS[key].default)

    def all(self) -> dict[str, Any]:
        """Return every known setting with its current value."""
        return {key: self.get(key) for key in SETTINGS}

    def set(self, token: str, key: str, text: str) -> Any:
        """Change a setting from its typed form; the change is audited."""
        actor = self.signin.authorize(token, Action.CHANGE_SETTINGS)
        if key not in SETTINGS:
            raise InvalidInput(
                f"Unknown setting {key!r}: known settings are {', '.join(SETTINGS)}."
            )
        value = SETTINGS[key].parse(text)
        with self.ctx.db.write() as s:
            row = s.get(Setting, key)
            before = json.loads(row.value) if row else SETTINGS[key].default
            if row is None:
                s.add(Setting(key=key, value=json.dumps(value)))
            else:
                row.value = json.dumps(value)
            self.ctx.audit.record(
                s, actor.username, "setting.change", f"setting:{key}", before=before, after=value
            )
        return value

    def set_retention_rules(
        self, token: str, changes: Mapping[RecordClass, tuple[int, EndAction]]
    ) -> dict[RecordClass, Rule]:
        """Change some classes' periods (days) and end actions; the rest stay as they are.

        One audited change of the ``retention_rules`` setting; a wrong value is refused naming
        its class (``InvalidInput``) and nothing changes.
        """
        self.signin.authorize(token, Action.CHANGE_SETTINGS)
        current = parse_rules(str(self.get("retention_rules")))
        parts = {c: current[c].code for c in RecordClass}
        for record_class, (days, action) in changes.items():
            if days < 1:  # format_period cannot write it
                raise InvalidInput(f"{record_class.value} must be kept at least 1 day.")
            part = f"{record_class.value}={format_period(days)} {action.value}"
            try:
                parse_rules(part)
            except InvalidInput as exc:  # some checks name only the value: name the class too
                if record_class.value in exc.message:
                    raise
                raise InvalidInput(f"{record_class.value}: {exc.message}") from None
            parts[record_class] = part
        saved = self.set(token, "retention_rules", "; ".join(parts[c] for c in RecordClass))
        return parse_rules(str(saved))
