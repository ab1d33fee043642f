"""SES feedback on a reminder: first time per kind, duplicates and late arrivals change nothing twice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from relance.adapters.ses_events import SesEvent
from relance.core.cart.feedback import record_feedback
from relance.core.cart.state import Cart, Reminder, apply_event, new_cart
from tests.conftest import T0
from tests.factories import cart_updated, parsed

pytestmark = pytest.mark.unit
M = timedelta(minutes=1)
TO_A = [{"emailAddress": "a@x.fr"}]


def reminded() -> Cart:
    event = parsed(cart_updated("e1", T0))
    cart = apply_event(new_cart("shop", event), event)
    assert cart is not None
    reminder = Reminder(step=1, variant="A", claimed_at=T0, message_id="m-1")
    return cart.model_copy(update={"reminders": (reminder,)})


def ses(event_type: str, **details: object) -> SesEvent:
    mail = {"messageId": "m-1", "timestamp": T0.isoformat(), "destination": ["claire@example.fr"]}
    return SesEvent.model_validate({"eventType": event_type, "mail": mail, **details})


def test_each_kind_keeps_its_earliest_time() -> None:
    cart = record_feedback(reminded(), 1, "delivery", T0 + 2 * M)
    assert cart is not None
    assert record_feedback(cart, 1, "delivery", T0 + 2 * M) is None  # duplicate
    assert record_feedback(cart, 1, "delivery", T0 + 5 * M) is None  # later copy
    earlier = record_feedback(cart, 1, "delivery", T0 + M)  # out of order: earlier wins
    assert earlier is not None and earlier.reminder(1).feedback == {"delivery": T0 + M}  # type: ignore[union-attr]


def test_feedback_for_a_step_never_sent_changes_nothing() -> None:
    assert record_feedback(reminded(), 2, "open", T0) is None


@pytest.mark.parametrize(
    ("event", "suppressed"),
    [
        (ses("Bounce", bounce={"bounceType": "Permanent", "bouncedRecipients": TO_A}), ["a@x.fr"]),
        (ses("Bounce", bounce={"bounceType": "Transient", "bouncedRecipients": TO_A}), []),
        (ses("Complaint", complaint={"complainedRecipients": []}), ["claire@example.fr"]),
        (ses("Delivery", delivery={"timestamp": T0.isoformat()}), []),
        (ses("Open"), []),
    ],
)  # fmt: skip
def test_hard_bounces_and_complaints_are_suppressed_soft_bounces_are_not(
    event: SesEvent, suppressed: list[str]
) -> None:
    assert event.addresses_to_suppress() == suppressed


def test_event_kinds_and_times_come_from_the_ses_record() -> None:
    event = ses("Rendering Failure")
    assert event.kind == "rendering_failure" and event.happened_at == T0
    assert ses("Subscription").kind is None
    bounce = ses("Bounce", bounce={"bounceType": "Permanent", "timestamp": (T0 + M).isoformat()})
    assert bounce.happened_at == T0 + M
