"""The reminder run: a timer fired for (shop, cart, step); decide, then send, wait or stop."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from relance.adapters.errors import ConcurrentUpdate
from relance.core.cart.state import Cart, Timer
from relance.core.sequence.contact import ContactState
from relance.core.sequence.decisions import DORMANT, Stop, Wait, decide, due_at
from relance.core.sequence.manual_call import needs_manual_call
from relance.core.shop import Shop
from relance.ports import Adapters
from relance.services.manual_call import flag_for_call
from relance.services.retry import CONFLICT_ATTEMPTS, backoff, update_cart
from relance.services.sending import ReminderOutcome, finish_sent_step, send_step


def run_step(adapters: Adapters, shop_id: str, cart_id: str, step: int) -> ReminderOutcome:
    shop = adapters.shops.get(shop_id)
    if shop is None:
        return ReminderOutcome("stopped", step, "unknown_shop")
    for attempt in range(CONFLICT_ATTEMPTS):
        cart = adapters.carts.get(shop_id, cart_id)
        if cart is None:
            return ReminderOutcome("stopped", step, "unknown_cart")
        email = cart.customer.email
        contact = adapters.contacts.state(shop_id, str(email)) if email else ContactState()
        decision = decide(
            cart, shop.policy, step, adapters.clock(), contact=contact, shop_time_zone=shop.time_zone
        )
        try:
            if isinstance(decision, Stop):
                if decision.reason in DORMANT:
                    _disarm(adapters, shop, cart_id, step)
                reason: str = decision.reason
                if reason == "already_sent" and _finish_redelivered(adapters, shop, cart, step):
                    reason = "outcome_unknown"
                return ReminderOutcome("stopped", step, reason)
            if isinstance(decision, Wait):
                arm(adapters, shop, cart_id, step, decision.until)
                return ReminderOutcome("waiting", step, decision.reason)
            flagged = False
            if not decision.held_out and needs_manual_call(cart, shop.policy):
                cart, flagged = flag_for_call(adapters, shop, cart)
            outcome = replace(send_step(adapters, shop, cart, decision, contact), flagged=flagged)
        except ConcurrentUpdate:
            backoff(attempt)  # the cart changed under us: reload and decide again
            continue
        if outcome.next_step_from is not None:
            arm_next(adapters, shop, outcome.next_step_from, step + 1)
        if outcome.retry_at is not None:
            arm(adapters, shop, cart_id, step, outcome.retry_at)
        return outcome
    raise ConcurrentUpdate(cart_id)


def _finish_redelivered(adapters: Adapters, shop: Shop, cart: Cart, step: int) -> bool:
    """A timer delivered again after its step was claimed: finish what the first delivery may
    have left undone (it may have died after SES took the email), never send again. ``True``
    when whether that step was emailed is unknown (counted: ``RemindersOutcomeUnknown``)."""
    if cart.reminder(step) is None:
        return False
    unknown = finish_sent_step(adapters, shop, cart, step, redelivered=True)
    if cart.timer is None and cart.reminder(step + 1) is None:
        arm_next(adapters, shop, cart, step + 1)
    return unknown


def _disarm(adapters: Adapters, shop: Shop, cart_id: str, step: int) -> None:
    """Forget the timer that just stopped, so that the cart's next event can arm a new one."""

    def untimed(cart: Cart) -> Cart | None:
        timer = cart.timer
        return cart.model_copy(update={"timer": None}) if timer is not None and timer.step == step else None

    update_cart(adapters, shop.shop_id, cart_id, untimed, shop.policy.retention_days)


def arm(adapters: Adapters, shop: Shop, cart_id: str, step: int, due: datetime) -> None:
    """Arm ``step`` at ``due`` and note it on the cart, unless the cart closed meanwhile."""
    adapters.timers.arm(shop.shop_id, cart_id, step, due)

    def timed(cart: Cart) -> Cart | None:
        return (
            cart.model_copy(update={"timer": Timer(step=step, due_at=due)})
            if cart.status == "active"
            else None
        )

    update_cart(adapters, shop.shop_id, cart_id, timed, shop.policy.retention_days)


def arm_next(adapters: Adapters, shop: Shop, cart: Cart, step: int) -> None:
    if step <= shop.policy.steps and cart.status == "active":
        arm(adapters, shop, cart.cart_id, step, due_at(cart, shop.policy, step))
