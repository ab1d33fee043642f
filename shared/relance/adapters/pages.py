"""Reading many items: every page of a query (boto3's Table resource has no paginator), and
many keys at once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

Item = dict[str, Any]

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table


def query_pages(table: Table, **query: Any) -> Iterator[dict[str, Any]]:
    """Each page of ``table.query(**query)``, following ``LastEvaluatedKey`` to the end."""
    while True:
        page: dict[str, Any] = dict(table.query(**query))
        yield page
        if "LastEvaluatedKey" not in page:
            return
        query = {**query, "ExclusiveStartKey": page["LastEvaluatedKey"]}


BATCH_GET_LIMIT = 100


def get_many(
    table: Table, keys: list[dict[str, Any]], *, consistent: bool = False
) -> Iterator[dict[str, Any]]:
    """The items of ``keys`` that exist, by BatchGetItem (100 a call), asking again for what
    DynamoDB left unprocessed (it does under throttling, and past 16 MB an answer)."""
    client = table.meta.client  # the resource's: it takes and gives plain Python values
    for start in range(0, len(keys), BATCH_GET_LIMIT):
        request: Any = {
            table.name: {"Keys": keys[start : start + BATCH_GET_LIMIT], "ConsistentRead": consistent}
        }
        for attempt in range(MAX_UNPROCESSED_ROUNDS):
            answer: Any = client.batch_get_item(RequestItems=request)
            yield from answer.get("Responses", {}).get(table.name, [])
            request = answer.get("UnprocessedKeys") or {}
            if not request:
                break
            time.sleep(min(0.05 * 2**attempt, 1.0))
        else:
            raise UnprocessedKeys(len(request.get(table.name, {}).get("Keys", [])))


MAX_UNPROCESSED_ROUNDS = 6


class UnprocessedKeys(Exception):
    """DynamoDB kept refusing part of a batch (throttled): the caller's run fails and is retried."""
