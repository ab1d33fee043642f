"""Sending one step: claim it, hand out the incentive if due, compose, send through SES.

The claim is a conditional write, so that of two deliveries of one timer one sends and the
other stops. The cart and the customer are read again after the claim, right before SES. A
send that failed gives the step back so that a retry can send it; a send whose answer was
lost keeps it (at most once). What follows the send is idempotent and redone by a
redelivered timer (:func:`finish_sent_step`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from relance.adapters.errors import MailOutcomeUnknown, MailThrottled
from relance.core.cart.state import Cart, Reminder
from relance.core.sequence.contact import ContactState
from relance.core.sequence.decisions import Send, offers_incentive, stop_before_sending
from relance.core.shop import Shop
from relance.ports import Adapters, OutgoingEmail, SentMessage
from relance.services.incentives import grant_incentive
from relance.services.links import email_links
from relance.services.retry import retrying, update_cart
from relance.services.templates import compose_for_shop

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderOutcome:
    action: Literal["sent", "held", "stopped", "waiting", "deferred"]
    step: int
    reason: str = ""
    message_id: str | None = None
    variant: str = ""
    incentive: bool = False
    flagged: bool = False
    """Staff were asked to call about this high-value cart during this run."""
    next_step_from: Cart | None = None
    """The cart as stored after this step: arm the next step from it."""
    retry_at: datetime | None = None
    """Send this step again at this time (SES throttled us)."""
    template_fallback: bool = False
    """The shop's own template failed: this email went out in the built-in one."""


def send_step(
    adapters: Adapters, shop: Shop, cart: Cart, decision: Send, contact: ContactState
) -> ReminderOutcome:
    now = adapters.clock()
    step = decision.step
    claim = Reminder(step=step, variant=decision.variant, claimed_at=now, held_out=decision.held_out)
    claimed = adapters.carts.save(
        cart.model_copy(update={"reminders": (*cart.reminders, claim), "timer": None}),
        shop.policy.retention_days,
    )
    if decision.held_out:
        # Not an email, but the cart the customer "would have been emailed" about: the
        # same-customer attribution treats the hold-out exactly as the emailed group.
        adapters.contacts.note_last_cart(shop.shop_id, str(claimed.customer.email), claimed.cart_id, now)
        return ReminderOutcome("held", step, "holdout", variant=decision.variant, next_step_from=claimed)
    try:
        stop = _stop_since_decided(adapters, shop, claimed)
        if stop is not None:
            _release(adapters, shop, cart.cart_id, step)
            return ReminderOutcome("stopped", step, stop)
        claimed, mail, template_fallback = _prepare(adapters, shop, claimed, decision, contact)
        message_id: str | None = adapters.mailer.send(mail)
    except MailThrottled as throttled:
        _release(adapters, shop, cart.cart_id, step)
        retry_at = now + timedelta(seconds=throttled.retry_after_seconds)
        return ReminderOutcome("deferred", step, "ses_throttled", retry_at=retry_at)
    except MailOutcomeUnknown:
        message_id = None  # maybe sent: at most once, so the step stays claimed
    except Exception:
        _release(adapters, shop, cart.cart_id, step)
        raise
    # The email is (or may be) out: nothing below may give the step back. The message index
    # comes first, so that a bounce is matched even if recording the id on the cart fails.
    if message_id:
        about = SentMessage(shop.shop_id, claimed.cart_id, step)
        retrying(lambda: _index(adapters, shop, about, message_id, now))
    try:
        sent = retrying(lambda: _stamp(adapters, shop, claimed.cart_id, step, message_id))
    except Exception:
        logger.exception("email sent, its id not recorded on the cart",
                         extra={"shop_id": shop.shop_id, "step": step, "message_id": message_id})  # fmt: skip
        raise  # the redelivered timer marks the step unconfirmed and goes on
    if sent is not None and sent.customer.email:
        email = str(sent.customer.email)
        retrying(lambda: adapters.contacts.note_email(shop.shop_id, email, sent.cart_id, now))
    return ReminderOutcome(
        "sent",
        step,
        reason="" if message_id else "outcome_unknown",
        message_id=message_id,
        variant=decision.variant,
        incentive=claimed.incentive is not None,
        next_step_from=sent,
        template_fallback=template_fallback,
    )


