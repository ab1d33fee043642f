"""Apply a shop's events to its carts: one conditional write per event, then what follows
from it (the step-1 timer, the customer's facts, credit for an order on another cart)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Literal

from relance.adapters.errors import ConcurrentUpdate
from relance.core.cart.credit import credit_same_customer, credited_elsewhere
from relance.core.cart.events import CartEmptied, CheckoutStarted, OrderPlaced, ShopEvent
from relance.core.cart.state import Cart, Timer, apply_event, new_cart
from relance.core.sequence.decisions import due_at, needs_timer
from relance.core.shop import Shop
from relance.ports import Adapters
from relance.services.erase import was_erased
from relance.services.retry import CONFLICT_ATTEMPTS, backoff, retrying, update_cart


@dataclass(frozen=True)
class Applied:
    index: int
    event_id: str
    outcome: Literal["applied", "duplicate", "erased"]
    """``erased``: the customer asked to be erased after this event happened; not stored."""
    timer_armed: bool = False
    recovered_amount: Decimal | None = None
    """Set when this event is the order that closes a reminded cart."""
    currency: str | None = None
    """The recovered amount's."""


def _load(adapters: Adapters, shop: Shop, event: ShopEvent) -> tuple[ShopEvent, Cart | None]:
    """The event and its stored cart. An order (or a deleted checkout) that names a checkout
    rather than a cart Relance knows goes to the cart that announced that checkout."""
    stored = adapters.carts.get(shop.shop_id, event.cart_id)
    if stored is not None or not isinstance(event, OrderPlaced | CartEmptied):
        return event, stored
    token = event.checkout_token if isinstance(event, OrderPlaced) else None
    cart_id = adapters.checkouts.cart_of(shop.shop_id, token or event.cart_id, adapters.clock())
    if cart_id is None:
        return event, None
    return event.model_copy(update={"cart_id": cart_id}), adapters.carts.get(shop.shop_id, cart_id)


def apply(adapters: Adapters, shop: Shop, index: int, event: ShopEvent) -> Applied:
    """Apply one event with one conditional write; arm step 1 when the cart becomes eligible."""
    remember_checkout(adapters, shop, event)
    email = event.customer.email if event.customer else None
    if email is not None and was_erased(adapters, shop, str(email), event.occurred_at):
        return Applied(index, event.id, "erased")
    for attempt in range(CONFLICT_ATTEMPTS):
        event, stored = _load(adapters, shop, event)
        updated = apply_event(stored or new_cart(shop.shop_id, event), event, shop.policy.attribution_window)
        if updated is None:
            if stored is not None:
                _finish_duplicate(adapters, shop, stored, event)
            return Applied(index, event.id, "duplicate")
        armed = needs_timer(updated, shop.policy, adapters.clock())
        if armed:
            updated = _with_timer(adapters, shop, updated)
        try:
            saved = adapters.carts.save(updated, shop.policy.retention_days)
        except ConcurrentUpdate:
            backoff(attempt)
            continue
        if armed:
            _arm_timer_of(adapters, shop, saved)
        new_address = stored is None or stored.customer.email != saved.customer.email
        _note_customer(adapters, shop, saved, event, armed=armed, new_address=new_address)
        recovered = recovered_by(adapters, shop, stored, saved, event)
        return Applied(
            index, event.id, "applied", timer_armed=armed, recovered_amount=recovered, currency=saved.currency
        )
    raise ConcurrentUpdate(event.cart_id)


def recovered_by(
    adapters: Adapters, shop: Shop, stored: Cart | None, saved: Cart, event: ShopEvent
) -> Decimal | None:
    """What ``event`` recovered: it is the order that closed the cart (``stored`` had none),
    credited to one of its reminders, or else, by the attribution fallback, to the customer's
    emailed cart (``None`` when neither, or for a hold-out customer)."""
    order = saved.order
    if order is None or (stored is not None and stored.order is not None):
        return None
    if not isinstance(event, OrderPlaced) or event.order_id != order.order_id:
        return None
    return order.amount if order.recovered else _credit_same_customer(adapters, shop, saved, event)


def remember_checkout(adapters: Adapters, shop: Shop, event: ShopEvent) -> None:
    """A checkout's token names its cart: an order may name only the token."""
    if isinstance(event, CheckoutStarted) and event.checkout_token:
        expires = event.occurred_at + timedelta(days=shop.policy.retention_days)
        adapters.checkouts.remember(shop.shop_id, event.checkout_token, event.cart_id, expires)


