"""A shop: its identity (shown in every email), its sender and its policy."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl

from relance.core.cart.events import TimeZoneName
from relance.core.language import Language
from relance.core.sequence.policy import ShopPolicy

ShortText = Annotated[str, Field(min_length=1, max_length=600)]


class Reassurance(BaseModel):
    """The shop's own answers to the doubts that stop an order (step 2, and high carts)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    delivery: ShortText | None = None
    returns: ShortText | None = None
    guarantee: ShortText | None = None
    payment: ShortText | None = None
    reviews: ShortText | None = None
    faq_url: HttpUrl | None = None


class ContentBlock(BaseModel):
    """A paragraph shown when a cart holds an item of ``category`` or came from ``source``
    (utm_source), in ``language``; both conditions must hold when both are set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    language: Literal["fr", "en"]
    category: str | None = Field(default=None, max_length=100)
    source: str | None = Field(default=None, max_length=128)
    text: ShortText


SHOP_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{2,39}$"


class Shop(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    shop_id: str = Field(pattern=SHOP_ID_PATTERN)
    name: str = Field(min_length=1, max_length=100)
    sender_email: EmailStr
    postal_address: str = Field(min_length=5, max_length=300)
    website: HttpUrl
    support_email: EmailStr | None = None
    language: Language = "fr"
    time_zone: TimeZoneName = "Europe/Paris"
    status: Literal["active", "suspended"] = "active"
    policy: ShopPolicy = ShopPolicy()
    reassurance: dict[Language, Reassurance] = {}
    blocks: tuple[ContentBlock, ...] = Field(default=(), max_length=20)