def _stop_since_decided(adapters: Adapters, shop: Shop, claimed: Cart) -> str | None:
    """Read the cart and the customer again once the step is claimed: what was stored since
    the decision (an order, an erasure, an unsubscribe) stops the email."""
    current = adapters.carts.get(shop.shop_id, claimed.cart_id)
    if current is None:
        return "unknown_cart"  # erased meanwhile
    email = current.customer.email
    contact = adapters.contacts.state(shop.shop_id, str(email)) if email else ContactState()
    return stop_before_sending(current, shop.policy, contact)


def finish_sent_step(
    adapters: Adapters, shop: Shop, cart: Cart, step: int, *, redelivered: bool = False
) -> bool:
    """What follows an email: its message index and the customer's email record. Each write
    is idempotent, so a redelivered timer finishes what a failed first run left undone.

    A redelivered step claimed with no outcome recorded (the first run died between the
    claim and the stamp: before SES, or after it) may or may not have been emailed: it is
    marked unconfirmed, never sent again (at most once). Returns ``True`` in that case."""
    reminder = cart.reminder(step)
    if reminder is None or reminder.held_out:
        return False
    unknown = redelivered and reminder.message_id is None and not reminder.unconfirmed
    if unknown:
        _stamp(adapters, shop, cart.cart_id, step, None)
    if reminder.message_id:
        about = SentMessage(shop.shop_id, cart.cart_id, step)
        _index(adapters, shop, about, reminder.message_id, reminder.claimed_at)
    if cart.customer.email:
        adapters.contacts.note_email(
            shop.shop_id, str(cart.customer.email), cart.cart_id, reminder.claimed_at
        )
    return unknown


def _prepare(
    adapters: Adapters, shop: Shop, claimed: Cart, decision: Send, contact: ContactState
) -> tuple[Cart, OutgoingEmail, bool]:
    now, step = adapters.clock(), decision.step
    recipient = str(claimed.customer.email)
    # From now on this cart is the customer's one sequence; older carts stop at their next step.
    adapters.contacts.claim_newest(shop.shop_id, recipient, claimed.cart_id, claimed.abandoned_at)
    if offers_incentive(claimed, shop.policy, decision, contact=contact, now=now):
        claimed = grant_incentive(adapters, shop, claimed, now) or claimed
    links = email_links(adapters, claimed, step)
    variant = decision.variant
    content, fell_back = compose_for_shop(adapters, shop, claimed, step, now, links=links, variant=variant)
    mail = OutgoingEmail(
        sender_name=shop.name,
        sender_address=str(shop.sender_email),
        recipient=recipient,
        subject=content.subject,
        html=content.html,
        text=content.text,
        sent_at=now,
        reply_to=str(shop.support_email) if shop.support_email else None,
        headers={
            "List-Unsubscribe": f"<{links.unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        tags={
            "shop": shop.shop_id,
            "step": str(step),
            "variant": decision.variant,
            "language": content.language,
            "segment": content.segment,
        },
    )
    return claimed, mail, fell_back


def _release(adapters: Adapters, shop: Shop, cart_id: str, step: int) -> None:
    """Give the step back after a failed send, so that a retry can send it."""

    def without_step(cart: Cart) -> Cart:
        return cart.model_copy(update={"reminders": tuple(r for r in cart.reminders if r.step != step)})

    update_cart(adapters, shop.shop_id, cart_id, without_step, shop.policy.retention_days)


def _index(adapters: Adapters, shop: Shop, sent: SentMessage, message_id: str, sent_at: datetime) -> None:
    """SES's message id -> (shop, cart, step), for the feedback function; idempotent."""
    expires = sent_at + timedelta(days=shop.policy.retention_days)
    adapters.messages.remember(message_id, sent, expires)


def _stamp(adapters: Adapters, shop: Shop, cart_id: str, step: int, message_id: str | None) -> Cart | None:
    """Record SES's id on the claimed step (or that SES's answer was lost); retried on
    conflicts, the email is already out."""
    update = {"message_id": message_id} if message_id else {"unconfirmed": True}

    def stamped(cart: Cart) -> Cart:
        reminders = tuple(r.model_copy(update=update) if r.step == step else r for r in cart.reminders)
        return cart.model_copy(update={"reminders": reminders})

    return update_cart(adapters, shop.shop_id, cart_id, stamped, shop.policy.retention_days)
