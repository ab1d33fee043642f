"""Links in the emails: the tracked cart link (``GET /r/{token}``: note the click, redirect
to the shop's own restore URL) and the unsubscribe link (``/u/{token}``: RFC 8058 one-click
POST, or a confirm page for people)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from relance.adapters.contacts import contact_digest
from relance.adapters.errors import ConcurrentUpdate
from relance.core.cart.feedback import LinkKind, record_click, record_feedback
from relance.core.cart.state import Cart
from relance.core.email.context import EmailLinks
from relance.core.email.i18n import language_of
from relance.core.email.placeholders import fill
from relance.core.language import Language
from relance.core.security.tokens import (
    InvalidToken,
    LinkClaims,
    click_claims,
    make_token,
    read_token,
    unsubscribe_claims,
)
from relance.core.shop import Shop
from relance.ports import Adapters
from relance.services.retry import retention_of, update_cart


class LinkGone(Exception):
    """A genuine link whose cart no longer exists (expired, erased): 410."""


def _base(adapters: Adapters) -> str:
    return adapters.settings.PUBLIC_API_URL.rstrip("/")


def email_links(adapters: Adapters, cart: Cart, step: int) -> EmailLinks:
    """The links to put in step ``step``'s email for ``cart``."""
    base = _base(adapters)
    if not base or not adapters.settings.LINK_KEY_SECRET_ARN:
        raise RuntimeError("PUBLIC_API_URL and LINK_KEY_SECRET_ARN are needed for unsubscribe links")
    key, now = adapters.link_key.get(), adapters.clock()
    digest = contact_digest(cart.shop_id, str(cart.customer.email))
    click = make_token(key, click_claims(cart.shop_id, cart.cart_id, step, now))
    unsubscribe = make_token(key, unsubscribe_claims(cart.shop_id, cart.cart_id, step, digest, now))

    def tracked(target: str) -> str:
        return f"{base}/r/{make_token(key, click_claims(cart.shop_id, cart.cart_id, step, now, target))}"

    return EmailLinks(
        cart=f"{base}/r/{click}",
        unsubscribe=f"{base}/u/{unsubscribe}",
        products={item.sku: tracked(f"item:{item.sku}") for item in cart.items if item.product_url},
        faq=tracked("faq"),
    )


def _claims(adapters: Adapters, token: str, kind: str) -> LinkClaims:
    claims = read_token(adapters.link_key.get(), token, adapters.clock())
    if claims.kind != kind:
        raise InvalidToken
    return claims


def follow(adapters: Adapters, token: str) -> str:
    """Where a click on ``token`` goes; records the click. Raises InvalidToken, ExpiredToken, LinkGone."""
    now = adapters.clock()
    claims = _claims(adapters, token, "click")
    cart = adapters.carts.get(claims.shop_id, claims.cart_id)
    if cart is None or cart.restore_url is None:
        raise LinkGone(claims.cart_id)
    shop = adapters.shops.get(claims.shop_id)  # read once: the retention, the FAQ, the code link
    retention = retention_of(shop)
    link: LinkKind = (
        "cart" if not claims.target else "product" if claims.target.startswith("item:") else "other"
    )
    with suppress(ConcurrentUpdate):  # after repeated conflicts the click goes unnoted, never the customer
        update_cart(
            adapters,
            claims.shop_id,
            claims.cart_id,
            lambda c: record_click(c, claims.step, now, link),
            retention,
        )
    return _destination(shop, cart, claims.target) or _cart_page(shop, cart)


def _cart_page(shop: Shop | None, cart: Cart) -> str:
    """The cart; with the code applied when the cart was given one and the shop has a link that
    applies codes (Shopify's ``/discount/{code}?redirect=...``)."""
    restore = str(cart.restore_url)
    pattern = shop.policy.incentive.apply_link if shop is not None else None
    if cart.incentive is None or not pattern:
        return restore
    parts = urlsplit(restore)
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    values = {
        "code": quote(cart.incentive.code, safe=""),
        "path": quote(path, safe=""),
        "url": quote(restore, safe=""),
    }
    return fill(pattern, values)


def _destination(shop: Shop | None, cart: Cart, target: str) -> str | None:
    """Where a link other than the cart's goes, from what Relance stores: a product's page
    from the cart (a product no longer in it opens the cart), the FAQ from the shop's texts.
    The token only names the link, never a URL."""
    if target.startswith("item:"):
        sku = target.removeprefix("item:")
        item = next((i for i in cart.items if i.sku == sku), None)
        return str(item.product_url) if item is not None and item.product_url else None
    if target == "faq":
        texts = shop.reassurance.get(language_of(cart.customer.locale, shop.language)) if shop else None
        return str(texts.faq_url) if texts is not None and texts.faq_url else None
    return None


@dataclass(frozen=True)
class LinkShop:
    """Who a customer's page names: the shop, in its language (its id when it is gone)."""

    shop_id: str
    name: str
    language: Language


def _link_shop(shop_id: str, shop: Shop | None) -> LinkShop:
    return LinkShop(shop_id, shop.name, shop.language) if shop else LinkShop(shop_id, shop_id, "en")


def check_unsubscribe(adapters: Adapters, token: str) -> LinkShop:
    """The shop of a genuine unsubscribe link; raises InvalidToken or ExpiredToken otherwise."""
    shop_id = _claims(adapters, token, "unsubscribe").shop_id
    return _link_shop(shop_id, adapters.shops.get(shop_id))


def unsubscribe(adapters: Adapters, token: str) -> LinkShop:
    """Stop every email to the customer of ``token`` (before the next step); returns its shop.

    Works after the cart is gone: the token carries the customer's hash, not the cart's data.
    """
    now = adapters.clock()
    claims = _claims(adapters, token, "unsubscribe")
    if not claims.contact:
        raise InvalidToken  # genuine but unusable: it would suppress nobody
    adapters.contacts.unsubscribe(claims.shop_id, claims.contact, now)
    shop = adapters.shops.get(claims.shop_id)  # read once: for the retention and the page
    retention = retention_of(shop)
    with suppress(ConcurrentUpdate):  # the suppression above is what matters; the KPI is a bonus
        update_cart(
            adapters,
            claims.shop_id,
            claims.cart_id,
            lambda c: record_feedback(c, claims.step, "unsubscribe", now),
            retention,
        )
    return _link_shop(claims.shop_id, shop)
