"""Checkout token -> cart: many shops name the order after the checkout, not the cart.

pk ``CHECKOUT#<shop>#<token>``, sk ``CHECKOUT``, with the cart id; expires with the cart's
personal data. Written when a ``checkout_started`` names its token, read when an order
names a cart Relance does not know.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from relance.adapters.items import text, whole

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table


def _key(shop_id: str, token: str) -> dict[str, str]:
    return {"pk": f"CHECKOUT#{shop_id}#{token}", "sk": "CHECKOUT"}


class CheckoutIndex:
    def __init__(self, table: Table) -> None:
        self._table = table

    def remember(self, shop_id: str, token: str, cart_id: str, expires: datetime) -> None:
        self._table.put_item(
            Item={**_key(shop_id, token), "cart_id": cart_id, "expires_at": int(expires.timestamp())}
        )

    def cart_of(self, shop_id: str, token: str, now: datetime) -> str | None:
        item = self._table.get_item(Key=_key(shop_id, token)).get("Item")
        if item is None or whole(item, "expires_at") <= now.timestamp():
            return None
        return text(item, "cart_id")

    def forget(self, shop_id: str, token: str) -> None:
        self._table.delete_item(Key=_key(shop_id, token))
