"""Words of the emails in each supported language."""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError

from relance.core.language import Language

# Keys ending in ``_<job>`` are per step's job: reminder (1), reassurance (2), decision (last).
# ``_returning`` variants are the more direct wording for customers who already bought.
STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "headline_reminder": "Vos articles vous attendent",
        "headline_reassurance": "Commander en toute confiance",
        "headline_decision": "Dernier rappel pour votre panier",
        "greeting": "Bonjour,",
        "greeting_named": "Bonjour {name},",
        "subject_reminder": "Votre panier vous attend chez {shop}",
        "subject_reassurance": "Des questions sur votre panier\u00a0? {shop} vous répond",
        "subject_decision": "Dernier rappel\u00a0: votre panier {shop}",
        "preheader_reminder": "Vos articles sont toujours là, prêts à être commandés.",
        "preheader_reassurance": "Livraison, retours, paiement\u00a0: tout ce qu’il faut savoir.",
        "preheader_decision": "Votre panier ne sera plus conservé très longtemps.",
        "preheader_decision_incentive": "Votre code {code} vous attend, et votre panier aussi.",
        "intro_reminder": "Vous avez laissé ces articles dans votre panier. Ils vous attendent\u00a0:",
        "intro_reminder_returning": "Votre panier est prêt\u00a0: il ne manque que votre validation.",
        "intro_reassurance": "Vous hésitez\u00a0? Voici ce qu’il faut savoir avant de commander.",
        "intro_reassurance_returning": "Un doute avant de valider\u00a0? Nos engagements restent les mêmes.",
        "intro_decision": "C’est notre dernier message à propos de ce panier\u00a0: "
        "nous le conservons jusqu’au {date}, ensuite il sera vidé.",
        "intro_decision_returning": "Dernier message\u00a0: votre panier est conservé jusqu’au {date}.",
        "reassurance_title": "Commandez l’esprit tranquille",
        "delivery": "Livraison",
        "returns": "Retours",
        "guarantee": "Garantie",
        "payment": "Paiement",
        "reviews": "Avis clients",
        "faq": "Questions fréquentes",
        "incentive_free_shipping": "Livraison offerte avec le code {code}",
        "incentive_percent": "{value} de réduction avec le code {code}",
        "incentive_amount": "{value} de réduction avec le code {code}",
        "quantity": "Quantité\u00a0:",
        "total": "Total",
        "total_label": "Total\u00a0:",
        "cta": "Retrouver mon panier",
        "cta_label": "Retrouver mon panier\u00a0:",
        "contact": "Une question\u00a0? Écrivez-nous\u00a0:",
        "why": "Vous recevez ce message car vous avez laissé un panier sur notre site.",
        "unsubscribe": "Ne plus recevoir ces rappels",
        "colon": "\u00a0:",
    },
    "en": {
        "headline_reminder": "Your items are waiting",
        "headline_reassurance": "Order with confidence",
        "headline_decision": "Last reminder about your cart",
        "greeting": "Hello,",
        "greeting_named": "Hello {name},",
        "subject_reminder": "Your cart is waiting at {shop}",
        "subject_reassurance": "Questions about your cart? {shop} has answers",
        "subject_decision": "Last reminder: your {shop} cart",
        "preheader_reminder": "Your items are still here, ready to order.",
        "preheader_reassurance": "Delivery, returns, payment: everything you need to know.",
        "preheader_decision": "Your cart will not be kept much longer.",
        "preheader_decision_incentive": "Your code {code} is waiting, and so is your cart.",
        "intro_reminder": "You left these items in your cart. They are waiting for you:",
        "intro_reminder_returning": "Your cart is ready: it only needs your confirmation.",
        "intro_reassurance": "Not sure yet? Here is what to know before you order.",
        "intro_reassurance_returning": "A doubt before you confirm? Our promises have not changed.",
        "intro_decision": "This is our last message about this cart: we keep it until {date}, "
        "then it will be cleared.",
        "intro_decision_returning": "Last message: your cart is kept until {date}.",
        "reassurance_title": "Order with peace of mind",
        "delivery": "Delivery",
        "returns": "Returns",
        "guarantee": "Guarantee",
        "payment": "Payment",
        "reviews": "Reviews",
        "faq": "Frequently asked questions",
        "incentive_free_shipping": "Free delivery with the code {code}",
        "incentive_percent": "{value} off with the code {code}",
        "incentive_amount": "{value} off with the code {code}",
        "quantity": "Quantity:",
        "total": "Total",
        "total_label": "Total:",
        "cta": "Back to my cart",
        "cta_label": "Back to my cart:",
        "contact": "A question? Write to us:",
        "why": "You are receiving this message because you left a cart on our website.",
        "unsubscribe": "Stop these reminders",
        "colon": ":",
    },
}
REASSURANCE_TOPICS = ("delivery", "returns", "guarantee", "payment", "reviews")


def typeset(text: str, language: Language) -> str:
    """French typography for what a shop writes: a non-breaking space before ``? ! : ;`` and
    inside « », typographic apostrophes (never inside a URL). English text is left as is."""
    if language != "fr":
        return text
    text = re.sub(r"(?<![\s/])[ ]?([?!;]|:(?!//))(?=\s|$)", "\u00a0\\1", text)
    text = re.sub(r"«[ ]?", "«\u00a0", text)
    text = re.sub(r"[ ]?»", "\u00a0»", text)
    return re.sub(r"(?<=\w)'(?=\w)", "’", text)


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
