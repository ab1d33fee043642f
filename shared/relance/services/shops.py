"""Registering a shop: its record and a fresh signing secret."""

from __future__ import annotations

import secrets

from relance.core.shop import Shop
from relance.ports import Adapters


def register(adapters: Adapters, shop: Shop) -> str:
    """Store ``shop`` and give it a new secret (rotating any previous one); return the secret.

    Registering a known shop again updates its identity but keeps its policy and texts.
    """
    secret = secrets.token_urlsafe(32)
    known = adapters.shops.get(shop.shop_id)
    if known is not None:
        shop = shop.model_copy(
            update={"policy": known.policy, "reassurance": known.reassurance, "blocks": known.blocks}
        )
    adapters.shops.put(shop)
    adapters.secrets.put(shop.shop_id, secret, adapters.clock())
    return secret
