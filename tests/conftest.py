"""Shared fixtures: a fake AWS account, a controllable clock, and a registered shop."""

from __future__ import annotations

import base64
import importlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from infra.local.lambda_context import LambdaContext
from infra.local.stack import REGION, Stack, deploy
from infra.local.threads import serialize_aws_calls
from relance.config import Settings
from relance.core.security.signing import signature, webhook_signature
from relance.core.shop import Shop
from relance.ports import Adapters
from relance.services.shops import register
from relance.wiring import AwsAdapters, use
from tests.fakes import MemoryAdapters

EVENTS = Path(__file__).parent / "events"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
STACK_PARAMETERS = {
    # What a shop with its own domain deploys with (`sam deploy --parameter-overrides`).
    "SesIdentity": "atelier-test.example",
    "DomainName": "api.relance.example",
    "CertificateArn": "arn:aws:acm:eu-west-3:123456789012:certificate/relance-test",
}
PUBLIC_API_URL = f"https://{STACK_PARAMETERS['DomainName']}"
# Every metric the suite's handlers publish is checked against the bound when it ends;
# `published` reads what the functions print.
pytest_plugins = ["tests.metric_bound", "tests.published"]


def _fake_aws_environment() -> None:
    # Never reach a real account: fake credentials, a fixed region, no custom endpoint.
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_DEFAULT_REGION=REGION,
        POWERTOOLS_METRICS_NAMESPACE="Relance",
        POWERTOOLS_METRICS_DISABLED="true",
        POWERTOOLS_LOG_LEVEL="WARNING",
    )


# At import, before any test module is collected: a module that imports the api's layer at
# its top builds Powertools' process-wide Metrics then, and it reads its namespace once.
_fake_aws_environment()
serialize_aws_calls()


