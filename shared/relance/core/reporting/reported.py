"""A stored cart as the report reads it: its record, whether it has items, and the
customer's history and source (the segments and the fact row's ``source``).

The nightly report reads millions of carts; validating each one's items (prices, links)
and customer (address, locale, time zone) was a third of its time, for fields no report
shows. Here the fields the report does not read are skipped, and each item is read as an
empty record: only their presence counts. What both the fact row and the KPIs need of a
cart (the emails sent, the UTC time) is worked out once, on first use.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cached_property

from pydantic import BaseModel, ConfigDict
from typing_extensions import TypedDict  # pydantic reads typing's TypedDict from Python 3.12 only

from relance.core.cart.events import AcquisitionSource
from relance.core.cart.state import Cart, CartRecord, Reminder


class ReportedCustomer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    orders_count: int | None = None
    source: AcquisitionSource | None = None


class CountedItem(TypedDict):
    """A line of the cart, of which the report reads nothing: only that there is one (an
    empty record is the cheapest thing pydantic can make of it)."""


class ReportedCart(CartRecord):
    model_config = ConfigDict(extra="ignore")

    items: tuple[CountedItem, ...] = ()
    customer: ReportedCustomer = ReportedCustomer()
    seen_event_ids: tuple[str, ...] = ()
    """Only counted: carts stored before ``events_applied`` existed count their events so."""

    @cached_property
    def abandoned_utc(self) -> datetime:
        """The abandonment time in UTC: its day is the cohort, and the fact row shows it."""
        return self.abandoned_at.astimezone(UTC)

    @cached_property
    def emailed(self) -> list[Reminder]:
        """The steps that went out as emails: with SES's id, or unconfirmed (SES's answer was
        lost: counted as sent, as the customer most likely got it)."""
        return [r for r in self.reminders if not r.held_out and (r.message_id or r.unconfirmed)]

    @cached_property
    def held_out(self) -> bool:
        """The customer is in the shop's hold-out group (a step was decided, not emailed)."""
        return any(r.held_out for r in self.reminders)

    @classmethod
    def of(cls, cart: Cart) -> ReportedCart:
        """What the report reads of ``cart`` once stored."""
        return cls.model_validate_json(cart.model_dump_json(exclude_defaults=True))
