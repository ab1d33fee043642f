"""Schemathesis against the local API over HTTP (the front that mirrors API Gateway), with
requests signed by the shop as a real client would: every answer documented, never a 5xx.
tests/http/test_openapi.py runs more examples in-process; this one checks the wire."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from infra.local.client import ShopClient
from infra.local.demo import setup_shop
from infra.local.runtime import LocalRuntime
from tests.http.schema_runs import RUNS, check_generated, webhook_platform

pytestmark = pytest.mark.e2e
EXAMPLES = int(os.environ.get("RELANCE_SCHEMA_HTTP_EXAMPLES", "10"))


class ShopSignature(requests.auth.AuthBase):
    """Signs the exact bytes requests is about to send, as docs/api.md#authentication says."""

    def __init__(self, client: ShopClient) -> None:
        self.client = client

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body if isinstance(request.body, bytes) else str(request.body or "").encode()
        platform = webhook_platform(request.path_url.split("?")[0])

        signed = self.client.webhook_headers(platform, body) if platform else self.client.signed_headers(body)
        content_type = request.headers.get("Content-Type")
        request.headers.update(signed)
        if content_type:  # keep what the case sends (a wrong type must get its 415)
            request.headers["Content-Type"] = content_type
        request.register_hook("response", self.follow_rotation)
        return request

    def follow_rotation(self, response: requests.Response, **_: Any) -> None:
        """A generated ``PUT /v1/connectors/<platform>`` that succeeded set a new webhook
        secret: later webhooks of the run are signed with it."""
        request = response.request
        path = (request.path_url or "").split("?")[0]
        if request.method == "PUT" and path.startswith("/v1/connectors/") and response.status_code == 200:
            body = request.body if isinstance(request.body, bytes) else str(request.body or "").encode()
            self.client.webhook_secrets[path.rsplit("/", 1)[-1]] = json.loads(body)["webhook_secret"]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, requests.Session]]:
    local = LocalRuntime(tmp_path_factory.mktemp("out"), datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    local.start()
    try:
        session = requests.Session()
        session.auth = ShopSignature(setup_shop(local))
        assert local.api is not None
        yield local.api.url, session
    finally:
        local.stop()


@pytest.mark.parametrize(("method", "path", "mode"), RUNS)
def test_generated_requests_over_http_get_documented_answers(
    api: tuple[str, requests.Session], method: str, path: str, mode: Any
) -> None:
    base_url, session = api
    shop_id = session.auth.client.shop_id  # type: ignore[union-attr]
    send = lambda case: case.call(base_url=base_url, session=session)  # noqa: E731
    check_generated(method, path, mode, EXAMPLES, send, shop_id=shop_id)
