"""What SES tells us about a sent reminder (delivery, open, bounce...), kept on its step.

SES publishes each event at least once and in no particular order, so a reminder keeps,
per kind of event, the earliest time it happened: a duplicate or a late arrival changes
nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from relance.core.cart.state import Cart

FeedbackKind = Literal[
    "send",
    "delivery",
    "open",
    "click",
    "bounce",
    "complaint",
    "reject",
    "rendering_failure",
    "delay",
    "unsubscribe",
]


def record_feedback(cart: Cart, step: int, kind: FeedbackKind, at: datetime) -> Cart | None:
    """The cart with ``kind`` noted on ``step``'s reminder, or ``None`` if nothing changes."""
    reminder = cart.reminder(step)
    if reminder is None:
        return None
    known = reminder.feedback.get(kind)
    if known is not None and known <= at:
        return None
    return _with_feedback(cart, step, {**reminder.feedback, kind: at})


def _with_feedback(cart: Cart, step: int, feedback: dict[str, datetime]) -> Cart:
    reminders = tuple(
        r.model_copy(update={"feedback": feedback}) if r.step == step else r for r in cart.reminders
    )
    return cart.model_copy(update={"reminders": reminders})


LinkKind = Literal["cart", "product", "other"]


def record_click(cart: Cart, step: int, at: datetime, link: LinkKind = "cart") -> Cart | None:
    """Note a click on one of ``step``'s links: the first click is kept (any link, and per kind
    of link: ``click_cart``, ``click_product``, ``click_other``), and the last one too."""
    reminder = cart.reminder(step)
    if reminder is None:
        return None
    first = reminder.feedback.get("click")
    first_of_kind = reminder.feedback.get(f"click_{link}")
    last = reminder.feedback.get("last_click")
    feedback = {
        **reminder.feedback,
        "click": at if first is None else min(first, at),
        f"click_{link}": at if first_of_kind is None else min(first_of_kind, at),
        "last_click": at if last is None else max(last, at),
    }
    if feedback == reminder.feedback:
        return None
    return _with_feedback(cart, step, feedback)
