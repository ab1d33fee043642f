"""The report's view of a stored cart: what it shows, read as stored, without checking it again."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from relance.core.cart.events import AcquisitionSource, CustomerInfo
from relance.core.cart.state import Cart, GrantedIncentive, Reminder, apply_event, new_cart
from relance.core.reporting.reported import (
    ReportedCart,
    StoredCart,
    StoredCustomer,
    StoredReminder,
    StoredSource,
    utc_iso,
)
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


def test_the_report_reads_each_field_it_shows_as_the_cart_holds_it() -> None:
    cart = _rich_cart()
    reported = ReportedCart.of(cart)
    stored = reported.stored
    assert (stored["shop_id"], stored["cart_id"], stored.get("currency")) == ("shop", cart.cart_id, "EUR")
    assert reported.total == cart.total and reported.orders_count == 2
    assert reported.abandoned_at == cart.abandoned_at and reported.abandoned_utc[:10] == str(cart.cohort_day)
    assert reported.order == cart.order and reported.later_orders == list(cart.later_orders)
    assert reported.incentive == cart.incentive
    assert [r["step"] for r in reported.emailed] == [1, 2] and not reported.held_out
    source = (stored.get("customer") or {}).get("source")
    assert source is not None and source.get("utm_source") == "newsletter"
    assert (
        len(stored.get("items") or ()) == len(cart.items)
        and stored.get("events_applied") == cart.events_applied
    )


def test_every_field_the_report_reads_is_a_field_of_a_stored_cart() -> None:
    # The stored form is typed apart from the models: a field renamed in one and not in the
    # other would read as absent, and the report would show its default without a word.
    assert set(StoredCart.__annotations__) <= set(Cart.model_fields)
    assert set(StoredReminder.__annotations__) <= set(Reminder.model_fields)
    assert set(StoredCustomer.__annotations__) <= set(CustomerInfo.model_fields)
    assert set(StoredSource.__annotations__) <= set(AcquisitionSource.model_fields)


def test_the_report_does_not_check_stored_data_again() -> None:
    # Checked when it came in (an address, a link) or unknown to this version of the report
    # (written by a newer one during a deploy): a nightly report reads past it.
    document = json.loads(_rich_cart().model_dump_json(exclude_defaults=True))
    document["customer"]["email"] = "no longer a valid address"
    document["items"][0]["image_url"] = "http://not-https.example/image.png"
    document["written_by_a_newer_version"] = {"any": "thing"}
    with pytest.raises(ValueError):
        Cart.model_validate(document)
    reported = ReportedCart.read(json.dumps(document))
    assert reported.order is not None and reported.order.amount == Decimal("90.00")


def test_a_cart_with_every_field_at_its_default_written_out_reads_the_same() -> None:
    # The in-memory fake and older versions wrote defaults (nulls, empty lists) out.
    cart = _rich_cart()
    assert ReportedCart.read(cart.model_dump_json()).stored != ReportedCart.of(cart).stored
    full, lean = ReportedCart.read(cart.model_dump_json()), ReportedCart.of(cart)
    assert (full.abandoned_utc, full.held_out, full.order, full.incentive) == (
        lean.abandoned_utc,
        lean.held_out,
        lean.order,
        lean.incentive,
    )
    assert [r["step"] for r in full.emailed] == [r["step"] for r in lean.emailed] == [1, 2]
    assert (full.total, full.orders_count, full.later_orders) == (
        lean.total,
        lean.orders_count,
        lean.later_orders,
    )


def test_what_the_row_and_the_kpis_both_read_is_worked_out_once_per_cart() -> None:
    cart = _rich_cart()
    held_out = Reminder(step=3, variant="B", claimed_at=T0 + 9 * H, held_out=True, message_id="never-sent")
    paris = timezone(timedelta(hours=1))
    late_evening = datetime(2026, 11, 2, 23, 30, tzinfo=paris)  # 22:30 UTC: still the 2nd
    reported = ReportedCart.of(
        cart.model_copy(update={"reminders": (*cart.reminders, held_out), "last_activity_at": late_evening})
    )
    assert [r["step"] for r in reported.emailed] == [1, 2]  # sent, then unconfirmed; not the held-out one
    assert reported.held_out and not ReportedCart.of(cart).held_out
    assert reported.abandoned_utc == "2026-11-02T22:30:00+00:00" and reported.abandoned_at == late_evening


@given(st.datetimes(timezones=st.timezones()))
@example(datetime(2026, 11, 2, 9, 26, 53, 589000, tzinfo=UTC))  # pydantic writes 6 digits, as isoformat
@example(datetime(2026, 11, 2, 23, 30, tzinfo=timezone(timedelta(hours=-5))))  # the next day in UTC
def test_a_stored_time_reads_in_utc_as_the_model_would_read_it(at: datetime) -> None:
    stored = STORED_TIME.dump_json(at)  # as a cart stores it (an offset kept to the minute)
    assert (
        utc_iso(stored.decode().strip('"')) == STORED_TIME.validate_json(stored).astimezone(UTC).isoformat()
    )


STORED_TIME = TypeAdapter(datetime)
