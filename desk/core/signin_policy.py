"""Sign-in throttling arithmetic: growing delays, the lock, and when to raise an alert."""

from __future__ import annotations

from datetime import datetime, timedelta

THROTTLE_FROM = 5
LOCK_AFTER = 10
ALERT_AFTER = 3
FIRST_DELAY_SECONDS = 30
MAX_DELAY_SECONDS = 300
SESSION_MAX_AGE = timedelta(hours=12)
CLI_SESSION_IDLE = timedelta(minutes=15)
DEFAULT_IDLE_LOCK_MINUTES = 10
# a window's session records its use at most every 30 s, and its heartbeat beats every 30 s:
# the server locks it only this long after the window itself should have
WINDOW_IDLE_GRACE = timedelta(minutes=1)


def delay_after(failures: int) -> timedelta:
    """Return how long to refuse sign-in after ``failures`` consecutive failures."""
    if failures < THROTTLE_FROM:
        return timedelta(0)
    seconds = min(FIRST_DELAY_SECONDS * 2 ** (failures - THROTTLE_FROM), MAX_DELAY_SECONDS)
    return timedelta(seconds=seconds)


def throttled_until(failures: int, last_failure: datetime | None) -> datetime | None:
    """Return the moment a throttled account may try again, or None if not throttled."""
    delay = delay_after(failures)
    if last_failure is None or not delay:
        return None
    return last_failure + delay


def should_lock(failures: int) -> bool:
    """Tell whether ``failures`` consecutive failures lock the account."""
    return failures >= LOCK_AFTER


def should_alert(failures_before_success: int) -> bool:
    """Tell whether a success after this many failures deserves a sign-in alert."""
    return failures_before_success >= ALERT_AFTER


def window_idle_limit(idle_lock_minutes: int) -> timedelta:
    """Return how long a window's session may go unused before the server locks it."""
    return timedelta(minutes=idle_lock_minutes) + WINDOW_IDLE_GRACE
