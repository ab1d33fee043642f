"""Property test on a realistic timeline: one customer's carts, updated at random moments,
with every timer fired when due (as the scheduler would), so that whole sequences run.

Checks what spans carts: one sequence per customer at a time, and an incentive never twice
per customer per period, whatever the interleaving.
"""

from __future__ import annotations

import heapq
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relance.core.cart.state import Cart, Reminder, Timer, apply_event, new_cart
from relance.core.sequence.contact import ContactState
from relance.core.sequence.decisions import Send, Wait, decide, due_at, needs_timer, offers_incentive
from relance.core.sequence.policy import ShopPolicy
from tests.conftest import T0
from tests.factories import FAST_INCENTIVE_POLICY, cart_updated, item, parsed, static_incentive

pytestmark = pytest.mark.unit
PARIS = "Europe/Paris"
updates = st.lists(
    st.tuples(st.sampled_from(["c1", "c2", "c3"]), st.integers(min_value=0, max_value=6 * 24 * 60)),
    min_size=1,
    max_size=8,
)
policies = st.sampled_from(
    [
        ShopPolicy.model_validate(FAST_INCENTIVE_POLICY),
        ShopPolicy.model_validate({"incentive": static_incentive(30)}),
    ]
)


def run_timeline(changes: list[tuple[str, int]], policy: ShopPolicy) -> list[tuple[datetime, str, Cart]]:
    """Every email the decisions send, in time order."""
    timeline: list[tuple[datetime, int, str, int]] = [
        (T0 + timedelta(minutes=m), 0, cart_id, n) for n, (cart_id, m) in enumerate(changes)
    ]
    heapq.heapify(timeline)
    carts: dict[str, Cart] = {}
    contact = ContactState()
    sent: list[tuple[datetime, str, Cart]] = []
    while timeline:
        at, kind, cart_id, n = heapq.heappop(timeline)
        if kind == 0:  # a cart update
            event = parsed(cart_updated(f"u{n}", at, cart_id, items=[item(price=f"{20 + n}.00")]))
            cart = apply_event(carts.get(cart_id) or new_cart("shop", event), event)
            assert cart is not None
            if needs_timer(cart, policy, at):
                due = due_at(cart, policy, cart.next_step)
                heapq.heappush(timeline, (due, 1, cart_id, cart.next_step))
                cart = cart.model_copy(update={"timer": Timer(step=cart.next_step, due_at=due)})
            carts[cart_id] = cart
            continue
        cart = carts[cart_id]
        decision = decide(cart, policy, n, at, contact=contact, shop_time_zone=PARIS)
        if isinstance(decision, Wait):
            heapq.heappush(timeline, (decision.until, 1, cart_id, n))
            continue
        if not isinstance(decision, Send):
            continue
        if offers_incentive(cart, policy, decision, contact=contact, now=at):
            contact = replace(contact, last_incentive_at=at)
            sent.append((at, "incentive", cart))
        reminder = Reminder(step=n, variant=decision.variant, claimed_at=at, message_id="m")
        carts[cart_id] = cart.model_copy(update={"reminders": (*cart.reminders, reminder)})
        contact = replace(
            contact,
            recent_emails=(*contact.recent_emails, at),
            newest_cart_id=cart_id,
            newest_at=cart.abandoned_at,
        )
        sent.append((at, cart_id, cart))
        if n < policy.steps:
            heapq.heappush(timeline, (due_at(carts[cart_id], policy, n + 1), 1, cart_id, n + 1))
    return sent


@settings(max_examples=300, deadline=None)
@given(updates, policies)
def test_incentives_and_sequences_across_a_customers_carts(changes: list[Any], policy: ShopPolicy) -> None:
    sent = run_timeline(changes, policy)
    given_at = [at for at, what, _ in sent if what == "incentive"]
    period = timedelta(days=policy.incentive.once_per_days)
    assert all(later - earlier >= period for earlier, later in pairwise(given_at))
    # One sequence at a time: once a cart abandoned later has been emailed, a cart abandoned
    # earlier never is (unless touched again since, which makes it the newest).
    abandoned = [cart.abandoned_at for _, what, cart in sent if what != "incentive"]
    assert abandoned == sorted(abandoned), "an older cart was emailed after a newer one"
