"""The roles a person can hold on the desk, and the one table of what each may do."""

from __future__ import annotations

from enum import StrEnum

from desk.core.errors import InvalidInput, PermissionDenied


class Role(StrEnum):
    """A person's role on the desk."""

    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    COMMUNICATIONS = "communications"
    ADMINISTRATOR = "administrator"
    INFORMATION_MANAGER = "information_manager"  # retention, holds, subject access, evidence


class Action(StrEnum):
    """Something a signed-in person may try to do."""

    VIEW_QUEUE = "view_queue"
    WORK_CASES = "work_cases"
    VIEW_SIGNIN_ACTIVITY = "view_signin_activity"
    VIEW_AUDIT = "view_audit"
    VERIFY_AUDIT = "verify_audit"
    MANAGE_USERS = "manage_users"
    CHANGE_SETTINGS = "change_settings"
    IMPORT_ITEMS = "import_items"
    REASSIGN_CASES = "reassign_cases"
    MANAGE_OFFICIAL_ACCOUNTS = "manage_official_accounts"
    MANAGE_ESCALATION_TARGETS = "manage_escalation_targets"
    MANAGE_TEMPLATES = "manage_templates"
    APPROVE_TEMPLATES = "approve_templates"
    MANAGE_GUIDELINES = "manage_guidelines"
    APPROVE_REPLIES = "approve_replies"
    OVERRIDE_COLD_CONTACT = "override_cold_contact"
    SIGN_OFF_HANDOVER = "sign_off_handover"
    EXPORT_HANDOVER = "export_handover"
    VIEW_DASHBOARD = "view_dashboard"
    RECORD_COVERAGE = "record_coverage"
    REVIEW_QUALITY = "review_quality"
    VIEW_ACCESS_REVIEW = "view_access_review"
    MANAGE_SUBJECT_ACCESS = "manage_subject_access"
    REVIEW_RETENTION = "review_retention"
    MANAGE_HOLDS = "manage_holds"
    EXPORT_EVIDENCE = "export_evidence"
    MANAGE_SESSIONS = "manage_sessions"  # list and sign out anyone's sessions
    REVIEW_LEAVERS = "review_leavers"  # read a leaver's last 30 days of actions
    RECORD_LEAVER_REVIEW = "record_leaver_review"  # record that review done
    APPROVE_ACCOUNT_CHANGES = "approve_account_changes"  # open/close official accounts
    REVIEW_ACCOUNT_SECURITY = "review_account_security"  # official accounts' security reviews
    FLAG_FAKE_ACCOUNTS = "flag_fake_accounts"  # add a suspected fake account and its evidence
    MANAGE_FAKE_ACCOUNTS = "manage_fake_accounts"  # record reports to platforms and outcomes
    MANAGE_THIRD_PARTY_APPS = "manage_third_party_apps"  # record, edit, review, revoke apps
    RECORD_OUTAGES = "record_outages"  # log platform and Desk outages (desk.core.outages)
    EXPORT_OPEN_CASES = "export_open_cases"  # the open cases on paper (continuity pack, CSV)
    MAKE_BACKUPS = "make_backups"  # copy the whole desk to a file (docs/backup.md)
    RESTORE_BACKUPS = "restore_backups"  # replace the whole desk with a backup


