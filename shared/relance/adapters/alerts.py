"""Staff alerts through SNS: a high-value cart worth a phone call (seed 001)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient


class ManualCallAlerts:
    def __init__(self, client: SNSClient, topic_arn: str) -> None:
        self._client = client
        self._topic_arn = topic_arn

    def publish(self, subject: str, detail: dict[str, Any]) -> None:
        self._client.publish(
            TopicArn=self._topic_arn,
            Subject=subject[:100],
            Message=json.dumps(detail, ensure_ascii=False, default=str),
            MessageAttributes={"shop_id": {"DataType": "String", "StringValue": str(detail["shop_id"])}},
        )
