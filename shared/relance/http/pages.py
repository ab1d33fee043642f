"""The few pages a customer may see: unsubscribe confirmation and result, dead links.

They say nothing of the cart or the customer; the unsubscribe pages name the shop, in its
language, so that people know what they are stopping.
"""

from __future__ import annotations

from html import escape

_PAGE = (
    "<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
    "<meta name='viewport' content='width=device-width, initial-scale=1'><title>{title}</title>"
    "<style>body{{font-family:Arial,Helvetica,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;"
    "color:#1f2937}}button{{font-size:1rem;padding:.6rem 1.2rem;background:#111827;color:#fff;"
    "border:0;border-radius:4px}}</style></head><body><h1>{title}</h1>{body}</body></html>"
)
_WORDS = {
    "fr": {
        "confirm_title": "Se désabonner",
        "confirm": "Vous ne recevrez plus aucun rappel de panier de {shop}.",
        "button": "Confirmer le désabonnement",
        "done_title": "C’est fait",
        "done": "Vous ne recevrez plus de rappels de panier de {shop}.",
    },
    "en": {
        "confirm_title": "Unsubscribe",
        "confirm": "You will no longer receive any cart reminders from {shop}.",
        "button": "Confirm",
        "done_title": "Done",
        "done": "You will no longer receive cart reminders from {shop}.",
    },
}


def page(title: str, text: str, lang: str = "en") -> str:
    return _PAGE.format(lang=lang, title=escape(title), body=f"<p>{escape(text)}</p>")


def unsubscribe_confirm(shop_name: str, lang: str) -> str:
    words = _WORDS.get(lang, _WORDS["en"])
    body = (
        f"<p>{escape(words['confirm'].format(shop=shop_name))}</p>"
        f"<form method='post'><button type='submit'>{escape(words['button'])}</button></form>"
    )
    return _PAGE.format(lang=lang, title=escape(words["confirm_title"]), body=body)


def unsubscribe_done(shop_name: str, lang: str) -> str:
    words = _WORDS.get(lang, _WORDS["en"])
    return page(words["done_title"], words["done"].format(shop=shop_name), lang)
