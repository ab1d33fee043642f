"""No request a shop can send makes the API answer 5xx: bounded fuzzing of every signed route
(the full counts run in tests/benchmarks/fuzz_api.py, figures in docs/benchmarks.md)."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relance.core.connectors import shopify, woocommerce
from tests.conftest import T0, World
from tests.connectors.samples import pending_woocommerce_order, sample
from tests.fuzz.bodies import event_bodies, settings_bodies

pytestmark = pytest.mark.integration
EXAMPLES = int(os.environ.get("RELANCE_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)  # fmt: skip
EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "docs" / "examples"


def _assert_answered(world: World, method: str, path: str, body: bytes) -> None:
    status, text = world.request(method, path, body)
    assert status < 500, (status, text[:500], body[:300])
    if status >= 400:
        assert {"error", "rejected", "message"} & set(json.loads(text)), text[:300]


@FUZZ
@given(body=event_bodies())
def test_events_never_5xx(world: World, body: bytes) -> None:
    _assert_answered(world, "POST", "/v1/events", body)


@FUZZ
@given(body=settings_bodies(json.loads((EXAMPLES_DIR / "policy.json").read_text())))
def test_policy_never_5xx(world: World, body: bytes) -> None:
    _assert_answered(world, "PUT", "/v1/policy", body)


@FUZZ
@given(body=settings_bodies(json.loads((EXAMPLES_DIR / "texts.json").read_text())))
def test_texts_never_5xx(world: World, body: bytes) -> None:
    _assert_answered(world, "PUT", "/v1/texts", body)


@FUZZ
@given(body=settings_bodies({"email": "claire@example.fr"}))
def test_erase_never_5xx(world: World, body: bytes) -> None:
    _assert_answered(world, "POST", "/v1/erase", body)


@FUZZ
@given(body=settings_bodies({"reminder.txt": "{{ unsubscribe_url }} {{ shop.postal_address }}"}))
def test_templates_never_5xx(world: World, body: bytes) -> None:
    _assert_answered(world, "PUT", "/v1/templates", body)


WEBHOOK_SECRET = "fuzzed-platform-webhook-secret"
_deliveries = itertools.count()  # a new webhook each time, or all but the first are duplicates
SHOPIFY_TOPICS = (*shopify.TOPICS, *shopify.PRIVACY_TOPICS, "products/update")
SHOPIFY_SAMPLES = ("checkouts_create", "checkouts_update_2026_07", "orders_create", "customers_redact")


def shopify_sample(name: str) -> dict[str, object]:
    """Dated at the test clock's start, so that an unmutated sample is taken (not refused as
    from the future)."""
    return sample(f"shopify/{name}", created_at=T0.isoformat(), updated_at=T0.isoformat())


def _webhook_answered(world: World, platform: str, body: bytes, headers: dict[str, str]) -> None:
    if world.adapters.secrets.get(world.shop.shop_id, world.clock(), platform) is None:
        world.adapters.secrets.put(world.shop.shop_id, WEBHOOK_SECRET, world.clock(), platform)
    status, answer = world.webhook(platform, body, headers, secret=WEBHOOK_SECRET)
    assert status < 500 and status != 401, (status, answer, body[:300])
    assert status == 200 or "error" in answer, answer


@FUZZ
@given(
    body=st.sampled_from(SHOPIFY_SAMPLES).flatmap(lambda name: settings_bodies(shopify_sample(name))),
    topic=st.sampled_from(SHOPIFY_TOPICS),
)
def test_shopify_webhooks_never_5xx(world: World, body: bytes, topic: str) -> None:
    delivery = {"X-Shopify-Topic": topic, "X-Shopify-Webhook-Id": f"fuzz-{next(_deliveries)}"}
    _webhook_answered(world, "shopify", body, delivery)


@FUZZ
@given(
    body=st.one_of(settings_bodies(pending_woocommerce_order()), st.just(b"webhook_id=1")),
    topic=st.sampled_from((*woocommerce.TOPICS, "coupon.created")),
)
def test_woocommerce_webhooks_never_5xx(world: World, body: bytes, topic: str) -> None:
    _webhook_answered(world, "woocommerce", body, {"X-WC-Webhook-Topic": topic})


def test_unsigned_garbage_and_invalid_utf8_get_a_4xx(world: World) -> None:
    for body in (b"\xff\xfe\xfd", b"\x80" * 100, b'{"events": "\xc3\x28"}'):
        event = world.api_event(body)
        event["headers"].pop("x-relance-signature")
        assert world.invoke("api", event)["statusCode"] == 401
        assert world.request("POST", "/v1/events", body)[0] == 400
