"""What a cart records of its sequence: each step (claimed, sent, its feedback), the timer
that follows it up, the incentive handed out, and the order that closed it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict


class _State(BaseModel):
    """Immutable and strict: a stored document that grows a field we do not know fails loudly."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Reminder(_State):
    """One step of the sequence: claimed before sending, then stamped with SES's id."""

    step: int
    variant: str
    claimed_at: datetime
    message_id: str | None = None
    held_out: bool = False
    """The customer is in the shop's hold-out group: the step was decided, never emailed."""
    unconfirmed: bool = False
    """SES took the request but its answer was lost: counted as sent, never sent again."""
    feedback: dict[str, datetime] = {}
    """First time SES reported each kind of event (delivery, open, bounce...)."""


class Timer(_State):
    step: int
    due_at: datetime


class RecordedOrder(_State):
    order_id: str
    amount: Decimal
    currency: str
    placed_at: datetime
    credited_step: int | None
    """The step credited (see :func:`_credited`); ``None`` for a natural return."""
    credited_variant: str | None = None
    credit_reason: Literal["clicked", "last_email"] | None = None
    """Why that step: its link was the last one clicked before the order, or it was the
    last email before the order (nothing clicked)."""
    via: Literal["cart", "customer"] = "cart"
    """How the order was tied to this cart: its own id, or the same customer (fallback)."""
    credited_elsewhere: str | None = None
    """Another cart of the same customer that this order was credited to (counted there)."""
    holdout: bool = False
    """The step "credited" was held back: the order is a natural return of the hold-out group."""

    @property
    def recovered(self) -> bool:
        return self.credited_step is not None and not self.holdout


class GrantedIncentive(_State):
    """The discount handed out with the last step, recorded for the cost in the reports."""

    code: str
    kind: Literal["percent", "amount", "free_shipping"]
    value: Decimal
    granted_at: datetime
