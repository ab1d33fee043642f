"""Shops in DynamoDB: pk ``SHOP#<shop>``, sk ``SHOP`` (settings) and ``TEMPLATES`` (its own
email templates); the registry pk ``SHOPS``, sk ``<shop>`` lists them for the daily report."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key

from relance.adapters.errors import ConcurrentUpdate
from relance.adapters.items import text
from relance.adapters.pages import query_pages
from relance.core.cart.events import STORED
from relance.core.shop import Shop

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table


class ShopStore:
    def __init__(self, table: Table) -> None:
        self._table = table

    def get(self, shop_id: str) -> Shop | None:
        item = self._table.get_item(Key={"pk": f"SHOP#{shop_id}", "sk": "SHOP"}).get("Item")
        return None if item is None else _read(item)

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
        changed = change(_read(item))
        try:
            self._table.put_item(
                Item={**key, "doc": changed.model_dump_json()},
                ConditionExpression="doc = :read",
                ExpressionAttributeValues={":read": item["doc"]},
            )
        except self._table.meta.client.exceptions.ConditionalCheckFailedException:
            raise ConcurrentUpdate(shop_id) from None
        return changed

    def templates(self, shop_id: str) -> dict[str, str]:
        """The shop's own email templates by name (none: ours are used)."""
        item = self._table.get_item(Key={"pk": f"SHOP#{shop_id}", "sk": "TEMPLATES"}).get("Item")
        stored: Any = {} if item is None else item["templates"]
        return {str(name): str(source) for name, source in stored.items()}

    def put_templates(self, shop_id: str, templates: dict[str, str]) -> None:
        self._table.put_item(Item={"pk": f"SHOP#{shop_id}", "sk": "TEMPLATES", "templates": templates})

    def shop_ids(self) -> list[str]:
        pages = query_pages(self._table, KeyConditionExpression=Key("pk").eq("SHOPS"))
        return [str(item["sk"]) for page in pages for item in page.get("Items", [])]


def _read(item: dict[str, Any]) -> Shop:
    return Shop.model_validate_json(text(item, "doc"), context={STORED: True})
