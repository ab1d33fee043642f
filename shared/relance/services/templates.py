"""A shop's own email templates: checked before they are accepted, rendered in a sandbox.

A shop uploads ``reminder.html`` and/or ``reminder.txt`` (copies of ours, edited); what it
does not upload falls back to ours. A template is refused, and the previous ones kept, if it
does not parse, uses what the sandbox forbids (:mod:`relance.core.email.sandbox`), fails to
render a sample cart for every step, language and segment within the sandbox's limits, or
leaves out the unsubscribe link or the shop's postal address. A template that still fails
at send time is replaced by ours for that email (:func:`compose_for_shop`).
"""

from __future__ import annotations

import logging
from datetime import datetime

from jinja2 import ChoiceLoader, DictLoader, Environment

from relance.core.cart.state import Cart
from relance.core.email.compose import (
    RenderedEmail,
    builtin_loader,
    builtin_templates,
    compose,
    render,
    template_environment,
)
from relance.core.email.context import EmailLinks, email_context
from relance.core.email.samples import SAMPLE_NOW, sample_cart
from relance.core.email.sandbox import ShopSandbox
from relance.core.language import LANGUAGES
from relance.core.shop import Shop
from relance.ports import Adapters
from relance.services.errors import TemplateRejected

logger = logging.getLogger(__name__)

TEMPLATE_NAMES = ("reminder.html", "reminder.txt")
MAX_TEMPLATE_BYTES = 100_000
SAMPLE_LINKS = EmailLinks(
    cart="https://relance.example/r/SAMPLE", unsubscribe="https://relance.example/u/SAMPLE"
)


def sandboxed(overrides: dict[str, str]) -> Environment:
    """Shop templates cannot reach Python internals; ours fill in what they do not override."""
    loader = ChoiceLoader([DictLoader(overrides), builtin_loader()])
    return template_environment(loader, ShopSandbox)


def check_templates(shop: Shop, overrides: dict[str, str]) -> Environment:
    """The environment for ``overrides``, or :class:`TemplateRejected` naming what is wrong."""
    for name, source in overrides.items():
        if name not in TEMPLATE_NAMES:
            raise TemplateRejected(name, f"unknown template; expected one of {', '.join(TEMPLATE_NAMES)}")
        if len(source.encode()) > MAX_TEMPLATE_BYTES:
            raise TemplateRejected(name, f"larger than {MAX_TEMPLATE_BYTES} bytes")
    try:
        env = sandboxed(overrides)
        for name in overrides:
            env.get_template(name)  # parse and sandbox rules, before any render
    except Exception as error:  # any failure of a shop's code is a refusal, never a 500
        raise TemplateRejected(_culprit(overrides, error), str(error)) from None
    for language, returning, high in _SAMPLE_KINDS:
        cart = sample_cart(shop.shop_id, language, returning=returning, high=high)
        for step in range(1, shop.policy.steps + 1):
            context = email_context(shop, cart, step, SAMPLE_NOW, links=SAMPLE_LINKS)
            try:
                email = render(env, context)
            except Exception as error:
                kind = f"step {step} ({language}, {'returning' if returning else 'prospect'}, "
                kind += f"{'high' if high else 'standard'} cart)"
                raise TemplateRejected(_culprit(overrides, error), f"{kind}: {error}") from None
            for part, body in (("reminder.html", email.html), ("reminder.txt", email.text)):
                if SAMPLE_LINKS.unsubscribe not in body:
                    raise TemplateRejected(part, "must show the unsubscribe link {{ unsubscribe_url }}")
                if shop.postal_address not in body.replace("&#39;", "'"):
                    raise TemplateRejected(
                        part, "must show the shop's postal address {{ shop.postal_address }}"
                    )
    return env


_BOTH = (False, True)
_SAMPLE_KINDS = [(lang, returning, high) for lang in LANGUAGES for returning in _BOTH for high in _BOTH]


def _culprit(overrides: dict[str, str], error: Exception) -> str:
    name = getattr(error, "name", None)
    return name if isinstance(name, str) else next(iter(overrides), "templates")


def upload_templates(adapters: Adapters, shop: Shop, overrides: dict[str, str]) -> list[str]:
    """Check and store ``overrides``; nothing is stored when a check fails. The names stored."""
    check_templates(shop, overrides)
    adapters.shops.put_templates(shop.shop_id, overrides)
    return sorted(overrides)


def shop_templates(adapters: Adapters, shop: Shop) -> Environment:
    overrides = adapters.shops.templates(shop.shop_id)
    return sandboxed(overrides) if overrides else builtin_templates()


def compose_for_shop(
    adapters: Adapters, shop: Shop, cart: Cart, step: int, now: datetime, *, links: EmailLinks, variant: str
) -> tuple[RenderedEmail, bool]:
    """The email in the shop's templates; in ours when theirs fail (then ``True``): a shop's
    template never stops a sequence."""
    templates = shop_templates(adapters, shop)
    try:
        return compose(shop, cart, step, now, links=links, variant=variant, templates=templates), False
    except Exception:
        if templates is builtin_templates():
            raise  # ours failing is a bug to see, not to hide
        logger.warning("shop template failed; sent with the built-in one", exc_info=True,
                       extra={"shop_id": shop.shop_id, "step": step})  # fmt: skip
        return compose(shop, cart, step, now, links=links, variant=variant), True
