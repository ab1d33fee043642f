"""What a template is given to say: the words, money and dates of one step for one cart.

Each step has its job (seed 000): ``reminder`` puts the cart back in view, ``reassurance``
answers doubts with the shop's own texts, ``decision`` is the last entry point (with the
date the cart is cleared and the incentive, if any). Returning customers get more direct
words; high carts get the reassurance in every step. docs/emails.md lists every variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_currency, format_percent

from relance.core.cart.state import Cart
from relance.core.email.brand import brand_colours
from relance.core.email.i18n import REASSURANCE_TOPICS, STRINGS, formatting_locale, language_of, typeset
from relance.core.email.placeholders import fill, problem
from relance.core.language import Language
from relance.core.segments import customer_segment, value_segment
from relance.core.sequence.options import PREHEADER_FIELDS, SUBJECT_FIELDS
from relance.core.shop import Shop

# The last email announces when the cart stops being kept (seed 003: "cart-expiry notice").
CART_KEPT_AFTER_LAST_STEP = timedelta(days=3)
Job = Literal["reminder", "reassurance", "decision"]
LineKind = Literal["subject", "preheader"]


@dataclass(frozen=True)
class EmailLinks:
    cart: str
    unsubscribe: str
    products: Mapping[str, str] = field(default_factory=dict)
    """SKU -> the tracked link of its product page (items with a ``product_url``)."""
    faq: str | None = None
    """The tracked link of the shop's questions page (when its texts give one)."""


def job_of(step: int, steps: int) -> Job:
    if step == 1:
        return "reminder"
    return "decision" if step == steps else "reassurance"


def _line(shop: Shop, cart: Cart, step: int, language: Language, *, variant: str, kind: LineKind) -> str:
    """The subject or the preheader: the variant's own, else ours for the step's job."""
    job = job_of(step, shop.policy.steps)
    chosen = next((v for v in shop.policy.variants if v.name == variant), None)
    written = getattr(chosen, f"{kind}s").get(step, {}).get(language) if chosen else None
    default = STRINGS[language][f"{kind}_{job}"]
    if kind == "preheader" and job == "decision" and cart.incentive is not None:
        default = STRINGS[language]["preheader_decision_incentive"]
    fields = SUBJECT_FIELDS if kind == "subject" else PREHEADER_FIELDS
    pattern = written if written and not problem(written, fields) else default
    code = cart.incentive.code if cart.incentive is not None and job == "decision" else None
    return typeset(
        fill(pattern, {"shop": shop.name, "first_name": cart.customer.first_name, "code": code}), language
    )


def _incentive_text(cart: Cart, language: Language, money: Any, regional: str) -> str | None:
    granted = cart.incentive
    if granted is None:
        return None
    if granted.kind == "percent":
        value = format_percent(granted.value / 100, locale=regional)
    else:
        value = money(granted.value)
    return STRINGS[language][f"incentive_{granted.kind}"].format(value=value, code=granted.code)


def _blocks(shop: Shop, cart: Cart, language: Language) -> list[str]:
    categories = {item.category for item in cart.items if item.category}
    source = cart.customer.source.utm_source if cart.customer.source else None
    return [
        block.text
        for block in shop.blocks
        if block.language == language
        and (block.category is None or block.category in categories)
        and (block.source is None or block.source == source)
        and (block.category or block.source)
    ]


def email_context(
    shop: Shop, cart: Cart, step: int, now: datetime, *, links: EmailLinks, variant: str = "A"
) -> dict[str, Any]:
    """Everything a template may use; documented in docs/emails.md."""
    language = language_of(cart.customer.locale, shop.language)
    words = STRINGS[language]
    regional = formatting_locale(cart.customer.locale, language)
    zone = ZoneInfo(cart.customer.time_zone or shop.time_zone)
    currency = cart.currency or "EUR"

    def money(amount: Decimal) -> str:
        return format_currency(amount, currency, locale=regional)

    job = job_of(step, shop.policy.steps)
    returning = customer_segment(cart.customer.orders_count) == "returning"
    high = value_segment(cart.total, shop.policy.high_cart_value) == "high"
    first_name = cart.customer.first_name
    kept_until = format_date(
        (now + CART_KEPT_AFTER_LAST_STEP).astimezone(zone).date(), "long", locale=regional
    )
    intro_key = f"intro_{job}_returning" if returning else f"intro_{job}"
    texts = shop.reassurance.get(language)
    reassurance = [
        (words[topic], typeset(getattr(texts, topic), language))
        for topic in REASSURANCE_TOPICS
        if texts and getattr(texts, topic)
    ]
    colours = brand_colours(shop.brand.colour)
    return {
        "lang": language,
        "headline": words[f"headline_{job}"],
        "brand": {
            "colour": colours.button,
            "text_colour": colours.button_text,
            "name_colour": colours.name,
            "logo_url": str(shop.brand.logo_url) if shop.brand.logo_url else None,
            "logo_width": shop.brand.logo_width,
            "logo_height": shop.brand.logo_height,
        },
        "w": MappingProxyType(words),  # the shared module-level strings: read-only
        "step": step,
        "job": job,
        "variant": variant,
        "segment": {
            "customer": customer_segment(cart.customer.orders_count),
            "value": value_segment(cart.total, shop.policy.high_cart_value),
        },
        "shop": shop,
        "greeting": words["greeting_named"].format(name=first_name) if first_name else words["greeting"],
        "subject": _line(shop, cart, step, language, variant=variant, kind="subject"),
        "preheader": _line(shop, cart, step, language, variant=variant, kind="preheader"),
        "intro": words[intro_key].format(date=kept_until),
        "items": [
            {
                "item": item,
                "line_total": money(item.unit_price * item.quantity),
                "unit": money(item.unit_price),
                "link": links.products.get(item.sku, links.cart),
            }
            for item in cart.items
        ],
        "total": money(cart.total),
        "cart_url": links.cart,
        "unsubscribe_url": links.unsubscribe,
        "show_reassurance": bool(reassurance) and (job == "reassurance" or high),
        "reassurance": reassurance,
        "faq_url": (links.faq or str(texts.faq_url)) if texts and texts.faq_url else None,
        "blocks": [typeset(block, language) for block in _blocks(shop, cart, language)],
        "incentive": _incentive_text(cart, language, money, regional) if job == "decision" else None,
        "kept_until": kept_until,
    }
