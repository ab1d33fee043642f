"""DynamoDB repository: one table, items keyed so that no shop shares a hot partition.

- cart:     pk ``CART#<shop>#<cart>``      sk ``CART``   (+ gsi1 ``DAY#<shop>#<day>`` for reports)
- shop:     pk ``SHOP#<shop>``             sk ``SHOP`` (and ``TEMPLATES``: its own email templates)
- registry: pk ``SHOPS``                   sk ``<shop>`` (the daily report's list of shops)
- contact:  pk ``CONTACT#<shop>#<sha256>`` sk ``CONTACT`` (see adapters/contacts.py)
- message:  pk ``MSG#<ses message id>``    sk ``MSG``    (which cart and step an SES event is about)

Every cart write is conditional on the version read (optimistic concurrency), so an event,
a timer and a claim can never overwrite each other's changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from relance.adapters.errors import ConcurrentUpdate, error_code
from relance.adapters.pages import query_pages
from relance.core.cart import Cart
from relance.core.shop import Shop

DAY_INDEX = "by-shop-day"


class CartStore:
    def __init__(self, table: Any, clock: Callable[[], datetime]) -> None:
        self._table = table
        self._clock = clock

    def get(self, shop_id: str, cart_id: str) -> Cart | None:
        item = self._table.get_item(Key=_cart_key(shop_id, cart_id), ConsistentRead=True).get("Item")
        if item is None or _expired(item, self._clock()):
            return None
        return Cart.model_validate_json(item["doc"])

    def save(self, cart: Cart, retention_days: int) -> Cart:
        """Write ``cart`` if nobody wrote since it was read; return it with its new version."""
        saved = cart.model_copy(update={"version": cart.version + 1})
        now = self._clock()
        # An old fact (a backfill) is kept a day at least, not written already expired.
        expires = max(saved.abandoned_at + timedelta(days=retention_days), now + timedelta(days=1))
        item = {
            **_cart_key(cart.shop_id, cart.cart_id),
            "gsi1pk": f"DAY#{cart.shop_id}#{cart.cohort_day.isoformat()}",
            "gsi1sk": f"CART#{cart.cart_id}",
            "version": saved.version,
            "expires_at": int(expires.timestamp()),
            "doc": saved.model_dump_json(),
        }
        # A new cart may replace an item TTL has not deleted yet (it reads as absent): up to
        # ~48 h after expiry, and it must not block the cart id meanwhile.
        expired = Attr("expires_at").lt(int(now.timestamp()))
        new = cart.version == 0
        condition = Attr("pk").not_exists() | expired if new else Attr("version").eq(cart.version)
        try:
            self._table.put_item(Item=item, ConditionExpression=condition)
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise ConcurrentUpdate(cart.cart_id) from error
            raise
        return saved

    def delete(self, shop_id: str, cart_id: str) -> bool:
        """Erase the cart (a customer's request); ``False`` if there was none."""
        deleted = self._table.delete_item(Key=_cart_key(shop_id, cart_id), ReturnValues="ALL_OLD")
        return "Attributes" in deleted

    def carts_of_day(self, shop_id: str, day: date) -> Iterator[Cart]:
        """Carts abandoned on ``day`` (UTC), page by page: memory stays bounded."""
        now = self._clock()
        day_key = Key("gsi1pk").eq(f"DAY#{shop_id}#{day.isoformat()}")
        for page in query_pages(self._table, IndexName=DAY_INDEX, KeyConditionExpression=day_key):
            for item in page.get("Items", []):
                if not _expired(item, now):
                    yield Cart.model_validate_json(item["doc"])


class ShopStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, shop_id: str) -> Shop | None:
        item = self._table.get_item(Key={"pk": f"SHOP#{shop_id}", "sk": "SHOP"}).get("Item")
        return None if item is None else Shop.model_validate_json(item["doc"])

    def put(self, shop: Shop) -> None:
        self._table.put_item(Item={"pk": f"SHOP#{shop.shop_id}", "sk": "SHOP", "doc": shop.model_dump_json()})
        self._table.put_item(Item={"pk": "SHOPS", "sk": shop.shop_id})

    def change(self, shop_id: str, change: Callable[[Shop], Shop]) -> Shop:
        """Apply ``change`` to the stored shop and write it only if nobody wrote since the read
        (:class:`ConcurrentUpdate` otherwise): two settings requests never silently undo each other."""
        key = {"pk": f"SHOP#{shop_id}", "sk": "SHOP"}
        item = self._table.get_item(Key=key, ConsistentRead=True).get("Item")
        if item is None:
            raise LookupError(shop_id)
        changed = change(Shop.model_validate_json(item["doc"]))
        try:
            self._table.put_item(
                Item={**key, "doc": changed.model_dump_json()},
                ConditionExpression="doc = :read",
                ExpressionAttributeValues={":read": item["doc"]},
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise ConcurrentUpdate(shop_id) from None
            raise
        return changed

    def templates(self, shop_id: str) -> dict[str, str]:
        """The shop's own email templates by name (none: ours are used)."""
        item = self._table.get_item(Key={"pk": f"SHOP#{shop_id}", "sk": "TEMPLATES"}).get("Item")
        return {} if item is None else {str(k): str(v) for k, v in item["templates"].items()}

    def put_templates(self, shop_id: str, templates: dict[str, str]) -> None:
        self._table.put_item(Item={"pk": f"SHOP#{shop_id}", "sk": "TEMPLATES", "templates": templates})

    def shop_ids(self) -> list[str]:
        pages = query_pages(self._table, KeyConditionExpression=Key("pk").eq("SHOPS"))
        return [str(item["sk"]) for page in pages for item in page.get("Items", [])]


@dataclass(frozen=True)
class SentMessage:
    shop_id: str
    cart_id: str
    step: int


class MessageIndex:
    """SES message id -> (shop, cart, step), so that SES's events find their reminder."""

    def __init__(self, table: Any) -> None:
        self._table = table

    def remember(self, message_id: str, sent: SentMessage, expires: datetime) -> None:
        self._table.put_item(
            Item={
                "pk": f"MSG#{message_id}",
                "sk": "MSG",
                "shop_id": sent.shop_id,
                "cart_id": sent.cart_id,
                "step": sent.step,
                "expires_at": int(expires.timestamp()),
            }
        )

    def forget(self, message_id: str) -> None:
        self._table.delete_item(Key={"pk": f"MSG#{message_id}", "sk": "MSG"})

    def find(self, message_id: str) -> SentMessage | None:
        item = self._table.get_item(Key={"pk": f"MSG#{message_id}", "sk": "MSG"}).get("Item")
        if item is None:
            return None
        return SentMessage(str(item["shop_id"]), str(item["cart_id"]), int(item["step"]))


def _cart_key(shop_id: str, cart_id: str) -> dict[str, str]:
    return {"pk": f"CART#{shop_id}#{cart_id}", "sk": "CART"}


def _expired(item: dict[str, Any], now: datetime) -> bool:
    # TTL deletes lazily (up to ~2 days late): expired items must be ignored on read.
    expires_at = item.get("expires_at")
    return expires_at is not None and int(expires_at) <= now.timestamp()
