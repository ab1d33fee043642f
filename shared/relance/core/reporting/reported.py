"""A stored cart as the report reads it: the JSON it was stored as, not validated again.

The nightly report reads millions of carts, each validated when it was written; reading
them back through pydantic models was most of the report's time. Here a stored cart is
the dict ``pydantic_core.from_json`` makes of it, typed by the ``Stored*`` dicts below
(the names and JSON types of ``Cart``'s fields), and :class:`ReportedCart` holds what the
fact row and the KPIs both need of it, worked out once. The order and the incentive, the
rare parts with rules of their own (``recovered``, the incentive's cost), become their
models again.

A field at its default is not stored (``exclude_defaults``), and a document written by the
in-memory fake or an older version may hold it as ``null``: every read below gives the
model's default for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Required, TypedDict, cast

import pydantic_core

from relance.core.cart.state import Cart, GrantedIncentive, RecordedOrder


class StoredReminder(TypedDict, total=False):
    step: Required[int]
    variant: Required[str]
    claimed_at: Required[str]
    message_id: str | None
    held_out: bool
    unconfirmed: bool
    feedback: dict[str, str]


class StoredSource(TypedDict, total=False):
    utm_source: str | None


class StoredCustomer(TypedDict, total=False):
    orders_count: int | None
    source: StoredSource | None


class StoredCart(TypedDict, total=False):
    """The fields of a stored ``Cart`` the report reads (it ignores the others)."""

    shop_id: Required[str]
    cart_id: Required[str]
    status: str
    currency: str | None
    total: str
    created_at: Required[str]
    last_activity_at: str | None
    order: dict[str, Any] | None
    later_orders: list[dict[str, Any]]
    reminders: list[StoredReminder]
    eligible_at: str | None
    incentive: dict[str, Any] | None
    flagged_at: str | None
    events_applied: int
    items: list[object]
    customer: StoredCustomer | None
    seen_event_ids: list[str]


def utc_iso(stored_time: str) -> str:
    """``datetime.astimezone(UTC).isoformat()`` of a stored time, without parsing the
    common case: pydantic writes UTC as ``Z`` (and microseconds, when any, as 6 digits)."""
    if stored_time.endswith("Z"):
        return stored_time[:-1] + "+00:00"
    return datetime.fromisoformat(stored_time).astimezone(UTC).isoformat()


@dataclass(slots=True)
class ReportedCart:
    """A stored cart and what the fact row and the KPIs both read of it."""

    stored: StoredCart
    abandoned_utc: str
    """When the customer last touched the cart, in UTC, as ISO text: its first 10 characters
    are the cohort's day."""
    emailed: list[StoredReminder]
    """The steps that went out as emails: with SES's id, or unconfirmed (SES's answer was
    lost: counted as sent, as the customer most likely got it)."""
    held_out: bool
    """The customer is in the shop's hold-out group (a step was decided, not emailed)."""
    order: RecordedOrder | None
    incentive: GrantedIncentive | None
    total: Decimal
    orders_count: int | None
    """The customer's past orders, as the shop reported them (``None``: not reported)."""

    @classmethod
    def read(cls, document: str | bytes) -> ReportedCart:
        return cls.of_stored(cast(StoredCart, pydantic_core.from_json(document)))

    @classmethod
    def of_stored(cls, stored: StoredCart) -> ReportedCart:
        emailed: list[StoredReminder] = []
        held_out = False
        for reminder in stored.get("reminders") or ():
            if reminder.get("held_out"):
                held_out = True
            elif reminder.get("message_id") or reminder.get("unconfirmed"):
                emailed.append(reminder)
        order, incentive = stored.get("order"), stored.get("incentive")
        return cls(
            stored=stored,
            abandoned_utc=utc_iso(stored.get("last_activity_at") or stored["created_at"]),
            emailed=emailed,
            held_out=held_out,
            order=RecordedOrder.model_validate(order) if order else None,
            incentive=GrantedIncentive.model_validate(incentive) if incentive else None,
            total=Decimal(stored.get("total") or 0),
            orders_count=(stored.get("customer") or {}).get("orders_count"),
        )

    @classmethod
    def of(cls, cart: Cart) -> ReportedCart:
        """What the report reads of ``cart`` once stored."""
        return cls.read(cart.model_dump_json(exclude_defaults=True))

    @property
    def abandoned_at(self) -> datetime:
        """Parsed only for the carts that need it (those with an order)."""
        return datetime.fromisoformat(self.abandoned_utc)

    @property
    def later_orders(self) -> list[RecordedOrder]:
        return [RecordedOrder.model_validate(o) for o in self.stored.get("later_orders") or ()]
