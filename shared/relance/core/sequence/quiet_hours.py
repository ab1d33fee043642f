"""Quiet hours in the customer's local time, daylight-saving changes included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from relance.core.sequence.options import QuietHours

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
    wall_end = datetime.combine(end_day, quiet.end, tzinfo=zone)
    # Around a clock change the wall-clock end is missing or doubled: start from the earlier
    # reading, then walk minute by minute to the first moment truly outside the window.
    allowed = min(wall_end.astimezone(UTC), wall_end.replace(fold=1).astimezone(UTC))
    while allowed <= now or quiet.contains(allowed.astimezone(zone).time()):
        allowed += _STEP
    return allowed
