"""The demo shop: a French home-decor shop with a small catalogue."""

from __future__ import annotations

from decimal import Decimal

from relance.core.sequence.policy import ShopPolicy
from relance.core.shop import ContentBlock, Reassurance, Shop

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
    policy=ShopPolicy.model_validate(
        {
            "delay_preset": "avanci",
            "min_cart_value": "15",
            "holdout_percent": "15",
            "margin_rate": "0.45",
            "usd_rate": "0.92",
            "high_cart_value": "150",
            "manual_call_value": "450",
            # Free delivery in the last email, for prospects with ordinary carts, once a quarter.
            "incentive": {"enabled": True, "kind": "free_shipping", "value": "6.90", "once_per_days": 90},
            "variants": [
                {"name": "A", "weight": 50},
                {
                    "name": "B",
                    "weight": 50,
                    "subjects": {
                        "1": {
                            "fr": "{first_name}, vos articles vous attendent",
                            "en": "{first_name}, your picks are waiting",
                        }
                    },
                },
            ],
        }
    ),
    reassurance={
        "fr": Reassurance(
            delivery="Livraison en 2 à 4 jours ouvrés, offerte dès 80 €.",
            returns="Retours gratuits sous 30 jours, remboursement sous 5 jours.",
            guarantee="Luminaires garantis 2 ans, pièces détachées disponibles.",
            payment="Carte, PayPal ou paiement en 3 fois sans frais.",
            reviews="4,8/5 sur 2 300 avis vérifiés.",
            faq_url=f"{SITE}/aide",
        ),
        "en": Reassurance(
            delivery="Delivered in 2 to 4 working days, free from €80.",
            returns="Free returns within 30 days, refunded within 5 days.",
            guarantee="Lighting comes with a 2-year guarantee.",
            payment="Card, PayPal or 3 interest-free instalments.",
            reviews="Rated 4.8/5 from 2,300 verified reviews.",
            faq_url=f"{SITE}/help",
        ),
    },
    blocks=(
        ContentBlock(
            language="fr", category="luminaires", text="Ampoules LED fournies avec chaque luminaire."
        ),
        ContentBlock(language="en", category="luminaires", text="LED bulbs come with every light."),
        ContentBlock(
            language="fr", category="textile", text="Nos textiles sont lavables en machine à 30 °C."
        ),
        ContentBlock(language="fr", source="instagram", text="Merci de nous suivre sur Instagram !"),
    ),
)

# The shop's pool of single-use codes for the last email's free delivery.
DISCOUNT_CODES = tuple(f"LUMIERE-{n:04d}" for n in range(1, 61))

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
