"""A week of shoppers for the demo: who browses, who buys at once, who leaves, who comes
back on their own, and who comes back after a reminder.

Rates follow the published figures in SPEC.md: about 70 % of carts are abandoned
(Baymard); a good share of abandoned carts complete on their own within a day (seed 001);
a few percent of reminder recipients order (Klaviyo's placed-order rate, seed 003's upper
bound), more after the first email than the last.
"""

from __future__ import annotations

import heapq
import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from infra.local.demo_shop import CATALOGUE, image_url, product_url

BUY_AT_ONCE = 0.30
RETURN_ON_THEIR_OWN = 0.14
ORDER_AFTER_STEP = {1: 0.06, 2: 0.035, 3: 0.03}
CLICK_WITHOUT_ORDER = 0.04  # with the orders, about the 5-6 % click rates of the benchmarks
UNSUBSCRIBE = 0.01
SECOND_CART = 0.08  # back another day with a new cart: one sequence per customer
SHARE_WITH_EMAIL = 0.78
SHARE_ENGLISH = 0.2
RESEND_SHARE = 0.05
BOUNCING_SHARE = 0.02
COMPLAINING_SHARE = 0.005
FIRST_NAMES = ("Camille", "Léa", "Hugo", "Chloé", "Louis", "Inès", "Jules", "Manon", "Noah", "Zoé")
EN_NAMES = ("Oliver", "Amelia", "Harry", "Isla", "Jack", "Emily")


@dataclass(order=True)
class Action:
    at: datetime
    seq: int
    events: list[dict[str, Any]] = field(compare=False)
    click: str | None = field(default=None, compare=False)
    """A link the customer follows (the email's tracked cart link)."""
    unsubscribe: str | None = field(default=None, compare=False)
    """An unsubscribe URL the customer's mail client posts to (one click)."""


@dataclass
class Shopper:
    cart_id: str
    email: str | None
    english: bool
    total: float = 0.0


