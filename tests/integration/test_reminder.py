"""The reminder function against moto: decide, claim, send once, arm the next step."""

from __future__ import annotations

import email
import json
from datetime import timedelta
from email.message import Message
from typing import Any, cast

import pytest

from relance.adapters.errors import MailRejected
from tests.conftest import PUBLIC_API_URL, T0, World, load_event
from tests.factories import cart_updated, item, order_placed

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]
H = timedelta(hours=1)


def abandoned_cart(world: World) -> None:
    status, _ = world.post([load_event("cart_updated.json")])
    assert status == 202


def message(world: World, index: int = -1) -> Message:
    return email.message_from_string(world.sent_messages()[index].raw_data)


def parts(msg: Message) -> dict[str, str]:
    return {
        p.get_content_type(): cast(bytes, p.get_payload(decode=True)).decode()
        for p in msg.walk()
        if not p.is_multipart()
    }


@pytest.mark.backend("aws")  # reads or breaks what only embedded AWS has
def test_step_one_sends_a_bilingual_ready_mime_email_and_arms_step_two(world: World) -> None:
    abandoned_cart(world)
    world.clock.advance(hours=3)
    assert world.fire("cart-1", 1) == {"action": "sent", "step": 1, "reason": ""}
    (sent,) = world.sent_messages()
    msg = message(world)
    assert msg["To"] == "claire@example.fr"
    assert "Atelier Test" in msg["From"] and "bonjour@atelier-test.example" in msg["From"]
    body = parts(msg)
    assert set(body) == {"text/plain", "text/html"}
    for content in body.values():
        assert "Pull – laine mérinos" in content and f"{PUBLIC_API_URL}/r/" in content
        assert "https://atelier-test.example/cart/cart-1" not in content  # the link is tracked
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.reminder(1) is not None
    assert cart.reminder(1).message_id == sent.id  # type: ignore[union-attr]
    schedules = world.schedules()
    step_two = [s for s in schedules if json.loads(s["Target"]["Input"])["step"] == 2]
    assert [s["ScheduleExpression"] for s in step_two] == ["at(2026-11-03T09:00:00)"]


def test_a_timer_that_fires_twice_sends_once(world: World) -> None:
    abandoned_cart(world)
    world.clock.advance(hours=3)
    world.fire("cart-1", 1)
    again = world.fire("cart-1", 1)
    assert again["action"] == "stopped" and again["reason"] == "already_sent"
    assert len(world.sent_messages()) == 1


def test_an_order_recorded_between_two_steps_stops_the_sequence(world: World) -> None:
    abandoned_cart(world)
    world.clock.advance(hours=3)
    world.fire("cart-1", 1)
    world.clock.advance(hours=2)
    world.post([order_placed("o1", world.clock())])
    world.clock.advance(hours=20)
    assert world.fire("cart-1", 2) == {"action": "stopped", "step": 2, "reason": "ordered"}
    assert len(world.sent_messages()) == 1
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.order is not None and cart.order.credited_step == 1


def test_activity_since_the_timer_re_arms_it_and_the_email_shows_the_cart_as_it_is(world: World) -> None:
    abandoned_cart(world)
    world.clock.advance(hours=2)
    world.post([cart_updated("e2", world.clock(), items=[item("NEW", "25.00", name="Écharpe neuve")])])
    world.clock.advance(hours=1)
    assert world.fire("cart-1", 1)["action"] == "waiting"
    assert world.sent_messages() == []
    expressions = {s["ScheduleExpression"] for s in world.schedules()}
    assert "at(2026-11-02T14:00:00)" in expressions  # 11:00 + 3 h
    world.clock.advance(hours=2)
    assert world.fire("cart-1", 1)["action"] == "sent"
    html = parts(message(world))["text/html"]
    assert "Écharpe neuve" in html and "Pull" not in html


