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


class UnacknowledgedEscalations(Conflict):
    """Closing a case would leave escalations still awaiting acknowledgement."""

    code = "case.unacknowledged_escalations"

    def __init__(
        self,
        message: str,
        case_id: int,
        escalations: tuple[int, ...],
        targets: tuple[str, ...],
        waiting: str = "",
    ) -> None:
        super().__init__(message)
        self.waiting = waiting or message  # the waiting escalations alone, for another question
        self.case_id = case_id
        self.escalations = escalations
        self.targets = targets


class KeyringUnavailable(DeskError):
    """No usable OS keyring: Desk refuses to start rather than keep secrets in a file."""

    code = "keyring.unavailable"


class DatabaseProblem(DeskError):
    """The database file is damaged, from a newer Desk, or cannot be opened."""

    code = "database.problem"


class DatabaseDamaged(DatabaseProblem):
    """The database file's bytes are damaged: SQLite or a record cannot be read."""

    code = "database.damaged"


class AuditChainBroken(DeskError):
    """The audit chain does not verify."""

    code = "audit.broken"


class UnknownOfficialAccounts(InvalidInput):
    """Items name official accounts the desk does not have: every one is named at once.

    ``accounts`` holds (platform, handle, where) for each, in the order met: ``where`` is the
    first record naming it, by its place in the file ("line 3", "row 7", "$.data[5]").
    """

    code = "import.unknown_accounts"

    def __init__(self, accounts: list[tuple[str, str, str]]) -> None:
        self.accounts = tuple(accounts)
        adds = "; ".join(f"'desk-admin official-account add {p} {h}'" for p, h, _ in accounts)
        if len(accounts) == 1:
            ((platform, handle, where),) = accounts
            message = (
                f"{_capital(where)}: {handle!r} is not an official account on {platform}. "
                f"An administrator adds it first ({adds})."
            )
        else:
            named = ", ".join(f"{h!r} on {p} (first at {w})" for p, h, w in accounts)
            message = (
                f"{len(accounts)} accounts named in the file are not official accounts: "
                f"{named}. An administrator adds them first ({adds})."
            )
        super().__init__(message)


def _capital(where: str) -> str:
    return where[:1].upper() + where[1:]
