"""Errors the domain raises: each has a stable code and a plain-English message."""

from __future__ import annotations


class DeskError(Exception):
    """Base of every error Desk reports to a person."""

    code = "desk.error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SignInFailed(DeskError):
    """Username, password or code did not check out (never says which)."""

    code = "signin.failed"

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "Sign-in failed. Check your username, password and code and try again. "
            "After repeated failures an account is locked until an administrator unlocks it."
        )


class SessionEnded(DeskError):
    """The signed-in session can no longer act (disabled, expired or signed out)."""

    code = "session.ended"


class ReauthenticationRequired(DeskError):
    """The session is idle-locked or past its maximum age and needs password and code."""

    code = "session.reauth"


class PermissionDenied(DeskError):
    """The acting person's role does not allow the action."""

    code = "permission.denied"


class NotFound(DeskError):
    """A named thing does not exist."""

    code = "not.found"


class InvalidInput(DeskError):
    """Input that Desk will not accept, with what is wrong and where."""

    code = "input.invalid"


class Conflict(DeskError):
    """The action clashes with the current state (already exists, already enrolled...)."""

    code = "state.conflict"


class KeyringUnavailable(DeskError):
    """No usable OS keyring: Desk refuses to start rather than keep secrets in a file."""

    code = "keyring.unavailable"


class DatabaseProblem(DeskError):
    """The database file is damaged, from a newer Desk, or cannot be opened."""

    code = "database.problem"


class AuditChainBroken(DeskError):
    """The audit chain does not verify."""

    code = "audit.broken"
