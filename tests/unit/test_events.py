"""Validation of what shops post: valid events pass, each bad field is named with a reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from relance.core.cart.batch import parse_events
from relance.core.cart.events import CartUpdated
from tests.conftest import T0, load_event
from tests.factories import cart_updated, item, order_placed

pytestmark = pytest.mark.unit


def test_a_full_cart_event_is_parsed_with_decimal_money() -> None:
    batch = parse_events([load_event("cart_updated.json")])
    assert batch.rejected == ()
    ((index, event),) = batch.events
    assert index == 0 and isinstance(event, CartUpdated)
    assert event.items[0].unit_price == Decimal("59.90")
    assert event.customer is not None and event.customer.time_zone == "Europe/Paris"


def test_one_bad_event_names_its_field_and_leaves_the_others_valid() -> None:
    bad = cart_updated("e2", T0, items=[item(), {**item("X"), "quantity": 0}])
    batch = parse_events([cart_updated("e1", T0), bad, order_placed("e3", T0)])
    assert [i for i, _ in batch.events] == [0, 2]
    (rejected,) = batch.rejected
    assert rejected.index == 1 and rejected.event_id == "e2"
    assert [e.field for e in rejected.errors] == ["events[1].items[1].quantity"]
    assert "greater than or equal to 1" in rejected.errors[0].reason


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"currency": "EUX"}, "events[0].currency", "ISO 4217"),
        ({"restore_url": "http://shop.example/cart"}, "events[0].restore_url", "https"),
        ({"occurred_at": "2026-11-02T09:00:00"}, "events[0].occurred_at", "timezone"),
        ({"customer": {"email": "not-an-address"}}, "events[0].customer.email", "email"),
        ({"customer": {"time_zone": "Mars/Olympus"}}, "events[0].customer.time_zone", "IANA"),
        ({"items": [{**item(), "unit_price": "-1"}]}, "events[0].items[0].unit_price", "greater than"),
        ({"items": [{**item(), "unit_price": "NaN"}]}, "events[0].items[0].unit_price", ""),
        ({"shop_id": "someone-else"}, "events[0].shop_id", "Extra inputs"),
        ({"type": "cart_stolen"}, "events[0]", "cart_updated"),
    ],
)
def test_invalid_fields_are_rejected_with_the_field_and_reason(
    change: dict[str, Any], field: str, reason: str
) -> None:
    batch = parse_events([{**cart_updated("e1", T0), **change}])
    assert batch.events == ()
    errors = batch.rejected[0].errors
    assert any(e.field == field and reason in e.reason for e in errors), errors


def test_a_non_object_event_is_rejected_without_an_id() -> None:
    batch = parse_events(["hello"])
    assert batch.rejected[0].event_id is None and batch.rejected[0].errors
