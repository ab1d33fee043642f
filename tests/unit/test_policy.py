"""The decision "what happens to this cart now", and the policy's validation."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from relance.core.cart.state import Cart, Reminder, apply_event, new_cart
from relance.core.sequence.contact import ContactState
from relance.core.sequence.decisions import Decision, Send, Stop, Wait, decide, needs_timer
from relance.core.sequence.policy import DELAY_PRESETS, ShopPolicy
from tests.conftest import T0
from tests.factories import cart_updated, item, order_placed, parsed, simple

pytestmark = pytest.mark.unit
POLICY = ShopPolicy()
H = timedelta(hours=1)


def cart_of(*events: dict[str, Any]) -> Cart:
    cart = new_cart("shop", parsed(events[0]))
    for event in events:
        cart = apply_event(cart, parsed(event)) or cart
    return cart


def decide_(
    cart: Cart, policy: ShopPolicy, step: int, now: datetime, contact: ContactState | None = None
) -> Decision:
    return decide(cart, policy, step, now, contact=contact or ContactState(), shop_time_zone="Europe/Paris")


def sent(cart: Cart, *steps: int) -> Cart:
    reminders = tuple(Reminder(step=s, variant="A", claimed_at=T0, message_id=f"m{s}") for s in steps)
    return cart.model_copy(update={"reminders": reminders})


def test_default_delays_follow_seed_003_and_presets_exist() -> None:
    assert POLICY.delays == (3 * H, 24 * H, 72 * H)
    assert set(DELAY_PRESETS) == {"avanci", "agency", "patient"}
    assert ShopPolicy(delay_preset="patient").delays == (24 * H, 72 * H, 120 * H)


def test_step_one_is_sent_once_its_delay_has_passed() -> None:
    cart = cart_of(cart_updated("e1", T0))
    assert decide_(cart, POLICY, 1, T0 + 3 * H) == Send(step=1, variant="A")


def test_activity_since_the_timer_was_set_restarts_the_clock() -> None:
    cart = cart_of(cart_updated("e1", T0), cart_updated("e2", T0 + 2 * H))
    assert decide_(cart, POLICY, 1, T0 + 3 * H) == Wait(until=T0 + 5 * H)


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        (order_placed("o", T0 + H), "ordered"),
        (simple("cart_emptied", "x", T0 + H), "emptied"),
    ],
)
def test_ordered_or_emptied_carts_stop(extra: dict[str, Any], reason: str) -> None:
    cart = cart_of(cart_updated("e1", T0), extra)
    assert decide_(cart, POLICY, 1, T0 + 3 * H) == Stop(reason)  # type: ignore[arg-type]


def test_other_stops() -> None:
    cart = cart_of(cart_updated("e1", T0))
    assert decide_(cart, POLICY, 1, T0 + 3 * H, ContactState(suppressed_reason="bounce")) == Stop(
        "suppressed"
    )
    no_email = cart_of(cart_updated("e1", T0, email=None))
    assert decide_(no_email, POLICY, 1, T0 + 3 * H) == Stop("no_contact")
    cheap = cart_of(cart_updated("e1", T0, items=[item(price="5.00")]))
    assert decide_(cheap, ShopPolicy(min_cart_value=Decimal(10)), 1, T0 + 3 * H) == Stop("below_minimum")
    assert decide_(sent(cart, 1), POLICY, 1, T0 + 3 * H) == Stop("already_sent")
    assert decide_(cart, POLICY, 2, T0 + 30 * H) == Stop("out_of_order")
    assert decide_(sent(cart, 1, 2, 3), POLICY, 4, T0 + 99 * H) == Stop("sequence_finished")


def test_a_timer_is_needed_only_once_a_cart_is_eligible() -> None:
    anonymous = cart_of(cart_updated("e1", T0, email=None))
    assert not needs_timer(anonymous, POLICY, T0)
    identified = apply_event(
        anonymous, parsed(simple("customer_identified", "c", T0 + H) | {"customer": {"email": "a@b.fr"}})
    )
    assert identified is not None and needs_timer(identified, POLICY, T0 + H)
    assert not needs_timer(cart_of(cart_updated("e1", T0), order_placed("o", T0)), POLICY, T0)


@pytest.mark.parametrize(
    "delays",
    [[], [10], [60, 60], [120, 60], [60, 120, 240, 480], [60, 8 * 24 * 60]],
)
def test_unreasonable_delays_are_refused(delays: list[int]) -> None:
    with pytest.raises(ValidationError) as raised:
        ShopPolicy(delays_minutes=tuple(delays))
    assert "delays_minutes" in str(raised.value)


def test_an_event_older_than_the_reminder_window_starts_no_sequence() -> None:
    cart = cart_of(cart_updated("e1", T0))
    assert needs_timer(cart, POLICY, T0 + 7 * 24 * H)
    assert not needs_timer(cart, POLICY, T0 + 8 * 24 * H + H)
    assert decide_(cart, POLICY, 1, T0 + 9 * 24 * H) == Stop("too_late")
