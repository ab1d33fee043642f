"""The content of one reminder: subject, preheader, HTML and plain text, localized.

Jinja2 autoescapes every value once (an item called ``<script>`` shows as text); money and
dates are formatted by Babel in the customer's language and time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_currency
from jinja2 import Environment, PackageLoader, select_autoescape

from relance.core.cart import Cart
from relance.core.i18n import STRINGS, formatting_locale, language_of
from relance.core.shop import Shop

# The last email announces when the cart stops being kept (seed 003: "cart-expiry notice").
CART_KEPT_AFTER_LAST_STEP = timedelta(days=3)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    preheader: str
    html: str
    text: str


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("relance", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def compose(shop: Shop, cart: Cart, step: int, now: datetime, cart_link: str | None = None) -> RenderedEmail:
    """The email for ``step``; ``cart_link`` (a tracked link) replaces the shop's restore URL."""
    language = language_of(cart.customer.locale, shop.language)
    words = STRINGS[language]
    regional = formatting_locale(cart.customer.locale, language)
    zone = ZoneInfo(cart.customer.time_zone or shop.time_zone)
    currency = cart.currency or "EUR"

    def money(amount: Decimal) -> str:
        return format_currency(amount, currency, locale=regional)

    first_name = cart.customer.first_name
    greeting = words["greeting_named"].format(name=first_name) if first_name else words["greeting"]
    subject = words[f"subject_{step}"].format(shop=shop.name)
    preheader = words[f"preheader_{step}"]
    kept_until = format_date(
        (now + CART_KEPT_AFTER_LAST_STEP).astimezone(zone).date(), "long", locale=regional
    )
    context = {
        "lang": language,
        "w": words,
        "step": step,
        "shop": shop,
        "greeting": greeting,
        "subject": subject,
        "preheader": preheader,
        "intro": words[f"intro_{step}"].format(date=kept_until),
        "items": [
            {
                "item": item,
                "line_total": money(item.unit_price * item.quantity),
                "unit": money(item.unit_price),
            }
            for item in cart.items
        ],
        "total": money(cart.total),
        "restore_url": cart_link or cart.restore_url,
    }
    env = _templates()
    return RenderedEmail(
        subject=subject,
        preheader=preheader,
        html=env.get_template("reminder.html").render(context),
        text=env.get_template("reminder.txt").render(context),
    )
