"""One way to read every page of a DynamoDB query (boto3's Table resource has no paginator)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

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
