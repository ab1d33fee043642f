"""The signed() middleware takes any verifier: how a platform's webhooks (Shopify's,
WooCommerce's HMAC headers) will plug into the same edge, with the same answers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from infra.local.lambda_context import LambdaContext
from relance.core.security.signing import AuthError
from relance.core.shop import Shop
from relance.http import errors
from relance.http.auth import SignedRequest, signed, signed_shop
from relance.http.responses import json_response
from relance.ports import Adapters
from relance.wiring import use
from tests.conftest import Clock, demo_shop
from tests.fakes import MemoryAdapters

pytestmark = pytest.mark.unit
PLATFORM_SECRET = "platform-webhook-secret"


def platform_signature(adapters: Adapters, request: SignedRequest) -> Shop:
    """A webhook signed the way Shopify and WooCommerce sign theirs, base64(HMAC-SHA256(body)),
    for the shop its URL names."""
    digest = hmac.new(PLATFORM_SECRET.encode(), request.body, hashlib.sha256).digest()
    shop = adapters.shops.get(request.path.get("shop_id", ""))
    if shop is None or not hmac.compare_digest(
        base64.b64encode(digest).decode(), request.headers.get("x-test-hmac", "")
    ):
        raise AuthError("platform signature does not match")
    return shop


app = APIGatewayHttpResolver(enable_validation=True)
errors.register(app)


@app.post("/hooks/<shop_id>", middlewares=[signed(platform_signature)])
def hook(shop_id: str) -> Response[str]:
    return json_response(200, {"shop": signed_shop(app).shop_id})


@pytest.fixture(autouse=True)
def _memory() -> Iterator[MemoryAdapters]:
    adapters = MemoryAdapters(Clock())
    adapters.shops.put(demo_shop())
    use(adapters)
    yield adapters
    use(None)


def _call(body: bytes, signature: str, shop: str = "atelier-test") -> tuple[int, dict[str, Any]]:
    event = {
        "version": "2.0", "routeKey": "POST /hooks/{shop_id}", "rawPath": f"/hooks/{shop}",
        "rawQueryString": "", "pathParameters": {"shop_id": shop},
        "headers": {"content-type": "application/json", "x-test-hmac": signature},
        "requestContext": {"http": {"method": "POST", "path": f"/hooks/{shop}"}, "stage": "$default"},
        "body": body.decode(), "isBase64Encoded": False,
    }  # fmt: skip
    context: Any = LambdaContext("api")
    answer = app.resolve(event, context)
    return answer["statusCode"], json.loads(answer["body"])


def _sign(body: bytes) -> str:
    return base64.b64encode(hmac.new(PLATFORM_SECRET.encode(), body, hashlib.sha256).digest()).decode()


def test_a_request_signed_the_platform_way_reaches_the_route_with_its_shop() -> None:
    body = b'{"id": 1}'
    assert _call(body, _sign(body)) == (200, {"shop": "atelier-test"})


def test_a_wrong_platform_signature_gets_the_same_401_as_a_relance_one() -> None:
    status, answer = _call(b'{"id": 1}', _sign(b'{"id": 2}'))
    assert status == 401 and answer["error"] == "unauthorized"
    assert _call(b'{"id": 1}', _sign(b'{"id": 1}'), shop="nobody")[0] == 401


def test_a_suspended_shop_is_refused_by_any_verifier(_memory: MemoryAdapters) -> None:
    _memory.shops.put(demo_shop(status="suspended"))
    body = b"{}"
    assert _call(body, _sign(body))[0] == 403
