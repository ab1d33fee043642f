"""Words of the emails in each supported language. Keys ending in ``_<step>`` are per step."""

from __future__ import annotations

from typing import Literal

from babel import Locale, UnknownLocaleError

Language = Literal["fr", "en"]

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "greeting": "Bonjour,",
        "greeting_named": "Bonjour {name},",
        "subject_1": "Votre panier vous attend chez {shop}",
        "subject_2": "Des questions sur votre panier ? {shop} vous répond",
        "subject_3": "Dernier rappel : votre panier {shop}",
        "preheader_1": "Vos articles sont toujours là, prêts à être commandés.",
        "preheader_2": "Livraison, retours, paiement : tout ce qu'il faut savoir.",
        "preheader_3": "Votre panier ne sera plus conservé très longtemps.",
        "intro_1": "Vous avez laissé ces articles dans votre panier. Ils vous attendent :",
        "intro_2": "Vous hésitez ? Notre équipe répond à vos questions sur la livraison, "
        "les retours et le paiement.",
        "intro_3": "C'est notre dernier message à propos de ce panier : "
        "nous le conservons jusqu'au {date}, ensuite il sera vidé.",
        "quantity": "Quantité\u00a0:",
        "total": "Total",
        "total_label": "Total\u00a0:",
        "cta": "Retrouver mon panier",
        "cta_label": "Retrouver mon panier\u00a0:",
        "contact": "Une question ? Écrivez-nous :",
        "why": "Vous recevez ce message car vous avez laissé un panier sur notre site.",
    },
    "en": {
        "greeting": "Hello,",
        "greeting_named": "Hello {name},",
        "subject_1": "Your cart is waiting at {shop}",
        "subject_2": "Questions about your cart? {shop} has answers",
        "subject_3": "Last reminder: your {shop} cart",
        "preheader_1": "Your items are still here, ready to order.",
        "preheader_2": "Delivery, returns, payment: everything you need to know.",
        "preheader_3": "Your cart will not be kept much longer.",
        "intro_1": "You left these items in your cart. They are waiting for you:",
        "intro_2": "Not sure yet? Our team answers your questions about delivery, returns and payment.",
        "intro_3": "This is our last message about this cart: we keep it until {date}, "
        "then it will be cleared.",
        "quantity": "Quantity:",
        "total": "Total",
        "total_label": "Total:",
        "cta": "Back to my cart",
        "cta_label": "Back to my cart:",
        "contact": "A question? Write to us:",
        "why": "You are receiving this message because you left a cart on our website.",
    },
}


def language_of(locale: str | None, fallback: str) -> Language:
    """``fr-FR`` -> ``fr``; anything unsupported falls back to the shop's language."""
    language = (locale or "").replace("_", "-").split("-")[0].lower()
    if language == "fr" or (not language and fallback == "fr"):
        return "fr"
    if language == "en":
        return "en"
    return "fr" if fallback == "fr" else "en"


def formatting_locale(locale: str | None, language: Language) -> str:
    """The customer's own regional format (``en_GB`` dates) when it is of ``language``."""
    try:
        parsed = Locale.parse((locale or "").replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return language
    return str(parsed) if parsed.language == language else language
