"""Subjects and preheaders read well whatever is unknown of the customer: placeholders with
fallbacks, checked when the policy is stored, for every preset, variant, step and language."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from infra.local.demo_shop import DEMO_SHOP
from relance.core.email.compose import compose
from relance.core.email.placeholders import fill, problem
from relance.core.email.samples import SAMPLE_NOW, sample_cart
from relance.core.language import Language
from relance.core.sequence.policy import DELAY_PRESETS, ShopPolicy
from tests.emails.kinds import LINKS
from tests.emails.typography import french_problems

pytestmark = pytest.mark.unit
EXAMPLE_POLICY = json.loads((Path(__file__).resolve().parents[2] / "docs/examples/policy.json").read_text())
LANGUAGES: tuple[Language, ...] = ("fr", "en")


@pytest.mark.parametrize(
    ("pattern", "with_name", "without_name"),
    [
        ("{first_name}, vos articles", "Léa, vos articles", "Vos articles"),
        ("Bonjour {first_name}\u00a0!", "Bonjour Léa\u00a0!", "Bonjour\u00a0!"),
        ("{first_name|Chère cliente}, votre panier", "Léa, votre panier", "Chère cliente, votre panier"),
        ("Dernier rappel : {first_name}, c'est le moment", "Dernier rappel : Léa, c'est le moment",
         "Dernier rappel : c'est le moment"),
        ("Your cart at {shop}, {first_name}", "Your cart at Atelier, Léa", "Your cart at Atelier"),
        ("{{Offre}} {first_name}", "{Offre} Léa", "{Offre}"),
    ],
)  # fmt: skip
def test_a_placeholder_has_a_form_without_its_value(pattern: str, with_name: str, without_name: str) -> None:
    assert fill(pattern, {"shop": "Atelier", "first_name": "Léa"}) == with_name
    assert fill(pattern, {"shop": "Atelier", "first_name": None}) == without_name


@pytest.mark.parametrize(
    ("pattern", "fields", "reason"),
    [
        ("{first_name}", ("shop", "first_name"), "would be empty"),
        ("{prénom}, votre panier", ("shop", "first_name"), "only {shop}, {first_name}"),
        ("Code {code}", ("shop", "first_name"), "only {shop}, {first_name}"),
        ("Votre panier {", ("shop", "first_name"), "unbalanced braces"),
        ("{code}", ("shop", "first_name", "code"), "would be empty"),
    ],
)
def test_a_line_that_cannot_be_sent_is_named(pattern: str, fields: tuple[str, ...], reason: str) -> None:
    found = problem(pattern, fields)
    assert found is not None and reason in found


def test_the_policy_refuses_a_variant_line_that_reads_badly_without_a_first_name() -> None:
    bad = {**EXAMPLE_POLICY, "variants": [{"name": "B", "subjects": {"1": {"fr": "{first_name}"}}}]}
    with pytest.raises(ValidationError, match=r"variants\.B\.subjects\.1\.fr: would be empty"):
        ShopPolicy.model_validate(bad)
    bad = {**EXAMPLE_POLICY, "variants": [{"name": "B", "preheaders": {"3": {"en": "{coupon} inside"}}}]}
    with pytest.raises(ValidationError, match=r"variants\.B\.preheaders\.3\.en: only"):
        ShopPolicy.model_validate(bad)


def _variants() -> list[dict[str, Any]]:
    written = {
        "name": "B",
        "subjects": {"1": {"fr": "{first_name}, vos articles vous attendent",
                           "en": "{first_name}, your cart"},
                     "3": {"fr": "{first_name|Dernière chance} : votre panier {shop}"}},
        "preheaders": {"3": {"fr": "Avec {code}, la livraison est pour nous", "en": "{code|A gift} inside"}},
    }  # fmt: skip
    return [{"name": "A"}, written]


@pytest.mark.parametrize("preset", sorted(DELAY_PRESETS))
def test_every_subject_and_preheader_reads_well_with_any_value_missing(preset: str) -> None:
    policy = ShopPolicy.model_validate({**EXAMPLE_POLICY, "delay_preset": preset, "variants": _variants()})
    shop = DEMO_SHOP.model_copy(update={"policy": policy})
    cases = itertools.product(
        range(1, policy.steps + 1), LANGUAGES, ("A", "B"), ("Camille", None), (True, False)
    )
    for step, language, variant, first_name, incentive in cases:
        cart = sample_cart(shop.shop_id, language, incentive=incentive)
        cart = cart.model_copy(
            update={"customer": cart.customer.model_copy(update={"first_name": first_name})}
        )
        if not incentive:
            cart = cart.model_copy(update={"incentive": None})
        email = compose(shop, cart, step, SAMPLE_NOW, links=LINKS, variant=variant)
        for line in (email.subject, email.preheader):
            case = (preset, step, language, variant, first_name, incentive, line)
            assert line and line[0].isupper() and "{" not in line and "  " not in line, case
            assert not line.startswith((",", ":", "-")) and not line.endswith((",", ":")), case
            assert language == "en" or french_problems(line) == [], case
        if first_name is not None and variant == "B" and step == 1:
            assert email.subject.startswith("Camille, "), email.subject


def test_the_last_step_names_its_code_in_the_preheader() -> None:
    for language in LANGUAGES:
        cart = sample_cart(DEMO_SHOP.shop_id, language)
        email = compose(DEMO_SHOP, cart, DEMO_SHOP.policy.steps, SAMPLE_NOW, links=LINKS)
        assert cart.incentive is not None and cart.incentive.code in email.preheader
        assert email.preheader in email.html  # the hidden preview text


def test_what_the_shop_writes_in_french_is_typeset() -> None:
    written = {"name": "B", "subjects": {"1": {"fr": "Vous l'aimez ? {shop} aussi !"}}}
    policy = ShopPolicy.model_validate({"variants": [{"name": "A"}, written]})
    shop = DEMO_SHOP.model_copy(update={"policy": policy})
    email = compose(shop, sample_cart(shop.shop_id, "fr"), 1, SAMPLE_NOW, links=LINKS, variant="B")
    assert email.subject == f"Vous l’aimez\u00a0? {shop.name} aussi\u00a0!"
