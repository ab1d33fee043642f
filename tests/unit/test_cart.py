"""How events change a cart: idempotent, and safe when they arrive late or out of order."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from relance.core.cart.state import REMEMBERED_EVENT_IDS, Cart, Reminder, apply_event, event_key, new_cart
from tests.conftest import T0
from tests.factories import cart_updated, item, order_placed, parsed, simple

pytestmark = pytest.mark.unit
H = timedelta(hours=1)


def run(*events: dict[str, Any]) -> Cart:
    cart = new_cart("shop", parsed(events[0]))
    for event in events:
        updated = apply_event(cart, parsed(event))
        cart = updated if updated is not None else cart
    return cart


def test_an_event_applied_twice_changes_nothing_the_second_time() -> None:
    cart = run(cart_updated("e1", T0))
    assert apply_event(cart, parsed(cart_updated("e1", T0))) is None


def test_the_event_memory_stays_small_however_many_events_a_cart_gets() -> None:
    ids = [f"shopify-webhook-{n:04d}-5f0c1d2e-8a3b-4c5d-9e6f-7a8b9c0d1e2f" for n in range(500)]
    cart = run(*(cart_updated(event_id, T0 + n * timedelta(seconds=1)) for n, event_id in enumerate(ids)))
    assert len(cart.seen_event_ids) == REMEMBERED_EVENT_IDS and cart.events_applied == 500
    assert len(json.dumps(cart.seen_event_ids)) <= REMEMBERED_EVENT_IDS * 16
    assert all(apply_event(cart, parsed(cart_updated(i, T0))) is None for i in ids[-REMEMBERED_EVENT_IDS:])


def test_an_event_older_than_the_memory_replayed_changes_nothing_the_customer_sees() -> None:
    first = cart_updated("e-0", T0, items=[item("OLD")])
    later = [cart_updated(f"e-{n}", T0 + n * H, items=[item("NEW")]) for n in range(1, 40)]
    cart = run(first, *later)
    replayed = apply_event(cart, parsed(first))  # forgotten: applied again, to no effect
    assert replayed is not None
    kept = ("items", "total", "last_activity_at", "content_at", "customer", "status")
    assert all(getattr(replayed, name) == getattr(cart, name) for name in kept)


def test_a_cart_stored_with_whole_event_ids_still_knows_them() -> None:
    cart = run(cart_updated("e1", T0)).model_copy(
        update={"seen_event_ids": ("legacy-id",), "events_applied": 0}
    )
    assert apply_event(cart, parsed(cart_updated("legacy-id", T0))) is None
    updated = apply_event(cart, parsed(cart_updated("e2", T0 + H)))
    assert updated is not None and updated.events_applied == 2 and event_key("e2") in updated.seen_event_ids


def test_items_are_those_of_the_newest_update_even_when_it_arrives_first() -> None:
    newer = cart_updated("e2", T0 + H, items=[item("NEW", "10.00")])
    older = cart_updated("e1", T0, items=[item("OLD", "99.00"), item("GONE", "5.00")])
    cart = run(newer, older)
    assert [i.sku for i in cart.items] == ["NEW"]
    assert cart.total == Decimal("10.00")
    assert cart.last_activity_at == T0 + H and cart.created_at == T0


def test_an_order_that_arrives_before_the_last_update_still_wins() -> None:
    cart = run(cart_updated("e1", T0), order_placed("o1", T0 + 2 * H), cart_updated("e2", T0 + H))
    assert cart.status == "ordered"
    assert cart.order is not None and cart.order.order_id == "order-o1"


def test_a_cart_update_after_an_order_does_not_reopen_the_cart() -> None:
    cart = run(cart_updated("e1", T0), order_placed("o1", T0 + H), cart_updated("e2", T0 + 3 * H))
    assert cart.status == "ordered"


def test_emptied_cart_revives_only_with_a_newer_update() -> None:
    emptied = run(cart_updated("e1", T0), simple("cart_emptied", "x", T0 + H))
    assert emptied.status == "emptied" and emptied.timer is None
    assert (
        run(
            cart_updated("e1", T0), simple("cart_emptied", "x", T0 + H), cart_updated("e2", T0 + 2 * H)
        ).status
        == "active"
    )
    late_empty = run(cart_updated("e2", T0 + 2 * H), simple("cart_emptied", "x", T0 + H))
    assert late_empty.status == "active"


def test_the_total_sent_by_the_shop_wins_over_the_items_sum() -> None:
    cart = run({**cart_updated("e1", T0, items=[item(price="50.00", quantity=2)]), "total": "90.00"})
    assert cart.total == Decimal("90.00")


def test_customer_details_merge_and_newer_values_win() -> None:
    cart = run(
        cart_updated("e1", T0, email=None, first_name="Claire"),
        simple("customer_identified", "c1", T0 + H)
        | {"customer": {"email": "c@example.fr", "locale": "fr-FR"}},
        cart_updated("e0", T0 - H, email=None, first_name="Old name", time_zone="Europe/Paris"),
    )
    assert cart.customer.email == "c@example.fr"
    assert cart.customer.first_name == "Claire"
    assert cart.customer.time_zone == "Europe/Paris"


def test_an_order_is_credited_to_the_last_email_sent_before_it() -> None:
    cart = run(cart_updated("e1", T0))
    sent = (
        Reminder(step=1, variant="A", claimed_at=T0 + 3 * H, message_id="m1"),
        Reminder(step=2, variant="A", claimed_at=T0 + 24 * H, message_id="m2"),
    )
    cart = cart.model_copy(update={"reminders": sent})
    recovered = apply_event(cart, parsed(order_placed("o1", T0 + 5 * H)))
    assert recovered is not None and recovered.order is not None
    assert recovered.order.credited_step == 1 and recovered.order.recovered
    natural = apply_event(cart, parsed(order_placed("o1", T0 + 2 * H)))
    assert natural is not None and natural.order is not None and not natural.order.recovered


def test_a_clicked_step_is_credited_over_a_later_unclicked_email_and_says_why() -> None:
    cart = run(cart_updated("e1", T0))
    sent = (
        Reminder(step=1, variant="B", claimed_at=T0 + 3 * H, message_id="m1", feedback={"click": T0 + 4 * H}),
        Reminder(step=2, variant="A", claimed_at=T0 + 24 * H, message_id="m2"),
    )
    cart = cart.model_copy(update={"reminders": sent})
    order = apply_event(cart, parsed(order_placed("o1", T0 + 30 * H)))
    assert order is not None and order.order is not None
    assert (order.order.credited_step, order.order.credited_variant, order.order.credit_reason) == (
        1,
        "B",
        "clicked",
    )
    unclicked = cart.model_copy(update={"reminders": (sent[0].model_copy(update={"feedback": {}}), sent[1])})
    last = apply_event(unclicked, parsed(order_placed("o1", T0 + 30 * H)))
    assert last is not None and last.order is not None
    assert (last.order.credited_step, last.order.credit_reason) == (2, "last_email")


def test_a_second_order_event_for_the_same_cart_keeps_the_first() -> None:
    cart = run(
        cart_updated("e1", T0), order_placed("o1", T0 + H), order_placed("o2", T0 + 2 * H, amount="1.00")
    )
    assert cart.order is not None and cart.order.order_id == "order-o1"


def test_the_cohort_day_is_the_utc_day_of_abandonment() -> None:
    late_evening_in_paris = cart_updated("e1", T0.replace(hour=23, minute=30)).copy()
    late_evening_in_paris["occurred_at"] = "2026-11-03T00:30:00+01:00"
    assert run(late_evening_in_paris).cohort_day.isoformat() == "2026-11-02"


def test_an_order_long_after_the_last_email_is_a_natural_return() -> None:
    cart = run(cart_updated("e1", T0))
    reminder = Reminder(step=1, variant="A", claimed_at=T0 + 3 * H, message_id="m1")
    cart = cart.model_copy(update={"reminders": (reminder,)})
    order = parsed(order_placed("o1", T0 + 3 * H + timedelta(days=8)))
    late = apply_event(cart, order)
    assert late is not None and late.order is not None and not late.order.recovered
    within = apply_event(cart, order, attribution_window=timedelta(days=10))
    assert within is not None and within.order is not None and within.order.credited_step == 1


def test_crediting_the_same_customers_emailed_cart_is_idempotent_and_windowed() -> None:
    from relance.core.cart.credit import credit_same_customer, credited_elsewhere
    from relance.core.cart.events import OrderPlaced

    emailed = run(cart_updated("e1", T0, "phone")).model_copy(
        update={"reminders": (Reminder(step=1, variant="A", claimed_at=T0 + 3 * H, message_id="m1"),)}
    )
    order = parsed(order_placed("o1", T0 + 5 * H, "laptop"))
    assert isinstance(order, OrderPlaced)
    credited = credit_same_customer(emailed, order)
    assert credited is not None and credited.order is not None
    assert (credited.status, credited.order.via, credited.order.credited_step) == ("ordered", "customer", 1)
    assert credit_same_customer(credited, order) is None  # applied once
    late = parsed(order_placed("o2", T0 + 3 * H + timedelta(days=7, minutes=1), "laptop"))
    assert isinstance(late, OrderPlaced) and credit_same_customer(emailed, late) is None
    laptop = run(cart_updated("l1", T0, "laptop"), order_placed("o1", T0 + 5 * H, "laptop"))
    moved = credited_elsewhere(laptop, "phone")
    assert moved is not None and moved.order is not None and moved.order.credited_elsewhere == "phone"
    assert credited_elsewhere(moved, "phone") is None
