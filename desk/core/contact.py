"""Never cold-contact: a reply or private message only to someone who wrote to us there.

Police guidance forbids using social media to contact victims or witnesses who have not
themselves engaged with the force on that channel. So a reply or a private message may go
only to an author who has sent at least one item on the same platform *and* the same
official account. Private messages are refused where that account has them switched off.
A supervisor may override the engagement rule for one message, with a recorded reason; a
switched-off private-message channel cannot be overridden (it does not exist).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ContactRefusal(StrEnum):
    """Why a message may not be sent."""

    NOT_ENGAGED = "not_engaged"
    DIRECT_MESSAGES_OFF = "direct_messages_off"


@dataclass(frozen=True)
class ContactRequest:
    """A message someone wants to send, and what Desk knows about its recipient."""

    recipient: str
    platform: str
    account: str
    private: bool
    # how many items this recipient has sent on this platform and this official account
    items_from_recipient: int
    direct_messages_on: bool


@dataclass(frozen=True)
class ContactDecision:
    """Whether the message may go, and if not, why (in plain words)."""

    allowed: bool
    refusal: ContactRefusal | None = None
    reason: str = ""

    @property
    def overridable(self) -> bool:
        """Tell whether a supervisor may override this refusal for one message."""
        return self.refusal is ContactRefusal.NOT_ENGAGED


def check_contact(request: ContactRequest) -> ContactDecision:
    """Decide whether ``request`` respects the no-cold-contact rule."""
    what = "A private message" if request.private else "A reply"
    if request.private and not request.direct_messages_on:
        return ContactDecision(
            False,
            ContactRefusal.DIRECT_MESSAGES_OFF,
            f"{what} cannot be sent from {request.account} on {request.platform}: private "
            "messages are switched off for that account.",
        )
    if request.items_from_recipient < 1:
        return ContactDecision(
            False,
            ContactRefusal.NOT_ENGAGED,
            f"{what} to {request.recipient} is refused: they have not themselves written to "
            f"{request.account} on {request.platform}, and Desk never cold-contacts anyone. "
            "A supervisor can override this for one message with a recorded reason.",
        )
    return ContactDecision(True)
