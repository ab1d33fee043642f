"""The feedback function against moto: SES events noted once, bounces and complaints suppress."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from relance.services.feedback import UnknownMessage
from tests.conftest import World, load_event

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]


def eventbridge(detail_type: str, detail: dict[str, Any]) -> dict[str, Any]:
    return {"version": "0", "id": "e", "source": "aws.ses", "detail-type": detail_type,
            "account": "123456789012", "region": "eu-west-3", "detail": detail}  # fmt: skip


def ses_record(message_id: str, event_type: str, at: datetime, **extra: object) -> dict[str, Any]:
    mail = {"messageId": message_id, "timestamp": at.isoformat(), "destination": ["claire@example.fr"],
            "tags": {"ses:configuration-set": ["relance-test-reminders"]}}  # fmt: skip
    return {"eventType": event_type, "mail": mail, **extra}


def first_email(world: World) -> str:
    world.post([load_event("cart_updated.json")])
    world.clock.advance(hours=3)
    assert world.fire("cart-1", 1)["action"] == "sent"
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.reminder(1) is not None
    return str(cart.reminder(1).message_id)  # type: ignore[union-attr]


def test_delivery_and_open_are_noted_once_on_the_step(world: World) -> None:
    message_id = first_email(world)
    delivered = eventbridge(
        "Email Delivered",
        ses_record(message_id, "Delivery", world.clock(), delivery={"timestamp": world.clock().isoformat()}),
    )
    assert world.invoke("feedback", delivered) == {"action": "recorded", "kind": "delivery"}
    assert world.invoke("feedback", delivered) == {"action": "duplicate", "kind": "delivery"}
    opened = eventbridge(
        "Email Opened",
        ses_record(
            message_id,
            "Open",
            world.clock(),
            open={"timestamp": (world.clock() + timedelta(hours=1)).isoformat()},
        ),
    )
    world.invoke("feedback", opened)
    reminder = world.adapters.carts.get("atelier-test", "cart-1").reminder(1)  # type: ignore[union-attr]
    assert reminder is not None and set(reminder.feedback) == {"delivery", "open"}


def test_a_hard_bounce_suppresses_the_address_and_the_next_step_stops(world: World) -> None:
    message_id = first_email(world)
    bounce = {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": "claire@example.fr"}]}
    world.invoke(
        "feedback",
        eventbridge("Email Bounced", ses_record(message_id, "Bounce", world.clock(), bounce=bounce)),
    )
    assert world.adapters.contacts.is_suppressed("atelier-test", "claire@example.fr")
    assert not world.adapters.contacts.is_suppressed("autre-boutique", "claire@example.fr")
    world.clock.advance(hours=21)
    assert world.fire("cart-1", 2)["reason"] == "suppressed"
    assert len(world.sent_messages()) == 1


def test_a_complaint_suppresses_the_address(world: World) -> None:
    message_id = first_email(world)
    world.invoke(
        "feedback",
        eventbridge(
            "Email Complaint Received", ses_record(message_id, "Complaint", world.clock(), complaint={})
        ),
    )
    assert world.adapters.contacts.is_suppressed("atelier-test", "claire@example.fr")


def test_an_event_for_a_message_not_yet_indexed_is_retried_not_dropped(world: World) -> None:
    with pytest.raises(UnknownMessage):
        delivered = ses_record(
            "not-ours", "Delivery", world.clock(), delivery={"timestamp": world.clock().isoformat()}
        )
        world.invoke("feedback", eventbridge("Email Delivered", delivered))


def test_a_send_event_is_ignored_without_a_read_or_a_write(world: World) -> None:
    message_id = first_email(world)
    before = world.adapters.carts.get("atelier-test", "cart-1")
    sent = eventbridge("Email Sent", ses_record(message_id, "Send", world.clock()))
    assert world.invoke("feedback", sent) == {"action": "ignored", "kind": "Send"}
    assert world.adapters.carts.get("atelier-test", "cart-1") == before
