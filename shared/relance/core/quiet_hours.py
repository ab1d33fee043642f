"""Quiet hours in the customer's local time, daylight-saving changes included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from relance.core.policy_parts import QuietHours

_STEP = timedelta(minutes=1)


def quiet_until(now: datetime, zone_name: str, quiet: QuietHours | None) -> datetime | None:
    """The first allowed moment after ``now`` if ``now`` is in quiet hours, else ``None``."""
    if quiet is None:
        return None
    zone = ZoneInfo(zone_name)
    local = now.astimezone(zone)
    if not quiet.contains(local.time()):
        return None
    end_day = local.date()
    if quiet.start > quiet.end and local.time() >= quiet.start:
        end_day += timedelta(days=1)
    allowed = datetime.combine(end_day, quiet.end, tzinfo=zone).astimezone(UTC)
    # A clock change can make the wall-clock end ambiguous or missing; walk to a true exit.
    while allowed <= now or quiet.contains(allowed.astimezone(zone).time()):
        allowed += _STEP
    return allowed
