"""SES events in: note them on the reminder they are about; suppress hard bounces and complaints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from relance.adapters.ses_events import SesEvent
from relance.core.cart.feedback import record_feedback
from relance.ports import Adapters
from relance.services.retry import retention_days, update_cart


class UnknownMessage(Exception):
    """An event for a message not (yet) indexed: raised so that the delivery is retried."""


@dataclass(frozen=True)
class FeedbackOutcome:
    action: Literal["recorded", "duplicate", "ignored"]
    kind: str
    shop_id: str | None = None
    suppressed: int = 0


def handle_ses_event(adapters: Adapters, event: SesEvent) -> FeedbackOutcome:
    kind = event.kind
    if kind is None:
        return FeedbackOutcome("ignored", event.event_type)
    sent = adapters.messages.find(event.mail.message_id)
    if sent is None:
        raise UnknownMessage(event.mail.message_id)
    addresses = event.addresses_to_suppress()
    for address in addresses:
        adapters.contacts.suppress(sent.shop_id, address, kind, event.happened_at)
    retention = retention_days(adapters, sent.shop_id)
    noted = update_cart(
        adapters,
        sent.shop_id,
        sent.cart_id,
        lambda c: record_feedback(c, sent.step, kind, event.happened_at),
        retention,
    )
    return FeedbackOutcome("recorded" if noted else "duplicate", kind, sent.shop_id, len(addresses))
