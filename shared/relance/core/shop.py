"""A shop: its identity (shown in every email), its sender and its policy."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

from relance.core.cart.events import Email, TimeZoneName
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


class Brand(BaseModel):
    """The shop's logo and colour in its emails (docs/emails.md#brand)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    logo_url: HttpUrl | None = Field(default=None, description="an https:// image, shown at logo_width")
    logo_width: int = Field(default=160, ge=40, le=552, description="px, as shown (desktop)")
    logo_height: int = Field(
        default=48, ge=16, le=300, description="px, as shown: reserved while images are off"
    )
    colour: str | None = Field(
        default=None, pattern=r"^#[0-9a-fA-F]{6}$", description="#rrggbb; buttons and the shop's name"
    )

    @field_validator("logo_url")
    @classmethod
    def _https(cls, url: HttpUrl | None) -> HttpUrl | None:
        if url is not None and url.scheme != "https":
            raise ValueError("must be an https:// URL (mail clients block other images)")
        return url


SHOP_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{2,39}$"


class Shop(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    shop_id: str = Field(pattern=SHOP_ID_PATTERN)
    name: str = Field(min_length=1, max_length=100)
    sender_email: Email
    postal_address: str = Field(min_length=5, max_length=300)
    website: HttpUrl
    support_email: Email | None = None
    language: Language = "fr"
    time_zone: TimeZoneName = "Europe/Paris"
    status: Literal["active", "suspended"] = "active"
    policy: ShopPolicy = ShopPolicy()
    reassurance: dict[Language, Reassurance] = {}
    blocks: tuple[ContentBlock, ...] = Field(default=(), max_length=20)
    brand: Brand = Brand()
