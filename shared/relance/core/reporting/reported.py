"""A stored cart as the report reads it: its record, whether it has items, and the
customer's history and source (the segments and the fact row's ``source``).

The nightly report reads millions of carts; validating each one's items (prices, links)
and customer (address, locale, time zone) was a third of its time, for fields no report
shows. Here the fields the report does not read are skipped, and the items are kept as
they are stored, unchecked: only their presence counts.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from relance.core.cart.events import AcquisitionSource
from relance.core.cart.state import Cart, CartRecord


class ReportedCustomer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    orders_count: int | None = None
    source: AcquisitionSource | None = None


class ReportedCart(CartRecord):
    model_config = ConfigDict(extra="ignore")

    items: tuple[Any, ...] = ()
    customer: ReportedCustomer = ReportedCustomer()
    seen_event_ids: tuple[str, ...] = ()
    """Only counted: carts stored before ``events_applied`` existed count their events so."""

    @classmethod
    def of(cls, cart: Cart) -> ReportedCart:
        """What the report reads of ``cart`` once stored."""
        return cls.model_validate_json(cart.model_dump_json(exclude_defaults=True))
