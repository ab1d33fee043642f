"""The pure decision "what happens to this cart now", and the checks it is made of.

:func:`decide` depends on (cart, policy, step, now, what is known of the customer, the shop's
time zone) and nothing else: no clock, no AWS, no randomness. The order of the checks is
the order of precedence: a reason to stop beats a reason to wait, which beats sending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from relance.core.cart.state import Cart
from relance.core.segments import customer_segment, value_segment
from relance.core.sequence.assignment import HOLDOUT, in_holdout, pick_variant
from relance.core.sequence.contact import ContactState
from relance.core.sequence.policy import LATEST_REMINDER, LONGEST_DELAY, ON_TIME_TOLERANCE, ShopPolicy
from relance.core.sequence.quiet_hours import quiet_until

StopReason = Literal[
    "ordered",
    "ordered_elsewhere",
    "emptied",
    "unsubscribed",
    "suppressed",
    "no_contact",
    "no_consent",
    "superseded",
    "below_minimum",
    "empty_cart",
    "already_sent",
    "out_of_order",
    "not_opened",
    "pressure_cap",
    "sequence_finished",
    "too_late",
]
# Stops that a later event of this cart can lift (the customer comes back to it, adds items,
# gives consent...): the cart's timer is cleared so that the next event re-arms it.
DORMANT: frozenset[StopReason] = frozenset(
    {"superseded", "below_minimum", "empty_cart", "no_contact", "no_consent", "pressure_cap"}
)
WaitReason = Literal["activity_since", "quiet_hours", "pressure_cap"]


@dataclass(frozen=True)
class Stop:
    reason: StopReason


@dataclass(frozen=True)
class Wait:
    until: datetime
    reason: WaitReason = "activity_since"


@dataclass(frozen=True)
class Send:
    """Send ``step``; the ``holdout`` variant is decided and recorded but never emailed."""

    step: int
    variant: str

    @property
    def held_out(self) -> bool:
        return self.variant == HOLDOUT


Decision = Stop | Wait | Send


def due_at(cart: Cart, policy: ShopPolicy, step: int) -> datetime:
    """The step's delay after abandonment, but never sooner after the previous email than the
    policy's own gap between the two: a cart that arrives late (a backfill, a webhook replayed
    days later) gets its steps spaced as designed, never in a burst."""
    nominal = cart.abandoned_at + policy.delays[step - 1]
    previous = cart.reminder(step - 1) if step > 1 else None
    if previous is None:
        return nominal
    gap = policy.delays[step - 1] - policy.delays[step - 2]
    return max(nominal, previous.claimed_at + gap)


def too_late(cart: Cart, now: datetime) -> bool:
    """Past :data:`LATEST_REMINDER` after abandonment no reminder makes sense (seed 001)."""
    return now > cart.abandoned_at + LATEST_REMINDER


def _blocker(cart: Cart, policy: ShopPolicy) -> StopReason | None:
    if cart.status == "ordered":
        return "ordered"
    if cart.status == "emptied":
        return "emptied"
    if cart.customer.email is None:
        return "no_contact"
    if not cart.items:
        return "empty_cart"
    if cart.total < policy.min_cart_value:
        return "below_minimum"
    return None


def stop_before_sending(cart: Cart, policy: ShopPolicy, contact: ContactState) -> StopReason | None:
    """Checked again after the step is claimed, right before SES: an order, an emptied cart,
    an unsubscribe or an erasure stored while the step was being decided wins."""
    return _blocker(cart, policy) or _customer_stop(cart, policy, contact)


def is_eligible(cart: Cart, policy: ShopPolicy) -> bool:
    """Worth following up at all: active, reachable, not empty, above the shop's floor."""
    return _blocker(cart, policy) is None


def needs_timer(cart: Cart, policy: ShopPolicy, now: datetime) -> bool:
    """True when an event made the cart eligible and nothing is following it up yet (and it
    is not too late: an event older than a week starts no sequence)."""
    return (
        cart.timer is None
        and cart.next_step <= policy.steps
        and is_eligible(cart, policy)
        and not too_late(cart, now)
    )


