"""A shop's own email templates: checked before they are accepted, rendered in a sandbox.

A shop uploads ``reminder.html`` and/or ``reminder.txt`` (copies of ours, edited); what it
does not upload falls back to ours. A template is refused, and the previous ones kept, if it
does not parse, fails to render a sample cart for every step and language, or leaves out the
unsubscribe link or the shop's postal address.
"""

from __future__ import annotations

from jinja2 import ChoiceLoader, DictLoader, Environment, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from relance.core.emails import (
    EmailLinks,
    builtin_loader,
    builtin_templates,
    email_context,
    render,
    template_environment,
)
from relance.core.samples import SAMPLE_NOW, sample_cart
from relance.core.shop import Shop
from relance.wiring import Services

TEMPLATE_NAMES = ("reminder.html", "reminder.txt")
MAX_TEMPLATE_BYTES = 100_000
SAMPLE_LINKS = EmailLinks(
    cart="https://relance.example/r/SAMPLE", unsubscribe="https://relance.example/u/SAMPLE"
)


class TemplateRejected(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def sandboxed(overrides: dict[str, str]) -> Environment:
    """Shop templates cannot reach Python internals; ours fill in what they do not override."""
    loader = ChoiceLoader([DictLoader(overrides), builtin_loader()])
    return template_environment(loader, SandboxedEnvironment)


def check_templates(shop: Shop, overrides: dict[str, str]) -> Environment:
    """The environment for ``overrides``, or :class:`TemplateRejected` naming what is wrong."""
    for name, source in overrides.items():
        if name not in TEMPLATE_NAMES:
            raise TemplateRejected(name, f"unknown template; expected one of {', '.join(TEMPLATE_NAMES)}")
        if len(source.encode()) > MAX_TEMPLATE_BYTES:
            raise TemplateRejected(name, f"larger than {MAX_TEMPLATE_BYTES} bytes")
    env = sandboxed(overrides)
    for language in ("fr", "en"):
        cart = sample_cart(shop.shop_id, language)
        for step in range(1, shop.policy.steps + 1):
            context = email_context(shop, cart, step, SAMPLE_NOW, links=SAMPLE_LINKS)
            try:
                email = render(env, context)
            except TemplateError as error:
                raise TemplateRejected(
                    _culprit(overrides, error), f"step {step} ({language}): {error}"
                ) from None
            for part, body in (("reminder.html", email.html), ("reminder.txt", email.text)):
                if SAMPLE_LINKS.unsubscribe not in body:
                    raise TemplateRejected(part, "must show the unsubscribe link {{ unsubscribe_url }}")
                if shop.postal_address not in body.replace("&#39;", "'"):
                    raise TemplateRejected(
                        part, "must show the shop's postal address {{ shop.postal_address }}"
                    )
    return env


def _culprit(overrides: dict[str, str], error: TemplateError) -> str:
    name = getattr(error, "name", None)
    return name if isinstance(name, str) else next(iter(overrides), "templates")


def upload_templates(svc: Services, shop: Shop, overrides: dict[str, str]) -> list[str]:
    """Check and store ``overrides``; nothing is stored when a check fails. The names stored."""
    check_templates(shop, overrides)
    svc.shops.put_templates(shop.shop_id, overrides)
    return sorted(overrides)


def shop_templates(svc: Services, shop: Shop) -> Environment:
    overrides = svc.shops.templates(shop.shop_id)
    return sandboxed(overrides) if overrides else builtin_templates()
