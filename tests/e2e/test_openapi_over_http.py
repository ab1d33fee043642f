"""Schemathesis against the local API over HTTP (the front that mirrors API Gateway), with
requests signed by the shop as a real client would: every answer documented, never a 5xx.
tests/http/test_openapi.py runs more examples in-process; this one checks the wire."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from infra.local.client import ShopClient
from infra.local.demo import setup_shop
from infra.local.runtime import LocalRuntime
from tests.http.test_openapi import CHECKS, RUNS, SCHEMA

pytestmark = pytest.mark.e2e
EXAMPLES = int(os.environ.get("RELANCE_SCHEMA_HTTP_EXAMPLES", "10"))


class ShopSignature(requests.auth.AuthBase):
    """Signs the exact bytes requests is about to send, as docs/api.md#authentication says."""

    def __init__(self, client: ShopClient) -> None:
        self.client = client

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body if isinstance(request.body, bytes) else str(request.body or "").encode()
        signed = self.client.signed_headers(body)
        content_type = request.headers.get("Content-Type")
        request.headers.update(signed)
        if content_type:  # keep what the case sends (a wrong type must get its 415)
            request.headers["Content-Type"] = content_type
        return request


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
    operation = SCHEMA[path][method]
    statuses: list[int] = []

    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy(generation_mode=mode))
        response = case.call(base_url=base_url, session=session)
        statuses.append(response.status_code)
        if b'"accepted": [{' in response.content:  # a 422 batch that stored some events
            statuses.append(202)
        assert response.status_code < 500, (response.status_code, response.content[:300], case.body)
        case.validate_response(response, checks=CHECKS)

    run()
    if path.startswith("/v1/"):  # signed: a 401 means the test, not the API, is wrong
        assert 401 not in statuses, statuses
    if mode == GenerationMode.POSITIVE and path.startswith("/v1/"):
        # Valid: some must get through, or the run only proved that refusals are documented.
        assert any(200 <= status < 300 for status in statuses), statuses
