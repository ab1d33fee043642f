"""Per-shop signing secrets, kept as SSM SecureString parameters (free, KMS-encrypted).

Reads go through Powertools' SSM provider, which caches them for a few minutes.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.parameters import SSMProvider
from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

CACHE_SECONDS = 300


class ShopSecrets:
    def __init__(self, client: Any, prefix: str) -> None:
        self._client = client
        self._provider = SSMProvider(boto3_client=client)
        self._prefix = prefix.rstrip("/")

    def _name(self, shop_id: str) -> str:
        return f"{self._prefix}/{shop_id}"

    def get(self, shop_id: str) -> str | None:
        try:
            value = self._provider.get(self._name(shop_id), decrypt=True, max_age=CACHE_SECONDS)
        except GetParameterError:
            return None
        return str(value)

    def put(self, shop_id: str, secret: str) -> None:
        self._client.put_parameter(
            Name=self._name(shop_id), Value=secret, Type="SecureString", Overwrite=True
        )
        self._provider.clear_cache()  # type: ignore[no-untyped-call]
