"""Carts in DynamoDB: pk ``CART#<shop>#<cart>``, sk ``CART``, the cart packed in ``docz``, and
``gsi1`` ``DAY#<shop>#<day>`` for the daily report. One table for every kind of item
(docs/architecture.md#storage); keys begin with the shop, so no shop shares a hot partition.

The day index projects the keys only: a cart changes a dozen times, its day rarely, and an
index that projected the cart would be written (and billed) on every change.

Every cart write is conditional on the version read (optimistic concurrency), so an event,
a timer and a claim can never overwrite each other's changes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Attr, Key

from relance.adapters.errors import ConcurrentUpdate
from relance.adapters.packing import packed, unpacked
from relance.adapters.pages import get_many, query_pages
from relance.core.cart.events import STORED
from relance.core.cart.state import Cart
from relance.core.reporting.reported import ReportedCart

if TYPE_CHECKING:  # the stubs are a dev dependency, not in the layer
    from mypy_boto3_dynamodb.service_resource import Table

DAY_INDEX = "by-shop-day-keys"


class CartStore:
    def __init__(self, table: Table, clock: Callable[[], datetime]) -> None:
        self._table = table
        self._clock = clock

    def get(self, shop_id: str, cart_id: str) -> Cart | None:
        item = self._table.get_item(Key=_cart_key(shop_id, cart_id), ConsistentRead=True).get("Item")
        if item is None or _expired(item, self._clock()):
            return None
        return _read(item)

    def get_many(self, shop_id: str, cart_ids: Collection[str]) -> dict[str, Cart]:
        keys = [_cart_key(shop_id, cart_id) for cart_id in sorted(set(cart_ids))]
        now = self._clock()
        carts = (
            _read(item) for item in get_many(self._table, keys, consistent=True) if not _expired(item, now)
        )
        return {cart.cart_id: cart for cart in carts}

    def save(self, cart: Cart, retention_days: int) -> Cart:
        """Write ``cart`` if nobody wrote since it was read; return it with its new version."""
        saved = cart.model_copy(update={"version": cart.version + 1})
        now = self._clock()
        # An old fact (a backfill) is kept a day at least, not written already expired.
        expires = max(saved.abandoned_at + timedelta(days=retention_days), now + timedelta(days=1))
        item: dict[str, Any] = {
            **_cart_key(cart.shop_id, cart.cart_id),
            "gsi1pk": f"DAY#{cart.shop_id}#{cart.cohort_day.isoformat()}",
            "gsi1sk": f"CART#{cart.cart_id}",
            "version": saved.version,
            "expires_at": int(expires.timestamp()),
            "docz": packed(saved.model_dump_json(exclude_defaults=True)),
        }
        # A new cart may replace an item TTL has not deleted yet (it reads as absent): up to
        # ~48 h after expiry, and it must not block the cart id meanwhile.
        expired = Attr("expires_at").lt(int(now.timestamp()))
        new = cart.version == 0
        condition = Attr("pk").not_exists() | expired if new else Attr("version").eq(cart.version)
        try:
            self._table.put_item(Item=item, ConditionExpression=condition)
        except self._table.meta.client.exceptions.ConditionalCheckFailedException as error:
            raise ConcurrentUpdate(cart.cart_id) from error
        return saved

    def delete(self, shop_id: str, cart_id: str) -> bool:
        """Erase the cart (a customer's request); ``False`` if there was none."""
        deleted = self._table.delete_item(Key=_cart_key(shop_id, cart_id), ReturnValues="ALL_OLD")
        return "Attributes" in deleted

    def carts_of_day(self, shop_id: str, day: date) -> Iterator[Cart]:
        """Carts abandoned on ``day`` (UTC), page by page: memory stays bounded."""
        return map(_read, self._items_of_day(shop_id, day))

    def reported_carts_of_day(self, shop_id: str, day: date) -> Iterator[ReportedCart]:
        """The same carts, as the report reads them (the fields it does not show skipped)."""
        return map(_read_reported, self._items_of_day(shop_id, day))

    def _items_of_day(self, shop_id: str, day: date) -> Iterator[dict[str, Any]]:
        now = self._clock()
        day_key = Key("gsi1pk").eq(f"DAY#{shop_id}#{day.isoformat()}")
        for page in query_pages(self._table, IndexName=DAY_INDEX, KeyConditionExpression=day_key):
            keys = [{"pk": item["pk"], "sk": item["sk"]} for item in page.get("Items", [])]
            yield from (item for item in get_many(self._table, keys) if not _expired(item, now))


def _read(item: dict[str, Any]) -> Cart:
    return Cart.model_validate_json(unpacked(item), context={STORED: True})


def _read_reported(item: dict[str, Any]) -> ReportedCart:
    return ReportedCart.read(unpacked(item))


def _cart_key(shop_id: str, cart_id: str) -> dict[str, str]:
    return {"pk": f"CART#{shop_id}#{cart_id}", "sk": "CART"}


def _expired(item: dict[str, Any], now: datetime) -> bool:
    # TTL deletes lazily (up to ~2 days late): expired items must be ignored on read.
    expires_at = item.get("expires_at")
    return expires_at is not None and int(expires_at) <= now.timestamp()
