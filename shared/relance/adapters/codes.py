"""A shop's pool of single-use discount codes, in the main table.

- free:   pk ``CODES#<shop>#free``   sk ``<code>``
- issued: pk ``CODES#<shop>#issued`` sk ``<code>`` (cart it went to, when)

Taking a code moves it from free to issued in one transaction conditional on it still being
free, so two Lambdas racing for the last code never both get it. Uploading refuses a code
that was already issued: a single-use code is handed out once, ever.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key

from relance.adapters.pages import query_pages

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

_CANDIDATES = 5
_ROUNDS = 20


def _free(shop_id: str, code: str) -> dict[str, str]:
    return {"pk": f"CODES#{shop_id}#free", "sk": code}


def _issued(shop_id: str, code: str) -> dict[str, str]:
    return {"pk": f"CODES#{shop_id}#issued", "sk": code}


class CodePool:
    def __init__(self, table: Table, table_name: str) -> None:
        self._table = table
        # The resource's client serializes plain Python values, like the table itself.
        self._client = table.meta.client
        self._name = table_name

    def _transact(self, *actions: dict[str, Any]) -> bool:
        """All of ``actions`` or none; ``False`` when a condition did not hold."""
        items: Any = [
            {kind: {"TableName": self._name, **spec}} for action in actions for kind, spec in action.items()
        ]  # the resource's client takes plain Python values, not the low-level typed ones
        try:
            self._client.transact_write_items(TransactItems=items)
        except self._client.exceptions.TransactionCanceledException:
            return False
        return True

    def upload(self, shop_id: str, codes: Iterable[str]) -> tuple[int, list[str]]:
        """Add ``codes`` to the free pool; returns (how many added, codes refused as already issued)."""
        added, refused = 0, []
        for code in sorted(set(codes)):
            never_issued = {"Key": _issued(shop_id, code), "ConditionExpression": "attribute_not_exists(pk)"}
            if self._transact({"ConditionCheck": never_issued}, {"Put": {"Item": _free(shop_id, code)}}):
                added += 1
            else:
                refused.append(code)
        return added, refused

    def issued_to(self, shop_id: str, code: str) -> str | None:
        item = self._table.get_item(Key=_issued(shop_id, code)).get("Item")
        return None if item is None else str(item["cart_id"])

    def free_count(self, shop_id: str) -> int:
        free = Key("pk").eq(f"CODES#{shop_id}#free")
        return sum(
            int(page["Count"])
            for page in query_pages(self._table, KeyConditionExpression=free, Select="COUNT")
        )

    def take(self, shop_id: str, cart_id: str, at: datetime) -> str | None:
        """One free code, now issued to ``cart_id``; ``None`` when the pool is empty."""
        for _ in range(_ROUNDS):
            page = self._table.query(
                KeyConditionExpression=Key("pk").eq(f"CODES#{shop_id}#free"),
                Limit=_CANDIDATES,
                ConsistentRead=True,
            )
            candidates = [str(item["sk"]) for item in page.get("Items", [])]
            if not candidates:
                return None
            for code in candidates:
                if self._issue(shop_id, code, cart_id, at):
                    return code
        return None  # every candidate kept being taken by others: give up rather than spin

    def _issue(self, shop_id: str, code: str, cart_id: str, at: datetime) -> bool:
        still_free = {"Key": _free(shop_id, code), "ConditionExpression": "attribute_exists(pk)"}
        record = {
            "Item": {**_issued(shop_id, code), "cart_id": cart_id, "issued_at": at.isoformat()},
            "ConditionExpression": "attribute_not_exists(pk)",
        }
        return self._transact({"Delete": still_free}, {"Put": record})