_ALLOWED: dict[Role, frozenset[Action]] = {
    Role.OPERATOR: frozenset(
        {
            Action.VIEW_QUEUE,
            Action.WORK_CASES,
            Action.IMPORT_ITEMS,
            Action.FLAG_FAKE_ACCOUNTS,
            Action.RECORD_OUTAGES,
        }
    ),
    Role.COMMUNICATIONS: frozenset(
        {
            Action.VIEW_QUEUE,
            Action.WORK_CASES,
            Action.MANAGE_TEMPLATES,
            Action.APPROVE_TEMPLATES,
            Action.MANAGE_GUIDELINES,
            Action.APPROVE_REPLIES,
            Action.VIEW_DASHBOARD,
            Action.APPROVE_ACCOUNT_CHANGES,
            Action.REVIEW_ACCOUNT_SECURITY,
            Action.FLAG_FAKE_ACCOUNTS,
            Action.MANAGE_FAKE_ACCOUNTS,
            Action.MANAGE_THIRD_PARTY_APPS,
            Action.RECORD_OUTAGES,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Action.VIEW_QUEUE,
            Action.WORK_CASES,
            Action.VIEW_SIGNIN_ACTIVITY,
            Action.VIEW_AUDIT,
            Action.VERIFY_AUDIT,
            Action.IMPORT_ITEMS,
            Action.REASSIGN_CASES,
            Action.MANAGE_TEMPLATES,
            Action.APPROVE_TEMPLATES,
            Action.APPROVE_REPLIES,
            Action.OVERRIDE_COLD_CONTACT,
            Action.SIGN_OFF_HANDOVER,
            Action.EXPORT_HANDOVER,
            Action.VIEW_DASHBOARD,
            Action.RECORD_COVERAGE,
            Action.REVIEW_QUALITY,
            Action.VIEW_ACCESS_REVIEW,
            Action.REVIEW_RETENTION,
            Action.MANAGE_HOLDS,
            Action.EXPORT_EVIDENCE,
            Action.MANAGE_SUBJECT_ACCESS,
            Action.REVIEW_LEAVERS,
            Action.RECORD_LEAVER_REVIEW,
            Action.FLAG_FAKE_ACCOUNTS,
            Action.MANAGE_FAKE_ACCOUNTS,
            Action.RECORD_OUTAGES,
            Action.EXPORT_OPEN_CASES,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            Action.VIEW_QUEUE,
            Action.VIEW_SIGNIN_ACTIVITY,
            Action.VIEW_AUDIT,
            Action.VERIFY_AUDIT,
            Action.MANAGE_USERS,
            Action.CHANGE_SETTINGS,
            Action.IMPORT_ITEMS,
            Action.MANAGE_OFFICIAL_ACCOUNTS,
            Action.MANAGE_ESCALATION_TARGETS,
            Action.MANAGE_TEMPLATES,
            Action.MANAGE_GUIDELINES,
            Action.VIEW_DASHBOARD,
            Action.VIEW_ACCESS_REVIEW,
            Action.EXPORT_HANDOVER,
            Action.REVIEW_RETENTION,
            Action.MANAGE_HOLDS,
            Action.EXPORT_EVIDENCE,
            Action.MANAGE_SUBJECT_ACCESS,
            Action.MANAGE_SESSIONS,
            Action.REVIEW_LEAVERS,
            Action.REVIEW_ACCOUNT_SECURITY,
            Action.RECORD_OUTAGES,
            Action.EXPORT_OPEN_CASES,
            Action.MANAGE_THIRD_PARTY_APPS,
            Action.MAKE_BACKUPS,
            Action.RESTORE_BACKUPS,
        }
    ),
    # Least privilege for the data-protection work (docs/retention.md, "Who does what"): they
    # read the queue and a case (to find what a bundle or a request covers) but never work or
    # answer one, import, or change people or settings.
    Role.INFORMATION_MANAGER: frozenset(
        {
            Action.VIEW_QUEUE,
            Action.VIEW_AUDIT,
            Action.VERIFY_AUDIT,
            Action.VIEW_DASHBOARD,
            Action.VIEW_ACCESS_REVIEW,
            Action.REVIEW_RETENTION,
            Action.MANAGE_HOLDS,
            Action.EXPORT_EVIDENCE,
            Action.MANAGE_SUBJECT_ACCESS,
            Action.EXPORT_OPEN_CASES,
            Action.MAKE_BACKUPS,  # continuity of the records they are responsible for
        }
    ),
}


def may(role: Role, action: Action) -> bool:
    """Tell whether ``role`` allows ``action``: the one place this is decided."""
    return action in _ALLOWED[role]


def require(role: Role, action: Action) -> None:
    """Raise ``PermissionDenied`` unless ``role`` allows ``action``."""
    if not may(role, action):
        raise PermissionDenied(
            f"The {role_name(role)} role may not {action.value.replace('_', ' ')}."
        )


# who may approve a change to someone's access (a role change), as the access review shows
ACCESS_APPROVERS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})


def may_approve_access(role: Role) -> bool:
    """Tell whether someone with ``role`` may approve a change to another person's role."""
    return role in ACCESS_APPROVERS


def role_name(role: Role) -> str:
    """The role as a sentence says it: ``information manager`` for ``information_manager``."""
    return role.value.replace("_", " ")


def parse_role(text: str) -> Role:
    """Turn a role name typed by a person into a ``Role``, or say which names exist."""
    try:  # "information manager" and "information-manager" name the same role
        return Role("_".join(text.strip().lower().replace("-", " ").split()))
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise InvalidInput(f"Unknown role {text!r}: use one of {names}.") from None
