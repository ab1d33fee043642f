"""The minimal segmentation of seed 000: prospect or returning customer, standard or high cart."""

from __future__ import annotations

from relance.core.cart import Cart
from relance.core.policy import ShopPolicy
from relance.core.policy_parts import CustomerSegment, ValueSegment


def customer_segment(cart: Cart) -> CustomerSegment:
    """Returning when the shop reported past orders; an unknown history counts as prospect."""
    return "returning" if cart.customer.orders_count else "prospect"


def value_segment(cart: Cart, policy: ShopPolicy) -> ValueSegment:
    return "high" if cart.total >= policy.high_cart_value else "standard"


def segment_name(cart: Cart, policy: ShopPolicy) -> str:
    """``prospect/standard``, ``returning/high``...: the key of the report by segment."""
    return f"{customer_segment(cart)}/{value_segment(cart, policy)}"


def needs_manual_call(cart: Cart, policy: ShopPolicy) -> bool:
    """Seed 001: very high carts deserve a call from staff, once per cart."""
    threshold = policy.manual_call_value
    return threshold is not None and cart.total >= threshold and cart.flagged_at is None