class Clock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def load_event(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return loaded


def demo_shop(shop_id: str = "atelier-test", **changes: Any) -> Shop:
    base = {
        "shop_id": shop_id,
        "name": "Atelier Test",
        "sender_email": "bonjour@atelier-test.example",
        "postal_address": "1 place du Marché, 75004 Paris",
        "website": "https://atelier-test.example",
        "support_email": "aide@atelier-test.example",
    }
    return Shop.model_validate({**base, **changes})


@dataclass
class BaseWorld:
    """One registered shop, a clock, and the functions' handlers on some adapters."""

    adapters: Adapters
    clock: Clock
    shop: Shop
    secret: str

    def api_event(
        self,
        body: bytes | dict[str, Any],
        *,
        shop_id: str | None = None,
        secret: str | None = None,
        timestamp: int | None = None,
        path: str = "/v1/events",
        method: str = "POST",
    ) -> dict[str, Any]:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        ts = int(self.clock().timestamp()) if timestamp is None else timestamp
        headers = {
            "content-type": "application/json",
            "x-relance-shop": shop_id or self.shop.shop_id,
            "x-relance-timestamp": str(ts),
            "x-relance-signature": signature(secret or self.secret, ts, raw),
        }
        return {
            "version": "2.0",
            "routeKey": f"{method} {path}",
            "rawPath": path,
            "rawQueryString": "",
            "headers": headers,
            "requestContext": {
                "http": {"method": method, "path": path, "sourceIp": "127.0.0.1"},
                "requestId": "test",
                "stage": "$default",
            },
            "body": base64.b64encode(raw).decode(),
            "isBase64Encoded": True,
        }

    def invoke(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        module = importlib.import_module(f"functions.{function}.handler")
        try:
            result: dict[str, Any] = module.lambda_handler(event, LambdaContext(function))
        finally:
            if hasattr(module, "metrics"):
                module.metrics.clear_metrics()  # disabled metrics are never flushed nor cleared
        return result

    def post(self, events: list[dict[str, Any]], **kwargs: Any) -> tuple[int, dict[str, Any]]:
        """Post a batch, no earlier than its events happened (Relance refuses future events)."""
        for event in events:
            when = event.get("occurred_at") if isinstance(event, dict) else None
            if isinstance(when, str):
                try:
                    happened = datetime.fromisoformat(when)
                except ValueError:
                    continue
                if happened.tzinfo and happened > self.clock.now:
                    self.clock.now = happened
        response = self.invoke("api", self.api_event({"events": events}, **kwargs))
        return response["statusCode"], json.loads(response["body"])

    def webhook(
        self,
        platform: str,
        body: bytes | dict[str, Any],
        headers: dict[str, str],
        *,
        secret: str | None,
        shop_id: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """A platform's webhook to ``/v1/webhooks/<platform>/<shop>``, signed with ``secret``
        the platform's way (unsigned when ``None``)."""
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        path = f"/v1/webhooks/{platform}/{shop_id or self.shop.shop_id}"
        event = self.api_event(raw, path=path)
        event["headers"] = {"content-type": "application/json", **{k.lower(): v for k, v in headers.items()}}
        if secret is not None:
            signature_header = {"shopify": "x-shopify-hmac-sha256", "woocommerce": "x-wc-webhook-signature"}
            event["headers"][signature_header[platform]] = webhook_signature(secret, raw)
        event["routeKey"] = f"POST /v1/webhooks/{platform}/{{shop_id}}"
        event["pathParameters"] = {"shop_id": shop_id or self.shop.shop_id}
        response = self.invoke("api", event)
        return response["statusCode"], json.loads(response["body"])

    def fire(self, cart_id: str, step: int) -> dict[str, Any]:
        return self.invoke("reminder", {"shop_id": self.shop.shop_id, "cart_id": cart_id, "step": step})

    def click(self, url: str) -> dict[str, Any]:
        """GET a tracked link of an email through the api function."""
        assert url.startswith(PUBLIC_API_URL + "/r/"), url
        path = url.removeprefix(PUBLIC_API_URL)
        event = self.api_event(b"", path=path)
        event["requestContext"]["http"]["method"] = "GET"
        event["routeKey"] = "GET /r/{token}"
        event["pathParameters"] = {"token": path.removeprefix("/r/")}
        return self.invoke("api", event)

    def request(self, method: str, path: str, body: Any = b"") -> tuple[int, str]:
        """A signed request of the shop (or a customer's, for links) through the api function."""
        path = path.removeprefix(PUBLIC_API_URL)
        response = self.invoke("api", self.api_event(body, path=path, method=method))
        return response["statusCode"], response.get("body") or ""

    def schedules(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def sent_messages(self) -> list[Any]:
        """What SES sent: objects whose ``raw_data`` is the MIME text."""
        raise NotImplementedError


@dataclass
class World(BaseWorld):
    """Embedded AWS with the template's resources."""

    adapters: AwsAdapters
    stack: Stack
    session: Any

    def schedules(self) -> list[dict[str, Any]]:
        scheduler = self.session.client("scheduler")
        group = self.adapters.settings.SCHEDULE_GROUP
        names = [s["Name"] for s in scheduler.list_schedules(GroupName=group)["Schedules"]]
        return [scheduler.get_schedule(GroupName=group, Name=name) for name in names]

    def sent_messages(self) -> list[Any]:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


@dataclass
class MemoryWorld(BaseWorld):
    """The in-memory ports (tests/fakes.py): the same handlers, no embedded AWS."""

    adapters: MemoryAdapters

    def schedules(self) -> list[dict[str, Any]]:
        return self.adapters.timers.schedules()

    def sent_messages(self) -> list[Any]:
        return list(self.adapters.mailer.sent)


@pytest.fixture
def world(request: pytest.FixtureRequest) -> Iterator[BaseWorld]:
    """Embedded AWS, or the in-memory ports where the test is marked ``backend("memory")``."""
    marker = request.node.get_closest_marker("backend")
    if marker is not None and marker.args == ("memory",):
        yield from _memory_world()
    else:
        yield from _aws_world()


def _memory_world() -> Iterator[MemoryWorld]:
    clock = Clock()
    settings = Settings(TABLE_NAME="memory", PUBLIC_API_URL=PUBLIC_API_URL, LINK_KEY_SECRET_ARN="memory")
    adapters = MemoryAdapters(clock, settings)
    use(adapters)
    shop = demo_shop()
    try:
        yield MemoryWorld(adapters, clock, shop, register(adapters, shop))
    finally:
        use(None)


def _aws_world() -> Iterator[World]:
    from moto import mock_aws

    with mock_aws():
        session = boto3.session.Session(region_name=REGION)
        stack = deploy(session, "relance-test", STACK_PARAMETERS)
        clock = Clock()
        adapters = AwsAdapters(Settings.model_validate(stack.functions_environment()), clock, session)
        use(adapters)
        shop = demo_shop()
        secret = register(adapters, shop)
        session.client("sesv2").create_email_identity(EmailIdentity="atelier-test.example")
        try:
            yield World(adapters, clock, shop, secret, stack, session)
        finally:
            use(None)
