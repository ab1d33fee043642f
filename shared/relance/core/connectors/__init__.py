"""Shopify's and WooCommerce's own webhooks, read as Relance events (docs/connectors.md).

Each platform module turns one verified webhook (its topic, its delivery id, its JSON) into
one :data:`Action`; the service carries it out. Nothing here reads a store or a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import ValidationError

from relance.core.cart.batch import FieldError, field_errors
from relance.core.cart.events import ShopEvent

Platform = Literal["shopify", "woocommerce"]
PLATFORMS: tuple[Platform, ...] = ("shopify", "woocommerce")


@dataclass(frozen=True)
class Apply:
    """Events to apply in order, as if the shop had posted them to ``/v1/events``."""

    events: tuple[ShopEvent, ...]


@dataclass(frozen=True)
class Ignore:
    """A webhook Relance has no use for: answered 200 so that the platform does not resend it.
    ``noted``: a fact Relance logs and counts but that changes no cart."""

    reason: str
    noted: bool = False


@dataclass(frozen=True)
class EraseCustomer:
    email: str


@dataclass(frozen=True)
class EraseShop:
    """Every customer's data of the shop (the shop left the platform's app)."""


@dataclass(frozen=True)
class ExportCustomer:
    email: str
    request_id: str


Action = Apply | Ignore | EraseCustomer | EraseShop | ExportCustomer


class MalformedWebhook(ValueError):
    """The body is not what the platform documents for the topic; ``errors`` name the
    platform's own fields (``line_items[0].quantity``)."""

    def __init__(self, errors: tuple[FieldError, ...]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.reason}" for e in errors))
        self.errors = errors

    @classmethod
    def of(cls, error: ValidationError) -> MalformedWebhook:
        return cls(field_errors("", error))