def _finish_duplicate(adapters: Adapters, shop: Shop, stored: Cart, event: ShopEvent) -> None:
    """An event seen before: its first delivery may have died after the cart write (the API
    answered 5xx, the shop resent). Redo what follows that write; each write is idempotent
    (a set of carts, the newest consent, the latest order, the newest cart, a marker on the
    credited cart), so a resend completes the facts and changes nothing else."""
    timer = stored.timer
    armed = timer is not None and stored.status == "active"
    if timer is not None and stored.reminder(timer.step) is None:
        _arm_timer_of(adapters, shop, stored)  # (it arms nothing for a closed cart)
    _note_customer(adapters, shop, stored, event, armed=armed, new_address=True)
    order = stored.order
    if isinstance(event, OrderPlaced) and order and not order.recovered and not order.credited_elsewhere:
        _credit_same_customer(adapters, shop, stored, event)


def _with_timer(adapters: Adapters, shop: Shop, cart: Cart) -> Cart:
    """``cart`` with a timer for its next step, to be written; the schedule is created only
    once that write won (:func:`_arm_timer_of`), so that of many racing events one arms."""
    step = cart.next_step
    due = due_at(cart, shop.policy, step)
    return cart.model_copy(
        update={"timer": Timer(step=step, due_at=due), "eligible_at": cart.eligible_at or adapters.clock()}
    )


def _arm_timer_of(adapters: Adapters, shop: Shop, cart: Cart) -> None:
    """Create the schedule the stored cart names. Idempotent (the schedule's name is its cart,
    step and due time); if it fails, the API answers 5xx, the shop resends, and the resend
    (a duplicate) arms it again (:func:`_finish_duplicate`): never a cart marked as
    followed up without its timer."""
    timer = cart.timer
    if timer is not None and cart.status == "active":
        retrying(lambda: adapters.timers.arm(shop.shop_id, cart.cart_id, timer.step, timer.due_at))


def _rearm_other_carts(adapters: Adapters, shop: Shop, email: str, but: str) -> None:
    """Consent given on one cart: the address's other carts stopped for want of it resume.

    Here the schedule is created before the write, unlike for the event's own cart: a resend
    of this event completes only the event's cart (:func:`_finish_duplicate`), so a failure
    between the write and the arm would leave another cart marked as followed up without its
    timer. A timer whose write lost stops harmlessly when it fires."""

    def rearmed(cart: Cart) -> Cart | None:
        if not needs_timer(cart, shop.policy, adapters.clock()):
            return None
        timed = _with_timer(adapters, shop, cart)
        _arm_timer_of(adapters, shop, timed)
        return timed

    for cart_id in adapters.contacts.cart_ids(shop.shop_id, email) - {but}:
        update_cart(adapters, shop.shop_id, cart_id, rearmed, shop.policy.retention_days)


def _note_customer(
    adapters: Adapters, shop: Shop, cart: Cart, event: ShopEvent, *, armed: bool, new_address: bool
) -> None:
    """What applies to the customer across carts: the carts holding their address (for
    erasure), consent, purchases, their newest cart."""
    email = cart.customer.email
    if email is None:
        return
    if new_address:
        adapters.contacts.note_cart(shop.shop_id, str(email), cart.cart_id)
    said = event.customer.marketing_consent if event.customer else None
    if said is not None:
        adapters.contacts.note_consent(shop.shop_id, str(email), said, event.occurred_at)
    if said is True and shop.policy.consent_mode == "eu":
        _rearm_other_carts(adapters, shop, str(email), but=cart.cart_id)
    if isinstance(event, OrderPlaced):
        adapters.contacts.note_order(shop.shop_id, str(email), event.occurred_at)
    if armed:
        adapters.contacts.claim_newest(shop.shop_id, str(email), cart.cart_id, cart.abandoned_at)


def _credit_same_customer(
    adapters: Adapters, shop: Shop, ordered: Cart, event: OrderPlaced
) -> Decimal | None:
    """The attribution fallback: the customer ordered through another cart than the one we
    emailed (another device, a new session). Credit the emailed cart, stop its sequence,
    and mark this cart's order as counted there. Returns the amount recovered (``None`` for
    a hold-out customer's cart: their order is a natural return, counted as such)."""
    email = ordered.customer.email
    last = adapters.contacts.last_email(shop.shop_id, str(email)) if email else None
    if last is None or last.cart_id == ordered.cart_id:
        return None
    retention = shop.policy.retention_days
    window = shop.policy.attribution_window
    reminded = update_cart(
        adapters, shop.shop_id, last.cart_id, lambda c: credit_same_customer(c, event, window), retention
    )
    if reminded is None:
        return None
    update_cart(
        adapters, shop.shop_id, ordered.cart_id, lambda c: credited_elsewhere(c, last.cart_id), retention
    )
    return event.amount if reminded.order is not None and reminded.order.recovered else None
