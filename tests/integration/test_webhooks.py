"""Shopify and WooCommerce shops connect with no code: their own webhooks, verified with the
secret the shop set, carried through to carts, emails, orders and erasures."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import T0, BaseWorld, demo_shop
from tests.connectors.samples import DROP, pending_woocommerce_order, sample

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]
SHOPIFY_SECRET = "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"
WOO_SECRET = "wc-webhook-secret-Zq8#t2!v"
TOKEN = "123123123"  # the documented checkout's token
AT = T0.isoformat()


def connect(world: BaseWorld) -> None:
    for platform, secret in (("shopify", SHOPIFY_SECRET), ("woocommerce", WOO_SECRET)):
        status, body = world.request("PUT", f"/v1/connectors/{platform}", {"webhook_secret": secret})
        assert status == 200, body


def shopify(
    world: BaseWorld, topic: str, payload: Any, webhook_id: str, secret: str | None = SHOPIFY_SECRET
) -> tuple[int, dict[str, Any]]:
    headers = {
        "X-Shopify-Topic": topic,
        "X-Shopify-Webhook-Id": webhook_id,
        "X-Shopify-Shop-Domain": "atelier-test.myshopify.com",
    }
    return world.webhook("shopify", payload, headers, secret=secret)


def woo(
    world: BaseWorld, topic: str, payload: Any, delivery: str = "d-1", secret: str | None = WOO_SECRET
) -> tuple[int, dict[str, Any]]:
    headers = {
        "X-WC-Webhook-Topic": topic,
        "X-WC-Webhook-Source": "https://atelier-test.example/",
        "X-WC-Webhook-Delivery-ID": delivery,
    }
    return world.webhook("woocommerce", payload, headers, secret=secret)


def checkout(**changes: Any) -> dict[str, Any]:
    return sample("shopify/checkouts_create", **{"created_at": AT, "updated_at": AT, **changes})


def test_the_shop_sets_its_platform_secrets_and_never_reads_them_back(world: BaseWorld) -> None:
    status, body = world.request("PUT", "/v1/connectors/shopify", {"webhook_secret": SHOPIFY_SECRET})
    assert (status, json.loads(body)) == (200, {
        "platform": "shopify", "webhook_path": "/v1/webhooks/shopify/atelier-test",
        "connected": True, "secret_ends_with": "e1f0",
    })  # fmt: skip
    status, listed = world.request("GET", "/v1/connectors")
    assert status == 200 and SHOPIFY_SECRET not in listed
    assert [(c["platform"], c["connected"]) for c in json.loads(listed)["connectors"]] == [
        ("shopify", True), ("woocommerce", False),
    ]  # fmt: skip
    status, body = world.request("PUT", "/v1/connectors/shopify", {"webhook_secret": "short"})
    assert status == 422 and json.loads(body)["errors"][0]["field"] == "webhook_secret"
    status, body = world.request("PUT", "/v1/connectors/magento", {"webhook_secret": SHOPIFY_SECRET})
    assert status == 422 and json.loads(body)["errors"][0]["field"] == "platform"


@pytest.mark.parametrize("secret", [None, "not-the-secret-at-all", "shop-own-secret"])
def test_a_webhook_not_signed_with_the_platform_secret_gets_401_and_stores_nothing(
    world: BaseWorld, secret: str | None
) -> None:
    connect(world)
    wrong = world.secret if secret == "shop-own-secret" else secret  # the Relance secret is not Shopify's
    assert shopify(world, "checkouts/create", checkout(), "w-1", secret=wrong)[0] == 401
    assert woo(world, "order.created", pending_woocommerce_order(), secret=wrong)[0] == 401
    assert world.adapters.carts.get("atelier-test", TOKEN) is None
    assert world.adapters.carts.get("atelier-test", "wc-727") is None


def test_a_shop_that_set_no_secret_for_the_platform_gets_401(world: BaseWorld) -> None:
    assert shopify(world, "checkouts/create", checkout(), "w-1", secret="anything-at-all-123")[0] == 401


def test_a_checkout_is_followed_up_and_its_order_by_cart_token_is_a_recovery(world: BaseWorld) -> None:
    connect(world)
    assert shopify(world, "checkouts/create", checkout(), "w-1") == (
        200,
        {"outcome": "applied", "reason": None, "detail": {}},
    )
    assert shopify(world, "checkouts/create", checkout(), "w-1")[1]["outcome"] == "duplicate"  # redelivery
    world.clock.advance(hours=3)
    assert world.fire(TOKEN, 1)["action"] == "sent"
    (sent,) = world.sent_messages()
    assert "To: example@email.com" in sent.raw_data and "IPod Nano - 8GB" in sent.raw_data

    placed = (T0 + timedelta(hours=4)).isoformat()
    order = sample(
        "shopify/orders_create",
        cart_token="eeafa272cebfd4b22385bc4b645e762c",
        created_at=placed,
        email="example@email.com",
    )
    world.clock.advance(hours=1)
    assert shopify(world, "orders/create", order, "w-2")[1]["outcome"] == "applied"
    cart = world.adapters.carts.get("atelier-test", TOKEN)
    assert cart is not None and cart.status == "ordered" and cart.order is not None
    assert cart.order.recovered and cart.order.credited_step == 1
    world.clock.advance(hours=20)
    assert world.fire(TOKEN, 2)["reason"] == "ordered" and len(world.sent_messages()) == 1


def test_an_order_within_the_hour_means_no_email(world: BaseWorld) -> None:
    connect(world)
    shopify(world, "checkouts/create", checkout(id=DROP), "w-1")  # 2026-07: no top-level id
    world.clock.advance(minutes=30)
    order = sample("shopify/orders_create", checkout_token=TOKEN, created_at=world.clock().isoformat())
    assert shopify(world, "orders/create", order, "w-2")[1]["outcome"] == "applied"
    world.clock.advance(hours=3)
    assert world.fire(TOKEN, 1)["reason"] == "ordered"
    assert world.sent_messages() == []


def test_a_deleted_checkout_gets_no_reminder(world: BaseWorld) -> None:
    connect(world)
    shopify(world, "checkouts/create", checkout(), "w-1")
    world.clock.advance(minutes=10)
    assert (
        shopify(world, "checkouts/delete", sample("shopify/checkouts_delete", token=DROP), "w-2")[1][
            "outcome"
        ]
        == "applied"
    )
    world.clock.advance(hours=3)
    assert world.fire(TOKEN, 1)["action"] != "sent" and world.sent_messages() == []


@pytest.mark.parametrize(("mode", "emailed"), [("opt_out", True), ("eu", False)])
def test_an_unticked_marketing_box_is_no_refusal_in_opt_out_and_no_opt_in_in_eu(
    world: BaseWorld, mode: str, emailed: bool
) -> None:
    connect(world)
    shop = world.adapters.shops.get("atelier-test")
    assert shop is not None
    world.adapters.shops.put(
        shop.model_copy(update={"policy": shop.policy.model_copy(update={"consent_mode": mode})})
    )
    unticked = checkout(buyer_accepts_marketing=False)  # the sample's consent: not_subscribed
    assert shopify(world, "checkouts/create", unticked, "w-1")[1]["outcome"] == "applied"
    world.clock.advance(hours=3)
    world.fire(TOKEN, 1)
    assert (len(world.sent_messages()) == 1) is emailed


def test_topics_relance_does_not_use_are_taken_and_ignored(world: BaseWorld) -> None:
    connect(world)
    status, body = shopify(world, "carts/create", sample("shopify/carts_create"), "w-1")
    assert (status, body["outcome"]) == (200, "ignored") and "checkout" in body["reason"]
    assert shopify(world, "products/update", {"id": 1}, "w-2")[1]["outcome"] == "ignored"
    assert woo(world, "coupon.created", {"id": 1})[1]["outcome"] == "ignored"


def test_malformed_webhooks_get_422_naming_the_field(world: BaseWorld) -> None:
    connect(world)
    status, body = shopify(
        world, "checkouts/update", checkout(abandoned_checkout_url="http://x.example/r"), "w-1"
    )
    assert status == 422 and body["errors"][0]["field"] == "abandoned_checkout_url"
    status, body = world.webhook(
        "shopify", checkout(), {"X-Shopify-Topic": "checkouts/update"}, secret=SHOPIFY_SECRET
    )
    assert status == 422 and body["errors"][0]["field"].lower() == "x-shopify-webhook-id"
    status, body = woo(world, "order.updated", pending_woocommerce_order(total="lots"))
    assert status == 422 and body["errors"][0]["field"] == "total"
    status, body = world.webhook(
        "shopify", b"{not json", {"X-Shopify-Topic": "a", "X-Shopify-Webhook-Id": "b"}, secret=SHOPIFY_SECRET
    )
    assert status == 400 and body["error"] == "invalid_json"
    assert world.adapters.carts.get("atelier-test", TOKEN) is None


def test_woocommerce_ping_checkout_order_and_cancellation(world: BaseWorld) -> None:
    connect(world)
    ping = world.webhook(
        "woocommerce", b"webhook_id=142", {"content-type": "application/x-www-form-urlencoded"}, secret=None
    )
    assert ping == (200, {"outcome": "ping", "reason": None, "detail": {}})
    stranger = world.webhook(
        "woocommerce",
        b"webhook_id=142",
        {"content-type": "application/x-www-form-urlencoded"},
        secret=None,
        shop_id="no-such-shop",
    )
    assert stranger[0] == 401

    modified = T0.replace(tzinfo=None).isoformat()  # WooCommerce's *_gmt: no zone
    assert (
        woo(world, "order.created", pending_woocommerce_order(date_modified_gmt=modified))[1]["outcome"]
        == "applied"
    )
    assert (
        woo(world, "order.created", pending_woocommerce_order(date_modified_gmt=modified), "d-1")[1][
            "outcome"
        ]
        == "duplicate"
    )
    cart = world.adapters.carts.get("atelier-test", "wc-727")
    assert cart is not None and cart.items[1].name == "Ship Your Idea – Color: Black, Size: M Test"
    world.clock.advance(hours=3)
    assert world.fire("wc-727", 1)["action"] == "sent"

    cancelled = sample(
        "woocommerce/order_727",
        status="cancelled",
        date_modified_gmt=world.clock().replace(tzinfo=None).isoformat(),
    )
    assert woo(world, "order.updated", cancelled, "d-2")[1]["outcome"] == "noted"
    paid = sample("woocommerce/order_727", date_modified_gmt=world.clock().replace(tzinfo=None).isoformat())
    assert woo(world, "order.updated", paid, "d-3")[1]["outcome"] == "applied"
    ordered = world.adapters.carts.get("atelier-test", "wc-727")
    assert ordered is not None and ordered.order is not None and ordered.order.recovered


def test_customers_redact_erases_the_customer(world: BaseWorld) -> None:
    connect(world)
    shopify(world, "checkouts/create", checkout(email="john@example.com"), "w-1")
    status, body = shopify(world, "customers/redact", sample("shopify/customers_redact"), "w-2")
    assert (status, body["outcome"], body["detail"]) == (200, "erased", {"carts_erased": 1})
    assert world.adapters.carts.get("atelier-test", TOKEN) is None
    # A resent checkout from before the erasure is not stored again.
    assert (
        shopify(world, "checkouts/create", checkout(email="john@example.com"), "w-3")[1]["outcome"]
        == "erased"
    )
    assert world.adapters.carts.get("atelier-test", TOKEN) is None


def test_shop_redact_erases_every_cart_and_suspends_the_shop(world: BaseWorld) -> None:
    connect(world)
    shopify(world, "checkouts/create", checkout(), "w-1")
    anonymous = checkout(token="no-email-yet", cart_token=None, id=DROP, email=None, customer=None)
    shopify(world, "checkouts/create", anonymous, "w-2")
    status, body = shopify(world, "shop/redact", sample("shopify/shop_redact"), "w-3")
    assert (status, body["outcome"], body["detail"]) == (200, "erased", {"carts_erased": 2})
    assert world.adapters.carts.get("atelier-test", TOKEN) is None
    assert world.adapters.carts.get("atelier-test", "no-email-yet") is None
    shop = world.adapters.shops.get("atelier-test")
    assert shop is not None and shop.status == "suspended"
    assert shopify(world, "checkouts/create", checkout(), "w-4")[1]["outcome"] == "ignored"
    assert shopify(world, "shop/redact", sample("shopify/shop_redact"), "w-3")[0] == 200  # resent: idempotent


def test_a_data_request_writes_what_relance_holds_and_tells_the_shop(world: BaseWorld) -> None:
    connect(world)
    shopify(world, "checkouts/create", checkout(email="john@example.com"), "w-1")
    status, body = shopify(world, "customers/data_request", sample("shopify/customers_data_request"), "w-2")
    assert (status, body["outcome"]) == (200, "exported")
    key = body["detail"]["key"]
    assert key == "exports/shop=atelier-test/customer-data-9999.json"
    (document,) = world.adapters.reports.written[key]  # type: ignore[attr-defined]
    assert document["email"] == "john@example.com"
    assert [c["cart_id"] for c in document["carts"]] == [TOKEN]
    assert document["carts"][0]["items"][0]["name"] == "IPod Nano - 8GB – Pink"
    (subject, detail) = world.adapters.alerts.published[-1]  # type: ignore[attr-defined]
    assert "data request" in subject
    assert detail == {
        "kind": "customer_data_request",
        "shop_id": "atelier-test",
        "request_id": "9999",
        "key": key,
    }


def test_one_shops_webhook_secret_does_not_open_another_shop(world: BaseWorld) -> None:
    connect(world)
    world.adapters.shops.put(demo_shop("autre-boutique"))
    world.adapters.secrets.put("autre-boutique", "the-other-shops-secret-000", world.clock(), "shopify")
    status, _ = world.webhook(
        "shopify",
        checkout(),
        {"X-Shopify-Topic": "checkouts/create", "X-Shopify-Webhook-Id": "w"},
        secret=SHOPIFY_SECRET,
        shop_id="autre-boutique",
    )
    assert status == 401
    assert world.adapters.carts.get("autre-boutique", TOKEN) is None


def test_a_checkout_updated_again_writes_its_cart_once_not_its_announcements_again(world: BaseWorld) -> None:
    connect(world)
    shopify(world, "checkouts/create", checkout(), "w-1")
    first = world.adapters.carts.get("atelier-test", TOKEN)
    assert first is not None and first.version == 3  # the cart, then its cart token and id
    world.clock.advance(minutes=5)
    later = (T0 + timedelta(minutes=5)).isoformat()
    assert shopify(world, "checkouts/update", checkout(updated_at=later), "w-2")[1]["outcome"] == "applied"
    second = world.adapters.carts.get("atelier-test", TOKEN)
    assert second is not None and second.version == 4
    assert set(second.checkout_tokens) == {"eeafa272cebfd4b22385bc4b645e762c", "981820079255243537"}
    woo(
        world,
        "order.created",
        pending_woocommerce_order(date_modified_gmt=T0.replace(tzinfo=None).isoformat()),
    )
    modified = (T0 + timedelta(minutes=5)).replace(tzinfo=None).isoformat()
    woo(world, "order.updated", pending_woocommerce_order(status="failed", date_modified_gmt=modified), "d-2")
    woo_cart = world.adapters.carts.get("atelier-test", "wc-727")
    assert woo_cart is not None and woo_cart.version == 3  # cart + checkout, then the cart alone


def test_a_shop_erasure_that_outlasts_its_budget_answers_503_and_the_resend_finishes_it(
    world: BaseWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from relance.services import privacy

    connect(world)
    shopify(world, "checkouts/create", checkout(), "w-1")
    monkeypatch.setattr(privacy, "ERASE_SHOP_BUDGET_SECONDS", -1.0)  # out of time at once
    status, body = shopify(world, "shop/redact", sample("shopify/shop_redact"), "w-2")
    assert status == 503 and body["error"] == "unavailable"
    assert world.adapters.carts.get("atelier-test", TOKEN) is not None
    monkeypatch.setattr(privacy, "ERASE_SHOP_BUDGET_SECONDS", 20.0)
    status, body = shopify(world, "shop/redact", sample("shopify/shop_redact"), "w-2")  # Shopify resends
    assert (status, body["detail"]) == (200, {"carts_erased": 1})
    assert world.adapters.carts.get("atelier-test", TOKEN) is None
