"""Apply a batch of a shop's events: every cart and customer read at once, one write per cart
however many of its events the batch holds, and the carts worked on concurrently.

What follows a cart's write (its timer, the customer's facts, credit for an order placed
through another cart) is what the events one by one would do (services/ingest.py), so a
batch keeps every promise a single event keeps: a failure anywhere fails the request, the
shop resends, and the resent events, now duplicates, finish what was left undone.
"""

from __future__ import annotations

from collections.abc import Sequence

from relance.adapters.errors import ConcurrentUpdate
from relance.core.cart.events import CartEmptied, OrderPlaced, ShopEvent
from relance.core.cart.state import Cart, apply_event, new_cart
from relance.core.sequence.decisions import needs_timer
from relance.core.shop import Shop
from relance.ports import Adapters
from relance.services.erase import happened_before_erasure
from relance.services.ingest import (
    Applied,
    _arm_timer_of,
    _finish_duplicate,
    _note_customer,
    _with_timer,
    apply,
    recovered_by,
    remember_checkout,
)
from relance.services.parallel import each

WORKERS = 16
"""Carts worked on at once: each waits on DynamoDB and the Scheduler far more than on the CPU."""
Indexed = tuple[int, ShopEvent]


def apply_batch(adapters: Adapters, shop: Shop, events: Sequence[Indexed]) -> list[Applied]:
    """Apply ``events`` (with their index in the request); results in the same order."""
    for _, event in events:
        remember_checkout(adapters, shop, event)  # before an order of the batch names it
    erased = _erased(adapters, shop, events)
    results = {index: Applied(index, event.id, "erased") for index, event in events if index in erased}
    groups: dict[str, list[Indexed]] = {}
    for index, event in events:
        if index not in erased:
            groups.setdefault(event.cart_id, []).append((index, event))
    stored = adapters.carts.get_many(shop.shop_id, groups) if groups else {}
    # The clients the workers use, built here: a boto3 session must not build clients from
    # several threads at once.
    _ = (adapters.timers, adapters.contacts, adapters.checkouts)

    def work(group: list[Indexed]) -> list[Applied]:
        return _apply_group(adapters, shop, stored.get(group[0][1].cart_id), group)

    for applied in each(work, list(groups.values()), WORKERS):
        results.update((result.index, result) for result in applied)
    return [results[index] for index, _ in events]


def _erased(adapters: Adapters, shop: Shop, events: Sequence[Indexed]) -> set[int]:
    """The events whose customer asked to be erased after they happened."""
    emails = {str(e.customer.email) for _, e in events if e.customer and e.customer.email}
    erased_at = adapters.contacts.erased_many(shop.shop_id, emails) if emails else {}
    return {
        index
        for index, event in events
        if event.customer
        and event.customer.email
        and happened_before_erasure(event.occurred_at, erased_at.get(str(event.customer.email)))
    }


def _apply_group(adapters: Adapters, shop: Shop, stored: Cart | None, group: list[Indexed]) -> list[Applied]:
    """One cart's events of the batch, folded into one conditional write."""
    if stored is None and isinstance(group[0][1], OrderPlaced | CartEmptied):
        # No cart of that id yet: it may name a checkout instead. One by one, each finds its cart.
        return [apply(adapters, shop, index, event) for index, event in group]
    cart = stored or new_cart(shop.shop_id, group[0][1])
    applied: list[Indexed] = []
    duplicates: list[Indexed] = []
    for index, event in group:
        updated = apply_event(cart, event, shop.policy.attribution_window)
        (applied if updated is not None else duplicates).append((index, event))
        cart = updated or cart
    armed = bool(applied) and needs_timer(cart, shop.policy, adapters.clock())
    saved = stored
    if applied:
        try:
            saved = adapters.carts.save(
                _with_timer(adapters, shop, cart) if armed else cart, shop.policy.retention_days
            )
        except ConcurrentUpdate:  # another request wrote it meanwhile: each event reloads it
            return [apply(adapters, shop, index, event) for index, event in group]
    if saved is not None and armed:
        _arm_timer_of(adapters, shop, saved)
    for _, event in duplicates:
        if saved is not None:
            _finish_duplicate(adapters, shop, saved, event)
    results = {index: Applied(index, event.id, "duplicate") for index, event in duplicates}
    if saved is not None and applied:
        results.update(_follow_up(adapters, shop, stored, saved, applied, armed=armed))
    return [results[index] for index, _ in group]


def _follow_up(
    adapters: Adapters, shop: Shop, stored: Cart | None, saved: Cart, applied: list[Indexed], *, armed: bool
) -> dict[int, Applied]:
    """The customer's facts and the order's credit, as the applied events one by one would."""
    new_address = stored is None or stored.customer.email != saved.customer.email
    last = len(applied) - 1
    for n, (_, event) in enumerate(applied):
        _note_customer(
            adapters, shop, saved, event, armed=armed and n == last, new_address=new_address and n == 0
        )
    results = {}
    for n, (index, event) in enumerate(applied):
        recovered = recovered_by(adapters, shop, stored, saved, event)
        results[index] = Applied(
            index, event.id, "applied", timer_armed=armed and n == last, recovered_amount=recovered,
            currency=saved.currency,
        )  # fmt: skip
    return results
