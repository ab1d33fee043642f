"""What SES tells us about a sent reminder (delivery, open, bounce...), and its effect.

SES publishes each event at least once and in no particular order, so a reminder keeps,
per kind of event, the earliest time it happened: a duplicate or a late arrival changes
nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from relance.core.cart import Cart

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
_KINDS: dict[str, FeedbackKind] = {
    "Send": "send",
    "Delivery": "delivery",
    "Open": "open",
    "Click": "click",
    "Bounce": "bounce",
    "Complaint": "complaint",
    "Reject": "reject",
    "Rendering Failure": "rendering_failure",
    "DeliveryDelay": "delay",
}


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class SesMail(_Loose):
    message_id: str = Field(alias="messageId")
    timestamp: AwareDatetime
    destination: list[str] = []


class Recipient(_Loose):
    email_address: str = Field(alias="emailAddress")


class Bounce(_Loose):
    bounce_type: str = Field(alias="bounceType")
    bounced_recipients: list[Recipient] = Field(default=[], alias="bouncedRecipients")
    timestamp: AwareDatetime | None = None


class Complaint(_Loose):
    complained_recipients: list[Recipient] = Field(default=[], alias="complainedRecipients")
    timestamp: AwareDatetime | None = None


class _Timed(_Loose):
    timestamp: AwareDatetime | None = None


class SesEvent(_Loose):
    """The ``detail`` of an ``aws.ses`` EventBridge event (SES's event-publishing record)."""

    event_type: str = Field(alias="eventType")
    mail: SesMail
    bounce: Bounce | None = None
    complaint: Complaint | None = None
    delivery: _Timed | None = None
    open: _Timed | None = None
    click: _Timed | None = None

    @property
    def kind(self) -> FeedbackKind | None:
        return _KINDS.get(self.event_type)

    @property
    def happened_at(self) -> datetime:
        for detail in (self.bounce, self.complaint, self.delivery, self.open, self.click):
            if detail is not None and detail.timestamp is not None:
                return detail.timestamp
        return self.mail.timestamp

    def addresses_to_suppress(self) -> list[str]:
        """Hard bounces and complaints: never mail these addresses again (soft bounces pass)."""
        if self.bounce is not None and self.bounce.bounce_type == "Permanent":
            return [r.email_address for r in self.bounce.bounced_recipients] or self.mail.destination
        if self.complaint is not None:
            return [r.email_address for r in self.complaint.complained_recipients] or self.mail.destination
        return []


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


def record_click(cart: Cart, step: int, at: datetime) -> Cart | None:
    """Note a click on ``step``'s link: the first click is kept, and the last one too."""
    reminder = cart.reminder(step)
    if reminder is None:
        return None
    first = reminder.feedback.get("click")
    last = reminder.feedback.get("last_click")
    feedback = {
        **reminder.feedback,
        "click": at if first is None else min(first, at),
        "last_click": at if last is None else max(last, at),
    }
    if feedback == reminder.feedback:
        return None
    return _with_feedback(cart, step, feedback)
