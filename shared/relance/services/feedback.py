"""SES events in: note them on the reminder they are about; suppress hard bounces and complaints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from relance.adapters.errors import ConcurrentUpdate
from relance.core.feedback import SesEvent, record_feedback
from relance.wiring import Services

MAX_ATTEMPTS = 5


class UnknownMessage(Exception):
    """An event for a message not (yet) indexed: raised so that the delivery is retried."""


@dataclass(frozen=True)
class FeedbackOutcome:
    action: Literal["recorded", "duplicate", "ignored"]
    kind: str
    shop_id: str | None = None
    suppressed: int = 0


def handle_ses_event(svc: Services, event: SesEvent) -> FeedbackOutcome:
    kind = event.kind
    if kind is None:
        return FeedbackOutcome("ignored", event.event_type)
    sent = svc.messages.find(event.mail.message_id)
    if sent is None:
        raise UnknownMessage(event.mail.message_id)
    addresses = event.addresses_to_suppress()
    for address in addresses:
        svc.contacts.suppress(sent.shop_id, address, kind, event.happened_at)
    shop = svc.shops.get(sent.shop_id)
    retention = shop.policy.retention_days if shop else 90
    for _ in range(MAX_ATTEMPTS):
        cart = svc.carts.get(sent.shop_id, sent.cart_id)
        updated = record_feedback(cart, sent.step, kind, event.happened_at) if cart else None
        if updated is None:
            return FeedbackOutcome("duplicate", kind, sent.shop_id, len(addresses))
        try:
            svc.carts.save(updated, retention)
        except ConcurrentUpdate:
            continue
        return FeedbackOutcome("recorded", kind, sent.shop_id, len(addresses))
    raise ConcurrentUpdate(sent.cart_id)
