"""The reminder run: a timer fired for (shop, cart, step); decide, claim, send, arm the next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from relance.adapters.dynamo import SentMessage
from relance.adapters.errors import ConcurrentUpdate, MailThrottled
from relance.adapters.mailer import OutgoingEmail
from relance.core.cart import Cart, Reminder, Timer
from relance.core.emails import compose
from relance.core.policy import Send, Stop, Wait, decide, due_at
from relance.core.shop import Shop
from relance.services.links import cart_link
from relance.services.updates import update_cart
from relance.wiring import Services

MAX_ATTEMPTS = 5
THROTTLE_RETRY = timedelta(minutes=5)


@dataclass(frozen=True)
class ReminderOutcome:
    action: Literal["sent", "held", "stopped", "waiting", "deferred"]
    step: int
    reason: str = ""
    message_id: str | None = None


def run_step(svc: Services, shop_id: str, cart_id: str, step: int) -> ReminderOutcome:
    shop = svc.shops.get(shop_id)
    if shop is None:
        return ReminderOutcome("stopped", step, "unknown_shop")
    for _ in range(MAX_ATTEMPTS):
        cart = svc.carts.get(shop_id, cart_id)
        if cart is None:
            return ReminderOutcome("stopped", step, "unknown_cart")
        email = cart.customer.email
        suppressed = bool(email) and svc.contacts.is_suppressed(shop_id, str(email))
        decision = decide(cart, shop.policy, step, svc.clock(), suppressed)
        try:
            if isinstance(decision, Stop):
                return ReminderOutcome("stopped", step, decision.reason)
            if isinstance(decision, Wait):
                _arm(svc, shop, cart_id, step, decision.until)
                return ReminderOutcome("waiting", step, decision.reason)
            return _send(svc, shop, cart, decision)
        except ConcurrentUpdate:
            continue  # the cart changed under us: reload and decide again
    raise ConcurrentUpdate(cart_id)


def _send(svc: Services, shop: Shop, cart: Cart, decision: Send) -> ReminderOutcome:
    now = svc.clock()
    claim = Reminder(step=decision.step, variant=decision.variant, claimed_at=now, held_out=decision.held_out)
    # The claim is a conditional write: of two deliveries of one timer, one claims, one stops.
    claimed = svc.carts.save(
        cart.model_copy(update={"reminders": (*cart.reminders, claim), "timer": None}),
        shop.policy.retention_days,
    )
    if decision.held_out:
        _arm_next(svc, shop, claimed, decision.step + 1)
        return ReminderOutcome("held", decision.step, "holdout")
    content = compose(shop, claimed, decision.step, now, cart_link(svc, claimed, decision.step))
    mail = OutgoingEmail(
        sender_name=shop.name,
        sender_address=str(shop.sender_email),
        recipient=str(claimed.customer.email),
        subject=content.subject,
        html=content.html,
        text=content.text,
        sent_at=now,
        tags={"shop": shop.shop_id, "step": str(decision.step), "variant": decision.variant},
    )
    try:
        message_id = svc.mailer.send(mail)
    except MailThrottled:
        _release(svc, shop, cart.cart_id, decision.step)
        _arm(svc, shop, cart.cart_id, decision.step, now + THROTTLE_RETRY)
        return ReminderOutcome("deferred", decision.step, "ses_throttled")
    except Exception:
        _release(svc, shop, cart.cart_id, decision.step)
        raise
    expires = now + timedelta(days=shop.policy.retention_days)
    svc.messages.remember(message_id, SentMessage(shop.shop_id, cart.cart_id, decision.step), expires)
    sent = _stamp(svc, shop, cart.cart_id, decision.step, message_id)
    svc.contacts.note_email(shop.shop_id, mail.recipient, cart.cart_id, now)
    if sent is not None:
        _arm_next(svc, shop, sent, decision.step + 1)
    return ReminderOutcome("sent", decision.step, message_id=message_id)


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


def _arm(svc: Services, shop: Shop, cart_id: str, step: int, due: datetime) -> None:
    """Arm ``step`` at ``due`` and note it on the cart, unless the cart closed meanwhile."""
    svc.timers.arm(shop.shop_id, cart_id, step, due)

    def timed(cart: Cart) -> Cart | None:
        return (
            cart.model_copy(update={"timer": Timer(step=step, due_at=due)})
            if cart.status == "active"
            else None
        )

    update_cart(svc, shop.shop_id, cart_id, timed, shop.policy.retention_days)


def _arm_next(svc: Services, shop: Shop, cart: Cart, step: int) -> None:
    if step <= shop.policy.steps and cart.status == "active":
        _arm(svc, shop, cart.cart_id, step, due_at(cart, shop.policy, step))