class Week:
    """Generates events in time order; reacts to reminders through :meth:`on_reminder`."""

    def __init__(self, start: datetime, carts: int, seed: int = 7) -> None:
        self.random = random.Random(seed)
        self.start = start
        self._queue: list[Action] = []
        self._seq = itertools.count()
        self._by_email: dict[str, Shopper] = {}
        self._ordered: set[str] = set()
        self._orders = itertools.count(10_001)
        for number in range(carts):
            self._plan_cart(number)

    # -- queue ----------------------------------------------------------------------------
    def push(self, at: datetime, *events: dict[str, Any]) -> None:
        heapq.heappush(self._queue, Action(at, next(self._seq), list(events)))

    def push_click(self, at: datetime, link: str) -> None:
        heapq.heappush(self._queue, Action(at, next(self._seq), [], click=link))

    def next_time(self) -> datetime | None:
        return self._queue[0].at if self._queue else None

    def pop(self) -> Action:
        return heapq.heappop(self._queue)

    # -- shoppers -------------------------------------------------------------------------
    def _customer(self, shopper: Shopper, number: int) -> dict[str, Any]:
        english = shopper.english
        names = EN_NAMES if english else FIRST_NAMES
        customer: dict[str, Any] = {
            "first_name": self.random.choice(names),
            "locale": "en-GB" if english else "fr-FR",
            "time_zone": "Europe/London" if english else "Europe/Paris",
            "orders_count": self.random.choice((0, 0, 0, 1, 2, 4)),
            "source": {"utm_source": self.random.choice(("google", "instagram", "newsletter", "direct"))},
        }
        if shopper.email:
            customer["email"] = shopper.email
        return customer

    def _address(self, number: int, english: bool) -> str:
        # A few mistyped or hostile addresses, as SES's mailbox simulator plays them.
        roll = self.random.random()
        if roll < BOUNCING_SHARE:
            return f"bounce+{number:04d}@simulator.amazonses.com"
        if roll < BOUNCING_SHARE + COMPLAINING_SHARE:
            return f"complaint+{number:04d}@simulator.amazonses.com"
        return f"client{number:04d}@example.{'co.uk' if english else 'fr'}"

    def _items(self) -> list[dict[str, Any]]:
        chosen = self.random.sample(CATALOGUE, k=self.random.choice((1, 1, 2, 2, 3)))
        return [
            {
                "sku": sku,
                "name": name,
                "quantity": self.random.choice((1, 1, 1, 2)),
                "unit_price": price,
                "image_url": image_url(sku),
                "product_url": product_url(sku),
                "category": category,
            }
            for sku, name, price, category in chosen
        ]

    def _plan_cart(self, number: int) -> None:
        rnd = self.random
        # Shoppers arrive over 7 days, more in the evening.
        day = rnd.randrange(7)
        hour = rnd.choices(
            range(24), weights=[1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 7, 7, 6, 6, 6, 7, 8, 10, 10, 9, 6, 3]
        )[0]
        began = self.start + timedelta(days=day, hours=hour, minutes=rnd.randrange(60))
        english = rnd.random() < SHARE_ENGLISH
        email = self._address(number, english) if rnd.random() < SHARE_WITH_EMAIL else None
        shopper = Shopper(cart_id=f"c-{number:04d}-{rnd.randrange(16**6):06x}", email=email, english=english)
        if email:
            self._by_email[email] = shopper
        customer = self._customer(shopper, number)
        items = self._items()
        shopper.total = sum(float(i["unit_price"]) * i["quantity"] for i in items)
        first = self._cart_updated(shopper, f"{shopper.cart_id}-u1", began, items, customer)
        self.push(began, first)
        last_touch = began
        if rnd.random() < 0.25:  # came back to change the cart: the reminder clock restarts
            last_touch = began + timedelta(minutes=rnd.randrange(20, 150))
            items = items[:-1] or self._items()
            shopper.total = sum(float(i["unit_price"]) * i["quantity"] for i in items)
            self.push(
                last_touch, self._cart_updated(shopper, f"{shopper.cart_id}-u2", last_touch, items, None)
            )
        if email and rnd.random() < SECOND_CART:
            again = last_touch + timedelta(hours=rnd.randrange(8, 40))
            second = Shopper(cart_id=f"{shopper.cart_id}-b", email=email, english=english)
            self.push(
                again, self._cart_updated(second, f"{second.cart_id}-u1", again, self._items(), customer)
            )
        if rnd.random() < RESEND_SHARE:  # the shop's webhook retried: same event id again
            self.push(began + timedelta(minutes=2), first)
        roll = rnd.random()
        if roll < BUY_AT_ONCE:
            self.push(
                last_touch + timedelta(minutes=rnd.randrange(2, 40)), self._checkout(shopper, last_touch)
            )
            self._order(shopper, last_touch + timedelta(minutes=rnd.randrange(45, 90)))
        elif roll < BUY_AT_ONCE + RETURN_ON_THEIR_OWN * (1 - BUY_AT_ONCE):
            # Most who come back on their own do it within hours (seed 001).
            self._order(shopper, last_touch + timedelta(minutes=rnd.triangular(45, 24 * 60, 60)))
        elif roll < BUY_AT_ONCE + 0.03 + RETURN_ON_THEIR_OWN * (1 - BUY_AT_ONCE):
            emptied = last_touch + timedelta(hours=rnd.randrange(1, 30))
            self.push(emptied, self._simple(shopper, "cart_emptied", emptied))

    def _cart_updated(
        self,
        shopper: Shopper,
        event_id: str,
        at: datetime,
        items: list[dict[str, Any]],
        customer: dict[str, Any] | None,
    ) -> dict[str, Any]:
        event: dict[str, Any] = {
            "id": event_id,
            "type": "cart_updated",
            "occurred_at": at.isoformat(),
            "cart_id": shopper.cart_id,
            "currency": "EUR",
            "items": items,
            "restore_url": f"https://maison-lumiere.example/panier/{shopper.cart_id}?utm_source=relance",
        }
        if customer:
            event["customer"] = customer
        return event

    def _simple(self, shopper: Shopper, kind: str, at: datetime) -> dict[str, Any]:
        return {
            "id": f"{shopper.cart_id}-{kind}",
            "type": kind,
            "occurred_at": at.isoformat(),
            "cart_id": shopper.cart_id,
        }

    def _checkout(self, shopper: Shopper, at: datetime) -> dict[str, Any]:
        return self._simple(shopper, "checkout_started", at + timedelta(minutes=1))

    def _order(self, shopper: Shopper, at: datetime) -> None:
        if shopper.cart_id in self._ordered:
            return
        self._ordered.add(shopper.cart_id)
        order = {
            "id": f"{shopper.cart_id}-order",
            "type": "order_placed",
            "occurred_at": at.isoformat(),
            "cart_id": shopper.cart_id,
            "order_id": f"ML-{next(self._orders)}",
            "amount": f"{shopper.total:.2f}",
            "currency": "EUR",
        }
        # Some shops' webhooks deliver late: the order can reach Relance after later events.
        delivered = at + timedelta(minutes=self.random.choice((0, 0, 0, 0, 30)))
        self.push(delivered, order)

    def on_reminder(
        self, recipient: str, step: int, sent_at: datetime, link: str | None, unsubscribe: str | None = None
    ) -> None:
        """A customer read reminder ``step``: some click and order, a few only click, a few unsubscribe."""
        shopper = self._by_email.get(recipient)
        if shopper is None or shopper.cart_id in self._ordered or "simulator" in recipient:
            return
        if unsubscribe and self.random.random() < UNSUBSCRIBE:
            at = sent_at + timedelta(minutes=self.random.randrange(5, 600))
            heapq.heappush(self._queue, Action(at, next(self._seq), [], unsubscribe=unsubscribe))
            return
        if self.random.random() < ORDER_AFTER_STEP.get(step, 0):
            ordered_at = sent_at + timedelta(minutes=self.random.randrange(10, 8 * 60))
            if link:
                self.push_click(ordered_at - timedelta(minutes=self.random.randrange(2, 9)), link)
            self._order(shopper, ordered_at)
        elif link and self.random.random() < CLICK_WITHOUT_ORDER:
            self.push_click(sent_at + timedelta(minutes=self.random.randrange(5, 12 * 60)), link)
