"""SES message ids in DynamoDB: pk ``MSG#<message id>``, sk ``MSG`` -> shop, cart and step,
expiring with the cart's personal data."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from relance.adapters.items import text, whole
from relance.ports import SentMessage

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table


class MessageIndex:
    """SES message id -> (shop, cart, step), so that SES's events find their reminder."""

    def __init__(self, table: Table) -> None:
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
        return SentMessage(text(item, "shop_id"), text(item, "cart_id"), whole(item, "step"))
