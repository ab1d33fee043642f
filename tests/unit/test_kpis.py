"""Daily KPIs from a cohort of carts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from relance.core.cart import Cart, RecordedOrder, Reminder, apply_event, new_cart
from relance.core.kpis import daily_kpis
from relance.core.policy import ShopPolicy
from tests.conftest import T0
from tests.factories import cart_updated, item, parsed

pytestmark = pytest.mark.unit
H = timedelta(hours=1)
DAY = T0.date()


def cart(
    cart_id: str,
    *,
    at=T0,
    steps=(),
    order_after: timedelta | None = None,
    amount="100.00",
    currency="EUR",
    eligible=True,
) -> Cart:
    event = {**cart_updated("e", at, cart_id, items=[item(price=amount)]), "currency": currency}
    built = apply_event(new_cart("shop", parsed(event)), parsed(event))
    assert built is not None
    reminders = tuple(
        Reminder(step=s, variant="A", claimed_at=at + s * 3 * H, message_id=f"m{s}") for s in steps
    )
    update: dict = {"reminders": reminders, "eligible_at": at if eligible else None}
    if order_after is not None:
        placed = at + order_after
        credited = max((r.step for r in reminders if r.claimed_at <= placed), default=None)
        update.update(
            status="ordered",
            order=RecordedOrder(
                order_id=cart_id,
                amount=Decimal(amount),
                currency=currency,
                placed_at=placed,
                credited_step=credited,
            ),
        )
    return built.model_copy(update=update)


def test_a_day_of_carts_gives_the_funnel_and_recovered_revenue() -> None:
    carts = [
        cart("bought-at-once", order_after=H),  # not abandoned
        cart("quick", order_after=2 * H),  # bought before step 1 was due
        cart("natural", order_after=26 * H, amount="50.00", eligible=False),  # came back, never mailed
        cart("recovered", steps=(1,), order_after=5 * H, amount="80.00"),
        cart("recovered-2", steps=(1, 2), order_after=7 * H, amount="120.00"),
        cart("ignored", steps=(1, 2, 3)),
        cart("anonymous", eligible=False),
        cart("other-day", at=T0 + 24 * H, steps=(1,)),
    ]
    (row,) = daily_kpis("shop", DAY, carts, ShopPolicy())
    assert (row.carts, row.abandoned, row.eligible, row.reminded) == (7, 5, 3, 3)
    assert row.emails_sent == [3, 2, 1]
    assert (row.recovered_orders, row.recovered_revenue) == (2, Decimal("200.00"))
    assert (row.natural_orders, row.natural_revenue) == (1, Decimal("50.00"))
    assert row.recovery_rate == Decimal("0.6667")
    csv_row = row.as_row()
    assert csv_row["date"] == "2026-11-02" and csv_row["recovered_revenue"] == "200.00"
    assert csv_row["emails_sent_step2"] == 2


def test_currencies_are_never_summed_together() -> None:
    rows = daily_kpis(
        "shop",
        DAY,
        [cart("a", steps=(1,), order_after=5 * H), cart("b", steps=(1,), order_after=5 * H, currency="GBP")],
        ShopPolicy(),
    )
    assert [(r.currency, r.recovered_revenue) for r in rows] == [("EUR", Decimal(100)), ("GBP", Decimal(100))]


def test_an_empty_day_has_no_rows_and_no_division_by_zero() -> None:
    assert daily_kpis("shop", date(2020, 1, 1), [cart("a")], ShopPolicy()) == []
