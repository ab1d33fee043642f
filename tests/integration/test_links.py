"""GET /r/{token}: the tracked cart link of an email."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import timedelta

import pytest

from tests.conftest import PUBLIC_API_URL, World, load_event

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]
LINK = re.compile(re.escape(PUBLIC_API_URL) + r"/r/[A-Za-z0-9_\-.]+")


def emailed_links(world: World) -> dict[str, str]:
    """The tracked links of step 1's email: the cart's (both buttons), the product's."""
    world.post([load_event("cart_updated.json")])
    world.clock.advance(hours=3)
    world.fire("cart-1", 1)
    text, html = parts(world)
    (cart,) = set(LINK.findall(text))  # the plain text has the cart's link only
    others = set(LINK.findall(html)) - {cart}
    # The button near the top, the one after the cart, and the name of the item without a page.
    assert html.count(cart) == 3
    (product,) = others  # its image and its name
    return {"cart": cart, "product": product}


def parts(world: World) -> tuple[str, str]:
    """The plain text and the HTML of the last email sent, decoded."""
    message = email.message_from_string(world.sent_messages()[-1].raw_data, policy=email.policy.default)
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def emailed_link(world: World) -> str:
    return emailed_links(world)["cart"]


def test_a_click_redirects_to_the_shops_cart_with_its_utm_and_is_noted(world: World) -> None:
    link = emailed_link(world)
    world.clock.advance(minutes=10)
    response = world.click(link)
    assert response["statusCode"] == 302
    assert response["headers"]["Location"] == "https://atelier-test.example/cart/cart-1?utm_source=relance"
    first = world.clock()
    world.clock.advance(hours=2)
    world.click(link)
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.reminder(1) is not None
    feedback = cart.reminder(1).feedback  # type: ignore[union-attr]
    assert feedback["click"] == first and feedback["last_click"] == world.clock()


def test_a_tampered_token_gets_a_plain_404_that_redirects_nowhere(world: World) -> None:
    link = emailed_link(world)
    response = world.click(link[:-3] + ("abc" if not link.endswith("abc") else "xyz"))
    assert response["statusCode"] == 404
    assert "Location" not in (response.get("headers") or {})
    assert "atelier-test" not in response["body"] and "cart-1" not in response["body"]


def test_an_expired_link_gets_410(world: World) -> None:
    link = emailed_link(world)
    world.clock.advance(days=61)
    assert world.click(link)["statusCode"] == 410


@pytest.mark.backend("aws")  # reads or breaks what only embedded AWS has
def test_a_link_to_a_cart_that_is_gone_gets_410(world: World) -> None:
    link = emailed_link(world)
    world.clock.advance(days=91)  # past the shop's 90-day retention; the link lives 60 days
    world.clock.now -= timedelta(days=40)  # the same link while the cart still existed
    assert world.click(link)["statusCode"] == 302
    world.clock.now += timedelta(days=40)
    world.adapters.carts._table.delete_item(Key={"pk": "CART#atelier-test#cart-1", "sk": "CART"})
    assert world.click(link)["statusCode"] == 410


@pytest.mark.backend("aws")  # reads or breaks what only embedded AWS has
def test_clicks_count_in_the_report(world: World) -> None:
    link = emailed_link(world)
    world.click(link)
    world.clock.advance(hours=1)
    world.post([{"id": "o", "type": "order_placed", "occurred_at": world.clock().isoformat(),
                 "cart_id": "cart-1", "order_id": "A-1", "amount": "138.80", "currency": "EUR"}])  # fmt: skip
    keys = world.invoke("report", {"shop_id": "atelier-test", "from": "2026-11-02", "to": "2026-11-02"})[
        "written"
    ]
    body = world.session.client("s3").get_object(Bucket=world.adapters.settings.REPORTS_BUCKET, Key=keys[0])
    header, row = body["Body"].read().decode().splitlines()
    values = dict(zip(header.split(","), row.split(","), strict=True))
    assert values["clicked"] == "1" and values["post_click_conversion_rate"] == "1.0000"
    assert (values["clicked_cart_link"], values["clicked_product_link"]) == ("1", "0")
    assert timedelta(0) < timedelta(minutes=float(values["minutes_to_recovery_mean"]))


def test_a_products_image_and_name_open_its_page_through_the_redirect_and_count_apart(world: World) -> None:
    links = emailed_links(world)
    _, html = parts(world)
    assert "https://atelier-test.example/p/pull" not in html, "never a bare product link"
    assert html.count(links["product"]) == 2
    response = world.click(links["product"])
    assert response["statusCode"] == 302
    assert response["headers"]["Location"] == "https://atelier-test.example/p/pull"
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.reminder(1) is not None
    feedback = cart.reminder(1).feedback  # type: ignore[union-attr]
    assert "click_product" in feedback and "click_cart" not in feedback and "click" in feedback


def test_a_product_gone_from_the_cart_opens_the_cart(world: World) -> None:
    links = emailed_links(world)
    changed = {
        **load_event("cart_updated.json"),
        "id": "evt-cart-2",
        "occurred_at": world.clock().isoformat(),
    }
    changed["items"] = changed["items"][1:]  # the pull is no longer in the cart
    world.post([changed])
    response = world.click(links["product"])
    assert response["headers"]["Location"] == "https://atelier-test.example/cart/cart-1?utm_source=relance"
