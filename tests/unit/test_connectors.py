"""Shopify's and WooCommerce's webhooks read as Relance events, on the platforms' own sample
payloads (tests/connectors/payloads/SOURCES.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from relance.core.cart.events import CartEmptied, CartUpdated, CheckoutStarted, OrderPlaced
from relance.core.connectors import (
    Apply,
    EraseCustomer,
    EraseShop,
    ExportCustomer,
    Ignore,
    MalformedWebhook,
    shopify,
    woocommerce,
)
from relance.core.security.signing import AuthError, verify_webhook, webhook_signature
from tests.connectors.samples import DROP, pending_woocommerce_order, sample

pytestmark = pytest.mark.unit
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CART_PAGE = "https://example.com/cart/"


def _shopify(topic: str, payload: object, webhook_id: str = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043") -> Apply:
    action = shopify.read_webhook(topic, webhook_id, payload, NOW)
    assert isinstance(action, Apply), action
    return action


def _woo(topic: str, payload: object) -> Apply:
    action = woocommerce.read_webhook(topic, payload, CART_PAGE, NOW)
    assert isinstance(action, Apply), action
    return action


# Vectors computed with OpenSSL (payloads/SOURCES.md), not with the code under test.
@pytest.mark.parametrize(
    ("secret", "body", "expected"),
    [
        ("shpss_test_secret_1234", b'{"id":1,"token":"abc"}', "JQjHahTLh3WVybP7qf9rdB/P+jU0hKc0TYsVvkE33lE="),
        ("wc-secret-0123456789", "Crème brûlée".encode(), "B3F6SCm5ynuOtkXa+GuddJJaADnk5L+ir2BwRSYrAT4="),
    ],
)
def test_webhook_signatures_match_openssl(secret: str, body: bytes, expected: str) -> None:
    assert webhook_signature(secret, body) == expected
    verify_webhook(["an-older-secret", secret], expected, body)
    for wrong in (None, "", expected[:-2] + "A=", "é" + expected):
        with pytest.raises(AuthError):
            verify_webhook([secret], wrong, body)


def test_a_documented_shopify_checkout_is_the_cart_keyed_by_its_token() -> None:
    cart, *aliases = _shopify("checkouts/create", sample("shopify/checkouts_create")).events
    assert isinstance(cart, CartUpdated)
    assert cart.cart_id == "123123123"
    assert str(cart.restore_url).startswith("https://checkout.local/548380009/checkouts/123123123/recover")
    assert (cart.currency, cart.total) == ("USD", Decimal("398.00"))
    assert [(i.sku, i.name, i.quantity, i.unit_price) for i in cart.items] == [
        ("IPOD2008PINK", "IPod Nano - 8GB – Pink", 1, Decimal("199.00")),
        ("variant-457924702", "IPod Nano - 8GB – Black", 1, Decimal("199.00")),  # empty sku
    ]
    customer = cart.customer
    assert customer is not None
    assert (str(customer.email), customer.first_name, customer.locale) == ("example@email.com", "John", None)
    # The order may name the checkout by cart token or by checkout id: both are announced.
    assert [(a.type, a.checkout_token) for a in aliases if isinstance(a, CheckoutStarted)] == [
        ("checkout_started", "eeafa272cebfd4b22385bc4b645e762c"),
        ("checkout_started", "981820079255243537"),
    ]
    assert cart.occurred_at == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)


def test_a_2026_07_checkout_without_a_top_level_id_keeps_its_cart_token_and_its_french() -> None:
    cart, *aliases = _shopify("checkouts/update", sample("shopify/checkouts_update_2026_07")).events
    assert isinstance(cart, CartUpdated)
    assert cart.cart_id == "b4c7e2d9f0a14e6b8c3d5e7f9a1b2c3d"
    assert (cart.currency, cart.total) == ("EUR", Decimal("129.80"))  # presentment, not the shop's USD
    assert [i.name for i in cart.items] == [
        "Bougie parfumée « Forêt » – Grand modèle",
        "Porte-encens en céramique",
    ]
    assert cart.items[1].sku == "variant-41234567890124"
    assert cart.customer is not None
    assert (cart.customer.first_name, cart.customer.locale) == ("Élodie", "fr-FR")
    assert cart.customer.marketing_consent is True  # email_marketing_consent: subscribed
    assert [a.checkout_token for a in aliases if isinstance(a, CheckoutStarted)] == [
        "Z2NwLWV1cm9wZS13ZXN0NDowMUpGUkVOQ0g"
    ]


@pytest.mark.parametrize(
    ("accepts", "state", "consent"),
    [
        (False, "not_subscribed", None),  # an unticked box is no answer, not a refusal
        (True, "not_subscribed", True),
        (False, "subscribed", True),
        (True, "unsubscribed", False),  # a withdrawal wins over an old tick
        (False, None, None),
    ],
)
def test_shopify_marketing_fields_map_onto_consent(
    accepts: bool, state: str | None, consent: bool | None
) -> None:
    checkout = sample("shopify/checkouts_create", buyer_accepts_marketing=accepts)
    checkout["customer"]["email_marketing_consent"] = {"state": state} if state else None
    cart = _shopify("checkouts/create", checkout).events[0]
    assert cart.customer is not None and cart.customer.marketing_consent is consent


@pytest.mark.parametrize(
    ("link", "expected_cart"),
    [
        ({"checkout_token": "123123123"}, "123123123"),
        ({"cart_token": "eeafa272cebfd4b22385bc4b645e762c"}, "eeafa272cebfd4b22385bc4b645e762c"),
        ({"checkout_id": 981820079255243537}, "981820079255243537"),
        ({}, "order-820982911946154508"),
    ],
)
def test_a_shopify_order_names_its_checkout_by_whatever_it_has(
    link: dict[str, object], expected_cart: str
) -> None:
    (order,) = _shopify("orders/create", sample("shopify/orders_create", **link)).events
    assert isinstance(order, OrderPlaced)
    assert (order.cart_id, order.checkout_token) == (expected_cart, (link and expected_cart) or None)
    assert (order.order_id, order.amount, order.currency) == ("820982911946154508", Decimal("388.00"), "USD")
    assert order.customer is not None and str(order.customer.email) == "jon@example.com"


def test_a_shopify_order_counts_in_the_currency_the_customer_paid() -> None:
    money = {"shop_money": {"amount": "100.00"}, "presentment_money": {"amount": "92.50"}}
    payload = sample(
        "shopify/orders_create", presentment_currency="EUR", total_price="100.00", total_price_set=money
    )
    (order,) = _shopify("orders/create", payload).events
    assert isinstance(order, OrderPlaced) and (order.amount, order.currency) == (Decimal("92.50"), "EUR")


def test_a_deleted_checkout_empties_its_cart_by_token_or_by_id() -> None:
    (gone,) = _shopify("checkouts/delete", sample("shopify/checkouts_delete")).events
    assert isinstance(gone, CartEmptied) and gone.cart_id == "123123123"
    (by_id,) = _shopify("checkouts/delete", sample("shopify/checkouts_delete", token=DROP)).events
    assert by_id.cart_id == "981820079255243537"  # the checkout announced its id as an alias


def test_shopify_carts_unknown_topics_and_privacy_topics() -> None:
    assert shopify.read_webhook("carts/create", "w1", sample("shopify/carts_create"), NOW) == Ignore(
        shopify.CART_REASON
    )
    assert isinstance(shopify.read_webhook("products/update", "w1", {"id": 1}, NOW), Ignore)
    redact = shopify.read_webhook("customers/redact", "w1", sample("shopify/customers_redact"), NOW)
    assert redact == EraseCustomer("john@example.com")
    assert shopify.read_webhook("shop/redact", "w1", sample("shopify/shop_redact"), NOW) == EraseShop()
    data = shopify.read_webhook("customers/data_request", "w1", sample("shopify/customers_data_request"), NOW)
    assert data == ExportCustomer("john@example.com", "9999")


def test_redelivered_shopify_webhooks_map_to_the_same_event_ids() -> None:
    first = _shopify("checkouts/update", sample("shopify/checkouts_create"), "same-id")
    again = _shopify("checkouts/update", sample("shopify/checkouts_create"), "same-id")
    other = _shopify("checkouts/update", sample("shopify/checkouts_create"), "another-id")
    assert [e.id for e in first.events] == [e.id for e in again.events]
    assert not {e.id for e in first.events} & {e.id for e in other.events}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"token": DROP}, "token"),
        ({"abandoned_checkout_url": "http://shop.example/recover"}, "abandoned_checkout_url"),
        ({"currency": "XXZ"}, "currency"),
        ({"line_items": [{"title": "x", "quantity": 0, "price": "1.00"}]}, "line_items[0].quantity"),
        ({"email": "not an address"}, "email"),
        ({"updated_at": "yesterday"}, "updated_at"),
    ],
)
def test_a_malformed_shopify_checkout_names_the_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(MalformedWebhook) as refused:
        shopify.read_webhook("checkouts/update", "w1", sample("shopify/checkouts_create", **change), NOW)
    assert field in [e.field for e in refused.value.errors], refused.value.errors


def test_a_shopify_webhook_without_its_id_header_is_refused() -> None:
    with pytest.raises(MalformedWebhook, match="X-Shopify-Webhook-Id"):
        shopify.read_webhook("checkouts/update", "", sample("shopify/checkouts_create"), NOW)


def test_a_pending_woocommerce_order_is_a_checkout_with_decoded_names_utc_dates_and_empty_skus() -> None:
    cart, started = _woo("order.created", pending_woocommerce_order()).events
    assert isinstance(cart, CartUpdated) and isinstance(started, CheckoutStarted)
    assert cart.cart_id == started.cart_id == "wc-727"
    assert cart.occurred_at == datetime(2017, 3, 22, 19, 28, 8, tzinfo=UTC)  # date_modified_gmt, as UTC
    assert [(i.sku, i.name, i.quantity, i.unit_price) for i in cart.items] == [
        ("product-93", "Woo Single #1", 2, Decimal("3.23")),  # (6.00 + 0.45) / 2, rounded
        ("Bar3", "Ship Your Idea – Color: Black, Size: M Test", 1, Decimal("12.90")),  # &ndash; decoded once
    ]
    assert (cart.currency, cart.total) == ("USD", Decimal("29.35"))
    assert str(cart.restore_url).startswith("https://example.com/checkout/order-pay/727/")
    assert cart.customer is not None
    assert (str(cart.customer.email), cart.customer.first_name) == ("john.doe@example.com", "John")


def test_a_woocommerce_draft_without_a_payment_link_restores_the_cart_page() -> None:
    draft = pending_woocommerce_order(status="checkout-draft", payment_url=DROP)
    cart = _woo("order.updated", draft).events[0]
    assert isinstance(cart, CartUpdated) and str(cart.restore_url) == CART_PAGE


def test_an_entity_is_decoded_once_not_twice() -> None:
    payload = pending_woocommerce_order()
    payload["line_items"][0]["name"] = "Tom &amp;amp; Jerry &eacute;dition"
    cart = _woo("order.updated", payload).events[0]
    assert isinstance(cart, CartUpdated) and cart.items[0].name == "Tom &amp; Jerry édition"


@pytest.mark.parametrize("status", ["processing", "completed", "on-hold"])
def test_a_paid_or_accepted_woocommerce_order_is_the_order(status: str) -> None:
    (order,) = _woo("order.updated", sample("woocommerce/order_727", status=status)).events
    assert isinstance(order, OrderPlaced)
    assert (order.cart_id, order.order_id, order.amount, order.currency) == (
        "wc-727",
        "727",
        Decimal("29.35"),
        "USD",
    )


@pytest.mark.parametrize("status", ["cancelled", "refunded"])
def test_a_cancelled_or_refunded_woocommerce_order_is_noted(status: str) -> None:
    action = woocommerce.read_webhook(
        "order.updated", sample("woocommerce/order_727", status=status), CART_PAGE, NOW
    )
    assert isinstance(action, Ignore) and action.noted


def test_woocommerce_redelivery_and_a_new_modification() -> None:
    first = _woo("order.updated", pending_woocommerce_order())
    again = _woo("order.updated", pending_woocommerce_order())
    later = _woo("order.updated", pending_woocommerce_order(date_modified_gmt="2017-03-22T20:00:00"))
    assert [e.id for e in first.events] == [e.id for e in again.events]
    assert not {e.id for e in first.events} & {e.id for e in later.events}


def test_woocommerce_deletion_and_other_topics() -> None:
    (gone,) = _woo("order.deleted", {"id": 727}).events
    assert isinstance(gone, CartEmptied) and gone.cart_id == "wc-727"
    assert isinstance(woocommerce.read_webhook("product.updated", {"id": 1}, CART_PAGE, NOW), Ignore)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date_modified_gmt": "yesterday"}, "date_modified_gmt"),
        ({"total": "-1"}, "total"),
        ({"line_items": [{"name": "x", "quantity": 1}]}, "line_items[0].subtotal"),
        ({"billing": {"email": "nope"}}, "billing.email"),
    ],
)
def test_a_malformed_woocommerce_order_names_the_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(MalformedWebhook) as refused:
        woocommerce.read_webhook("order.updated", pending_woocommerce_order(**change), CART_PAGE, NOW)
    assert field in [e.field for e in refused.value.errors], refused.value.errors


def test_a_huge_checkout_is_clipped_to_its_first_200_lines_not_refused() -> None:
    line = sample("shopify/checkouts_create")["line_items"][0]
    lines = [{**line, "sku": f"SKU-{n}"} for n in range(250)]
    cart = _shopify("checkouts/update", sample("shopify/checkouts_create", line_items=lines)).events[0]
    assert isinstance(cart, CartUpdated) and [i.sku for i in cart.items] == [f"SKU-{n}" for n in range(200)]


def test_a_time_ahead_of_relance_s_clock_is_taken_as_now_not_refused() -> None:
    # A shop's server clock minutes fast must not get its webhooks refused (then dropped).
    fast = pending_woocommerce_order(date_modified_gmt="2026-12-01T12:07:00")
    cart = _woo("order.updated", fast).events[0]
    assert cart.occurred_at == NOW
    assert cart.id.startswith("woocommerce:727:2026-12-01T12:07:00")  # still keyed by the order's time
