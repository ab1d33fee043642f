"""What Relance knows of one customer of a shop, across all their carts and devices.

Stored per (shop, hash of the address); the decisions read it so that one customer gets one
sequence at a time, nothing after buying elsewhere, nothing after unsubscribing, and no
more emails than the shop's pressure cap allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# Enough history for the longest pressure-cap period with room to spare.
REMEMBERED_EMAILS = 50


@dataclass(frozen=True)
class ContactState:
    suppressed_reason: str | None = None
    """``unsubscribed``, ``bounce`` or ``complaint``: never mailed again."""
    consent: bool | None = None
    """The newest marketing consent the shop reported for this address, if any."""
    last_order_at: datetime | None = None
    newest_cart_id: str | None = None
    """The customer's most recently abandoned cart that is being followed up."""
    newest_at: datetime | None = None
    recent_emails: tuple[datetime, ...] = ()
    last_incentive_at: datetime | None = None

    def ordered_since(self, moment: datetime) -> bool:
        return self.last_order_at is not None and self.last_order_at >= moment

    def supersedes(self, cart_id: str, abandoned_at: datetime) -> bool:
        """A newer cart of the same customer took over: one sequence per customer."""
        if self.newest_cart_id is None or self.newest_at is None or self.newest_cart_id == cart_id:
            return False
        # The same total order as ContactStore.claim_newest: time, then cart id.
        return (self.newest_at, self.newest_cart_id) > (abandoned_at, cart_id)

    def emails_since(self, moment: datetime) -> list[datetime]:
        return sorted(at for at in self.recent_emails if at > moment)

    def incentive_allowed(self, now: datetime, period: timedelta) -> bool:
        return self.last_incentive_at is None or now - self.last_incentive_at >= period
