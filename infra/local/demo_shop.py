"""The demo shop: a French home-decor shop with a small catalogue."""

from __future__ import annotations

from decimal import Decimal

from relance.core.policy import ShopPolicy
from relance.core.shop import Shop

SITE = "https://maison-lumiere.example"

DEMO_SHOP = Shop(
    shop_id="maison-lumiere",
    name="Maison Lumière",
    sender_email="bonjour@maison-lumiere.example",
    support_email="service-client@maison-lumiere.example",
    postal_address="12 rue des Artisans, 69002 Lyon, France",
    website=SITE,
    language="fr",
    time_zone="Europe/Paris",
    policy=ShopPolicy(
        delay_preset="avanci",
        min_cart_value=Decimal("15"),
        holdout_percent=Decimal("15"),
        margin_rate=Decimal("0.45"),
        usd_rate=Decimal("0.92"),
    ),
)

# sku, name, price, category
CATALOGUE: tuple[tuple[str, str, str, str], ...] = (
    ("LMP-OPALE", "Lampe à poser Opale", "89.00", "luminaires"),
    ("LMP-ARC", "Lampadaire Arc laiton", "249.00", "luminaires"),
    ("SUSP-ROTIN", "Suspension rotin naturel", "119.00", "luminaires"),
    ("BGI-SOJA", "Bougie parfumée soja & figue", "24.50", "senteurs"),
    ("DIF-CEDRE", "Diffuseur cèdre & ambre", "32.00", "senteurs"),
    ("PLD-LIN", "Plaid lin lavé sauge", "69.00", "textile"),
    ("CSN-VELOURS", "Coussin velours côtelé 45×45", "39.00", "textile"),
    ("TAP-BERBERE", "Tapis berbère 160×230", "329.00", "textile"),
    ("VAS-GRES", "Vase grès émaillé", "45.00", "deco"),
    ("MIR-SOLEIL", "Miroir soleil doré Ø60", "159.00", "deco"),
    ("CAD-CHENE", "Cadre chêne 30×40", "27.00", "deco"),
    ("TAB-MANGUE", "Table basse manguier", "289.00", "mobilier"),
    ("CHA-TERRE", "Carte cadeau 10 €", "10.00", "cadeaux"),
)


def image_url(sku: str) -> str:
    return f"{SITE}/media/{sku.lower()}.jpg"


def product_url(sku: str) -> str:
    return f"{SITE}/produits/{sku.lower()}"


def price(value: str) -> Decimal:
    return Decimal(value)
