"""The five lives of a cart the fault suite replays, and what must hold after each.

Each run gets its own shop and customer, so runs share one embedded AWS without touching
each other (which the suite also checks, in passing: nothing of one shop reaches another).
"""

from __future__ import annotations

import email
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import Message
from typing import Any

from tests.conftest import T0, World
from tests.connectors.samples import sample
from tests.factories import cart_updated, order_placed
from tests.faults.platform import Platform


@dataclass
class Run:
    """What one run left: the emails the customer got, and when the sequence had to stop."""

    platform: Platform
    address: str
    cart_id: str = "cart-1"
    stop_after: int | None = None
    """Emails received when the order, erasure or bounce was accepted; none may follow."""
    notes: list[str] = field(default_factory=list)

    def emails(self) -> list[Message]:
        messages = [email.message_from_string(m.raw_data) for m in self.platform.world.sent_messages()]
        return [m for m in messages if m["To"] == self.address]

    def steps_taken(self, world: World) -> list[int]:
        """Steps claimed on the cart: emailed, or (SES's answer lost) counted unconfirmed."""
        cart = world.adapters.carts.get(self.platform.shop_id, self.cart_id)
        return [r.step for r in cart.reminders] if cart else []

    def unconfirmed(self, world: World) -> int:
        cart = world.adapters.carts.get(self.platform.shop_id, self.cart_id)
        return sum(r.unconfirmed for r in cart.reminders) if cart else 0

    def message_ids(self) -> list[str]:
        world = self.platform.world
        return [m.id for m in world.sent_messages() if f"To: {self.address}" in m.raw_data]


def _cart(run: Run) -> dict[str, Any]:
    return cart_updated("e-cart", T0, run.cart_id, email=run.address, first_name="Claire")


END = T0.replace(day=T0.day + 8)
"""Past the last step of any preset: every run goes this far."""


def _interrupted(run: Run, until: datetime, interrupt: Callable[[Platform], bool]) -> None:
    """The cart, its emails up to ``until``, then ``interrupt`` (an order, an erasure, a
    bounce): once it was accepted, no email may follow."""
    platform = run.platform
    platform.post([_cart(run)])
    platform.run_until(until)
    if interrupt(platform):
        run.stop_after = len(run.emails())
    platform.run_until(END)


def three_emails(run: Run) -> None:
    run.platform.post([_cart(run)])
    run.platform.run_until(END)


def order_after_email_two(run: Run) -> None:
    def order(platform: Platform) -> bool:
        placed = order_placed("e-order", platform.world.clock.now, run.cart_id, "59.00")
        return platform.post([placed]) < 500

    _interrupted(run, T0.replace(day=T0.day + 1, hour=18), order)


def shopify_order_by_cart_token(run: Run) -> None:
    """Through Shopify's webhooks: a checkout (keyed by its token), then after email 2 an order
    that names it only by its cart token."""
    platform = run.platform
    checkout = sample("shopify/checkouts_create", token=run.cart_id, cart_token=f"ct-{run.address}",
                      email=run.address, created_at=T0.isoformat(), updated_at=T0.isoformat())  # fmt: skip
    platform.shopify("checkouts/create", checkout, "w-checkout")
    platform.run_until(T0.replace(day=T0.day + 1, hour=18))
    order = sample("shopify/orders_create", cart_token=f"ct-{run.address}", email=run.address,
                   created_at=platform.world.clock.now.isoformat())  # fmt: skip
    if platform.shopify("orders/create", order, "w-order") < 300:
        run.stop_after = len(run.emails())
    platform.run_until(END)


def erase_with_a_timer_pending(run: Run) -> None:
    def erase(platform: Platform) -> bool:
        return platform.request("POST", "/v1/erase", {"email": run.address}) < 500

    _interrupted(run, T0.replace(hour=T0.hour + 4), erase)


