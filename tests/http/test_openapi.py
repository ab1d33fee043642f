"""The published OpenAPI document is the code's, and the API keeps what it promises.

docs/openapi.json is generated from the routes' pydantic models (``make openapi``); a test
fails when it drifts. Schemathesis then generates requests from that document, valid and
invalid, signs them as the shop would, and checks every answer: never 5xx, a documented
status, content type and body.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
import requests
from schemathesis.core.transport import Response

from infra.local.client import PLATFORM_SIGNATURE_HEADERS
from relance.core.security.signing import webhook_signature
from relance.http.app import openapi_document
from tests.conftest import World
from tests.http.schema_runs import DOCUMENT, OPERATIONS, RUNS, check_generated, webhook_platform

pytestmark = pytest.mark.integration
EXAMPLES = int(os.environ.get("RELANCE_SCHEMA_EXAMPLES", "40"))


def test_the_checked_in_document_is_the_one_the_code_generates() -> None:
    generated = json.dumps(openapi_document(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    assert DOCUMENT.read_text() == generated, "docs/openapi.json is stale: run `make openapi`"


def test_every_route_is_in_the_document_with_its_answers() -> None:
    assert set(OPERATIONS) == {
        ("POST", "/v1/events"), ("GET", "/v1/policy"), ("PUT", "/v1/policy"), ("PUT", "/v1/texts"),
        ("PUT", "/v1/templates"), ("POST", "/v1/erase"), ("GET", "/r/{token}"), ("GET", "/u/{token}"),
        ("POST", "/u/{token}"), ("PUT", "/v1/brand"), ("GET", "/v1/connectors"),
        ("PUT", "/v1/connectors/{platform}"),
        ("POST", "/v1/webhooks/shopify/{shop_id}"), ("POST", "/v1/webhooks/woocommerce/{shop_id}"),
    }  # fmt: skip
    events = openapi_document()["paths"]["/v1/events"]["post"]
    assert {"202", "400", "401", "403", "409", "422", "503"} <= set(events["responses"])
    assert events["security"] == [{"shop": [], "timestamp": [], "signature": []}]


PLATFORM_SECRET = "platform-webhook-secret-for-schemathesis"


def _answer(world: World, case: Any) -> Response:
    """Send ``case`` through the api function, signed with the shop's secret when its route is
    (a platform's webhook with the platform's secret, the platform's way)."""
    prepared = requests.Request(**case.as_transport_kwargs(base_url="https://relance.test")).prepare()
    raw = prepared.body if isinstance(prepared.body, bytes) else str(prepared.body or "").encode()
    path = prepared.path_url.split("?")[0]
    event = world.api_event(raw, path=path, method=case.method.upper())
    for name, value in prepared.headers.items():  # what the case sends (a platform's topic...)
        event["headers"].setdefault(name.lower(), value)
    content_type = (case.headers or {}).get("Content-Type") or prepared.headers.get("Content-Type")
    if content_type:
        event["headers"]["content-type"] = content_type
    platform = webhook_platform(case.path)
    if platform is not None:
        if world.adapters.secrets.get(world.shop.shop_id, world.clock(), platform) is None:
            world.adapters.secrets.put(world.shop.shop_id, PLATFORM_SECRET, world.clock(), platform)
        signature_header = PLATFORM_SIGNATURE_HEADERS[platform].lower()
        event["headers"][signature_header] = webhook_signature(PLATFORM_SECRET, raw)
        event["pathParameters"] = dict(case.path_parameters)
    answer = world.invoke("api", event)
    headers = {key: [value] for key, value in (answer.get("headers") or {}).items()}
    body = (answer.get("body") or "").encode()
    return Response(answer["statusCode"], headers, body, request=prepared, elapsed=0.0, verify=True)


@pytest.mark.parametrize(("method", "path", "mode"), RUNS)
def test_generated_requests_get_documented_answers(world: World, method: str, path: str, mode: Any) -> None:
    shop_id = world.shop.shop_id
    check_generated(method, path, mode, EXAMPLES, lambda case: _answer(world, case), shop_id=shop_id)
