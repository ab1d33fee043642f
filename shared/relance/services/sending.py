"""Sending one step: claim it, hand out the incentive if due, compose, send through SES.

The claim is a conditional write, so that of two deliveries of one timer one sends and the
other stops; a failed send gives the step back so that a retry can send it.
"""

from __future__ import annotations

from datetime import timedelta

from relance.adapters.dynamo import SentMessage
from relance.adapters.errors import MailThrottled
from relance.adapters.mailer import OutgoingEmail
from relance.core.cart import Cart, Reminder
from relance.core.contact import ContactState
from relance.core.decisions import Send, offers_incentive
from relance.core.shop import Shop
from relance.services.incentives import grant_incentive
from relance.services.links import email_links
from relance.services.outcome import ReminderOutcome
from relance.services.templates import compose_for_shop
from relance.services.updates import update_cart
from relance.wiring import Services

THROTTLE_RETRY = timedelta(minutes=5)


def send_step(
    svc: Services, shop: Shop, cart: Cart, decision: Send, contact: ContactState
) -> ReminderOutcome:
    now = svc.clock()
    step = decision.step
    claim = Reminder(step=step, variant=decision.variant, claimed_at=now, held_out=decision.held_out)
    claimed = svc.carts.save(
        cart.model_copy(update={"reminders": (*cart.reminders, claim), "timer": None}),
        shop.policy.retention_days,
    )
    if decision.held_out:
        # Not an email, but the cart the customer "would have been emailed" about: the
        # same-customer attribution treats the hold-out exactly as the emailed group.
        svc.contacts.note_last_cart(shop.shop_id, str(claimed.customer.email), claimed.cart_id, now)
        return ReminderOutcome("held", step, "holdout", variant=decision.variant, next_step_from=claimed)
    try:
        claimed, mail, template_fallback = _prepare(svc, shop, claimed, decision, contact)
        message_id = svc.mailer.send(mail)
    except MailThrottled:
        _release(svc, shop, cart.cart_id, step)
        return ReminderOutcome("deferred", step, "ses_throttled", retry_at=now + THROTTLE_RETRY)
    except Exception:
        _release(svc, shop, cart.cart_id, step)
        raise
    # The email is out: nothing below may give the step back (a retry would send it twice).
    expires = now + timedelta(days=shop.policy.retention_days)
    svc.messages.remember(message_id, SentMessage(shop.shop_id, claimed.cart_id, step), expires)
    sent = _stamp(svc, shop, claimed.cart_id, step, message_id)
    svc.contacts.note_email(shop.shop_id, mail.recipient, claimed.cart_id, now)
    return ReminderOutcome(
        "sent",
        step,
        message_id=message_id,
        variant=decision.variant,
        incentive=claimed.incentive is not None,
        next_step_from=sent,
        template_fallback=template_fallback,
    )


def _prepare(
    svc: Services, shop: Shop, claimed: Cart, decision: Send, contact: ContactState
) -> tuple[Cart, OutgoingEmail, bool]:
    now, step = svc.clock(), decision.step
    recipient = str(claimed.customer.email)
    # From now on this cart is the customer's one sequence; older carts stop at their next step.
    svc.contacts.claim_newest(shop.shop_id, recipient, claimed.cart_id, claimed.abandoned_at)
    if offers_incentive(claimed, shop.policy, decision, contact=contact, now=now):
        claimed = grant_incentive(svc, shop, claimed, now) or claimed
    links = email_links(svc, claimed, step)
    variant = decision.variant
    content, fell_back = compose_for_shop(svc, shop, claimed, step, now, links=links, variant=variant)
    mail = OutgoingEmail(
        sender_name=shop.name,
        sender_address=str(shop.sender_email),
        recipient=recipient,
        subject=content.subject,
        html=content.html,
        text=content.text,
        sent_at=now,
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


def _release(svc: Services, shop: Shop, cart_id: str, step: int) -> None:
    """Give the step back after a failed send, so that a retry can send it."""

    def without_step(cart: Cart) -> Cart:
        return cart.model_copy(update={"reminders": tuple(r for r in cart.reminders if r.step != step)})

    update_cart(svc, shop.shop_id, cart_id, without_step, shop.policy.retention_days)


def _stamp(svc: Services, shop: Shop, cart_id: str, step: int, message_id: str) -> Cart | None:
    """Record SES's id on the claimed step; retried on conflicts, the email is already out."""

    def stamped(cart: Cart) -> Cart:
        reminders = tuple(
            r.model_copy(update={"message_id": message_id}) if r.step == step else r for r in cart.reminders
        )
        return cart.model_copy(update={"reminders": reminders})

    return update_cart(svc, shop.shop_id, cart_id, stamped, shop.policy.retention_days)
