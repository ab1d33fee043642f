"""Tracked links: the email's cart link goes through ``GET /r/{token}``, which records the
click on the step and redirects to the shop's own restore URL."""

from __future__ import annotations

from contextlib import suppress

from relance.adapters.errors import ConcurrentUpdate
from relance.core.cart import Cart
from relance.core.feedback import record_click
from relance.core.tokens import ExpiredToken, click_claims, make_token, read_token
from relance.services.updates import retention_days, update_cart
from relance.wiring import Services


class LinkGone(Exception):
    """A genuine link whose cart no longer exists (expired, erased): 410."""


def cart_link(svc: Services, cart: Cart, step: int) -> str:
    """The link to put in step ``step``'s email for ``cart``."""
    base = svc.settings.PUBLIC_API_URL.rstrip("/")
    if not base or not svc.settings.LINK_KEY_SECRET_ARN:
        return str(cart.restore_url)
    claims = click_claims(cart.shop_id, cart.cart_id, step, svc.clock())
    return f"{base}/r/{make_token(svc.link_key.get(), claims)}"


def follow(svc: Services, token: str) -> str:
    """Where a click on ``token`` goes; records the click. Raises InvalidToken, ExpiredToken, LinkGone."""
    now = svc.clock()
    claims = read_token(svc.link_key.get(), token, now)
    if claims.kind != "click":
        raise ExpiredToken
    cart = svc.carts.get(claims.shop_id, claims.cart_id)
    if cart is None or cart.restore_url is None:
        raise LinkGone(claims.cart_id)
    retention = retention_days(svc, claims.shop_id)
    with suppress(ConcurrentUpdate):  # after repeated conflicts the click goes unnoted, never the customer
        update_cart(
            svc, claims.shop_id, claims.cart_id, lambda c: record_click(c, claims.step, now), retention
        )
    return cart.restore_url
