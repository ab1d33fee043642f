"""Rules that span a customer's carts, run through the real functions on moto: an order
anywhere stops every sequence, consent follows the address, one sequence at a time, the
pressure cap, quiet hours, and the manual-call alert for high carts."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from relance.core.sequence.policy import ShopPolicy
from tests.conftest import T0, World
from tests.factories import cart_updated, item, order_placed, simple

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]
H = timedelta(hours=1)


def with_policy(world: World, **policy: Any) -> None:
    world.adapters.shops.put(world.shop.model_copy(update={"policy": ShopPolicy.model_validate(policy)}))


def test_an_order_through_any_cart_stops_the_customers_other_sequences(world: World) -> None:
    world.post([cart_updated("a", T0, "cart-1")])
    world.post([order_placed("o", T0 + H, "cart-9") | {"customer": {"email": "Claire@Example.fr"}}])
    world.clock.advance(hours=3)
    assert world.fire("cart-1", 1)["reason"] == "ordered_elsewhere"
    assert world.sent_messages() == []


def test_consent_withdrawn_on_one_cart_applies_to_the_address(world: World) -> None:
    with_policy(world, consent_mode="eu")
    world.post([cart_updated("a", T0, "cart-1", marketing_consent=True)])
    withdrawn = simple("consent_changed", "c", T0 + H, "cart-2")
    withdrawn["customer"] = {"email": "claire@example.fr", "marketing_consent": False}
    assert world.post([withdrawn])[0] == 202
    world.clock.advance(hours=3)
    assert world.fire("cart-1", 1)["reason"] == "no_consent"


def test_a_newer_cart_of_the_same_customer_takes_over_the_sequence(world: World) -> None:
    world.post([cart_updated("a", T0, "cart-1")])
    world.post([cart_updated("b", T0 + H, "cart-2", items=[item("NEW", "55.00")])])
    world.clock.advance(hours=3)
    assert world.fire("cart-1", 1)["reason"] == "superseded"
    world.clock.advance(hours=1)
    assert world.fire("cart-2", 1)["action"] == "sent"
    assert len(world.sent_messages()) == 1


def test_the_pressure_cap_counts_emails_across_carts(world: World) -> None:
    with_policy(world, pressure_cap={"max_emails": 1, "period_days": 7, "when_reached": "stop"})
    world.post([cart_updated("a", T0, "cart-1")])
    world.clock.advance(hours=3)
    assert world.fire("cart-1", 1)["action"] == "sent"
    world.clock.advance(hours=21)
    assert world.fire("cart-1", 2)["reason"] == "pressure_cap"


def test_quiet_hours_defer_the_step_to_the_morning_never_drop_it(world: World) -> None:
    evening = T0.replace(hour=19)  # 20:00 in Paris; step 1 due at 23:00
    world.post([cart_updated("a", evening, "cart-1")])
    world.clock.now = evening + 3 * H
    assert world.fire("cart-1", 1) == {"action": "waiting", "step": 1, "reason": "quiet_hours"}
    timers = [(json.loads(s["Target"]["Input"])["step"], s["ScheduleExpression"]) for s in world.schedules()]
    assert (1, "at(2026-11-03T07:00:00)") in timers, "08:00 in Paris"
    world.clock.now = T0.replace(day=3, hour=7)
    assert world.fire("cart-1", 1)["action"] == "sent"


def staff_inbox(world: World) -> tuple[Any, str]:
    sqs, sns = world.session.client("sqs"), world.session.client("sns")
    queue = sqs.create_queue(QueueName="staff")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=world.adapters.settings.MANUAL_CALL_TOPIC_ARN, Protocol="sqs", Endpoint=arn)
    return sqs, queue


@pytest.mark.backend("aws")  # reads or breaks what only embedded AWS has
def test_a_high_value_cart_is_flagged_to_staff_once(world: World) -> None:
    with_policy(world, manual_call_value="500")
    sqs, queue = staff_inbox(world)
    world.post([cart_updated("a", T0, "cart-1", items=[item("LAMP", "650.00")], first_name="Claire")])
    world.post([cart_updated("b", T0, "cart-2", items=[item("VASE", "45.00")], email="paul@example.fr")])
    world.clock.advance(hours=3)
    world.fire("cart-1", 1)
    world.fire("cart-1", 1)  # delivered twice
    world.fire("cart-2", 1)
    world.clock.advance(hours=21)
    world.fire("cart-1", 2)
    received = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    assert len(received) == 1
    detail = json.loads(json.loads(received[0]["Body"])["Message"])
    assert detail["cart_id"] == "cart-1" and detail["total"] == "650.00"
    assert detail["contact"]["email"] == "claire@example.fr" and detail["contact"]["first_name"] == "Claire"
    assert len(world.sent_messages()) == 3, "the emails still go: the call comes on top"


def test_a_stopped_cart_the_customer_comes_back_to_is_followed_up_again(world: World) -> None:
    world.post([cart_updated("a", T0, "cart-1")])
    world.post([cart_updated("b", T0 + H, "cart-2", items=[item("NEW", "55.00")])])
    world.clock.advance(hours=3)
    assert world.fire("cart-1", 1)["reason"] == "superseded"
    # Back on the first cart the next day: it is the newest again, and gets its reminder.
    back = world.clock.advance(hours=20)
    world.post([cart_updated("a2", back, "cart-1", items=[item("LAMP", "89.00")])])
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.timer is not None and cart.timer.due_at == back + 3 * H
    world.clock.advance(hours=3)
    assert world.fire("cart-1", 1)["action"] == "sent"


def test_a_cart_that_fell_below_the_minimum_is_rearmed_when_it_rises_again(world: World) -> None:
    with_policy(world, min_cart_value="30")
    world.post([cart_updated("a", T0, "cart-1", items=[item("A", "40.00")])])
    world.post([cart_updated("b", T0 + H, "cart-1", items=[item("B", "10.00")])])
    world.clock.advance(hours=4)
    assert world.fire("cart-1", 1)["reason"] == "below_minimum"
    risen = world.clock()
    world.post([cart_updated("c", risen, "cart-1", items=[item("C", "45.00")])])
    timers = [(json.loads(s["Target"]["Input"])["step"], s["ScheduleExpression"]) for s in world.schedules()]
    assert (1, f"at({(risen + 3 * H):%Y-%m-%dT%H:%M:%S})") in timers, "a new timer for step 1"
    world.clock.advance(hours=3)
    assert world.fire("cart-1", 1)["action"] == "sent"


@pytest.mark.backend("aws")  # reads or breaks what only embedded AWS has
def test_the_contact_keeps_only_the_newest_email_times(world: World) -> None:
    from relance.core.sequence.contact import REMEMBERED_EMAILS

    contacts = world.adapters.contacts
    for n in range(REMEMBERED_EMAILS + 5):
        contacts.note_email("atelier-test", "claire@example.fr", f"cart-{n}", T0 + n * H)
    from relance.adapters.contacts import contact_key

    table = world.session.resource("dynamodb").Table(world.adapters.settings.TABLE_NAME)
    stored = table.get_item(Key=contact_key("atelier-test", "claire@example.fr"))["Item"]["recent_emails"]
    assert len(stored) == REMEMBERED_EMAILS, "trimmed in the table, not only on read"
    kept = contacts.state("atelier-test", "claire@example.fr").recent_emails
    assert kept[0] == T0 + 5 * H and kept[-1] == T0 + (REMEMBERED_EMAILS + 4) * H


def _stopped_for_want_of_consent(world: World) -> dict[str, Any]:
    """cart-1 stopped at step 1 in "eu" mode; returns the consent event, given elsewhere."""
    with_policy(world, consent_mode="eu")
    world.post([cart_updated("a", T0, "cart-1")])
    world.clock.advance(hours=3)
    assert world.fire("cart-1", 1)["reason"] == "no_consent"
    given = simple("consent_changed", "c", world.clock(), "newsletter-form")
    given["customer"] = {"email": "claire@example.fr", "marketing_consent": True}
    return given


def test_consent_given_on_another_cart_resumes_a_cart_stopped_for_want_of_it(world: World) -> None:
    given = _stopped_for_want_of_consent(world)
    assert world.post([given])[0] == 202
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.timer is not None, "cart-1 is armed again"
    assert world.fire("cart-1", 1)["action"] == "sent"


@pytest.mark.parametrize("second_address", ["claire@example.fr", "Claire@Example.FR"])
def test_two_carts_abandoned_at_the_same_instant_get_one_sequence(world: World, second_address: str) -> None:
    from tests.factories import cart_updated as updated

    world.post([updated("a", T0, "cart-a"), updated("b", T0, "cart-b", email=second_address)])
    world.clock.advance(hours=3)
    outcomes = [world.fire("cart-a", 1), world.fire("cart-b", 1)]
    assert sorted(o["action"] for o in outcomes) == ["sent", "stopped"]
    assert len(world.sent_messages()) == 1
    assert outcomes[0]["reason"] == "superseded"  # the tie goes to the greater cart id, always


def test_a_failed_arm_of_a_resumed_cart_never_leaves_it_marked_without_its_timer(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from relance.adapters.errors import TimerError

    given = _stopped_for_want_of_consent(world)

    def failing(*_: Any, **__: Any) -> Any:
        raise TimerError("injected")

    monkeypatch.setattr(world.adapters.timers, "arm", failing)
    with pytest.raises(TimerError):
        world.post([given])
    monkeypatch.undo()
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.timer is None  # not marked: the next event can arm it
    assert world.post([given])[0] == 202  # the shop's resend
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.timer is not None and world.schedules()
