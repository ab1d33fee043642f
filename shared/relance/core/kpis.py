"""Daily KPIs of one shop, computed from the carts abandoned that day (their cohort).

Every figure is defined in docs/kpis.md. One row per currency: revenue is never summed
across currencies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from babel.numbers import get_currency_precision

from relance.core.cart import Cart
from relance.core.policy import MAX_STEPS, ShopPolicy


@dataclass
class DailyKpis:
    shop_id: str
    day: date
    currency: str
    carts: int = 0
    abandoned: int = 0
    eligible: int = 0
    reminded: int = 0
    emails_sent: list[int] = field(default_factory=lambda: [0] * MAX_STEPS)
    recovered_orders: int = 0
    recovered_revenue: Decimal = Decimal(0)
    natural_orders: int = 0
    natural_revenue: Decimal = Decimal(0)

    @property
    def recovery_rate(self) -> Decimal:
        if not self.reminded:
            return Decimal(0)
        return (Decimal(self.recovered_orders) / self.reminded).quantize(Decimal("0.0001"))

    def as_row(self) -> dict[str, str | int]:
        row: dict[str, str | int] = {
            "shop_id": self.shop_id,
            "date": self.day.isoformat(),
            "currency": self.currency,
        }
        minor_unit = Decimal(1).scaleb(-get_currency_precision(self.currency or "EUR"))
        for name, value in asdict(self).items():
            if name in ("shop_id", "day", "currency", "emails_sent"):
                continue
            # Money in the currency's own precision (2 for EUR, 0 for JPY), as plain digits.
            row[name] = str(value.quantize(minor_unit)) if isinstance(value, Decimal) else value
        for step, count in enumerate(self.emails_sent, start=1):
            row[f"emails_sent_step{step}"] = count
        row["recovery_rate"] = str(self.recovery_rate)
        return row


def _abandoned(cart: Cart, policy: ShopPolicy) -> bool:
    """Not bought before the first reminder would have gone out."""
    if cart.order is None:
        return True
    return cart.order.placed_at >= cart.abandoned_at + policy.delays[0] or cart.order.recovered


def daily_kpis(shop_id: str, day: date, carts: Iterable[Cart], policy: ShopPolicy) -> list[DailyKpis]:
    rows: dict[str, DailyKpis] = {}
    for cart in carts:
        if cart.cohort_day != day or not cart.items or cart.currency is None:
            continue
        kpis = rows.setdefault(cart.currency, DailyKpis(shop_id, day, cart.currency))
        kpis.carts += 1
        if not _abandoned(cart, policy):
            continue
        kpis.abandoned += 1
        kpis.eligible += cart.eligible_at is not None
        sent = [r for r in cart.reminders if r.message_id]
        kpis.reminded += bool(sent)
        for reminder in sent:
            kpis.emails_sent[reminder.step - 1] += 1
        if cart.order is None:
            continue
        if cart.order.recovered:
            kpis.recovered_orders += 1
            kpis.recovered_revenue += cart.order.amount
        else:
            kpis.natural_orders += 1
            kpis.natural_revenue += cart.order.amount
    return [rows[currency] for currency in sorted(rows)]
