"""What the reminders add over customers who would have come back anyway.

The hold-out group goes through every decision but is never emailed; its recovery rate
is the natural one. The difference with the reminded group, with a 95 % confidence
interval (normal approximation for the difference of two proportions), is what the
reminders add; times the recipients, what they bring back in money.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from statistics import NormalDist

from relance.core.money import plain_amount

Z95 = NormalDist().inv_cdf(0.975)
COLUMNS = (
    "natural_recovery_rate", "incremental_recovery_rate", "incremental_rate_ci95_low",
    "incremental_rate_ci95_high", "incremental_revenue",
)  # fmt: skip


@dataclass(frozen=True)
class Group:
    carts: int
    orders: int
    revenue: Decimal

    @property
    def rate(self) -> float:
        return self.orders / self.carts if self.carts else 0.0


@dataclass(frozen=True)
class Lift:
    natural_rate: float
    incremental_rate: float
    ci_low: float
    ci_high: float
    incremental_revenue: Decimal


def lift(reminded: Group, holdout: Group) -> Lift | None:
    """``None`` until both groups have carts: no comparison without a control group."""
    if not reminded.carts or not holdout.carts:
        return None
    p1, p0 = reminded.rate, holdout.rate
    error = math.sqrt(p1 * (1 - p1) / reminded.carts + p0 * (1 - p0) / holdout.carts)
    per_cart = reminded.revenue / reminded.carts - holdout.revenue / holdout.carts
    return Lift(p0, p1 - p0, p1 - p0 - Z95 * error, p1 - p0 + Z95 * error, per_cart * reminded.carts)


def lift_columns(reminded: Group, holdout: Group, currency: str) -> dict[str, str]:
    """The report's columns for :func:`lift`; empty cells while there is no hold-out group."""
    measured = lift(reminded, holdout)
    if measured is None:
        return dict.fromkeys(COLUMNS, "")
    figures = (measured.natural_rate, measured.incremental_rate, measured.ci_low, measured.ci_high)
    return {
        **{column: f"{value:.4f}" for column, value in zip(COLUMNS, figures, strict=False)},
        "incremental_revenue": plain_amount(measured.incremental_revenue, currency),
    }