def test_a_suppressed_address_is_never_mailed(world: World) -> None:
    abandoned_cart(world)
    world.adapters.contacts.suppress("atelier-test", "Claire@Example.fr", "complaint", T0)
    world.clock.advance(hours=3)
    assert world.fire("cart-1", 1)["reason"] == "suppressed"
    assert world.sent_messages() == []


def ses_fails_with(world: World, monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    """Make SES answer ``code`` to every send, as the real service does."""

    client = world.adapters.mailer._client
    modelled: Any = client.exceptions.from_code(code)  # what botocore raises for that code

    def failing(**_: object) -> None:
        raise modelled({"Error": {"Code": code, "Message": code}}, "SendEmail")

    monkeypatch.setattr(client, "send_email", failing)


@pytest.mark.backend("aws")  # reads or breaks what only embedded AWS has
def test_ses_throttling_defers_the_step_instead_of_dropping_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    abandoned_cart(world)
    world.clock.advance(hours=3)
    ses_fails_with(world, monkeypatch, "TooManyRequestsException")
    assert world.fire("cart-1", 1) == {"action": "deferred", "step": 1, "reason": "ses_throttled"}
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.reminders == ()  # the claim was given back
    assert "at(2026-11-02T12:05:00)" in {s["ScheduleExpression"] for s in world.schedules()}
    monkeypatch.undo()
    world.clock.advance(minutes=5)
    assert world.fire("cart-1", 1)["action"] == "sent"


@pytest.mark.backend("aws")  # reads or breaks what only embedded AWS has
def test_a_rejected_send_raises_for_the_retry_policy_and_releases_the_claim(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    abandoned_cart(world)
    world.clock.advance(hours=3)
    ses_fails_with(world, monkeypatch, "MessageRejected")
    with pytest.raises(MailRejected):
        world.fire("cart-1", 1)
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.reminders == ()


@pytest.mark.backend("aws")  # reads or breaks what only embedded AWS has
def test_an_unverified_sender_is_a_rejection_not_a_silent_success(world: World) -> None:
    world.adapters.shops.put(world.shop.model_copy(update={"sender_email": "x@unverified.example"}))
    abandoned_cart(world)
    world.clock.advance(hours=3)
    with pytest.raises(MailRejected):
        world.fire("cart-1", 1)


def test_the_whole_sequence_is_three_emails_then_stop(world: World) -> None:
    abandoned_cart(world)
    for hours, step in ((3, 1), (21, 2), (48, 3)):
        world.clock.advance(hours=hours)
        assert world.fire("cart-1", step)["action"] == "sent", step
    assert len(world.sent_messages()) == 3
    subjects = [message(world, i)["Subject"] for i in range(3)]
    assert len(set(subjects)) == 3
    assert not [s for s in world.schedules() if json.loads(s["Target"]["Input"])["step"] > 3]


def test_a_hold_out_customer_goes_through_every_step_but_is_never_emailed(world: World) -> None:
    from decimal import Decimal

    from relance.core.sequence.assignment import in_holdout

    policy = world.shop.policy.model_copy(update={"holdout_percent": Decimal(50)})
    world.adapters.shops.put(world.shop.model_copy(update={"policy": policy}))
    held = next(
        f"c{n}@example.fr" for n in range(100) if in_holdout("atelier-test", f"c{n}@example.fr", Decimal(50))
    )
    world.post([cart_updated("e1", T0, "held-cart", email=held)])
    for hours, step in ((3, 1), (21, 2), (48, 3)):
        world.clock.advance(hours=hours)
        assert world.fire("held-cart", step) == {"action": "held", "step": step, "reason": "holdout"}
    assert world.sent_messages() == []
    world.clock.advance(hours=2)
    world.post([order_placed("o1", world.clock(), "held-cart")])
    cart = world.adapters.carts.get("atelier-test", "held-cart")
    assert cart is not None and [r.held_out for r in cart.reminders] == [True, True, True]
    assert cart.order is not None and cart.order.holdout and not cart.order.recovered
