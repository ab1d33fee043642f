"""The 24 kinds of email a shop sends (3 steps x 2 languages x 2 customer x 2 value segments),
rendered for the demo shop with links as long as real signed ones."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from infra.local.demo_shop import DEMO_SHOP
from relance.core.email.compose import RenderedEmail, compose
from relance.core.email.context import EmailLinks
from relance.core.email.samples import SAMPLE_NOW, sample_cart
from relance.core.language import Language

# A signed link token is ~150 characters: the lines that hold one are the hardest to wrap.
TOKEN = "eyJzIjoibWFpc29uLWx1bWllcmUiLCJjIjoic2FtcGxlLWNhcnQiLCJzdCI6MSwiZSI6MTc3NDEwMDAwMH0." + "x" * 64
LINKS = EmailLinks(
    cart=f"https://api.relance.example/r/{TOKEN}", unsubscribe=f"https://api.relance.example/u/{TOKEN}"
)


@dataclass(frozen=True)
class Kind:
    step: int
    language: Language
    returning: bool
    high: bool

    @property
    def name(self) -> str:
        customer = "returning" if self.returning else "prospect"
        return f"step{self.step}-{self.language}-{customer}-{'high' if self.high else 'standard'}"

    def render(self, *, first_name: str | None = "Camille") -> RenderedEmail:
        cart = sample_cart(DEMO_SHOP.shop_id, self.language, returning=self.returning, high=self.high)
        customer = cart.customer.model_copy(update={"first_name": first_name})
        cart = cart.model_copy(update={"customer": customer})
        return compose(DEMO_SHOP, cart, self.step, SAMPLE_NOW, links=LINKS)


def kinds() -> Iterator[Kind]:
    languages: tuple[Language, ...] = ("fr", "en")
    for step, language, returning, high in itertools.product(
        (1, 2, 3), languages, (False, True), (False, True)
    ):
        yield Kind(step, language, returning, high)


KINDS = list(kinds())