def has_consent(cart: Cart, policy: ShopPolicy, contact: ContactState) -> bool:
    """EU mode: prospects need a yes, returning customers only must not have said no."""
    consent = contact.consent if contact.consent is not None else cart.customer.marketing_consent
    if policy.consent_mode == "opt_out" or customer_segment(cart.customer.orders_count) == "returning":
        return consent is not False
    return consent is True


def was_opened(cart: Cart) -> bool:
    """A click counts too: it cannot happen without the email having been read."""
    return any("open" in r.feedback or "click" in r.feedback for r in cart.reminders)


def _customer_stop(cart: Cart, policy: ShopPolicy, contact: ContactState) -> StopReason | None:
    if contact.ordered_since(cart.abandoned_at):
        return "ordered_elsewhere"
    if contact.suppressed_reason == "unsubscribed":
        return "unsubscribed"
    if contact.suppressed_reason:
        return "suppressed"
    if not has_consent(cart, policy, contact):
        return "no_consent"
    if contact.supersedes(cart.cart_id, cart.abandoned_at):
        return "superseded"
    return None


def _sequence_stop(cart: Cart, policy: ShopPolicy, step: int) -> StopReason | None:
    if step > policy.steps:
        return "sequence_finished"
    if cart.reminder(step) is not None or cart.next_step > step:
        return "already_sent"
    if cart.next_step < step:
        return "out_of_order"
    return None


def pressure_until(contact: ContactState, policy: ShopPolicy, now: datetime) -> datetime | None:
    """When the customer's cap leaves room for one more email, if it is reached ``now``."""
    cap = policy.pressure_cap
    period = timedelta(days=cap.period_days)
    recent = contact.emails_since(now - period)
    if len(recent) < cap.max_emails:
        return None
    return recent[len(recent) - cap.max_emails] + period


def decide(
    cart: Cart, policy: ShopPolicy, step: int, now: datetime, *, contact: ContactState, shop_time_zone: str
) -> Decision:
    """What to do when the timer for ``step`` fires at ``now``."""
    stop = (
        _blocker(cart, policy) or _customer_stop(cart, policy, contact) or _sequence_stop(cart, policy, step)
    )
    if stop is not None:
        return Stop(stop)
    if too_late(cart, now):
        return Stop("too_late")
    due = due_at(cart, policy, step)
    if now + ON_TIME_TOLERANCE < due:
        return Wait(until=due)
    if step == 3 and policy.step3_only_if_opened and not was_opened(cart):
        return Stop("not_opened")
    email = str(cart.customer.email)
    held = in_holdout(cart.shop_id, email, policy.holdout_percent)
    room_at = None if held else pressure_until(contact, policy, now)
    if room_at is not None:
        # Seed 001: well under 8 days; a reminder that far from the cart is no reminder.
        if policy.pressure_cap.when_reached == "stop" or room_at > cart.abandoned_at + LONGEST_DELAY:
            return Stop("pressure_cap")
        return Wait(until=room_at, reason="pressure_cap")
    quiet_end = quiet_until(now, cart.customer.time_zone or shop_time_zone, policy.quiet_hours)
    if quiet_end is not None:
        return Wait(until=quiet_end, reason="quiet_hours")
    return Send(step=step, variant=HOLDOUT if held else pick_variant(cart.shop_id, email, policy.variants))


def offers_incentive(
    cart: Cart, policy: ShopPolicy, decision: Send, *, contact: ContactState, now: datetime
) -> bool:
    """Only in the last step, only for the segments named, at most once per period."""
    incentive = policy.incentive
    return (
        incentive.enabled
        and not decision.held_out
        and decision.step == policy.steps
        and cart.incentive is None
        and customer_segment(cart.customer.orders_count) in incentive.customers
        and value_segment(cart.total, policy.high_cart_value) in incentive.cart_values
        and contact.incentive_allowed(now, timedelta(days=incentive.once_per_days))
    )
