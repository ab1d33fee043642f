"""A shop: its identity (shown in every email), its sender and its policy."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl

from relance.core.events import TimeZoneName
from relance.core.policy import ShopPolicy

SHOP_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{2,39}$"
Language = Literal["fr", "en"]


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
