"""The report's view of a stored cart: everything it shows, read without what it does not."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from relance.core.cart.state import Cart, CartRecord, GrantedIncentive, Reminder, apply_event, new_cart
from relance.core.reporting.reported import ReportedCart
from tests.conftest import T0
from tests.factories import cart_updated, order_placed, parsed

pytestmark = pytest.mark.unit
H = timedelta(hours=1)


def _rich_cart() -> Cart:
    """A cart with every kind of record the report reads: emails and their feedback, an
    incentive, an order and a later one, a call flagged, a customer's history and source."""
    event = parsed(cart_updated("e1", T0, orders_count=2, source={"utm_source": "newsletter"}))
    cart = apply_event(new_cart("shop", event), event)
    assert cart is not None
    reminders = (
        Reminder(step=1, variant="B", claimed_at=T0 + H, message_id="m1", feedback={"open": T0 + 2 * H}),
        Reminder(step=2, variant="B", claimed_at=T0 + 5 * H, unconfirmed=True),
    )
    incentive = GrantedIncentive(code="MERCI", kind="percent", value=Decimal(10), granted_at=T0 + 5 * H)
    cart = cart.model_copy(
        update={"reminders": reminders, "incentive": incentive, "flagged_at": T0 + H, "eligible_at": T0}
    )
    for event_id, hours in (("o1", 6), ("o2", 30)):
        bought = apply_event(cart, parsed(order_placed(event_id, T0 + hours * H, amount="90.00")))
        assert bought is not None
        cart = bought
    assert cart.order is not None and cart.later_orders
    return cart


def test_the_report_reads_every_field_of_the_cart_record_as_stored() -> None:
    cart = _rich_cart()
    reported = ReportedCart.of(cart)
    for name in CartRecord.model_fields:
        assert getattr(reported, name) == getattr(cart, name), name
    assert (reported.abandoned_at, reported.cohort_day) == (cart.abandoned_at, cart.cohort_day)
    assert reported.customer.orders_count == 2
    assert reported.customer.source is not None and reported.customer.source.utm_source == "newsletter"
    assert len(reported.items) == len(cart.items) and reported.events_applied == cart.events_applied


def test_the_report_skips_what_it_does_not_show_so_it_never_checks_it_again() -> None:
    # Fields checked when they came in (an address, a link) or unknown to this version of the
    # report (written by a newer one during a deploy) cost a nightly report nothing.
    document = json.loads(_rich_cart().model_dump_json(exclude_defaults=True))
    document["customer"]["email"] = "no longer a valid address"
    document["items"][0]["image_url"] = "http://not-https.example/image.png"
    document["written_by_a_newer_version"] = {"any": "thing"}
    with pytest.raises(ValueError):
        Cart.model_validate(document)
    reported = ReportedCart.model_validate_json(json.dumps(document))
    assert reported.order is not None and reported.order.amount == Decimal("90.00")


def test_what_the_row_and_the_kpis_both_read_is_worked_out_once_per_cart() -> None:
    cart = _rich_cart()
    held_out = Reminder(step=3, variant="B", claimed_at=T0 + 9 * H, held_out=True, message_id="never-sent")
    paris = timezone(timedelta(hours=1))
    late_evening = datetime(2026, 11, 2, 23, 30, tzinfo=paris)  # 22:30 UTC: still the 2nd
    reported = ReportedCart.of(
        cart.model_copy(update={"reminders": (*cart.reminders, held_out), "last_activity_at": late_evening})
    )
    assert [r.step for r in reported.emailed] == [1, 2]  # sent, then unconfirmed; not the held-out one
    assert reported.held_out and not ReportedCart.of(cart).held_out
    assert reported.abandoned_utc == late_evening and reported.abandoned_utc.tzinfo == UTC
    assert reported.emailed is reported.emailed  # computed once
