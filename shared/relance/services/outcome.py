"""What one reminder run did, for the handler's metrics and logs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from relance.core.cart.state import Cart


@dataclass(frozen=True)
class ReminderOutcome:
    action: Literal["sent", "held", "stopped", "waiting", "deferred"]
    step: int
    reason: str = ""
    message_id: str | None = None
    variant: str = ""
    incentive: bool = False
    flagged: bool = False
    """Staff were asked to call about this high-value cart during this run."""
    next_step_from: Cart | None = None
    """The cart as stored after this step: arm the next step from it."""
    retry_at: datetime | None = None
    """Send this step again at this time (SES throttled us)."""
    template_fallback: bool = False
    """The shop's own template failed: this email went out in the built-in one."""
