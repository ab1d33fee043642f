"""Daily KPIs and cart facts from a cohort of carts."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from relance.core.cart.state import Cart, RecordedOrder, Reminder, apply_event, new_cart
from relance.core.reporting.facts import FACT_COLUMNS, fact_row
from relance.core.reporting.kpis import CohortKpis, in_cohort
from relance.core.reporting.reported import ReportedCart
from relance.core.sequence.policy import ShopPolicy
from tests.conftest import T0
from tests.factories import cart_updated, item, parsed

pytestmark = pytest.mark.unit
H = timedelta(hours=1)
DAY = T0.date()
POLICY = ShopPolicy()


def cart(
    cart_id: str, *, at: datetime = T0, steps: tuple[int, ...] = (), order_after: timedelta | None = None,
    amount: str = "100.00", currency: str = "EUR", eligible: bool = True,
    feedback: dict[int, tuple[str, ...]] | None = None,
) -> Cart:  # fmt: skip
    event = {**cart_updated("e", at, cart_id, items=[item(price=amount)]), "currency": currency}
    built = apply_event(new_cart("shop", parsed(event)), parsed(event))
    assert built is not None
    reminders = tuple(
        Reminder(step=s, variant="A", claimed_at=at + s * 3 * H, message_id=f"m{s}",
                 feedback=dict.fromkeys((feedback or {}).get(s, ()), at + s * 3 * H))
        for s in steps
    )  # fmt: skip
    update: dict[str, Any] = {"reminders": reminders, "eligible_at": at if eligible else None}
    if order_after is not None:
        placed = at + order_after
        credited = max((r.step for r in reminders if r.claimed_at <= placed), default=None)
        order = RecordedOrder(order_id=cart_id, amount=Decimal(amount), currency=currency,
                              placed_at=placed, credited_step=credited)  # fmt: skip
        update.update(status="ordered", order=order)
    return built.model_copy(update=update)


def cohort(*carts: Cart) -> CohortKpis:
    kpis = CohortKpis("shop", DAY, "EUR")
    for one in map(ReportedCart.of, carts):
        if in_cohort(one, DAY):
            kpis.add(one, POLICY)
    return kpis


def week() -> list[Cart]:
    return [
        cart("bought-at-once", order_after=H),  # not abandoned
        cart("quick", order_after=2 * H),  # bought before step 1 was due
        cart("natural", order_after=26 * H, amount="50.00", eligible=False),  # came back, never mailed
        cart("recovered", steps=(1,), order_after=5 * H, amount="80.00",
             feedback={1: ("delivery", "open", "click")}),
        cart("recovered-2", steps=(1, 2), order_after=7 * H, amount="120.00",
             feedback={1: ("delivery",), 2: ("delivery", "click")}),
        cart("ignored", steps=(1, 2, 3), feedback={1: ("delivery", "click"), 2: ("bounce",)}),
        cart("anonymous", eligible=False),
        cart("other-day", at=T0 + 24 * H, steps=(1,)),
    ]  # fmt: skip


def test_a_day_of_carts_gives_the_funnel_and_recovered_revenue() -> None:
    row = cohort(*week()).row()
    assert (row["carts"], row["abandoned"], row["eligible"], row["reminded"]) == (7, 5, 3, 3)
    assert (row["emails_sent_step1"], row["emails_sent_step2"], row["emails_sent_step3"]) == (3, 2, 1)
    assert (row["delivered"], row["opened"], row["clicked"], row["bounced"]) == (4, 1, 3, 1)
    assert (row["recovered_orders"], row["recovered_revenue"]) == (2, "200.00")
    assert (row["natural_orders"], row["natural_revenue"]) == (1, "50.00")
    assert row["recovery_rate"] == "0.6667"
    assert row["revenue_per_recipient"] == "66.67"  # 200 over 3 recipients
    assert row["post_click_conversion_rate"] == "0.6667"  # 3 carts clicked, 2 ordered
    assert row["bounce_rate"] == "0.1667"  # 1 of 6 emails
    assert (row["minutes_to_recovery_mean"], row["minutes_to_recovery_median"]) == ("360.0", "360.0")
    assert row["cohort_date"] == "2026-11-02"


def test_the_step_breakdown_credits_each_order_to_its_step() -> None:
    rows = {r["step"]: r for r in cohort(*week()).step_rows()}
    assert (rows[1]["sent"], rows[1]["recovered_orders"], rows[1]["recovered_revenue"]) == (3, 1, "80.00")
    assert (rows[2]["sent"], rows[2]["recovered_orders"], rows[2]["recovered_revenue"]) == (2, 1, "120.00")
    assert rows[2]["bounced"] == 1 and rows[3]["recovered_orders"] == 0


def test_money_keeps_the_currency_precision_and_empty_days_divide_by_nothing() -> None:
    yen = CohortKpis("shop", DAY, "JPY")
    yen.add(ReportedCart.of(cart("y", steps=(1,), order_after=5 * H, amount="1200", currency="JPY")), POLICY)
    assert yen.row()["recovered_revenue"] == "1200"
    empty = CohortKpis("shop", DAY, "EUR").row()
    assert empty["recovery_rate"] == "0.0000" and empty["minutes_to_recovery_mean"] == ""


def test_a_fact_row_per_cart_without_personal_data() -> None:
    recovered = cart("recovered-2", steps=(1, 2), order_after=7 * H, amount="120.00",
                     feedback={2: ("delivery", "click")})  # fmt: skip
    row = fact_row(ReportedCart.of(recovered), POLICY)
    assert tuple(row) == FACT_COLUMNS
    assert (row["recovered"], row["credited_step"], row["clicked"], row["opened"]) == (
        "true",
        2,
        "true",
        "false",
    )
    assert (row["minutes_to_recovery"], row["minutes_since_last_email"]) == ("420.0", "60.0")
    assert "claire@example.fr" not in str(row) and row["customer_type"] == "unknown"


def test_aws_cost_and_net_margin_when_the_shop_gives_its_rates() -> None:
    plain = cohort(*week()).row()
    emails, events = 6, 7  # the cohort's emails, and one event per cart of the day
    from relance.core.reporting.costs import PER_EMAIL, PER_EVENT

    assert Decimal(plain["aws_cost_usd"]) == (PER_EMAIL * emails + PER_EVENT * events).quantize(
        Decimal("0.000001")
    )
    assert plain["net_recovered_margin"] == ""
    kpis = CohortKpis("shop", DAY, "EUR")
    policy = ShopPolicy(margin_rate=Decimal("0.4"), usd_rate=Decimal("0.9"))
    for one in map(ReportedCart.of, week()):
        if in_cohort(one, DAY):
            kpis.add(one, policy)
    cost_eur = Decimal(kpis.row()["aws_cost_usd"]) * Decimal("0.9")
    assert Decimal(kpis.row()["net_recovered_margin"]) == (Decimal(200) * Decimal("0.4") - cost_eur).quantize(
        Decimal("0.01")
    )


def test_hold_out_carts_and_their_natural_returns_are_counted_apart() -> None:
    held = cart("held", steps=(1,), order_after=5 * H, amount="70.00")
    held = held.model_copy(
        update={
            "reminders": (held.reminders[0].model_copy(update={"held_out": True, "message_id": None}),),
            "order": held.order.model_copy(update={"holdout": True}),  # type: ignore[union-attr]
        }
    )
    row = cohort(
        *week(),
        held,
        cart("held-no-order", steps=()),
    ).row()
    assert (row["holdout_carts"], row["holdout_orders"], row["holdout_revenue"]) == (1, 1, "70.00")
    assert (row["recovered_orders"], row["natural_orders"], row["reminded"]) == (2, 1, 3)
    assert row["natural_recovery_rate"] == "1.0000" and row["incremental_recovery_rate"] == "-0.3333"
    assert fact_row(ReportedCart.of(held), POLICY)["holdout"] == "true"


def test_incentive_cost_counts_only_recovered_orders_and_comes_off_the_margin() -> None:
    from relance.core.cart.state import GrantedIncentive

    ten_percent = GrantedIncentive(code="MERCI", kind="percent", value=Decimal(10), granted_at=T0)
    shipping = GrantedIncentive(code="LIVR", kind="free_shipping", value=Decimal("6.90"), granted_at=T0)
    used = cart("used", steps=(1, 2, 3), order_after=10 * H, amount="200.00").model_copy(
        update={"incentive": ten_percent}
    )
    unused = cart("unused", steps=(1, 2, 3)).model_copy(update={"incentive": shipping})
    policy = ShopPolicy(margin_rate=Decimal("0.5"), usd_rate=Decimal(1))
    kpis = CohortKpis("shop", DAY, "EUR")
    for one in (used, unused):
        kpis.add(ReportedCart.of(one), policy)
    row = kpis.row()
    assert row["incentives_given"] == 2
    assert row["incentive_cost"] == "20.00", "10 % of the 200.00 order; the unused code costs nothing"
    aws = Decimal(str(row["aws_cost_usd"]))
    expected = (Decimal("100.00") - 20 - aws).quantize(Decimal("0.01"))
    assert Decimal(str(row["net_recovered_margin"])) == expected
    facts = fact_row(ReportedCart.of(used), policy)
    assert (facts["incentive_code"], facts["incentive_cost"]) == ("MERCI", "20.00")
    assert fact_row(ReportedCart.of(unused), policy)["incentive_cost"] == "0"


def test_unsubscribes_are_counted_by_step() -> None:
    kpis = cohort(cart("left", steps=(1, 2), feedback={2: ("delivery", "unsubscribe")}))
    assert kpis.row()["unsubscribed"] == 1 and kpis.row()["unsubscribe_rate"] == "0.5000"
    assert [r["unsubscribed"] for r in kpis.step_rows()] == [0, 1]


def test_an_email_counts_even_when_the_customer_came_back_and_bought_within_hours() -> None:
    # Step 1 went out; the customer came back (the clock restarted) and bought 1 h later,
    # an order not credited to the email: the email still happened and must be counted.
    emailed = cart("came-back", steps=(1,))
    order = RecordedOrder(order_id="o", amount=Decimal("40.00"), currency="EUR",
                          placed_at=emailed.abandoned_at + H, credited_step=None)  # fmt: skip
    bought = emailed.model_copy(update={"status": "ordered", "order": order})
    kpis = cohort(bought)
    assert kpis.row()["emails_sent"] == 1
    assert fact_row(ReportedCart.of(bought), POLICY)["emails_sent"] == 1


def test_a_second_order_through_the_same_cart_is_kept_and_reported() -> None:
    from tests.factories import order_placed

    first = apply_event(cart("c"), parsed(order_placed("o1", T0 + 5 * H, "c", "80.00")))
    assert first is not None
    second = apply_event(first, parsed({**order_placed("o2", T0 + 9 * H, "c", "30.00"), "order_id": "B-2"}))
    assert second is not None and [o.order_id for o in second.later_orders] == ["B-2"]
    resent = apply_event(second, parsed({**order_placed("o3", T0 + 9 * H, "c", "30.00"), "order_id": "B-2"}))
    assert resent is not None and len(resent.later_orders) == 1  # the same order again: kept once
    row = fact_row(ReportedCart.of(second), POLICY)
    assert row["later_orders"] == 1 and row["later_orders_amount"] == "30.00"
    assert second.order is not None and second.order.order_id == "order-o1"
