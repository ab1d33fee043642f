"""The shop's recovery policy and the pure decision "what happens to this cart now".

:func:`decide` is a function of (cart, policy, step, now, suppressed) and nothing else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from relance.core.cart import Cart

# Named after the documents they come from (see docs/policy.md). Delays count from the
# moment the customer last touched the cart, so a modified cart restarts the clock.
DELAY_PRESETS: dict[str, tuple[timedelta, ...]] = {
    # Seed 003 (Avanci / MV Group): 3 h, next day, day 3. The default.
    "avanci": (timedelta(hours=3), timedelta(days=1), timedelta(days=3)),
    # Seed 000: within hours, next day, two days after that.
    "agency": (timedelta(hours=1), timedelta(days=1), timedelta(days=3)),
    # Seed 002: 24 h, then 48 h after each previous step.
    "patient": (timedelta(days=1), timedelta(days=3), timedelta(days=5)),
}
PresetName = Literal["avanci", "agency", "patient"]
DEFAULT_PRESET: PresetName = "avanci"
MAX_STEPS = 3
# Seed 001: stay well under 8 days after abandonment.
LONGEST_DELAY = timedelta(days=7)
DEFAULT_RETENTION_DAYS = 90
# Schedules fire with minute precision; a timer a few seconds "early" is on time.
ON_TIME_TOLERANCE = timedelta(minutes=1)


class ShopPolicy(BaseModel):
    """How one shop wants its carts followed up. Every field has a sensible default."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    delay_preset: PresetName = DEFAULT_PRESET
    delays_minutes: tuple[int, ...] | None = Field(
        default=None,
        description="explicit delays from abandonment, one per step; overrides the preset",
    )
    min_cart_value: Decimal = Field(default=Decimal(0), ge=0)
    retention_days: int = Field(default=DEFAULT_RETENTION_DAYS, ge=1, le=730)
    holdout_percent: Decimal = Field(
        default=Decimal(0),
        ge=0,
        le=50,
        decimal_places=2,
        description="share of customers who go through every decision but are never emailed",
    )
    margin_rate: Decimal | None = Field(
        default=None, ge=0, le=1, description="gross margin on sales (0.4 = 40 %), for the net margin KPI"
    )
    usd_rate: Decimal | None = Field(
        default=None, gt=0, description="units of the shop's currency per US dollar, to count AWS costs in it"
    )
    attribution_window_days: int = Field(
        default=7,
        ge=1,
        le=30,
        description="an order this long after the last email still counts as recovered",
    )

    @model_validator(mode="after")
    def _delays_make_sense(self) -> ShopPolicy:
        if self.delays_minutes is None:
            return self
        delays = self.delays_minutes
        if not 1 <= len(delays) <= MAX_STEPS:
            raise ValueError(f"delays_minutes: between 1 and {MAX_STEPS} steps")
        if any(d < 30 for d in delays):
            raise ValueError("delays_minutes: the first reminder comes 30 minutes at the earliest")
        if list(delays) != sorted(set(delays)):
            raise ValueError("delays_minutes: each step must come strictly after the previous one")
        if timedelta(minutes=delays[-1]) > LONGEST_DELAY:
            raise ValueError("delays_minutes: the last step must come within 7 days")
        return self

    @property
    def delays(self) -> tuple[timedelta, ...]:
        if self.delays_minutes is not None:
            return tuple(timedelta(minutes=m) for m in self.delays_minutes)
        return DELAY_PRESETS[self.delay_preset]

    @property
    def attribution_window(self) -> timedelta:
        return timedelta(days=self.attribution_window_days)

    @property
    def steps(self) -> int:
        return len(self.delays)


StopReason = Literal[
    "ordered",
    "emptied",
    "suppressed",
    "no_contact",
    "below_minimum",
    "empty_cart",
    "already_sent",
    "out_of_order",
    "sequence_finished",
]


@dataclass(frozen=True)
class Stop:
    reason: StopReason


@dataclass(frozen=True)
class Wait:
    until: datetime
    reason: Literal["activity_since"] = "activity_since"


@dataclass(frozen=True)
class Send:
    """Send ``step``; the ``holdout`` variant is decided and recorded but never emailed."""

    step: int
    variant: str

    @property
    def held_out(self) -> bool:
        return self.variant == HOLDOUT


Decision = Stop | Wait | Send


def due_at(cart: Cart, policy: ShopPolicy, step: int) -> datetime:
    return cart.abandoned_at + policy.delays[step - 1]


def is_eligible(cart: Cart, policy: ShopPolicy) -> bool:
    """Worth following up at all: active, reachable, not empty, above the shop's floor."""
    return _blocker(cart, policy) is None


def _blocker(cart: Cart, policy: ShopPolicy) -> StopReason | None:
    if cart.status == "ordered":
        return "ordered"
    if cart.status == "emptied":
        return "emptied"
    if cart.customer.email is None:
        return "no_contact"
    if not cart.items:
        return "empty_cart"
    if cart.total < policy.min_cart_value:
        return "below_minimum"
    return None


def needs_timer(cart: Cart, policy: ShopPolicy) -> bool:
    """True when an event made the cart eligible and nothing is following it up yet."""
    return cart.timer is None and cart.next_step <= policy.steps and is_eligible(cart, policy)


HOLDOUT = "holdout"


def in_holdout(shop_id: str, email: str, percent: Decimal) -> bool:
    """A stable draw per customer of a shop: the same address is always in or always out."""
    if not percent:
        return False
    digest = hashlib.sha256(f"{shop_id}\n{email.strip().lower()}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 10_000 < percent * 100


def decide(cart: Cart, policy: ShopPolicy, step: int, now: datetime, suppressed: bool) -> Decision:
    """What to do when the timer for ``step`` fires at ``now``."""
    blocker = _blocker(cart, policy)
    if blocker is not None:
        return Stop(blocker)
    if suppressed:
        return Stop("suppressed")
    if step > policy.steps:
        return Stop("sequence_finished")
    if cart.reminder(step) is not None or cart.next_step > step:
        return Stop("already_sent")
    if cart.next_step < step:
        return Stop("out_of_order")
    due = due_at(cart, policy, step)
    if now + ON_TIME_TOLERANCE < due:
        return Wait(until=due)
    if in_holdout(cart.shop_id, str(cart.customer.email), policy.holdout_percent):
        return Send(step=step, variant=HOLDOUT)
    return Send(step=step, variant="A")
