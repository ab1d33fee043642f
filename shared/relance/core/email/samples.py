"""A sample cart for previews and for checking a shop's templates before they are accepted."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from relance.core.cart.events import AcquisitionSource, CartItem, CustomerInfo
from relance.core.cart.state import Cart, GrantedIncentive
from relance.core.language import Language

SAMPLE_NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
_NAMES = {"fr": ("Pull <laine> & mohair", "Écharpe en lin"), "en": ("Wool <jumper> & mohair", "Linen scarf")}


def sample_cart(
    shop_id: str, language: Language, *, returning: bool = False, high: bool = False, incentive: bool = True
) -> Cart:
    """Two items (one with markup characters in its name, to show escaping), with images,
    and a free-delivery code for the last step unless ``incentive`` is false."""
    first, second = _NAMES[language]
    price = Decimal("189.00") if high else Decimal("59.00")
    items = (
        CartItem.model_validate(
            {
                "sku": "PULL-01",
                "name": first,
                "quantity": 1,
                "unit_price": price,
                "image_url": "https://placehold.co/128x128/png",
                "product_url": "https://example.com/products/pull",
                "category": "knitwear",
            }
        ),
        CartItem.model_validate(
            {"sku": "ECH-02", "name": second, "quantity": 2, "unit_price": Decimal("24.50")}
        ),
    )
    return Cart(
        shop_id=shop_id,
        cart_id="sample-cart",
        items=items,
        currency="EUR",
        total=price + Decimal("49.00"),
        restore_url="https://example.com/cart/sample",
        customer=CustomerInfo(
            email="sample@example.com",
            first_name="Camille",
            locale="fr-FR" if language == "fr" else "en-GB",
            time_zone="Europe/Paris",
            orders_count=2 if returning else 0,
            source=AcquisitionSource(utm_source="newsletter"),
        ),
        created_at=SAMPLE_NOW,
        last_activity_at=SAMPLE_NOW,
        incentive=GrantedIncentive(
            code="MERCI-5XK2", kind="free_shipping", value=Decimal("6.90"), granted_at=SAMPLE_NOW
        ),
    )
