"""Email content: localized, escaped once, with the cart as it is and the shop's identity."""

from __future__ import annotations

from datetime import datetime
from html import unescape
from typing import Any

import pytest

from relance.core.cart.state import Cart, apply_event, new_cart
from relance.core.email.compose import compose as compose_with_links
from relance.core.email.context import EmailLinks
from relance.core.email.i18n import formatting_locale, language_of
from relance.core.shop import Shop
from tests.conftest import T0, demo_shop
from tests.factories import cart_updated, item, parsed

pytestmark = pytest.mark.unit
SHOP = demo_shop()
LINKS = EmailLinks(
    cart="https://api.relance.example/r/CART", unsubscribe="https://api.relance.example/u/STOP"
)


def compose(shop: Shop, cart: Cart, step: int, now: datetime, variant: str = "A"):  # type: ignore[no-untyped-def]
    return compose_with_links(shop, cart, step, now, links=LINKS, variant=variant)


def cart_with(items: list[dict[str, Any]], **customer: Any) -> Cart:
    event = parsed(cart_updated("e1", T0, items=items, **customer))
    result = apply_event(new_cart("shop", event), event)
    assert result is not None
    return result


def test_french_email_lists_items_prices_and_the_restore_link() -> None:
    cart = cart_with([item("A", "1234.50", 2, name="Lampe Opale")], first_name="Claire", locale="fr-FR")
    email = compose(SHOP, cart, 1, T0)
    assert email.subject == "Votre panier vous attend chez Atelier Test"
    for part in (unescape(email.html), email.text):
        assert "Bonjour Claire," in part
        assert "Lampe Opale" in part
        assert "2\u202f469,00\xa0€" in part  # French grouping and symbol placement (CLDR)
        assert LINKS.cart in part
        assert "1 place du Marché, 75004 Paris" in part


def test_english_customers_get_english_with_english_money() -> None:
    cart = cart_with([item("A", "1234.50")], locale="en-GB")
    email = compose(SHOP, cart, 2, T0)
    assert email.subject.startswith("Questions about your cart?")
    assert "€1,234.50" in unescape(email.html) and "Hello," in email.text


@pytest.mark.parametrize("step", [1, 2, 3])
def test_each_step_has_its_own_subject_and_preheader(step: int) -> None:
    email = compose(SHOP, cart_with([item()]), step, T0)
    others = [compose(SHOP, cart_with([item()]), s, T0) for s in (1, 2, 3) if s != step]
    assert all(email.subject != o.subject and email.preheader != o.preheader for o in others)
    assert email.preheader in unescape(email.html)


def test_user_supplied_strings_are_escaped_exactly_once() -> None:
    cart = cart_with(
        [item("A", name="Pull &ndash; laine <script>alert(1)</script>")], first_name="<b>Zoé</b>"
    )
    html = compose(SHOP, cart, 1, T0).html
    assert "<script>" not in html and "<b>Zoé" not in html
    assert "Pull &amp;ndash; laine &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp;amp;" not in html
    text = compose(SHOP, cart, 1, T0).text
    assert "Pull &ndash; laine <script>alert(1)</script>" in text  # plain text is not HTML


def test_the_html_is_a_600px_table_layout_with_alt_texts() -> None:
    cart = cart_with([{**item("A", name="Vase"), "image_url": "https://atelier-test.example/v.jpg"}])
    html = compose(SHOP, cart, 1, T0).html
    assert "max-width: 600px" in html and 'role="presentation"' in html
    assert 'alt="Vase"' in html and 'name="viewport"' in html


@pytest.mark.parametrize(
    ("locale", "fallback", "expected"),
    [
        ("fr-FR", "en", "fr"),
        ("en_US", "fr", "en"),
        ("de-DE", "fr", "fr"),
        (None, "en", "en"),
        ("EN", "fr", "en"),
    ],
)
def test_language_follows_the_customer_then_the_shop(
    locale: str | None, fallback: str, expected: str
) -> None:
    assert language_of(locale, fallback) == expected


def test_the_last_step_gives_the_date_the_cart_is_cleared_in_the_customers_language() -> None:
    assert "jusqu’au 5 novembre 2026" in compose(SHOP, cart_with([item()]), 3, T0).text
    english = compose(SHOP, cart_with([item()], locale="en-GB"), 3, T0)
    assert "until 5 November 2026" in english.text


@pytest.mark.parametrize(
    ("locale", "language", "expected"),
    [
        ("en-GB", "en", "en_GB"),
        ("fr-CA", "fr", "fr_CA"),
        ("de-DE", "fr", "fr"),
        ("zz-ZZ", "en", "en"),
        (None, "fr", "fr"),
    ],
)
def test_money_and_dates_use_the_customers_regional_format(
    locale: str | None, language: str, expected: str
) -> None:
    assert formatting_locale(locale, language) == expected  # type: ignore[arg-type]
