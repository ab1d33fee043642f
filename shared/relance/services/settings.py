"""Changing a shop's settings: its policy and its own texts. A change is validated whole;
an invalid one is refused with every field named and the stored settings stay as they were."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from relance.core.batch import FieldError, field_errors
from relance.core.policy import ShopPolicy
from relance.core.shop import ContentBlock, Language, Reassurance, Shop
from relance.wiring import Adapters

Model = TypeVar("Model", bound=BaseModel)


class SettingsRejected(ValueError):
    def __init__(self, errors: tuple[FieldError, ...]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.reason}" for e in errors))
        self.errors = errors


class ShopTexts(BaseModel):
    """What a shop says in its emails beyond the cart: reassurance (step 2) and blocks."""

    model_config = ConfigDict(extra="forbid")

    reassurance: dict[Language, Reassurance] = {}
    blocks: tuple[ContentBlock, ...] = Field(default=(), max_length=20)


def _validated(model: type[Model], body: Any, prefix: str) -> Model:
    try:
        return model.model_validate(body)
    except ValidationError as error:
        raise SettingsRejected(field_errors(prefix, error)) from None


def set_policy(adapters: Adapters, shop: Shop, body: Any) -> ShopPolicy:
    policy = _validated(ShopPolicy, body, "policy")
    adapters.shops.change(shop.shop_id, lambda stored: stored.model_copy(update={"policy": policy}))
    return policy


def set_texts(adapters: Adapters, shop: Shop, body: Any) -> ShopTexts:
    texts = _validated(ShopTexts, body, "texts")
    update = {"reassurance": texts.reassurance, "blocks": texts.blocks}
    adapters.shops.change(shop.shop_id, lambda stored: stored.model_copy(update=update))
    return texts
