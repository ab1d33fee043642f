"""Flawless French: a non-breaking space before ``? ! : ;`` and inside « », typographic
apostrophes; and neither language's words in the other's emails."""

from __future__ import annotations

import pytest

from infra.local.demo_shop import DEMO_SHOP
from relance.core.email.i18n import STRINGS
from relance.http.pages import _WORDS as PAGE_WORDS
from tests.emails.kinds import KINDS, Kind
from tests.emails.typography import french_problems, visible_text, words_of_the_other_language

pytestmark = pytest.mark.unit


def test_the_checker_finds_what_a_french_reader_would() -> None:
    assert len(french_problems("Une question ? Écrivez-nous :")) == 2
    assert french_problems("Ce qu'il faut savoir")
    assert len(french_problems("Bougie « Forêt »")) == 2
    assert french_problems("Une question\u00a0? Écrivez-nous\u202f: https://x.example/a?b=1 à 10:30") == []
    assert words_of_the_other_language("Your cart, code MERCI-5XK2", "fr") == ["cart", "your"]


@pytest.mark.parametrize(("key", "text"), sorted({**STRINGS["fr"], **PAGE_WORDS["fr"]}.items()))
def test_every_french_string_is_typeset(key: str, text: str) -> None:
    assert french_problems(text) == []


def _parts(kind: Kind, first_name: str | None) -> dict[str, str]:
    rendered = kind.render(first_name=first_name)
    parts = {"subject": rendered.subject, "preheader": rendered.preheader, "text": rendered.text}
    parts["html"] = visible_text(rendered.html)
    # The shop's own name and address are its business, not the template's language.
    shop_words = (DEMO_SHOP.name, DEMO_SHOP.postal_address)
    return {k: v.replace(shop_words[0], " ").replace(shop_words[1], " ") for k, v in parts.items()}


@pytest.mark.parametrize("first_name", ["Camille", None])
@pytest.mark.parametrize("kind", [k for k in KINDS if k.language == "fr"], ids=lambda k: k.name)
def test_every_french_email_is_typeset(kind: Kind, first_name: str | None) -> None:
    problems = {part: french_problems(text) for part, text in _parts(kind, first_name).items()}
    assert {part: found for part, found in problems.items() if found} == {}


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_each_language_is_free_of_the_other(kind: Kind) -> None:
    parts = _parts(kind, "Camille")
    found = {part: words_of_the_other_language(text, kind.language) for part, text in parts.items()}
    assert {part: words for part, words in found.items() if words} == {}
