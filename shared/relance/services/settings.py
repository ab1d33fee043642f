"""Changing a shop's settings: its policy, its own texts and its brand, each replaced whole (the HTTP
schema or the command line has validated them already)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from relance.core.email.brand import BrandColours, brand_colours
from relance.core.language import Language
from relance.core.sequence.policy import ShopPolicy
from relance.core.shop import Brand, ContentBlock, Reassurance, Shop
from relance.ports import Adapters


class ShopTexts(BaseModel):
    """What a shop says in its emails beyond the cart: reassurance (step 2) and blocks."""

    model_config = ConfigDict(extra="forbid")

    reassurance: dict[Language, Reassurance] = {}
    blocks: tuple[ContentBlock, ...] = Field(default=(), max_length=20)


def set_policy(adapters: Adapters, shop: Shop, policy: ShopPolicy) -> ShopPolicy:
    adapters.shops.change(shop.shop_id, lambda stored: stored.model_copy(update={"policy": policy}))
    return policy


def set_texts(adapters: Adapters, shop: Shop, texts: ShopTexts) -> ShopTexts:
    update = {"reassurance": texts.reassurance, "blocks": texts.blocks}
    adapters.shops.change(shop.shop_id, lambda stored: stored.model_copy(update=update))
    return texts


def set_brand(adapters: Adapters, shop: Shop, brand: Brand) -> BrandColours:
    """Store the shop's logo and colour; return the colours its emails will use (and what fell
    back for contrast)."""
    adapters.shops.change(shop.shop_id, lambda stored: stored.model_copy(update={"brand": brand}))
    return brand_colours(brand.colour)