def a_bounce(run: Run) -> None:
    def bounce_every_email(platform: Platform) -> bool:
        bounced = run.message_ids()
        for message_id in bounced:
            at = platform.world.clock.now.isoformat()
            configuration_set = platform.world.adapters.settings.SES_CONFIGURATION_SET
            mail = {"messageId": message_id, "timestamp": at, "destination": [run.address],
                    "tags": {"ses:configuration-set": [configuration_set]}}  # fmt: skip
            bounce = {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": run.address}],
                      "timestamp": at}  # fmt: skip
            platform.ses_event("Email Bounced", {"eventType": "Bounce", "mail": mail, "bounce": bounce})
        return bool(bounced) and not platform.dead_letters

    _interrupted(run, T0.replace(hour=T0.hour + 4), bounce_every_email)


LIFECYCLES: dict[str, Callable[[Run], None]] = {
    "new cart -> three emails": three_emails,
    "order after email 2": order_after_email_two,
    "erase with a timer pending": erase_with_a_timer_pending,
    "shopify order by cart token after email 2": shopify_order_by_cart_token,
    "a bounce": a_bounce,
}


def violations(run: Run, lifecycle: str, world: World) -> list[str]:
    """Every promise the run broke (empty: all kept)."""
    problems = []
    emails = run.emails()
    subjects = [str(m["Subject"]) for m in emails]
    if len(subjects) != len(set(subjects)) or len(emails) > 3:
        problems.append(f"a step emailed twice: {subjects}")
    if run.stop_after is not None and len(emails) > run.stop_after:
        problems.append(f"{len(emails) - run.stop_after} email(s) after the {lifecycle.split(maxsplit=1)[0]}")
    lost = not run.platform.dead_letters and not run.platform.refused
    if lifecycle == "new cart -> three emails" and len(run.steps_taken(world)) < 3 and lost:
        problems.append(f"sequence stopped at {len(emails)} email(s) with nothing dead-lettered")
    if lifecycle == "new cart -> three emails":
        problems += _derived_writes_missing(run, world)
    erased = lifecycle == "erase with a timer pending" and run.stop_after is not None
    if erased and world.adapters.carts.get(run.platform.shop_id, run.cart_id) is not None:
        problems.append("the erased customer's cart is still stored")
    if lifecycle.startswith("shopify"):
        problems += _order_linked(run, world)
    if lifecycle == "a bounce" and run.stop_after is not None:
        state = world.adapters.contacts.state(run.platform.shop_id, run.address)
        if state.suppressed_reason is None:
            problems.append("the bounced address is not suppressed")
    return problems


def _derived_writes_missing(run: Run, world: World) -> list[str]:
    """What must follow each email: SES's id indexed (bounces find their cart) and the
    email on the customer's record (pressure cap, attribution)."""
    shop_id = run.platform.shop_id
    cart = world.adapters.carts.get(shop_id, run.cart_id)
    if cart is None:
        return ["the cart is gone"]
    missing = [f"step {r.step} not indexed" for r in cart.reminders
               if r.message_id and world.adapters.messages.find(r.message_id) is None]  # fmt: skip
    noted = world.adapters.contacts.state(shop_id, run.address).emails_since(T0 - timedelta(days=1))
    if len(noted) != len(cart.reminders):
        missing.append(f"{len(cart.reminders)} steps taken, {len(noted)} on the customer's record")
    return missing


def _order_linked(run: Run, world: World) -> list[str]:
    """The order named the checkout by cart token only: it must close the checkout's cart, and
    count as a recovery once the customer had been emailed."""
    if run.stop_after is None:
        return [] if run.platform.refused else ["the order was never accepted"]
    cart = world.adapters.carts.get(run.platform.shop_id, run.cart_id)
    if cart is None or cart.order is None:
        return ["the order did not reach its checkout's cart"]
    if run.stop_after > 0 and not cart.order.recovered:
        return [f"the order after {run.stop_after} email(s) is not counted as a recovery"]
    return []
