"""Daily KPIs of one shop, computed from the carts abandoned that day (their cohort).

Every figure is defined in docs/kpis.md. One row per currency (revenue is never summed
across currencies), and one row per currency, step and variant for the step breakdown.
Carts are added one at a time, so a day of any size is read in bounded memory.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal

from relance.core.money import plain_amount
from relance.core.reporting.costs import cost_columns, incentive_cost
from relance.core.reporting.incrementality import Group, lift_columns
from relance.core.reporting.reported import ReportedCart
from relance.core.sequence.policy import ShopPolicy

RATE = Decimal("0.0001")
ENGAGEMENT = (
    "delivery",
    "open",
    "click",
    "click_cart",
    "click_product",
    "bounce",
    "complaint",
    "unsubscribe",
)
# Column of each kind of feedback: how many emails were delivered, opened, clicked (any link,
# the cart's buttons, a product's image or name)...
COUNTED_AS = dict(
    zip(
        ENGAGEMENT,
        ("delivered", "opened", "clicked", "clicked_cart_link", "clicked_product_link", "bounced",
         "complained", "unsubscribed"),
        strict=True,
    )
)  # fmt: skip
STEP_COLUMNS = (
    "shop_id", "cohort_date", "currency", "step", "variant", "sent", *COUNTED_AS.values(),
    "recovered_orders", "recovered_revenue",
)  # fmt: skip


def was_abandoned(cart: ReportedCart, policy: ShopPolicy) -> bool:
    """Not bought before the first reminder would have gone out."""
    order = cart.order
    if order is None:
        return True
    return order.recovered or order.placed_at >= cart.abandoned_at + policy.delays[0]


def _rate(part: int | Decimal, whole: int) -> Decimal:
    return (Decimal(part) / whole if whole else Decimal(0)).quantize(RATE)


@dataclass
class StepKpis:
    sent: int = 0
    engaged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ENGAGEMENT, 0))
    recovered_orders: int = 0
    recovered_revenue: Decimal = Decimal(0)


@dataclass
class CohortKpis:
    shop_id: str
    day: date
    currency: str
    carts: int = 0
    abandoned: int = 0
    eligible: int = 0
    reminded: int = 0
    clicked_carts: int = 0
    clicked_and_recovered: int = 0
    natural_orders: int = 0
    natural_revenue: Decimal = Decimal(0)
    events: int = 0
    holdout_carts: int = 0
    holdout_orders: int = 0
    holdout_revenue: Decimal = Decimal(0)
    margin_rate: Decimal | None = None
    usd_rate: Decimal | None = None
    incentives_given: int = 0
    incentive_cost: Decimal = Decimal(0)
    recovery_minutes: list[float] = field(default_factory=list)
    steps: dict[tuple[int, str], StepKpis] = field(default_factory=dict)

    def add(self, cart: ReportedCart, policy: ShopPolicy) -> None:
        stored = cart.stored
        self.carts += 1
        # carts stored before events were counted count the ids they remember
        self.events += stored.get("events_applied") or len(stored.get("seen_event_ids") or ())
        self.margin_rate, self.usd_rate = policy.margin_rate, policy.usd_rate
        sent = cart.emailed
        # A cart that got an email was abandoned when it got it, even if the customer came
        # back and bought within hours since: its emails count (they match the outbox).
        if not was_abandoned(cart, policy) and not sent:
            return
        self.abandoned += 1
        self.eligible += stored.get("eligible_at") is not None
        self.reminded += bool(sent)
        self.holdout_carts += cart.held_out
        clicked = False
        for reminder in sent:
            key = (reminder["step"], reminder["variant"])
            step = self.steps.get(key)
            if step is None:  # not setdefault: that would build a StepKpis for every email
                step = self.steps[key] = StepKpis()
            step.sent += 1
            feedback = reminder.get("feedback") or {}
            clicked = clicked or "click" in feedback
            for kind in feedback:
                if kind in step.engaged:  # the kinds reported (SES sends a few more)
                    step.engaged[kind] += 1
        self.clicked_carts += clicked
        if cart.incentive is not None:
            self.incentives_given += 1
            self.incentive_cost += incentive_cost(cart.incentive, cart.order)
        order = cart.order
        if order is None or order.credited_elsewhere:
            return  # an order credited to another cart of the customer counts there
        if order.holdout:
            self.holdout_orders += 1
            self.holdout_revenue += order.amount
            return
        if not order.recovered:
            self.natural_orders += 1
            self.natural_revenue += order.amount
            return
        credited = next(r for r in sent if r["step"] == order.credited_step)
        step = self.steps[(credited["step"], credited["variant"])]
        step.recovered_orders += 1
        step.recovered_revenue += order.amount
        self.clicked_and_recovered += clicked
        self.recovery_minutes.append((order.placed_at - cart.abandoned_at).total_seconds() / 60)

    def merge(self, other: CohortKpis) -> None:
        """Add ``other``'s carts (of the same day and currency): a cohort is the sum of its
        segments, so each cart is added once, to its segment."""
        for name in _SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.margin_rate, self.usd_rate = other.margin_rate, other.usd_rate
        self.recovery_minutes.extend(other.recovery_minutes)
        for key, theirs in other.steps.items():
            mine = self.steps.setdefault(key, StepKpis())
            mine.sent += theirs.sent
            mine.recovered_orders += theirs.recovered_orders
            mine.recovered_revenue += theirs.recovered_revenue
            for kind, count in theirs.engaged.items():
                mine.engaged[kind] += count

    def _total(self, name: str) -> int:
        return sum(s.engaged[name] for s in self.steps.values())

    def row(self) -> dict[str, str | int]:
        sent = sum(s.sent for s in self.steps.values())
        orders = sum(s.recovered_orders for s in self.steps.values())
        revenue = sum((s.recovered_revenue for s in self.steps.values()), Decimal(0))
        minutes = self.recovery_minutes
        row: dict[str, str | int] = {
            "shop_id": self.shop_id,
            "cohort_date": self.day.isoformat(),
            "currency": self.currency,
            "carts": self.carts,
            "abandoned": self.abandoned,
            "eligible": self.eligible,
            "reminded": self.reminded,
            "emails_sent": sent,
        }
        for step in (1, 2, 3):
            row[f"emails_sent_step{step}"] = sum(s.sent for (n, _), s in self.steps.items() if n == step)
        for kind, column in COUNTED_AS.items():
            row[column] = self._total(kind)
        row |= {
            "recovered_orders": orders,
            "recovered_revenue": plain_amount(revenue, self.currency),
            "natural_orders": self.natural_orders,
            "natural_revenue": plain_amount(self.natural_revenue, self.currency),
            "recovery_rate": str(_rate(orders, self.reminded)),
            "revenue_per_recipient": plain_amount(
                revenue / self.reminded if self.reminded else Decimal(0), self.currency
            ),
            "post_click_conversion_rate": str(_rate(self.clicked_and_recovered, self.clicked_carts)),
            "bounce_rate": str(_rate(self._total("bounce"), sent)),
            "complaint_rate": str(_rate(self._total("complaint"), sent)),
            "unsubscribe_rate": str(_rate(self._total("unsubscribe"), sent)),
            "open_rate_unreliable": str(_rate(self._total("open"), sent)),
            "incentives_given": self.incentives_given,
            **cost_columns(
                sent,
                self.events,
                revenue,
                self.currency,
                margin_rate=self.margin_rate,
                usd_rate=self.usd_rate,
                incentives=self.incentive_cost,
            ),
            "holdout_carts": self.holdout_carts,
            "holdout_orders": self.holdout_orders,
            "holdout_revenue": plain_amount(self.holdout_revenue, self.currency),
            **lift_columns(
                Group(self.reminded, orders, revenue),
                Group(self.holdout_carts, self.holdout_orders, self.holdout_revenue),
                self.currency,
            ),
            "minutes_to_recovery_mean": f"{statistics.fmean(minutes):.1f}" if minutes else "",
            "minutes_to_recovery_median": f"{statistics.median(minutes):.1f}" if minutes else "",
        }
        return row

    def step_rows(self) -> list[dict[str, str | int]]:
        rows: list[dict[str, str | int]] = []
        for (step, variant), kpis in sorted(self.steps.items()):
            row: dict[str, str | int] = {
                "shop_id": self.shop_id,
                "cohort_date": self.day.isoformat(),
                "currency": self.currency,
                "step": step,
                "variant": variant,
                "sent": kpis.sent,
            }
            row |= {COUNTED_AS[kind]: count for kind, count in kpis.engaged.items()}
            row |= {
                "recovered_orders": kpis.recovered_orders,
                "recovered_revenue": plain_amount(kpis.recovered_revenue, self.currency),
            }
            rows.append(row)
        return rows


def in_cohort(cart: ReportedCart, day: date) -> bool:
    """Counted in ``day``'s report: it had items and was last touched that day."""
    stored = cart.stored
    on_day = cart.abandoned_utc[:10] == day.isoformat()
    return on_day and bool(stored.get("items")) and stored.get("currency") is not None


_SUMMED = tuple(f.name for f in fields(CohortKpis) if f.type in ("int", "Decimal"))
"""The counters and sums a cohort adds up from its segments."""
