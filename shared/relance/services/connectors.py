"""A shop's platform connections: the webhook secret it set for Shopify or WooCommerce, stored
like its own signing secret and never given back whole (docs/connectors.md)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from relance.core.connectors import PLATFORMS, Platform
from relance.core.shop import Shop
from relance.ports import Adapters

SHOWN_CHARACTERS = 4


class WebhookSecret(BaseModel):
    model_config = ConfigDict(extra="forbid")

    webhook_secret: str = Field(
        min_length=16,
        max_length=256,
        pattern=r"^[\x21-\x7e]+$",
        description="what the platform signs its webhooks with (Shopify: the key shown under its "
        "webhooks; WooCommerce: the webhook's Secret field)",
    )


@dataclass(frozen=True)
class Connection:
    platform: Platform
    webhook_path: str
    secret_ends_with: str | None
    """The secret's last characters, to tell which one is set; ``None``: not connected."""


def webhook_path(platform: Platform, shop_id: str) -> str:
    return f"/v1/webhooks/{platform}/{shop_id}"


def connection(adapters: Adapters, shop: Shop, platform: Platform) -> Connection:
    secrets = adapters.secrets.get(shop.shop_id, adapters.clock(), platform)
    shown = secrets[0][-SHOWN_CHARACTERS:] if secrets else None
    return Connection(platform, webhook_path(platform, shop.shop_id), shown)


def connections(adapters: Adapters, shop: Shop) -> list[Connection]:
    return [connection(adapters, shop, platform) for platform in PLATFORMS]


def set_webhook_secret(adapters: Adapters, shop: Shop, platform: Platform, secret: str) -> Connection:
    """Store the secret the platform signs its webhooks with; the previous one stays valid for
    24 hours, so that a rotation loses no webhook."""
    adapters.secrets.put(shop.shop_id, secret, adapters.clock(), platform)
    return Connection(platform, webhook_path(platform, shop.shop_id), secret[-SHOWN_CHARACTERS:])
