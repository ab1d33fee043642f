"""SES's event-publishing record, as EventBridge delivers it (camelCase, loosely typed):
what the feedback function parses before the core notes it on the reminder."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from relance.core.cart.feedback import FeedbackKind

# Not "Send": the reminder records its own sends (the template no longer publishes them; a
# stack deployed before still may, and they are ignored without a read or a write).
_KINDS: dict[str, FeedbackKind] = {
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
