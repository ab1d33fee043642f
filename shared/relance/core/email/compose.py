"""The content of one reminder: subject, preheader, HTML and plain text, localized.

What each step says is built by :mod:`relance.core.email.context`; this module renders it.
Jinja2 autoescapes every value exactly once (an item called ``<script>`` shows as text);
money and dates are formatted by Babel in the customer's language and time zone; the CSS of
the template is inlined (css-inline) because many mail clients drop ``<style>``.
"""

from __future__ import annotations

import copy
import textwrap
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import css_inline
from jinja2 import Environment, PackageLoader, select_autoescape

from relance.core.cart.state import Cart
from relance.core.email.context import EmailLinks, email_context
from relance.core.email.sandbox import ShopSandbox, bounded_render
from relance.core.shop import Shop

# Media queries stay in <style> (they cannot be inlined); everything else goes inline.
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    preheader: str
    html: str
    text: str
    language: str = ""
    segment: str = ""
    """``prospect-standard``, ``returning-high``...: an SES tag, so events can be split by it."""


def template_environment(loader: Any = None, kind: type[Environment] = Environment) -> Environment:
    """Ours by default; ``loader`` and a sandboxed ``kind`` for a shop's own templates. The same
    escaping and whitespace rules either way, so an override renders like ours."""
    return kind(
        loader=loader or builtin_loader(),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def builtin_loader() -> PackageLoader:
    return PackageLoader("relance", "templates")


@lru_cache(maxsize=1)
def builtin_templates() -> Environment:
    return template_environment()


def render(templates: Environment, context: dict[str, Any]) -> RenderedEmail:
    """The email; a shop's own templates (:class:`ShopSandbox`) each get a private copy of
    the context and a bounded render, so nothing they do reaches another render."""

    shop_made = isinstance(templates, ShopSandbox)
    private = _private_copy(context) if shop_made else context

    def part(name: str) -> str:
        template = templates.get_template(name)
        if not shop_made:
            return template.render(context)
        return bounded_render(lambda: template.generate(private))

    html = part("reminder.html")
    return RenderedEmail(
        subject=context["subject"],
        preheader=context["preheader"],
        html=_INLINER.inline(html),
        text=plain_text(part("reminder.txt")),
        language=context["lang"],
        segment=f"{context['segment']['customer']}-{context['segment']['value']}",
    )


TEXT_WIDTH = 78
SIGNATURE_SEPARATOR = "-- "
"""RFC 3676: mail clients recognise (and fold away) what follows "-- " on a line of its own."""


def plain_text(text: str) -> str:
    """Lines of at most 78 characters (a URL is never cut: it gets a line of its own), no
    trailing spaces but the signature separator's; applied to a shop's own template too."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if line == SIGNATURE_SEPARATOR.strip():
            lines.append(SIGNATURE_SEPARATOR)
        elif len(line) <= TEXT_WIDTH:
            lines.append(line)
        else:  # a list item's continuation lines are indented under its text
            indent = "  " if line.startswith("- ") else ""
            wrap = textwrap.wrap(
                line, TEXT_WIDTH, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
            )
            lines.extend(wrap)
    return "\n".join(lines) + "\n"


def _private_copy(context: dict[str, Any]) -> dict[str, Any]:
    words = context["w"]
    private = copy.deepcopy({key: value for key, value in context.items() if key != "w"})
    return {**private, "w": MappingProxyType(dict(words))}


def compose(
    shop: Shop,
    cart: Cart,
    step: int,
    now: datetime,
    *,
    links: EmailLinks,
    variant: str = "A",
    templates: Environment | None = None,
) -> RenderedEmail:
    """The email for ``step``, with the shop's own templates when it uploaded some."""
    context = email_context(shop, cart, step, now, links=links, variant=variant)
    return render(templates or builtin_templates(), context)
