"""What each step says: its job, the segment's wording, the shop's own texts, the incentive."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape
from typing import Any

import pytest

from relance.core.cart.state import Cart, GrantedIncentive, apply_event, new_cart
from relance.core.email.compose import compose
from relance.core.email.context import EmailLinks, job_of
from relance.core.sequence.policy import ShopPolicy
from relance.core.shop import Shop
from tests.conftest import T0, demo_shop
from tests.factories import cart_updated, item, parsed

pytestmark = pytest.mark.unit
LINKS = EmailLinks(
    cart="https://api.relance.example/r/CART", unsubscribe="https://api.relance.example/u/STOP"
)
SHOP = demo_shop(
    reassurance={
        "fr": {
            "delivery": "Livraison en 48 h, offerte dès 60 €.",
            "returns": "Retours gratuits sous 30 jours.",
            "faq_url": "https://atelier-test.example/faq",
        },
        "en": {"delivery": "Delivered in 48 h.", "returns": "Free returns within 30 days."},
    },
    blocks=[
        {"language": "fr", "category": "luminaires", "text": "Ampoules LED fournies avec chaque lampe."},
        {"language": "fr", "source": "instagram", "text": "Merci de nous suivre sur Instagram !"},
        {"language": "en", "category": "luminaires", "text": "LED bulbs come with every lamp."},
    ],
)


def cart_of(price: str = "40.00", category: str | None = None, **customer: Any) -> Cart:
    line = {**item(price=price), **({"category": category} if category else {})}
    event = parsed(cart_updated("e1", T0, items=[line], **customer))
    cart = apply_event(new_cart(SHOP.shop_id, event), event)
    assert cart is not None
    return cart


def text_of(shop: Shop, cart: Cart, step: int, variant: str = "A") -> str:
    email = compose(shop, cart, step, T0, links=LINKS, variant=variant)
    return unescape(email.html) + "\n" + email.text


def test_each_step_has_its_job() -> None:
    assert [job_of(s, 3) for s in (1, 2, 3)] == ["reminder", "reassurance", "decision"]
    assert [job_of(s, 2) for s in (1, 2)] == ["reminder", "decision"]
    step1, step2 = text_of(SHOP, cart_of(), 1), text_of(SHOP, cart_of(), 2)
    assert "Retours gratuits sous 30 jours." not in step1, "step 1 is the cart and nothing more"
    assert "Retours gratuits sous 30 jours." in step2 and "Livraison en 48 h" in step2
    assert "https://atelier-test.example/faq" in step2


def test_high_carts_get_reassurance_in_every_step_and_no_discount_by_default() -> None:
    high = cart_of(price="400.00")
    assert "Retours gratuits sous 30 jours." in text_of(SHOP, high, 1)
    assert "Retours gratuits sous 30 jours." in text_of(SHOP, high, 3)
    assert SHOP.policy.incentive.enabled is False
    assert "high" not in SHOP.policy.incentive.cart_values


def test_returning_customers_get_a_more_direct_message() -> None:
    prospect = text_of(SHOP, cart_of(orders_count=0), 1)
    returning = text_of(SHOP, cart_of(orders_count=3), 1)
    assert "il ne manque que votre validation" in returning
    assert "il ne manque que votre validation" not in prospect
    english = text_of(SHOP, cart_of(orders_count=3, locale="en-GB"), 1)
    assert "it only needs your confirmation" in english


def test_category_and_source_select_blocks_in_the_customers_language() -> None:
    lamp = text_of(SHOP, cart_of(category="luminaires"), 1)
    assert "Ampoules LED fournies" in lamp and "Instagram" not in lamp
    instagram = text_of(SHOP, cart_of(source={"utm_source": "instagram"}), 1)
    assert "Merci de nous suivre sur Instagram" in instagram and "Ampoules" not in instagram
    assert "LED bulbs come with every lamp." in text_of(SHOP, cart_of(category="luminaires", locale="en"), 1)


def test_the_incentive_appears_only_in_the_last_step() -> None:
    granted = GrantedIncentive(code="MERCI-42", kind="percent", value=Decimal(10), granted_at=T0)
    cart = cart_of().model_copy(update={"incentive": granted})
    assert "MERCI-42" not in text_of(SHOP, cart, 1) and "MERCI-42" not in text_of(SHOP, cart, 2)
    last = text_of(SHOP, cart, 3)
    assert "10\xa0% de réduction avec le code MERCI-42" in last


def test_every_email_carries_a_visible_unsubscribe_link_and_the_shops_identity() -> None:
    for step in (1, 2, 3):
        email = compose(SHOP, cart_of(), step, T0, links=LINKS)
        for part in (email.html, email.text):
            assert LINKS.unsubscribe in part
            assert "1 place du Marché, 75004 Paris" in unescape(part) and "Atelier Test" in part
        assert re.search(r'<a href="https://api\.relance\.example/u/STOP"[^>]*>Ne plus recevoir', email.html)


def test_a_variant_has_its_own_subject_line() -> None:
    policy = ShopPolicy(
        variants=(
            {"name": "A", "weight": 50},
            {"name": "B", "weight": 50, "subjects": {1: {"fr": "{first_name}, votre panier {shop}"}}},
        )
    )
    shop = SHOP.model_copy(update={"policy": policy})
    cart = cart_of(first_name="Zoé")
    assert compose(shop, cart, 1, T0, links=LINKS, variant="B").subject == "Zoé, votre panier Atelier Test"
    assert (
        compose(shop, cart, 1, T0, links=LINKS, variant="A").subject
        == "Votre panier vous attend chez Atelier Test"
    )
    assert compose(shop, cart, 2, T0, links=LINKS, variant="B").subject.startswith("Des questions")


def test_css_is_inlined_and_only_media_queries_stay_in_a_style_tag() -> None:
    html = compose(SHOP, cart_of(), 1, T0, links=LINKS).html
    assert re.search(r'<td class="brand" style="[^"]*font-weight: bold', html)
    assert re.search(r'class="button"[^>]*style="[^"]*background: #111827', html)
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    assert styles and all(s.strip().startswith("@media") for s in styles)
