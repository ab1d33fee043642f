"""A shop's recovery policy: data, stored per shop, validated here field by field.

Every field has a default; docs/policy.md lists them all. The decisions that use it live in
:mod:`relance.core.sequence.decisions`.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from relance.core.money import Amount
from relance.core.sequence.options import Incentive, PressureCap, QuietHours, Variant

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
LATEST_REMINDER = timedelta(days=8)
"""Seed 001: well under 8 days. No reminder after that, whatever delayed it (quiet hours,
pressure cap, an event that arrived days late)."""
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
    min_cart_value: Amount = Decimal(0)
    retention_days: int = Field(default=DEFAULT_RETENTION_DAYS, ge=1, le=730)
    holdout_percent: Decimal = Field(
        default=Decimal(0),
        ge=0,
        le=50,
        decimal_places=2,
        description="share of customers who go through every decision but are never emailed",
    )
    margin_rate: Decimal | None = Field(
        default=None,
        ge=0,
        le=1,
        decimal_places=4,
        description="gross margin on sales (0.4 = 40 %), for the net margin KPI",
    )
    usd_rate: Decimal | None = Field(
        default=None,
        gt=0,
        max_digits=14,
        decimal_places=6,
        description="units of the shop's currency per US dollar, to count AWS costs in it",
    )
    attribution_window_days: int = Field(
        default=7,
        ge=1,
        le=30,
        description="an order this long after the last email still counts as recovered",
    )
    consent_mode: Literal["opt_out", "eu"] = Field(
        default="opt_out",
        description="eu: prospects only with marketing consent, customers unless they opted out",
    )
    quiet_hours: QuietHours | None = QuietHours()
    pressure_cap: PressureCap = PressureCap()
    step3_only_if_opened: bool = Field(
        default=False, description="skip the last email when neither earlier one was opened"
    )
    high_cart_value: Amount = Field(
        default=Decimal(150), gt=0, description="carts at or above this are 'high': more reassurance"
    )
    manual_call_value: Amount | None = Field(
        default=None, gt=0, description="carts at or above this are flagged to staff for a call"
    )
    incentive: Incentive = Incentive()
    variants: tuple[Variant, ...] = Field(default=(), max_length=4)

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

    @model_validator(mode="after")
    def _variants_distinct(self) -> ShopPolicy:
        names = [v.name for v in self.variants]
        if len(set(names)) != len(names):
            raise ValueError("variants: each variant needs its own name")
        if len(names) == 1:
            raise ValueError("variants: an A/B test needs at least two variants (or none)")
        if self.manual_call_value is not None and self.manual_call_value < self.high_cart_value:
            raise ValueError("manual_call_value: must be at least high_cart_value")
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
